//! Link tests over real loopback sockets inside a glommio executor: message exchange, and bad
//! peers that must lose only their own link.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use futures_lite::AsyncWriteExt;
use glommio::net::TcpStream;
use glommio::{LocalExecutorBuilder, Placement};

use super::*;
use crate::cluster::bus::frame::{self, MessageKind, HEADER_LEN};
use crate::cluster::bus::message::{
    node_flags, Body, Gossip, GossipEntry, NodeId, Sender, SlotClaims, WireIp, CLUSTER_OK,
};
use crate::cluster::bus::slots::SlotRange;

const WAIT: Duration = Duration::from_secs(10);

fn run<T, F>(test: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T> + 'static,
{
    LocalExecutorBuilder::new(Placement::Unbound)
        .spawn(test)
        .expect("executor starts")
        .join()
        .expect("executor finishes")
}

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().expect("address")
}

fn msg(from: u8, body: Body) -> Message {
    Message {
        sender: Sender {
            id: NodeId([from; 20]),
            current_epoch: u64::from(from),
            config_epoch: 1,
            repl_offset: 0,
            primary: None,
            shard_id: NodeId([from; 20]),
            ip: WireIp::UNKNOWN,
            port: 7000 + u16::from(from),
            cport: 17000 + u16::from(from),
            flags: node_flags::MASTER,
            state: CLUSTER_OK,
            mflags: 0,
            hostname: String::new(),
            slots: SlotClaims::full(vec![SlotRange::new(0, 100)]),
        },
        body,
    }
}

fn ping(from: u8) -> Message {
    let entry = GossipEntry {
        id: NodeId([42; 20]),
        ping_sent: 0,
        pong_received: 1_700_000_000,
        ip: WireIp::UNKNOWN,
        port: 7042,
        cport: 17042,
        flags: node_flags::MASTER,
    };
    msg(
        from,
        Body::Ping(Gossip {
            entries: vec![entry],
            forgotten: vec![],
        }),
    )
}

async fn next(rx: &flume::Receiver<BusEvent>) -> BusEvent {
    glommio::timer::timeout(WAIT, async {
        Ok(rx.recv_async().await.expect("bus alive"))
    })
    .await
    .expect("an event before the deadline")
}

async fn accepted(rx: &flume::Receiver<BusEvent>) -> LinkId {
    match next(rx).await {
        BusEvent::Accepted { link, .. } => link,
        other => panic!("expected Accepted, got {other:?}"),
    }
}

async fn message_on(rx: &flume::Receiver<BusEvent>, want: LinkId) -> Message {
    match next(rx).await {
        BusEvent::Message { link, msg } if link == want => msg,
        other => panic!("expected a message on link {want}, got {other:?}"),
    }
}

async fn closed_on(rx: &flume::Receiver<BusEvent>, want: LinkId) -> CloseReason {
    match next(rx).await {
        BusEvent::Closed { link, reason } if link == want => reason,
        other => panic!("expected link {want} to close, got {other:?}"),
    }
}

#[test]
fn two_nodes_exchange_meet_ping_pong_both_ways() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let (b, b_rx) = Bus::new(BusConfig::default());
        let a_addr = a.listen(loopback()).expect("a listens");
        let b_addr = b.listen(loopback()).expect("b listens");

        let b_to_a = b.connect(a_addr, WAIT).await.expect("b connects");
        let meet = msg(2, Body::Meet(Gossip::default()));
        b.send(b_to_a, &meet).expect("queued");
        let a_from_b = accepted(&a_rx).await;
        assert_eq!(message_on(&a_rx, a_from_b).await, meet);
        let pong = msg(1, Body::Pong(Gossip::default()));
        a.send(a_from_b, &pong).expect("queued");
        assert_eq!(message_on(&b_rx, b_to_a).await, pong);

        let a_to_b = a.connect(b_addr, WAIT).await.expect("a connects");
        a.send(a_to_b, &ping(1)).expect("queued");
        let b_from_a = accepted(&b_rx).await;
        assert_eq!(message_on(&b_rx, b_from_a).await, ping(1));
        b.send(b_from_a, &pong).expect("queued");
        assert_eq!(message_on(&a_rx, a_to_b).await, pong);

        let info = a.link_info(a_to_b).expect("open link");
        assert_eq!(info.direction, Direction::Outbound);
        assert_eq!(info.peer, b_addr);
        assert_eq!(
            b.link_info(b_from_a).expect("open").peer,
            info.local,
            "each end sees the other's address"
        );
        assert!(info.sent_bytes > HEADER_LEN as u64 && info.received_bytes > 0);
        assert_eq!(info.pending_out, 0);
        assert_eq!(
            b.link_info(b_from_a).expect("open").direction,
            Direction::Inbound
        );
        assert_eq!(a.link_ids(), vec![a_from_b, a_to_b]);
        a.shutdown();
        b.shutdown();
    });
}

