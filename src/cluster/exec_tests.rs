//! CLUSTER subcommand replies and state transitions; the expected texts are what
//! redis-server 7.0.15 answered to the same commands.

use super::*;
use crate::cluster::settings::Settings;
use crate::protocol::Proto;

fn fresh() -> ClusterState {
    let mut s = ClusterState::new(Settings::default());
    s.dirty = false;
    s
}

fn run_with(state: &mut ClusterState, line: &str, facts: Facts) -> String {
    let args: Vec<Vec<u8>> = line.split(' ').map(|a| a.as_bytes().to_vec()).collect();
    let mut out = Reply::new(Proto::Resp2);
    execute(state, &args, facts, &mut out);
    String::from_utf8(out.buf).unwrap()
}

fn run(state: &mut ClusterState, line: &str) -> String {
    run_with(state, line, Facts::default())
}

#[test]
fn slot_assignment_errors() {
    let mut s = fresh();
    for (line, reply) in [
        (
            "CLUSTER ADDSLOTS x",
            "-ERR Invalid or out of range slot\r\n",
        ),
        (
            "CLUSTER ADDSLOTS 16384",
            "-ERR Invalid or out of range slot\r\n",
        ),
        (
            "CLUSTER ADDSLOTS -1",
            "-ERR Invalid or out of range slot\r\n",
        ),
        (
            "CLUSTER ADDSLOTS 1 1",
            "-ERR Slot 1 specified multiple times\r\n",
        ),
        ("CLUSTER ADDSLOTS 1 2", "+OK\r\n"),
        ("CLUSTER ADDSLOTS 1", "-ERR Slot 1 is already busy\r\n"),
        (
            "CLUSTER ADDSLOTSRANGE 5 3",
            "-ERR start slot number 5 is greater than end slot number 3\r\n",
        ),
        (
            "CLUSTER ADDSLOTSRANGE 3 5 4",
            "-ERR wrong number of arguments for 'cluster|addslotsrange' command\r\n",
        ),
        (
            "CLUSTER ADDSLOTSRANGE 10 12 11 13",
            "-ERR Slot 11 specified multiple times\r\n",
        ),
        (
            "CLUSTER DELSLOTS 100",
            "-ERR Slot 100 is already unassigned\r\n",
        ),
        ("CLUSTER DELSLOTS 1", "+OK\r\n"),
        (
            "CLUSTER DELSLOTSRANGE 2 3",
            "-ERR Slot 3 is already unassigned\r\n",
        ),
    ] {
        assert_eq!(run(&mut s, line), reply, "{line}");
    }
    let me = s.myself;
    assert_eq!(s.slot_ranges(&me), vec![(2, 2)]);
    assert!(s.dirty);
    assert_eq!(run(&mut s, "CLUSTER FLUSHSLOTS"), "+OK\r\n");
    assert!(s.slot_ranges(&me).is_empty());
    run(&mut s, "CLUSTER ADDSLOTSRANGE 0 16383");
    assert!(s.ok);
    let busy = Facts {
        dbsize: 3,
        ..Facts::default()
    };
    assert_eq!(
        run_with(&mut s, "CLUSTER FLUSHSLOTS", busy),
        "-ERR DB must be empty to perform CLUSTER FLUSHSLOTS.\r\n"
    );
}

