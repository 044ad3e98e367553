//! What travels the cluster bus beyond gossip, with real processes: PUBLISH sent to one node
//! reaches subscribers on every node, SPUBLISH only the replicas of the shard, one CLUSTER
//! FORGET spreads to every node and keeps the node out while its ban lasts, `cluster-port` and
//! announced hostnames reach the other nodes, and a master that can no longer reach a
//! majority of masters (two of three SIGSTOP'ed) stops serving after the node timeout and
//! serves again once they are back (SIGCONT).
//!
//! A child of `cluster_bus` for its node helpers. With `SOLIKV_TEST_SERVER=redis` the nodes
//! are redis-server 7.0.15, which passes everything but the FORGET propagation (Redis 7.2).

use std::process::Command;
use std::time::{Duration, Instant};

use super::super::harness::subject_is_redis;
use super::super::resp::{decode, Conn, Value};
use super::{create_cluster, wait_for, BusNode, DEADLINE, NODE_TIMEOUT_MS};

/// A connection subscribed with `cmd` (SUBSCRIBE or PSUBSCRIBE) to `name`.
fn subscriber(node: &BusNode, cmd: &str, name: &str) -> Conn {
    let mut c = Conn::connect(node.port);
    let reply = c.call(&[cmd.as_bytes(), name.as_bytes()]);
    let want = format!(
        "*3\r\n${}\r\n{}\r\n${}\r\n{name}\r\n:1\r\n",
        cmd.len(),
        cmd.to_ascii_lowercase(),
        name.len()
    );
    assert_eq!(String::from_utf8_lossy(&reply), want);
    c
}

/// A CLUSTER INFO counter (absent counters are 0, as Redis omits them).
fn counter(node: &BusNode, name: &str) -> u64 {
    node.info_field(name).parse().unwrap_or(0)
}