#[test]
fn a_burst_of_messages_arrives_complete_and_in_order() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let (b, _b_rx) = Bus::new(BusConfig::default());
        let addr = a.listen(loopback()).expect("listens");
        let link = b.connect(addr, WAIT).await.expect("connects");
        let burst: Vec<Message> = (0..500u16)
            .map(|i| {
                msg(
                    3,
                    Body::Publish {
                        channel: b"ch".to_vec(),
                        message: i.to_le_bytes().repeat(usize::from(i % 50)),
                    },
                )
            })
            .collect();
        for m in &burst {
            b.send(link, m).expect("queued");
        }
        let inbound = accepted(&a_rx).await;
        for m in &burst {
            assert_eq!(&message_on(&a_rx, inbound).await, m);
        }
        a.shutdown();
        b.shutdown();
    });
}

/// Garbage, a truncated frame and a well-framed but undecodable body each close only the link
/// they came on; the listener keeps accepting and an existing good link keeps working.
#[test]
fn bad_peers_lose_only_their_own_link() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let (b, _b_rx) = Bus::new(BusConfig::default());
        let addr = a.listen(loopback()).expect("listens");
        let good = b.connect(addr, WAIT).await.expect("connects");
        b.send(good, &ping(2)).expect("queued");
        let good_in = accepted(&a_rx).await;
        message_on(&a_rx, good_in).await;

        let mut garbage = TcpStream::connect(addr).await.expect("connects");
        garbage
            .write_all(b"GET / HTTP/1.1\r\n\r\n")
            .await
            .expect("writes");
        let link = accepted(&a_rx).await;
        assert_eq!(
            closed_on(&a_rx, link).await,
            CloseReason::Frame(FrameError::BadMagic(*b"GET "))
        );

        let mut whole = Vec::new();
        message::encode(&ping(4), &mut whole).expect("encodes");
        let mut truncated = TcpStream::connect(addr).await.expect("connects");
        truncated
            .write_all(&whole[..whole.len() - 3])
            .await
            .expect("writes");
        truncated.close().await.expect("closes");
        drop(truncated);
        let link = accepted(&a_rx).await;
        assert_eq!(
            closed_on(&a_rx, link).await,
            CloseReason::Frame(FrameError::Truncated {
                have: whole.len() - 3
            })
        );

        let mut undecodable = Vec::new();
        frame::write_frame(&mut undecodable, MessageKind::Ping, &[0xAB; 64]).expect("frames");
        let mut bad_body = TcpStream::connect(addr).await.expect("connects");
        bad_body.write_all(&undecodable).await.expect("writes");
        let link = accepted(&a_rx).await;
        assert!(matches!(
            closed_on(&a_rx, link).await,
            CloseReason::Message(MessageError::Invalid(_))
        ));

        b.send(good, &ping(2)).expect("the good link is still open");
        assert_eq!(message_on(&a_rx, good_in).await, ping(2));
        let later = b.connect(addr, WAIT).await.expect("still accepting");
        b.send(later, &ping(5)).expect("queued");
        let later_in = accepted(&a_rx).await;
        assert_eq!(message_on(&a_rx, later_in).await, ping(5));
        assert_eq!(a.link_ids(), vec![good_in, later_in]);
        drop((garbage, bad_body));
        a.shutdown();
        b.shutdown();
    });
}

#[test]
fn owner_close_ends_the_link_on_both_sides() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let (b, b_rx) = Bus::new(BusConfig::default());
        let addr = a.listen(loopback()).expect("listens");
        let link = b.connect(addr, WAIT).await.expect("connects");
        let inbound = accepted(&a_rx).await;
        b.close(link);
        assert_eq!(closed_on(&b_rx, link).await, CloseReason::ClosedByOwner);
        assert_eq!(closed_on(&a_rx, inbound).await, CloseReason::Eof);
        assert_eq!(b.send(link, &ping(2)), Err(SendError::NoLink));
        assert_eq!(a.send(inbound, &ping(1)), Err(SendError::NoLink));
        assert!(a.link_ids().is_empty() && b.link_ids().is_empty());
        a.shutdown();
    });
}

#[test]
fn a_send_backlog_past_the_limit_closes_the_link() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let small = BusConfig {
            max_pending_out: 400,
            ..BusConfig::default()
        };
        let (b, b_rx) = Bus::new(small);
        let addr = a.listen(loopback()).expect("listens");
        let link = b.connect(addr, WAIT).await.expect("connects");
        let inbound = accepted(&a_rx).await;
        let mut result = Ok(());
        for _ in 0..10 {
            result = b.send(link, &ping(2));
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(SendError::Backlog));
        assert_eq!(closed_on(&b_rx, link).await, CloseReason::Backlog);
        assert_eq!(closed_on(&a_rx, inbound).await, CloseReason::Eof);
        a.shutdown();
    });
}

