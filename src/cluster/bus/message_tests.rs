//! Unit tests of the bus message encoding: round trips, every truncation, corruption and
//! bounded random garbage.

use std::net::IpAddr;

use super::*;
use crate::cluster::bus::frame::{FrameDecoder, HEADER_LEN};
use crate::cluster::bus::slots::ranges_from_slots;

fn id(n: u8) -> NodeId {
    NodeId([n; 20])
}

fn sender(full_slots: bool) -> Sender {
    let ranges = vec![SlotRange::new(0, 5460), SlotRange::new(10000, 10001)];
    Sender {
        id: id(1),
        current_epoch: 7,
        config_epoch: 3,
        repl_offset: 123_456,
        primary: Some(id(2)),
        shard_id: id(3),
        ip: WireIp::from_ip("127.0.0.1".parse().expect("ip")),
        port: 7000,
        cport: 17000,
        flags: node_flags::REPLICA,
        state: CLUSTER_OK,
        mflags: msg_flags::WANT_SLOTS,
        hostname: "node-1.example".into(),
        slots: if full_slots {
            SlotClaims::full(ranges)
        } else {
            SlotClaims::digest_of(&ranges)
        },
    }
}

fn gossip(n: u8) -> Gossip {
    Gossip {
        entries: (0..n)
            .map(|i| GossipEntry {
                id: id(10 + i),
                ping_sent: u32::from(i),
                pong_received: 1_700_000_000 + u32::from(i),
                ip: WireIp::from_ip("::1".parse().expect("ip")),
                port: 7000 + u16::from(i),
                cport: 17000 + u16::from(i),
                flags: node_flags::MASTER | node_flags::PFAIL,
            })
            .collect(),
        forgotten: vec![Forgotten {
            id: id(99),
            ttl_secs: 60,
        }],
    }
}

fn every_body() -> Vec<Body> {
    vec![
        Body::Ping(gossip(3)),
        Body::Pong(gossip(0)),
        Body::Meet(gossip(5)),
        Body::Fail { node: id(4) },
        Body::Publish {
            channel: b"news".to_vec(),
            message: vec![0, 255, 10, 13],
        },
        Body::FailoverAuthRequest,
        Body::FailoverAuthAck,
        Body::Update {
            node: id(5),
            config_epoch: 9,
            slots: ranges_from_slots([1, 2, 3, 16383]),
        },
        Body::MfStart,
        Body::PublishShard {
            channel: b"{tag}ch".to_vec(),
            message: b"payload".to_vec(),
        },
    ]
}

fn every_message() -> Vec<Message> {
    every_body()
        .into_iter()
        .enumerate()
        .map(|(i, body)| Message {
            sender: sender(i % 2 == 0),
            body,
        })
        .collect()
}

fn encoded(msg: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    encode(msg, &mut out).expect("valid message");
    out
}

fn body_of(bytes: &[u8]) -> (MessageKind, &[u8]) {
    let header = bytes.first_chunk::<HEADER_LEN>().expect("header");
    let (kind, len) = frame::parse_header(header).expect("valid header");
    (kind, &bytes[HEADER_LEN..HEADER_LEN + len])
}

/// A small deterministic generator (xorshift64), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn node_id_hex_round_trip() {
    let hex = b"07c37dfeb235213a872192d90877d0cd55635b91";
    let node = NodeId::from_hex(hex).expect("valid id");
    assert_eq!(&node.to_hex(), hex);
    assert_eq!(node.to_string().as_bytes(), hex);
    assert_eq!(
        NodeId::from_hex(b"07C37DFEB235213A872192D90877D0CD55635B91"),
        Some(node)
    );
    assert_eq!(NodeId::from_hex(&hex[..39]), None);
    assert_eq!(
        NodeId::from_hex(b"07c37dfeb235213a872192d90877d0cd55635b9g"),
        None
    );
}

#[test]
fn wire_ip_round_trip() {
    for text in ["127.0.0.1", "10.1.2.3", "::1", "fe80::1"] {
        let ip: IpAddr = text.parse().expect("ip");
        assert_eq!(WireIp::from_ip(ip).to_ip(), Some(ip));
    }
    assert_eq!(WireIp::UNKNOWN.to_ip(), None);
}

#[test]
fn every_message_kind_round_trips_through_the_frame_decoder() {
    let messages = every_message();
    let mut stream = Vec::new();
    for m in &messages {
        encode(m, &mut stream).expect("valid");
    }
    let mut dec = FrameDecoder::new();
    dec.feed(&stream).expect("fits");
    let mut got = Vec::new();
    while let Some(f) = dec.next_frame().expect("valid frames") {
        assert_eq!(f.kind, messages[got.len()].body.kind());
        got.push(decode(&f).expect("valid body"));
    }
    dec.finish().expect("nothing left");
    assert_eq!(got, messages);
}

