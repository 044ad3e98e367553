//! Conversions between the bus's wire types (`super::super::bus`: 20-byte node ids, its own
//! flag bits, IPs in 16 bytes, unix seconds in gossip, [`SlotRange`]s) and the types the
//! state's hooks take ([`hooks::Header`], [`hooks::Gossip`]: 40-hex ids, Redis's flag bits,
//! strings, milliseconds, `(start, end)` pairs).
//!
//! Pure; used by the control core's bus driver.

use std::net::IpAddr;

use crate::cluster::bus::{
    node_flags, Body, GossipEntry, NodeId as WireId, Sender, SlotClaims, SlotRange, WireIp,
    CLUSTER_FAIL, CLUSTER_OK,
};
use crate::cluster::hooks::{self, Gossip, Header};
use crate::cluster::node::{flags, NodeId};
use crate::cluster::state::MSG_TYPES;

/// State flag ↔ wire flag, bit by bit.
const FLAGS: [(u16, u16); 10] = [
    (flags::MYSELF, node_flags::MYSELF),
    (flags::MASTER, node_flags::MASTER),
    (flags::SLAVE, node_flags::REPLICA),
    (flags::PFAIL, node_flags::PFAIL),
    (flags::FAIL, node_flags::FAIL),
    (flags::HANDSHAKE, node_flags::HANDSHAKE),
    (flags::NOADDR, node_flags::NOADDR),
    (flags::MEET, node_flags::MEET),
    (flags::MIGRATE_TO, node_flags::MIGRATE_TO),
    (flags::NOFAILOVER, node_flags::NOFAILOVER),
];

pub fn flags_to_wire(f: u16) -> u16 {
    FLAGS
        .iter()
        .filter(|(state, _)| f & state != 0)
        .fold(0, |acc, (_, wire)| acc | wire)
}

pub fn flags_from_wire(f: u16) -> u16 {
    FLAGS
        .iter()
        .filter(|(_, wire)| f & wire != 0)
        .fold(0, |acc, (state, _)| acc | state)
}

/// A state id on the wire. Ids are hex by construction (`NodeId::parse` checks it); a
/// non-hex id cannot occur, and would travel as zeroes.
pub fn id_to_wire(id: &NodeId) -> WireId {
    WireId::from_hex(id.as_bytes()).unwrap_or(WireId([0; 20]))
}

pub fn id_from_wire(id: &WireId) -> NodeId {
    NodeId(id.to_hex())
}

/// An ip string on the wire; empty or unparsable: not announced.
pub fn ip_to_wire(ip: &str) -> WireIp {
    ip.parse::<IpAddr>()
        .map(WireIp::from_ip)
        .unwrap_or(WireIp::UNKNOWN)
}

pub fn ranges_to_wire(ranges: &[(u16, u16)]) -> Vec<SlotRange> {
    ranges.iter().map(|&(a, b)| SlotRange::new(a, b)).collect()
}

pub fn ranges_from_wire(ranges: &[SlotRange]) -> Vec<(u16, u16)> {
    ranges.iter().map(|r| (r.start, r.end)).collect()
}

/// Our header as the bus's [`Sender`]; `ok` is the cluster state we see.
pub fn sender(h: &Header, ok: bool) -> Sender {
    let id = id_to_wire(&h.id);
    let primary = h.master.as_ref().map(id_to_wire);
    Sender {
        id,
        current_epoch: h.current_epoch,
        config_epoch: h.config_epoch,
        repl_offset: 0,
        primary,
        shard_id: primary.unwrap_or(id),
        ip: h.ip.as_deref().map_or(WireIp::UNKNOWN, ip_to_wire),
        port: h.port,
        cport: h.cport,
        flags: flags_to_wire(h.flags),
        state: if ok { CLUSTER_OK } else { CLUSTER_FAIL },
        mflags: 0,
        hostname: h.hostname.clone(),
        slots: SlotClaims::full(ranges_to_wire(h.slots.as_deref().unwrap_or_default())),
    }
}

/// A received [`Sender`] as the hooks' header.
pub fn header(s: &Sender) -> Header {
    Header {
        id: id_from_wire(&s.id),
        current_epoch: s.current_epoch,
        config_epoch: s.config_epoch,
        master: s.primary.as_ref().map(id_from_wire),
        ip: s.ip.to_ip().map(|ip| ip.to_string()),
        port: s.port,
        cport: s.cport,
        flags: flags_from_wire(s.flags),
        hostname: s.hostname.clone(),
        slots: s.slots.ranges.as_deref().map(ranges_from_wire),
    }
}

