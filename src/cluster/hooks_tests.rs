//! Bus hook behaviour: handshakes, address learning, slot ownership by config epoch, epoch
//! collisions, failure detection and the PING contents.

use super::*;
use crate::cluster::node::Node;
use crate::cluster::settings::Settings;

fn state() -> ClusterState {
    let settings = Settings {
        port: 7000,
        bus_port: 17000,
        node_timeout_ms: 1000,
        ..Default::default()
    };
    ClusterState::new(settings)
}

fn header(id: NodeId, port: u16, epoch: u64, slots: Vec<(u16, u16)>) -> Header {
    Header {
        id,
        current_epoch: epoch,
        config_epoch: epoch,
        master: None,
        ip: Some("127.0.0.1".into()),
        port,
        cport: port + 10000,
        flags: flags::MASTER,
        hostname: String::new(),
        slots: Some(slots),
    }
}

fn master(s: &mut ClusterState, port: u16, epoch: u64) -> NodeId {
    let id = NodeId::random();
    let mut n = Node::new(id, flags::MASTER);
    n.ip = "127.0.0.1".into();
    n.port = port;
    n.cport = port + 10000;
    n.config_epoch = epoch;
    s.add_node(n);
    id
}

fn outbound(node: NodeId) -> LinkPeer {
    LinkPeer {
        node: Some(node),
        peer_ip: "127.0.0.1".into(),
        local_ip: "127.0.0.1".into(),
    }
}

#[test]
fn meet_then_pong_completes_the_handshake() {
    let mut a = state();
    assert!(start_handshake(&mut a, "127.0.0.1", 7001, 17001, 0));
    let hs = a.nodes[1].id;
    assert_eq!(greeting(&a, &hs), Kind::Meet);
    on_ping_sent(&mut a, &hs, Kind::Meet, 10);
    assert_eq!(greeting(&a, &hs), Kind::Ping);
    let b = NodeId::random();
    let fx = on_message(
        &mut a,
        Kind::Pong,
        &outbound(hs),
        &header(b, 7001, 0, vec![]),
        &[],
        20,
    );
    assert!(!fx.reply_pong && !fx.close_link);
    let node = a.node(&b).expect("renamed to the real id");
    assert!(node.is_master() && !node.has(flags::HANDSHAKE));
    assert_eq!(node.pong_received, 20);
    assert_eq!(node.ping_sent, 0);
    assert!(a.node(&hs).is_none());
}

#[test]
fn completing_a_handshake_is_no_epoch_collision() {
    let mut a = ClusterState::with_myself(NodeId([b'0'; 40]), state().settings);
    start_handshake(&mut a, "127.0.0.1", 7001, 17001, 0);
    let hs = a.nodes[1].id;
    let b = NodeId([b'f'; 40]);
    on_message(
        &mut a,
        Kind::Pong,
        &outbound(hs),
        &header(b, 7001, 0, vec![]),
        &[],
        2,
    );
    assert!(a.node(&b).is_some());
    assert_eq!((a.myself().config_epoch, a.current_epoch), (0, 0));
    on_message(
        &mut a,
        Kind::Pong,
        &outbound(b),
        &header(b, 7001, 0, vec![]),
        &[],
        3,
    );
    assert_eq!(
        a.myself().config_epoch,
        1,
        "a known sender with the same epoch collides"
    );
}

#[test]
fn meet_from_unknown_node_learns_our_ip_and_starts_a_handshake() {
    let mut b = state();
    assert!(b.myself().ip.is_empty());
    let a = NodeId::random();
    let link = LinkPeer {
        node: None,
        peer_ip: "10.0.0.1".into(),
        local_ip: "10.0.0.2".into(),
    };
    let mut h = header(a, 7000, 0, vec![]);
    h.ip = None;
    let fx = on_message(&mut b, Kind::Meet, &link, &h, &[], 5);
    assert!(fx.reply_pong);
    assert_eq!(b.myself().ip, "10.0.0.2");
    let hs = b.nodes.iter().find(|n| n.has(flags::HANDSHAKE)).unwrap();
    assert_eq!((hs.ip.as_str(), hs.port), ("10.0.0.1", 7000));
    // The node that met us is greeted with a PING, not a MEET of our own (redis-server's
    // clusterProcessPacket creates it with HANDSHAKE only).
    let hs = hs.id;
    assert_eq!(greeting(&b, &hs), Kind::Ping);
}

#[test]
fn slots_follow_the_newest_config_epoch() {
    let mut s = state();
    let b = master(&mut s, 7001, 2);
    let c = master(&mut s, 7002, 1);
    for slot in 0..=100 {
        s.set_slot(slot, c);
    }
    let fx = on_message(
        &mut s,
        Kind::Ping,
        &LinkPeer::default(),
        &header(b, 7001, 2, vec![(0, 50)]),
        &[],
        1,
    );
    assert_eq!(s.owner(0), Some(&b));
    assert_eq!(s.owner(51), Some(&c));
    assert!(fx.update_sender.is_none());
    s.node_mut(&c).unwrap().config_epoch = 5;
    let fx = on_message(
        &mut s,
        Kind::Ping,
        &LinkPeer::default(),
        &header(b, 7001, 2, vec![(51, 60)]),
        &[],
        2,
    );
    assert_eq!(s.owner(51), Some(&c));
    let (node, epoch, ranges) = fx.update_sender.expect("stale sender gets an UPDATE");
    assert_eq!((node, epoch), (c, 5));
    assert_eq!(ranges, vec![(51, 100)]);
    on_update(&mut s, &b, 9, &[(51, 100)]);
    assert_eq!(s.owner(60), Some(&b));
}