#[test]
fn every_truncated_body_is_an_error() {
    for msg in every_message() {
        let bytes = encoded(&msg);
        let (kind, body) = body_of(&bytes);
        for cut in 0..body.len() {
            let frame = Frame {
                kind,
                body: &body[..cut],
            };
            assert!(decode(&frame).is_err(), "{kind:?} cut at {cut} decoded");
        }
    }
}

#[test]
fn corrupted_bodies_never_panic_and_what_decodes_is_valid() {
    for msg in every_message() {
        let bytes = encoded(&msg);
        let (kind, body) = body_of(&bytes);
        for at in 0..body.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = body.to_vec();
                bad[at] ^= flip;
                if let Ok(m) = decode(&Frame { kind, body: &bad }) {
                    assert_eq!(m.body.kind(), kind);
                    check_values(&m).expect("decode returned unchecked values");
                }
            }
        }
    }
}

#[test]
fn random_garbage_bodies_are_errors() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let kinds = every_body().iter().map(Body::kind).collect::<Vec<_>>();
    for round in 0..5000 {
        let len = (rng.next() % 400) as usize;
        let body: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let kind = kinds[round % kinds.len()];
        assert!(
            decode(&Frame { kind, body: &body }).is_err(),
            "garbage of {len} bytes decoded as {kind:?}"
        );
    }
}

#[test]
fn header_type_must_match_the_body() {
    let bytes = encoded(&Message {
        sender: sender(false),
        body: Body::FailoverAuthAck,
    });
    let (_, body) = body_of(&bytes);
    let frame = Frame {
        kind: MessageKind::Ping,
        body,
    };
    assert_eq!(
        decode(&frame),
        Err(MessageError::KindMismatch {
            header: MessageKind::Ping,
            body: MessageKind::FailoverAuthAck
        })
    );
}

#[test]
fn invalid_slot_claims_are_refused_both_ways() {
    let mut msg = Message {
        sender: sender(true),
        body: Body::MfStart,
    };
    msg.sender.slots.digest ^= 1;
    let mut out = Vec::new();
    assert_eq!(encode(&msg, &mut out), Err(MessageError::BadSlots));
    assert!(out.is_empty());
    let raw = rkyv::to_bytes::<rancor::Error>(&msg).expect("archive");
    let frame = Frame {
        kind: MessageKind::MfStart,
        body: &raw,
    };
    assert_eq!(decode(&frame), Err(MessageError::BadSlots));

    let overlapping = Message {
        sender: sender(false),
        body: Body::Update {
            node: id(5),
            config_epoch: 1,
            slots: vec![SlotRange::new(5, 10), SlotRange::new(8, 20)],
        },
    };
    assert_eq!(encode(&overlapping, &mut out), Err(MessageError::BadSlots));
    let raw = rkyv::to_bytes::<rancor::Error>(&overlapping).expect("archive");
    let frame = Frame {
        kind: MessageKind::Update,
        body: &raw,
    };
    assert_eq!(decode(&frame), Err(MessageError::BadSlots));
}

#[test]
fn steady_state_ping_is_far_smaller_than_redis_header() {
    let ping = Message {
        sender: sender(false),
        body: Body::Ping(Gossip {
            entries: gossip(3).entries,
            forgotten: vec![],
        }),
    };
    let len = encoded(&ping).len();
    // Redis: a 2256-byte clusterMsg header plus 104 bytes per gossip entry.
    assert!(
        len < 2256 / 4,
        "a digest-only PING with 3 entries takes {len} bytes"
    );
}

#[test]
fn gossip_count_follows_redis() {
    assert_eq!(gossip_wanted(1), 0);
    assert_eq!(gossip_wanted(2), 0);
    assert_eq!(gossip_wanted(4), 2);
    assert_eq!(gossip_wanted(10), 3);
    assert_eq!(gossip_wanted(45), 4);
    assert_eq!(gossip_wanted(1000), 100);
}

#[test]
fn gossip_heavy_pings_stay_under_half_of_redis() {
    for entries in [3u8, 10, 100] {
        let ping = Message {
            sender: sender(false),
            body: Body::Ping(Gossip {
                entries: gossip(entries).entries,
                forgotten: vec![],
            }),
        };
        let ours = encoded(&ping).len();
        let redis = 2256 + 104 * usize::from(entries);
        assert!(
            ours * 2 < redis,
            "{entries} entries: {ours} B vs Redis {redis} B"
        );
    }
}