#[test]
fn epochs() {
    let mut s = fresh();
    assert_eq!(
        run(&mut s, "CLUSTER SET-CONFIG-EPOCH -1"),
        "-ERR Invalid config epoch specified: -1\r\n"
    );
    assert_eq!(
        run(&mut s, "CLUSTER SET-CONFIG-EPOCH x"),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(run(&mut s, "CLUSTER BUMPEPOCH"), "+BUMPED 1\r\n");
    assert_eq!(run(&mut s, "CLUSTER BUMPEPOCH"), "+STILL 1\r\n");
    assert_eq!(
        run(&mut s, "CLUSTER SET-CONFIG-EPOCH 5"),
        "-ERR Node config epoch is already non-zero\r\n"
    );
    let mut s = fresh();
    assert_eq!(run(&mut s, "CLUSTER SET-CONFIG-EPOCH 5"), "+OK\r\n");
    assert_eq!(s.current_epoch, 5);
    run(&mut s, "CLUSTER MEET 127.0.0.1 22222");
    assert_eq!(
        run(&mut s, "CLUSTER SET-CONFIG-EPOCH 6"),
        "-ERR The user can assign a config epoch only when the node does not know any other node.\r\n"
    );
}

#[test]
fn meet_forget_and_node_errors() {
    let mut s = fresh();
    let me = s.myself.to_string();
    for (line, reply) in [
        ("CLUSTER MEET 1.2.3.4 x", "-ERR Invalid TCP base port specified: x\r\n"),
        ("CLUSTER MEET 1.2.3.4 5 x", "-ERR Invalid TCP bus port specified: x\r\n"),
        ("CLUSTER MEET nohost 1234", "-ERR Invalid node address specified: nohost:1234\r\n"),
        ("CLUSTER MEET 127.0.0.1 99999", "-ERR Invalid node address specified: 127.0.0.1:99999\r\n"),
        ("CLUSTER MEET 127.0.0.1 0", "-ERR Invalid node address specified: 127.0.0.1:0\r\n"),
        ("CLUSTER MEET 127.000.0.1 22222", "-ERR Invalid node address specified: 127.000.0.1:22222\r\n"),
        (
            "CLUSTER MEET 1.2.3.4 5 6 7",
            "-ERR unknown subcommand or wrong number of arguments for 'MEET'. Try CLUSTER HELP.\r\n",
        ),
        ("CLUSTER MEET 127.0.0.1 22222", "+OK\r\n"),
        ("CLUSTER MEET 127.0.0.1 22222", "+OK\r\n"),
        ("CLUSTER MEET ::1 22223 5555", "+OK\r\n"),
        ("CLUSTER FORGET abc", "-ERR Unknown node abc\r\n"),
        ("CLUSTER COUNT-FAILURE-REPORTS abc", "-ERR Unknown node abc\r\n"),
        ("CLUSTER REPLICAS abc", "-ERR Unknown node abc\r\n"),
        ("CLUSTER REPLICATE abc", "-ERR Unknown node abc\r\n"),
        ("CLUSTER RESET foo", "-ERR syntax error\r\n"),
        (
            "CLUSTER RESET soft x",
            "-ERR unknown subcommand or wrong number of arguments for 'RESET'. Try CLUSTER HELP.\r\n",
        ),
        ("CLUSTER FAILOVER", "-ERR You should send CLUSTER FAILOVER to a replica\r\n"),
        ("CLUSTER FAILOVER x", "-ERR syntax error\r\n"),
    ] {
        assert_eq!(run(&mut s, line), reply, "{line}");
    }
    let nodes = run(&mut s, "CLUSTER NODES");
    assert!(nodes.contains(" 127.0.0.1:22222@32222 handshake - 0 0 0 disconnected\n"));
    assert!(nodes.contains(" ::1:22223@5555 handshake - 0 0 0 disconnected\n"));
    assert_eq!(s.nodes.len(), 3);
    for (line, reply) in [
        (
            format!("CLUSTER FORGET {me}"),
            "-ERR I tried hard but I can't forget myself...\r\n",
        ),
        (format!("CLUSTER COUNT-FAILURE-REPORTS {me}"), ":0\r\n"),
        (format!("CLUSTER REPLICAS {me}"), "*0\r\n"),
        (
            format!("CLUSTER REPLICATE {me}"),
            "-ERR Can't replicate myself\r\n",
        ),
    ] {
        assert_eq!(run(&mut s, &line), reply, "{line}");
    }
    let other = s.nodes[1].id;
    let facts = Facts {
        now_ms: 1000,
        ..Facts::default()
    };
    assert_eq!(
        run_with(&mut s, &format!("CLUSTER FORGET {other}"), facts),
        "+OK\r\n"
    );
    assert!(s.is_banned(&other, 2000));
    assert_eq!(s.nodes.len(), 2);
}

#[test]
fn setslot_states_and_errors() {
    let mut s = fresh();
    let me = s.myself;
    run(&mut s, "CLUSTER ADDSLOTSRANGE 0 5460");
    run(&mut s, "CLUSTER MEET 127.0.0.1 22001");
    let b = s.nodes[1].id;
    s.node_mut(&b).unwrap().flags = flags::MASTER;
    for slot in 5461..16384 {
        s.set_slot(slot, b);
    }
    for (line, reply) in [
        (
            format!("CLUSTER SETSLOT 0 MIGRATING {b}"),
            "+OK\r\n".to_string(),
        ),
        (
            format!("CLUSTER SETSLOT 1 migrating {me}"),
            "+OK\r\n".into(),
        ),
        (
            format!("CLUSTER SETSLOT 6000 MIGRATING {b}"),
            "-ERR I'm not the owner of hash slot 6000\r\n".into(),
        ),
        (
            format!("CLUSTER SETSLOT 6000 IMPORTING {b}"),
            "+OK\r\n".into(),
        ),
        (
            format!("CLUSTER SETSLOT 1 IMPORTING {b}"),
            "-ERR I'm already the owner of hash slot 1\r\n".into(),
        ),
        (
            "CLUSTER SETSLOT 1 foo".into(),
            format!("-{SETSLOT_SYNTAX}\r\n"),
        ),
        (
            "CLUSTER SETSLOT 1 stable x".into(),
            format!("-{SETSLOT_SYNTAX}\r\n"),
        ),
        (
            "CLUSTER SETSLOT x stable".into(),
            "-ERR Invalid or out of range slot\r\n".into(),
        ),
        (
            "CLUSTER SETSLOT 1 migrating abc".into(),
            "-ERR I don't know about node abc\r\n".into(),
        ),
        (
            "CLUSTER SETSLOT 1 node abc".into(),
            "-ERR Unknown node abc\r\n".into(),
        ),
    ] {
        assert_eq!(run(&mut s, &line), reply, "{line}");
    }
    let nodes = run(&mut s, "CLUSTER NODES");
    assert!(
        nodes.contains(&format!(
            "connected 0-5460 [0->-{b}] [1->-{me}] [6000-<-{b}]\r\n"
        )) || nodes.contains(&format!(
            "connected 0-5460 [0->-{b}] [1->-{me}] [6000-<-{b}]\n"
        ))
    );
    let holding = Facts {
        keys_in_slot: 2,
        ..Facts::default()
    };
    assert_eq!(
        run_with(&mut s, &format!("CLUSTER SETSLOT 0 NODE {b}"), holding),
        "-ERR Can't assign hashslot 0 to a different node while I still hold keys for this hash slot.\r\n"
    );
    assert_eq!(
        run(&mut s, &format!("CLUSTER SETSLOT 0 NODE {b}")),
        "+OK\r\n"
    );
    assert_eq!(s.owner(0), Some(&b));
    assert!(!s.migrating_to.contains_key(&0));
    let epoch = s.current_epoch;
    assert_eq!(
        run(&mut s, &format!("CLUSTER SETSLOT 6000 NODE {me}")),
        "+OK\r\n"
    );
    assert_eq!(s.owner(6000), Some(&me));
    assert!(s.importing_from.is_empty());
    assert!(s.current_epoch > epoch);
    assert_eq!(run(&mut s, "CLUSTER SETSLOT 1 STABLE"), "+OK\r\n");
    assert!(s.migrating_to.is_empty());
}

#[test]
fn replicate_then_show_in_replicas_and_reset() {
    let mut s = fresh();
    run(&mut s, "CLUSTER MEET 127.0.0.1 22001");
    let m = s.nodes[1].id;
    s.node_mut(&m).unwrap().flags = flags::MASTER;
    s.set_slot(0, m);
    run(&mut s, "CLUSTER ADDSLOTS 1");
    assert_eq!(
        run(&mut s, &format!("CLUSTER REPLICATE {m}")),
        "-ERR To set a master the node must be empty and without assigned slots.\r\n"
    );
    run(&mut s, "CLUSTER DELSLOTS 1");
    let me = s.myself.to_string();
    assert_eq!(run(&mut s, "CLUSTER MYSHARDID"), format!("$40\r\n{me}\r\n"));
    assert_eq!(run(&mut s, &format!("CLUSTER REPLICATE {m}")), "+OK\r\n");
    assert!(s.myself().is_replica());
    // A replica's shard is its primary's.
    assert_eq!(run(&mut s, "CLUSTER MYSHARDID"), format!("$40\r\n{m}\r\n"));
    let replicas = run(&mut s, &format!("CLUSTER REPLICAS {m}"));
    assert!(replicas.starts_with("*1\r\n$"));
    assert!(replicas.contains(&format!(" myself,slave {m} 0 0 0 connected\r\n")));
    let me = s.myself.to_string();
    assert_eq!(
        run(&mut s, &format!("CLUSTER REPLICAS {me}")),
        "-ERR The specified node is not a master\r\n"
    );
    assert_eq!(
        run(&mut s, &format!("CLUSTER FORGET {m}")),
        "-ERR Can't forget my master!\r\n"
    );
    assert_eq!(
        run(&mut s, "CLUSTER SETSLOT 1 STABLE"),
        "-ERR Please use SETSLOT only with masters.\r\n"
    );
    let keys = Facts {
        dbsize: 1,
        ..Facts::default()
    };
    assert_eq!(run_with(&mut s, "CLUSTER RESET", keys), "+OK\r\n");
    assert!(s.myself().is_master());
    assert_eq!(
        run_with(&mut s, "CLUSTER RESET HARD", keys),
        "-ERR CLUSTER RESET can't be called with master nodes containing keys\r\n"
    );
}

#[test]
fn info_nodes_and_myid_replies() {
    let mut s = fresh();
    let info = run(&mut s, "CLUSTER INFO");
    assert!(info.starts_with("$"));
    assert!(info.contains("cluster_state:fail\r\n"));
    let myid = run(&mut s, "CLUSTER MYID");
    assert_eq!(myid, format!("$40\r\n{}\r\n", s.myself));
    let mut out = Reply::new(Proto::Resp3);
    execute(
        &mut s,
        &[b"CLUSTER".to_vec(), b"NODES".to_vec()],
        Facts::default(),
        &mut out,
    );
    assert!(out.buf.starts_with(b"="));
    assert_eq!(run(&mut s, "CLUSTER LINKS"), "*0\r\n");
}

#[test]
fn failure_reports_older_than_twice_the_node_timeout_do_not_count() {
    let mut s = fresh();
    run(&mut s, "CLUSTER MEET 127.0.0.1 22001");
    run(&mut s, "CLUSTER MEET 127.0.0.1 22002");
    let (a, b) = (s.nodes[1].id, s.nodes[2].id);
    let timeout = s.settings.node_timeout_ms;
    s.node_mut(&a).unwrap().add_fail_report(b, 1_000);
    let line = format!("CLUSTER COUNT-FAILURE-REPORTS {a}");
    let at = |now_ms| Facts {
        now_ms,
        ..Facts::default()
    };
    assert_eq!(run_with(&mut s, &line, at(1_000 + 2 * timeout)), ":1\r\n");
    assert_eq!(run_with(&mut s, &line, at(1_001 + 2 * timeout)), ":0\r\n");
}