#[test]
fn broadcast_reaches_every_link() {
    run(|| async {
        let (hub, hub_rx) = Bus::new(BusConfig::default());
        let addr = hub.listen(loopback()).expect("listens");
        let (p, p_rx) = Bus::new(BusConfig::default());
        let first = p.connect(addr, WAIT).await.expect("connects");
        let second = p.connect(addr, WAIT).await.expect("connects");
        accepted(&hub_rx).await;
        accepted(&hub_rx).await;
        let fail = msg(
            1,
            Body::Fail {
                node: NodeId([9; 20]),
            },
        );
        assert_eq!(hub.broadcast(&fail), Ok(2));
        let mut got = Vec::new();
        for _ in 0..2 {
            match next(&p_rx).await {
                BusEvent::Message { link, msg } => {
                    assert_eq!(msg, fail);
                    got.push(link);
                }
                other => panic!("expected the FAIL, got {other:?}"),
            }
        }
        got.sort_unstable();
        assert_eq!(got, vec![first, second]);
        hub.shutdown();
        p.shutdown();
    });
}

/// Unchanged slot ranges cross a link once; later messages carry only the digest and still
/// arrive with the ranges restored.
#[test]
fn slot_ranges_cross_a_link_once_and_arrive_every_time() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let (b, _b_rx) = Bus::new(BusConfig::default());
        let addr = a.listen(loopback()).expect("listens");
        let link = b.connect(addr, WAIT).await.expect("connects");
        let fragmented: Vec<SlotRange> = (0..200u16)
            .map(|i| SlotRange::new(i * 80, i * 80 + 39))
            .collect();
        let mut m = ping(2);
        m.sender.slots = SlotClaims::full(fragmented);
        let mut sizes = Vec::new();
        let mut inbound = None;
        let mut received = 0;
        for _ in 0..3 {
            b.send(link, &m).expect("queued");
            let link_in = match inbound {
                Some(l) => l,
                None => *inbound.insert(accepted(&a_rx).await),
            };
            let got = message_on(&a_rx, link_in).await;
            assert_eq!(got, m, "ranges restored on receipt");
            let total = a.link_info(link_in).expect("open").received_bytes;
            sizes.push(total - received);
            received = total;
        }
        assert!(
            sizes[0] >= sizes[1] + 200 * 4,
            "the first message carries the 200 ranges, later ones do not: {sizes:?}"
        );
        assert_eq!(sizes[1], sizes[2]);
        a.shutdown();
        b.shutdown();
    });
}

/// Many peers streaming random bytes (some behind a valid-looking header) each lose their own
/// link with an error, and a good link opened before them still works.
#[test]
fn a_swarm_of_random_byte_peers_is_closed_one_by_one() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let (b, _b_rx) = Bus::new(BusConfig::default());
        let addr = a.listen(loopback()).expect("listens");
        let good = b.connect(addr, WAIT).await.expect("connects");
        b.send(good, &ping(2)).expect("queued");
        let good_in = accepted(&a_rx).await;
        message_on(&a_rx, good_in).await;

        let mut seed = 0x5eed_u64;
        let peers = 40;
        for i in 0..peers {
            let mut junk = Vec::new();
            for _ in 0..(1 + i * 37 % 3000) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                junk.push(seed as u8);
            }
            if i % 2 == 0 {
                let mut framed = Vec::new();
                let kind = MessageKind::from_u8((i % 9) as u8).expect("kind");
                frame::write_frame(&mut framed, kind, &junk).expect("frames");
                junk = framed;
            }
            let mut peer = TcpStream::connect(addr).await.expect("connects");
            peer.write_all(&junk).await.expect("writes");
            peer.close().await.expect("closes");
        }
        let mut closed = 0;
        while closed < peers {
            match next(&a_rx).await {
                BusEvent::Accepted { .. } => {}
                BusEvent::Closed { reason, .. } => {
                    assert!(
                        matches!(reason, CloseReason::Frame(_) | CloseReason::Message(_)),
                        "{reason:?}"
                    );
                    closed += 1;
                }
                BusEvent::Message { link, msg } => panic!("junk decoded on {link}: {msg:?}"),
            }
        }
        b.send(good, &ping(3)).expect("still open");
        assert_eq!(message_on(&a_rx, good_in).await, ping(3));
        assert_eq!(a.link_ids(), vec![good_in]);
        a.shutdown();
        b.shutdown();
    });
}

#[test]
fn a_failed_connect_is_an_error_and_leaves_the_bus_working() {
    run(|| async {
        let (a, a_rx) = Bus::new(BusConfig::default());
        let addr = a.listen(loopback()).expect("listens");
        let closed_port = {
            let probe = std::net::TcpListener::bind(loopback()).expect("binds");
            probe.local_addr().expect("address")
        };
        let (b, _b_rx) = Bus::new(BusConfig::default());
        assert!(b.connect(closed_port, WAIT).await.is_err());
        assert!(b.link_ids().is_empty());
        let link = b.connect(addr, WAIT).await.expect("connects");
        b.send(link, &ping(2)).expect("queued");
        let inbound = accepted(&a_rx).await;
        assert_eq!(message_on(&a_rx, inbound).await, ping(2));
        a.shutdown();
        b.shutdown();
    });
}
