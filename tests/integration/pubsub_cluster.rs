//! Sharded Pub/Sub in cluster mode: a shard channel is routed like a key (MOVED to the node
//! serving its slot, CROSSSLOT for channels of different slots), plain channels are served
//! by any node; a node that loses a slot drops its shard channels and tells their subscribers
//! (`sunsubscribe` pushes). A child of `cluster` so it can use that module's node helpers.

use solikv::topology::key_slot;

use super::{cluster_port, key_where, two_nodes, Dir, Node};

#[test]
fn shard_channels_follow_their_slot() {
    let (_da, _db, a, b) = two_nodes("0-8191", "8192-16383");
    a.wait_state("ok");
    b.wait_state("ok");
    let (mine, _) = key_where("ch", |s| s < 8192);
    let (theirs, slot) = key_where("ch", |s| s >= 8192);
    let moved = format!("-MOVED {slot} 127.0.0.1:{}\r\n", b.port).into_bytes();
    let mut sub = a.conn();
    let mut p = a.conn();
    assert_eq!(
        sub.call(&[b"SSUBSCRIBE", mine.as_bytes()]),
        format!(
            "*3\r\n$10\r\nssubscribe\r\n${}\r\n{mine}\r\n:1\r\n",
            mine.len()
        )
        .into_bytes()
    );
    assert_eq!(sub.call(&[b"SSUBSCRIBE", theirs.as_bytes()]), moved);
    assert_eq!(
        sub.call(&[b"SSUBSCRIBE", mine.as_bytes(), theirs.as_bytes()]),
        b"-CROSSSLOT Keys in request don't hash to the same slot\r\n"
    );
    assert_eq!(sub.call(&[b"SUNSUBSCRIBE", theirs.as_bytes()]), moved);
    assert_eq!(p.call(&[b"SPUBLISH", theirs.as_bytes(), b"m"]), moved);
    assert_eq!(p.call(&[b"SPUBLISH", mine.as_bytes(), b"m"]), b":1\r\n");
    assert_eq!(
        sub.read_reply(),
        format!(
            "*3\r\n$8\r\nsmessage\r\n${}\r\n{mine}\r\n$1\r\nm\r\n",
            mine.len()
        )
        .into_bytes()
    );
    // Plain channels are not keys: any node serves them.
    assert_eq!(p.call(&[b"PUBLISH", theirs.as_bytes(), b"m"]), b":0\r\n");
    assert_eq!(
        sub.call(&[b"SUNSUBSCRIBE"]),
        format!(
            "*3\r\n$12\r\nsunsubscribe\r\n${}\r\n{mine}\r\n:0\r\n",
            mine.len()
        )
        .into_bytes()
    );
    let mut other = b.conn();
    assert_eq!(
        other.call(&[b"SSUBSCRIBE", theirs.as_bytes()]),
        format!(
            "*3\r\n$10\r\nssubscribe\r\n${}\r\n{theirs}\r\n:1\r\n",
            theirs.len()
        )
        .into_bytes()
    );
}

#[test]
fn losing_a_slot_unsubscribes_its_shard_channels() {
    let dir = Dir::new("pubsub-slots");
    let n = Node::start(&dir.0, cluster_port());
    assert_eq!(n.call("CLUSTER ADDSLOTSRANGE 0 16383"), "+OK\r\n");
    n.wait_state("ok");
    let slot = key_slot(b"ch").0;
    assert_ne!(key_slot(b"other").0, slot);
    let mut sub = n.conn();
    let mut other = n.conn();
    sub.send(&super::super::resp::encode(&[
        b"SSUBSCRIBE",
        b"ch",
        b"{ch}x",
    ]));
    sub.read_reply();
    sub.read_reply();
    other.call(&[b"SSUBSCRIBE", b"other"]);
    assert_eq!(n.call(&format!("CLUSTER DELSLOTS {slot}")), "+OK\r\n");
    assert_eq!(
        sub.read_reply(),
        b"*3\r\n$12\r\nsunsubscribe\r\n$2\r\nch\r\n:1\r\n"
    );
    assert_eq!(
        sub.read_reply(),
        b"*3\r\n$12\r\nsunsubscribe\r\n$5\r\n{ch}x\r\n:0\r\n"
    );
    // Out of subscribed mode; the other slot's subscriber stays.
    assert_eq!(sub.call(&[b"PING"]), b"+PONG\r\n");
    assert_eq!(other.call(&[b"PING"]), b"*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    assert_eq!(n.call("PUBSUB SHARDCHANNELS"), "*1\r\n$5\r\nother\r\n");
}
