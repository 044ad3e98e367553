//! CLUSTER NODES / SLOTS / SHARDS / INFO renderings compared with bytes captured from
//! redis-server 7.0.15 (a 3-master cluster made by `redis-cli --cluster create`, and a lone
//! node with announce settings).

use super::*;
use crate::cluster::node::{flags, Node, NodeId};
use crate::cluster::settings::Settings;
use crate::protocol::Proto;

const A: &str = "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8";
const B: &str = "746cdb23d7602c073dab021e610603ebb5cb7059";
const C: &str = "3bd717c9457b52da6b0b1dabe680a959525db2fe";

fn id(s: &str) -> NodeId {
    NodeId::parse(s.as_bytes()).unwrap()
}

/// The oracle cluster as seen from node A (port 22000).
fn three_masters() -> ClusterState {
    let settings = Settings {
        port: 22000,
        bus_port: 32000,
        ..Default::default()
    };
    let mut s = ClusterState::with_myself(id(A), settings);
    s.learned_ip = "127.0.0.1".into();
    s.apply_settings();
    s.myself_mut().config_epoch = 1;
    s.myself_mut().pong_received = 1795320432000;
    s.current_epoch = 3;
    for (other, port, epoch, pong) in [(C, 22002, 3, 1795320433301), (B, 22001, 2, 1795320432800)] {
        let mut n = Node::new(id(other), flags::MASTER);
        n.ip = "127.0.0.1".into();
        n.port = port;
        n.cport = port + 10000;
        n.config_epoch = epoch;
        n.pong_received = pong;
        n.link_connected = true;
        s.add_node(n);
    }
    for slot in 0..16384u16 {
        let owner = match slot {
            0..=5460 => A,
            5461..=10922 => B,
            _ => C,
        };
        s.set_slot(slot, id(owner));
    }
    s.update_state();
    s
}

fn reply(proto: Proto, f: impl FnOnce(&mut Reply)) -> String {
    let mut out = Reply::new(proto);
    f(&mut out);
    String::from_utf8(out.buf).unwrap()
}

#[test]
fn nodes_lines_match_oracle_with_migration_markers() {
    let mut s = three_masters();
    s.migrating_to.insert(0, id(B));
    s.migrating_to.insert(1, id(A));
    s.importing_from.insert(6000, id(B));
    let expected = format!(
        "{A} 127.0.0.1:22000@32000 myself,master - 0 1795320432000 1 connected 0-5460 \
         [0->-{B}] [1->-{A}] [6000-<-{B}]\n\
         {C} 127.0.0.1:22002@32002 master - 0 1795320433301 3 connected 10923-16383\n\
         {B} 127.0.0.1:22001@32001 master - 0 1795320432800 2 connected 5461-10922\n"
    );
    assert_eq!(nodes_text(&s, false), expected);
}