#[test]
fn config_epoch_collision_bumps_the_greater_id() {
    let mut s = state();
    s.myself_mut().config_epoch = 3;
    s.current_epoch = 3;
    let other = master(&mut s, 7001, 3);
    let fx = on_message(
        &mut s,
        Kind::Ping,
        &LinkPeer::default(),
        &header(other, 7001, 3, vec![]),
        &[],
        1,
    );
    assert!(fx.reply_pong);
    if other > s.myself {
        assert_eq!(s.myself().config_epoch, 4);
        assert_eq!(s.current_epoch, 4);
    } else {
        assert_eq!(s.myself().config_epoch, 3);
    }
}

#[test]
fn pfail_then_fail_by_majority_then_cleared() {
    let mut s = state();
    let me = s.myself;
    let b = master(&mut s, 7001, 1);
    let c = master(&mut s, 7002, 2);
    for slot in 0..16384u16 {
        s.set_slot(slot, [me, b, c][slot as usize % 3]);
    }
    s.update_state();
    assert!(s.ok);
    on_ping_sent(&mut s, &c, Kind::Ping, 1000);
    cron(&mut s, 1500);
    assert!(!s.node(&c).unwrap().has(flags::PFAIL));
    cron(&mut s, 2100);
    assert!(s.node(&c).unwrap().has(flags::PFAIL));
    let report = Gossip {
        id: c,
        ping_sent_ms: 0,
        pong_received_ms: 0,
        ip: "127.0.0.1".into(),
        port: 7002,
        cport: 17002,
        flags: flags::MASTER | flags::PFAIL,
    };
    let fx = on_message(
        &mut s,
        Kind::Ping,
        &LinkPeer::default(),
        &header(b, 7001, 1, vec![]),
        &[report],
        2200,
    );
    assert_eq!(fx.broadcast_fail, vec![c]);
    assert!(s.node(&c).unwrap().has(flags::FAIL));
    s.update_state();
    assert!(!s.ok);
    let fx = on_message(
        &mut s,
        Kind::Pong,
        &outbound(c),
        &header(c, 7002, 2, vec![]),
        &[],
        2300,
    );
    assert!(fx.broadcast_fail.is_empty());
    assert!(
        s.node(&c).unwrap().has(flags::FAIL),
        "a master with slots stays FAIL for 2x timeout"
    );
    on_message(
        &mut s,
        Kind::Pong,
        &outbound(c),
        &header(c, 7002, 2, vec![]),
        &[],
        4300,
    );
    assert!(!s.node(&c).unwrap().is_failing());
    s.update_state();
    assert!(s.ok);
}

#[test]
fn fail_message_and_handshake_timeout() {
    let mut s = state();
    let b = master(&mut s, 7001, 1);
    let c = master(&mut s, 7002, 1);
    on_fail(&mut s, &b, &c, 10);
    assert!(s.node(&c).unwrap().has(flags::FAIL));
    start_handshake(&mut s, "127.0.0.1", 7009, 17009, 100);
    cron(&mut s, 600);
    assert_eq!(s.nodes.len(), 4);
    cron(&mut s, 1200);
    assert_eq!(s.nodes.len(), 3);
}

#[test]
fn gossip_about_unknown_nodes_starts_handshakes_unless_banned() {
    let mut s = state();
    let b = master(&mut s, 7001, 1);
    let banned = NodeId::random();
    s.ban(banned, 0);
    let entry = |id: NodeId, port: u16| Gossip {
        id,
        ping_sent_ms: 0,
        pong_received_ms: 0,
        ip: "127.0.0.1".into(),
        port,
        cport: port + 10000,
        flags: flags::MASTER,
    };
    let g = [entry(NodeId::random(), 7005), entry(banned, 7006)];
    on_message(
        &mut s,
        Kind::Ping,
        &LinkPeer::default(),
        &header(b, 7001, 1, vec![]),
        &g,
        10,
    );
    let handshakes: Vec<u16> = s
        .nodes
        .iter()
        .filter(|n| n.has(flags::HANDSHAKE))
        .map(|n| n.port)
        .collect();
    assert_eq!(handshakes, vec![7005]);
}

#[test]
fn ping_carries_header_and_gossip() {
    let mut s = state();
    s.learned_ip = "127.0.0.1".into();
    s.apply_settings();
    let me = s.myself;
    s.set_slot(5, me);
    let ids: Vec<NodeId> = (0..5).map(|i| master(&mut s, 7001 + i, 1)).collect();
    s.node_mut(&ids[4]).unwrap().flags |= flags::PFAIL;
    let (h, g) = next_ping(&s, 42);
    assert_eq!(h.id, me);
    assert_eq!(h.slots, Some(vec![(5, 5)]));
    assert_eq!(h.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(h.flags, flags::MASTER);
    assert_eq!(g.len(), 4, "3 random healthy nodes plus the PFAIL one");
    assert!(g.iter().any(|e| e.id == ids[4]));
    assert!(g.iter().all(|e| e.id != me));
}

#[test]
fn forgotten_nodes_from_a_peer_are_removed_and_banned_for_the_time_left() {
    let mut s = state();
    let a = master(&mut s, 7001, 1);
    let b = master(&mut s, 7002, 2);
    let me = s.myself;
    let unknown = NodeId::random();
    on_forgotten(
        &mut s,
        &[(a, 30_000), (me, 60_000), (unknown, 60_000)],
        1_000,
    );
    assert!(s.node(&a).is_none());
    assert!(s.node(&me).is_some() && s.node(&b).is_some());
    assert_eq!(s.bans_left(1_000), vec![(a, 30_000)]);
    assert!(!s.is_banned(&unknown, 1_000));
    assert!(s.is_banned(&a, 30_999));
    assert!(!s.is_banned(&a, 31_000));
}
