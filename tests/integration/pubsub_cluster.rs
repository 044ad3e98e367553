//! Sharded Pub/Sub in cluster mode: a shard channel is routed like a key (MOVED to the node
//! serving its slot, CROSSSLOT for channels of different slots), plain channels are served
//! by any node. A child of `cluster` so it can use that module's node helpers.

use super::{key_where, two_nodes};

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