#[test]
fn handshake_nodes_and_hostnames() {
    let settings = Settings {
        port: 22003,
        bus_port: 32003,
        announce_hostname: "host-a.example".into(),
        ..Default::default()
    };
    let me = "f263565fd668924008185d93f64e5738870d02d7";
    let mut s = ClusterState::with_myself(id(me), settings);
    s.myself_mut().config_epoch = 1;
    for slot in (0..=100).chain(200..=300) {
        s.set_slot(slot, id(me));
    }
    let hs = "03468bbcaed7d5db8d4a73c5e3be02832e11465c";
    let mut n = Node::new(id(hs), flags::HANDSHAKE | flags::MEET);
    n.ip = "127.0.0.1".into();
    n.port = 22010;
    n.cport = 32010;
    s.add_node(n);
    assert_eq!(
        nodes_text(&s, false),
        format!(
            "{me} :22003@32003,host-a.example myself,master - 0 0 1 connected 0-100 200-300\n\
             {hs} 127.0.0.1:22010@32010 handshake - 0 0 0 disconnected\n"
        )
    );
    assert_eq!(nodes_text(&s, true).lines().count(), 1);

    let slots = format!(
        "*2\r\n*3\r\n:0\r\n:100\r\n*4\r\n$0\r\n\r\n:22003\r\n$40\r\n{me}\r\n*2\r\n$8\r\nhostname\r\n$14\r\nhost-a.example\r\n\
         *3\r\n:200\r\n:300\r\n*4\r\n$0\r\n\r\n:22003\r\n$40\r\n{me}\r\n*2\r\n$8\r\nhostname\r\n$14\r\nhost-a.example\r\n"
    );
    assert_eq!(reply(Proto::Resp2, |o| write_slots(&s, o)), slots);
    let shards = format!(
        "*1\r\n*4\r\n$5\r\nslots\r\n*4\r\n:0\r\n:100\r\n:200\r\n:300\r\n$5\r\nnodes\r\n*1\r\n*16\r\n\
         $2\r\nid\r\n$40\r\n{me}\r\n$4\r\nport\r\n:22003\r\n$2\r\nip\r\n$0\r\n\r\n$8\r\nendpoint\r\n$0\r\n\r\n\
         $8\r\nhostname\r\n$14\r\nhost-a.example\r\n$4\r\nrole\r\n$6\r\nmaster\r\n\
         $18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n"
    );
    assert_eq!(reply(Proto::Resp2, |o| write_shards(&s, o)), shards);

    s.settings.preferred_endpoint = EndpointType::Hostname;
    s.settings.announce_ip = "10.1.2.3".into();
    s.settings.announce_port = 7001;
    s.settings.announce_bus_port = 17001;
    s.apply_settings();
    assert!(nodes_text(&s, false).starts_with(&format!(
        "{me} 10.1.2.3:7001@17001,host-a.example myself,master"
    )));
    let slots = format!(
        "*2\r\n*3\r\n:0\r\n:100\r\n*4\r\n$14\r\nhost-a.example\r\n:7001\r\n$40\r\n{me}\r\n*2\r\n$2\r\nip\r\n$8\r\n10.1.2.3\r\n"
    );
    assert!(reply(Proto::Resp2, |o| write_slots(&s, o)).starts_with(&slots));

    s.settings.preferred_endpoint = EndpointType::Unknown;
    let slots = format!(
        "*2\r\n*3\r\n:0\r\n:100\r\n*4\r\n$-1\r\n:7001\r\n$40\r\n{me}\r\n*4\r\n$2\r\nip\r\n$8\r\n10.1.2.3\r\n$8\r\nhostname\r\n$14\r\nhost-a.example\r\n"
    );
    assert!(reply(Proto::Resp2, |o| write_slots(&s, o)).starts_with(&slots));
    let shard_endpoint = "$8\r\nendpoint\r\n$0\r\n\r\n$8\r\nhostname\r\n";
    assert!(reply(Proto::Resp2, |o| write_shards(&s, o)).contains(shard_endpoint));
}

#[test]
fn slots_and_shards_match_oracle() {
    let s = three_masters();
    let entry = |start: u32, end: u32, port: u32, node: &str, empty_map: &str| {
        format!(
            "*3\r\n:{start}\r\n:{end}\r\n*4\r\n$9\r\n127.0.0.1\r\n:{port}\r\n$40\r\n{node}\r\n{empty_map}"
        )
    };
    for (proto, empty) in [(Proto::Resp2, "*0\r\n"), (Proto::Resp3, "%0\r\n")] {
        let expected = format!(
            "*3\r\n{}{}{}",
            entry(0, 5460, 22000, A, empty),
            entry(5461, 10922, 22001, B, empty),
            entry(10923, 16383, 22002, C, empty)
        );
        assert_eq!(reply(proto, |o| write_slots(&s, o)), expected);
    }
    let shard = |start: u32, end: u32, port: u32, node: &str| {
        format!(
            "%2\r\n$5\r\nslots\r\n*2\r\n:{start}\r\n:{end}\r\n$5\r\nnodes\r\n*1\r\n%7\r\n$2\r\nid\r\n$40\r\n{node}\r\n\
             $4\r\nport\r\n:{port}\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n\
             $4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n"
        )
    };
    let expected = format!(
        "*3\r\n{}{}{}",
        shard(0, 5460, 22000, A),
        shard(10923, 16383, 22002, C),
        shard(5461, 10922, 22001, B)
    );
    assert_eq!(reply(Proto::Resp3, |o| write_shards(&s, o)), expected);
}

#[test]
fn info_matches_oracle() {
    let mut s = three_masters();
    s.stats.sent[0] = 7;
    s.stats.sent[1] = 8;
    s.stats.received[0] = 6;
    s.stats.received[1] = 7;
    s.stats.received[2] = 2;
    let expected = "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n\
        cluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:3\r\ncluster_size:3\r\n\
        cluster_current_epoch:3\r\ncluster_my_epoch:1\r\ncluster_stats_messages_ping_sent:7\r\n\
        cluster_stats_messages_pong_sent:8\r\ncluster_stats_messages_sent:15\r\n\
        cluster_stats_messages_ping_received:6\r\ncluster_stats_messages_pong_received:7\r\n\
        cluster_stats_messages_meet_received:2\r\ncluster_stats_messages_received:15\r\n\
        total_cluster_links_buffer_limit_exceeded:0\r\n";
    assert_eq!(info_text(&s), expected);
    let fresh = ClusterState::new(Settings::default());
    assert!(info_text(&fresh)
        .starts_with("cluster_state:fail\r\ncluster_slots_assigned:0\r\ncluster_slots_ok:0\r\n"));
    assert!(info_text(&fresh)
        .contains("cluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\n"));
}