/// Gossip about a node, times in unix seconds as on the wire.
pub fn gossip_to_wire(g: &Gossip) -> GossipEntry {
    let secs = |ms: u64| u32::try_from(ms / 1000).unwrap_or(u32::MAX);
    GossipEntry {
        id: id_to_wire(&g.id),
        ping_sent: secs(g.ping_sent_ms),
        pong_received: secs(g.pong_received_ms),
        ip: ip_to_wire(&g.ip),
        port: g.port,
        cport: g.cport,
        flags: flags_to_wire(g.flags),
    }
}

/// A received gossip entry; one without an address is marked NOADDR so that nobody starts a
/// handshake with it.
pub fn gossip_from_wire(e: &GossipEntry) -> Gossip {
    let ip = e.ip.to_ip().map(|ip| ip.to_string()).unwrap_or_default();
    let mut flags = flags_from_wire(e.flags);
    if ip.is_empty() {
        flags |= flags::NOADDR;
    }
    Gossip {
        id: id_from_wire(&e.id),
        ping_sent_ms: u64::from(e.ping_sent) * 1000,
        pong_received_ms: u64::from(e.pong_received) * 1000,
        ip,
        port: e.port,
        cport: e.cport,
        flags,
    }
}

/// The hooks' kind of a gossip-carrying body, and its gossip.
pub fn gossip_kind(body: &Body) -> Option<(hooks::Kind, &crate::cluster::bus::Gossip)> {
    match body {
        Body::Ping(g) => Some((hooks::Kind::Ping, g)),
        Body::Pong(g) => Some((hooks::Kind::Pong, g)),
        Body::Meet(g) => Some((hooks::Kind::Meet, g)),
        _ => None,
    }
}

/// The index of `body`'s type in the message counters ([`MSG_TYPES`]).
pub fn stat_index(body: &Body) -> usize {
    let name = match body {
        Body::Ping(_) => "ping",
        Body::Pong(_) => "pong",
        Body::Meet(_) => "meet",
        Body::Fail { .. } => "fail",
        Body::Publish { .. } => "publish",
        Body::PublishShard { .. } => "publishshard",
        Body::FailoverAuthRequest => "auth-req",
        Body::FailoverAuthAck => "auth-ack",
        Body::Update { .. } => "update",
        Body::MfStart => "mfstart",
    };
    MSG_TYPES.iter().position(|t| *t == name).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_bit_by_bit() {
        for (state, wire) in FLAGS {
            assert_eq!(flags_to_wire(state), wire);
            assert_eq!(flags_from_wire(wire), state);
        }
        let all = FLAGS.iter().fold(0, |a, (s, _)| a | s);
        assert_eq!(flags_from_wire(flags_to_wire(all)), all);
    }

    #[test]
    fn header_round_trips_through_the_sender() {
        let h = Header {
            id: NodeId::random(),
            current_epoch: 7,
            config_epoch: 3,
            master: Some(NodeId::random()),
            ip: Some("10.1.2.3".into()),
            port: 7000,
            cport: 17000,
            flags: flags::SLAVE | flags::NOFAILOVER,
            hostname: "host-a".into(),
            slots: Some(vec![(0, 5), (100, 16383)]),
        };
        let s = sender(&h, true);
        assert_eq!(s.state, CLUSTER_OK);
        assert_eq!(s.shard_id, id_to_wire(h.master.as_ref().unwrap()));
        assert_eq!(header(&s), h);
        let mut anonymous = h.clone();
        anonymous.ip = None;
        anonymous.master = None;
        assert_eq!(header(&sender(&anonymous, false)), anonymous);
    }

    #[test]
    fn gossip_times_travel_in_seconds_and_addressless_entries_are_noaddr() {
        let g = Gossip {
            id: NodeId::random(),
            ping_sent_ms: 1_700_000_000_123,
            pong_received_ms: 1_700_000_001_999,
            ip: "127.0.0.1".into(),
            port: 7001,
            cport: 17001,
            flags: flags::MASTER | flags::PFAIL,
        };
        let back = gossip_from_wire(&gossip_to_wire(&g));
        assert_eq!(back.ping_sent_ms, 1_700_000_000_000);
        assert_eq!(back.pong_received_ms, 1_700_000_001_000);
        assert_eq!(
            (back.id, back.ip.as_str(), back.flags),
            (g.id, "127.0.0.1", g.flags)
        );
        let mut e = gossip_to_wire(&g);
        e.ip = WireIp::UNKNOWN;
        assert!(gossip_from_wire(&e).flags & flags::NOADDR != 0);
    }

    #[test]
    fn every_body_has_a_counter() {
        assert_eq!(stat_index(&Body::Ping(Default::default())), 0);
        assert_eq!(stat_index(&Body::MfStart), 9);
        assert_eq!(MSG_TYPES[stat_index(&Body::FailoverAuthAck)], "auth-ack");
    }
}