#[test]
fn publish_reaches_every_node_and_forget_spreads() {
    let nodes = create_cluster();
    let mut subs = vec![
        subscriber(&nodes[1], "SUBSCRIBE", "news"),
        subscriber(&nodes[2], "SUBSCRIBE", "news"),
    ];
    let mut psub = subscriber(&nodes[2], "PSUBSCRIBE", "n*");
    // The reply counts only the publishing node's subscribers, as in redis-server.
    assert_eq!(nodes[0].call(&["PUBLISH", "news", "hello"]), Value::Int(0));
    for sub in &mut subs {
        let got = sub.try_read_reply(DEADLINE).expect("the message arrives");
        assert_eq!(got, b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
    }
    let got = psub.try_read_reply(DEADLINE).expect("the message arrives");
    assert_eq!(
        got,
        b"*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
    );
    // Messages from one publisher arrive in order.
    for i in 0..20 {
        let msg = format!("m{i}");
        assert_eq!(nodes[1].call(&["PUBLISH", "news", &msg]), Value::Int(1));
    }
    for i in 0..20 {
        let got = subs[1]
            .try_read_reply(DEADLINE)
            .expect("the message arrives");
        let msg = format!("m{i}");
        let want = format!(
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n${}\r\n{msg}\r\n",
            msg.len()
        );
        assert_eq!(String::from_utf8_lossy(&got), want);
    }
    assert!(counter(&nodes[0], "cluster_stats_messages_publish_sent") >= 2);
    assert!(counter(&nodes[2], "cluster_stats_messages_publish_received") >= 21);
    // SPUBLISH goes to the other nodes of the shard only: with masters alone, to none.
    let shard_sub = |n: &BusNode| -> Option<(Conn, String)> {
        (0..1000).map(|i| format!("sch{i}")).find_map(|ch| {
            let mut c = Conn::connect(n.port);
            let reply = c.call(&[b"SSUBSCRIBE", ch.as_bytes()]);
            reply.starts_with(b"*3").then_some((c, ch))
        })
    };
    let (mut ssub, ch) = shard_sub(&nodes[0]).expect("a shard channel served by node 0");
    assert_eq!(nodes[0].call(&["SPUBLISH", &ch, "s"]), Value::Int(1));
    assert!(ssub.read_reply().starts_with(b"*3\r\n$8\r\nsmessage\r\n"));
    assert_eq!(
        counter(&nodes[0], "cluster_stats_messages_publishshard_sent"),
        0
    );

    if subject_is_redis() {
        return; // Redis 7.0 does not propagate FORGET.
    }
    // A fourth node joins; one FORGET on one node removes it everywhere, and it stays out
    // while the ban lasts although it keeps running and pinging.
    let fourth = BusNode::start();
    let meet = fourth.call(&["CLUSTER", "MEET", "127.0.0.1", &nodes[0].port.to_string()]);
    assert_eq!(meet, Value::Simple(b"OK".to_vec()));
    let id = fourth.myid();
    let knows = |n: &BusNode| n.node_flags().iter().any(|(i, _)| *i == id);
    for n in &nodes {
        wait_for(
            DEADLINE,
            "the fourth node did not join",
            || knows(n),
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
    let forget = nodes[1].call(&["CLUSTER", "FORGET", &id]);
    assert_eq!(forget, Value::Simple(b"OK".to_vec()));
    for n in &nodes {
        wait_for(
            DEADLINE,
            "the forgotten node is still known",
            || !knows(n),
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
    let until = Instant::now() + Duration::from_millis(3 * NODE_TIMEOUT_MS);
    while Instant::now() < until {
        for n in &nodes {
            assert!(!knows(n), "re-added:\n{}", n.text(&["CLUSTER", "NODES"]));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sends `signal` (STOP or CONT) to the node's process.
fn signal(node: &BusNode, signal: &str) {
    let pid = node.child.as_ref().expect("running").id().to_string();
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[test]
fn minority_master_stops_serving_until_the_majority_is_back() {
    let nodes = create_cluster();
    let survivor = &nodes[0];
    let mut conn = Conn::connect(survivor.port);
    // A key of the survivor's own slots.
    let key = (0..1000)
        .map(|i| format!("k{i}"))
        .find(|k| conn.cmd(&["SET", k, "v"]) == Value::Simple(b"OK".to_vec()))
        .expect("a key served by node 0");
    let stopped = Instant::now();
    signal(&nodes[1], "STOP");
    signal(&nodes[2], "STOP");
    let down = Value::Error(b"CLUSTERDOWN The cluster is down".to_vec());
    wait_for(
        DEADLINE,
        "the minority master kept serving writes",
        || conn.cmd(&["SET", &key, "w"]) == down,
        || survivor.text(&["CLUSTER", "INFO"]),
    );
    // Not before the node timeout, give or take a PING that was waiting for its PONG when the
    // others stopped (its timer started earlier).
    assert!(
        stopped.elapsed() >= Duration::from_millis(NODE_TIMEOUT_MS / 2),
        "down well before the node timeout: {:?}",
        stopped.elapsed()
    );
    assert_eq!(survivor.info_field("cluster_state"), "fail");
    assert_eq!(conn.cmd(&["GET", &key]), down);
    signal(&nodes[1], "CONT");
    signal(&nodes[2], "CONT");
    for n in &nodes {
        wait_for(
            DEADLINE,
            "cluster_state did not come back to ok",
            || n.info_field("cluster_state") == "ok",
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
    wait_for(
        DEADLINE,
        "writes are not served again",
        || conn.cmd(&["SET", &key, "x"]) == Value::Simple(b"OK".to_vec()),
        || format!("{:?}", survivor.call(&["SET", &key, "x"])),
    );
    let raw = conn.call(&[b"GET", key.as_bytes()]);
    assert_eq!(
        decode(&raw).unwrap().unwrap().0,
        Value::Bulk(Some(b"x".to_vec()))
    );
}

/// A node on a bus port other than port + 10000 (`cluster-port`) with an announced hostname.
fn start_with_bus_port(name: &str) -> (BusNode, u16) {
    let port = super::cluster_port();
    let bus = super::cluster_port();
    let dir = std::env::temp_dir().join(format!("solikv-wide-{}-{port}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("node dir");
    let log = std::fs::File::create(dir.join("log")).expect("log");
    let mut cmd = if subject_is_redis() {
        let mut c = Command::new("redis-server");
        c.args(["--save", "", "--appendonly", "no"]);
        c
    } else {
        let mut c = Command::new(env!("CARGO_BIN_EXE_solikv"));
        c.args(["--cores", "1", "--pin", "no"]);
        c
    };
    let child = cmd
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args([
            "--cluster-enabled",
            "yes",
            "--cluster-port",
            &bus.to_string(),
        ])
        .args(["--cluster-announce-hostname", name])
        .arg("--dir")
        .arg(&dir)
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("spawn node");
    let node = BusNode {
        child: Some(child),
        port,
        dir,
    };
    wait_for(
        DEADLINE,
        "the node does not answer",
        || super::ping(port),
        || node.log(),
    );
    (node, bus)
}

#[test]
fn cluster_port_override_and_announced_hostnames_travel_the_bus() {
    let (a, a_bus) = start_with_bus_port("host-a");
    let (b, b_bus) = start_with_bus_port("host-b");
    assert_eq!(
        a.call(&["CLUSTER", "ADDSLOTSRANGE", "0", "16383"]),
        Value::Simple(b"OK".to_vec())
    );
    // MEET with an explicit bus port: port + 10000 is not where b listens.
    let meet = a.call(&[
        "CLUSTER",
        "MEET",
        "127.0.0.1",
        &b.port.to_string(),
        &b_bus.to_string(),
    ]);
    assert_eq!(meet, Value::Simple(b"OK".to_vec()));
    let a_line = format!("{} 127.0.0.1:{}@{a_bus},host-a master - ", a.myid(), a.port);
    let b_line = format!(
        "{} 127.0.0.1:{}@{b_bus},host-b myself,master - ",
        b.myid(),
        b.port
    );
    wait_for(
        DEADLINE,
        "b does not see a with its bus port and hostname",
        || {
            let text = b.text(&["CLUSTER", "NODES"]);
            b.info_field("cluster_state") == "ok"
                && text.lines().any(|l| l.starts_with(&a_line))
                && text.lines().any(|l| l.starts_with(&b_line))
        },
        || b.text(&["CLUSTER", "NODES"]),
    );
    // CLUSTER SLOTS on b names a's hostname in the node's metadata.
    let raw = Conn::connect(b.port).call(&[b"CLUSTER", b"SLOTS"]);
    let slots = String::from_utf8_lossy(&raw);
    assert!(
        slots.contains("$8\r\nhostname\r\n$6\r\nhost-a\r\n"),
        "{slots}"
    );
    // RESET HARD: a new id, epochs back to 0, alone again.
    let old = b.myid();
    assert_eq!(
        b.call(&["CLUSTER", "RESET", "HARD"]),
        Value::Simple(b"OK".to_vec())
    );
    assert_ne!(b.myid(), old);
    assert_eq!(b.info_field("cluster_known_nodes"), "1");
    assert_eq!(b.info_field("cluster_current_epoch"), "0");
    assert_eq!(b.info_field("cluster_my_epoch"), "0");
}

#[test]
fn spublish_reaches_the_replicas_of_the_shard() {
    let master = BusNode::start();
    let replica = BusNode::start();
    let other = BusNode::start();
    let ok = Value::Simple(b"OK".to_vec());
    assert_eq!(master.call(&["CLUSTER", "ADDSLOTSRANGE", "0", "8191"]), ok);
    assert_eq!(
        other.call(&["CLUSTER", "ADDSLOTSRANGE", "8192", "16383"]),
        ok
    );
    for n in [&replica, &other] {
        let meet = n.call(&["CLUSTER", "MEET", "127.0.0.1", &master.port.to_string()]);
        assert_eq!(meet, ok);
    }
    let master_id = master.myid();
    wait_for(
        DEADLINE,
        "the nodes did not meet",
        || {
            [&master, &replica, &other]
                .iter()
                .all(|n| n.info_field("cluster_known_nodes") == "3")
        },
        || replica.text(&["CLUSTER", "NODES"]),
    );
    assert_eq!(replica.call(&["CLUSTER", "REPLICATE", &master_id]), ok);
    for n in [&master, &replica, &other] {
        wait_for(
            DEADLINE,
            "the cluster is not up with the replica",
            || {
                n.info_field("cluster_state") == "ok"
                    && n.text(&["CLUSTER", "NODES"]).contains("slave")
            },
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
    // A shard channel of the master's slots: the replica serves its SSUBSCRIBE.
    let ch = (0..1000)
        .map(|i| format!("sc{i}"))
        .find(|c| solikv::topology::key_slot(c.as_bytes()).0 < 8192)
        .expect("a channel in 0-8191");
    let mut sub = Conn::connect(replica.port);
    let reply = sub.call(&[b"SSUBSCRIBE", ch.as_bytes()]);
    assert!(
        reply.starts_with(b"*3\r\n$10\r\nssubscribe\r\n"),
        "{reply:?}"
    );
    assert_eq!(master.call(&["SPUBLISH", &ch, "hi"]), Value::Int(0));
    let got = sub.try_read_reply(DEADLINE).expect("the message arrives");
    let want = format!(
        "*3\r\n$8\r\nsmessage\r\n${}\r\n{ch}\r\n$2\r\nhi\r\n",
        ch.len()
    );
    assert_eq!(String::from_utf8_lossy(&got), want);
    // The other shard's master got nothing.
    assert_eq!(
        counter(&other, "cluster_stats_messages_publishshard_received"),
        0
    );
    assert!(counter(&replica, "cluster_stats_messages_publishshard_received") >= 1);
}
