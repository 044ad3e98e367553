//! Pub/Sub: subscribe/unsubscribe reply bytes and subscribed-mode errors against the oracle
//! (hand-picked and seeded random sequences, RESP2 and RESP3), delivery to subscribers on both
//! data cores, patterns and shard channels, RESP3 pushes between replies, the `redis` crate's
//! PubSub, and a subscriber that never reads being disconnected at the output buffer limit.

use std::time::{Duration, Instant};

use solikv::glob::glob_match;

use super::harness::{Pair, Server};
use super::hash::hello3;
use super::resp::{decode, encode, Conn, Ending, Value};

const DEADLINE: Duration = Duration::from_secs(10);

#[test]
fn subscribe_sequences_match_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "UNSUBSCRIBE",
        "PUNSUBSCRIBE",
        "SUNSUBSCRIBE",
        "SUBSCRIBE",
        "PUBLISH ch",
        "PUBLISH ch nobody",
        "SUBSCRIBE a",
        "PSUBSCRIBE p* q?",
        "SSUBSCRIBE s",
        "GET x",
        "SET x 1",
        "PUBLISH a m",
        "HELLO 2",
        "CLIENT ID",
        "CLIENT NOSUCH",
        "CONFIG GET",
        "NOSUCHCOMMAND x",
        "PING",
        "PING hi",
        "PING a b",
        "SUNSUBSCRIBE s other",
        "GET x",
        "UNSUBSCRIBE",
        "PUNSUBSCRIBE",
        "PING",
        "GET x",
        "SUBSCRIBE a a",
        "RESET",
        "PING",
        "PUBSUB",
        "PUBSUB HELP",
        "PUBSUB HELP x",
        "PUBSUB NOSUCH",
        "PUBSUB NUMPAT x",
        "PUBSUB CHANNELS a b",
        "PUBSUB SHARDCHANNELS a b",
        "PUBSUB NUMSUB",
        "PUBSUB NUMSUB a b",
        "PUBSUB SHARDNUMSUB s",
        "PUBSUB NUMPAT",
        "PUBSUB CHANNELS",
        "SPUBLISH s m",
    ]);
    // Multi-argument replies come one per channel, all to be read.
    c.check_raw(&encode(&[b"SUBSCRIBE", b"x", b"y", b"x"]), 3);
    c.check_raw(&encode(&[b"UNSUBSCRIBE", b"y", b"z", b"x"]), 3);
    c.check_raw(&encode(&[b"PSUBSCRIBE", b"c", b"b", b"a"]), 3);
    // Patterns leave in subscription order.
    c.check_raw(&encode(&[b"PUNSUBSCRIBE"]), 3);
}

#[test]
fn resp3_pushes_come_between_replies() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    hello3(&mut c);
    c.check_all(&[
        "SUBSCRIBE ch",
        "PSUBSCRIBE c*",
        "SET k v",
        "GET k",
        "PING",
        "SSUBSCRIBE s",
    ]);
    // The subscriber's own PUBLISH: the pushes come first, then the count.
    c.check_raw(&encode(&[b"PUBLISH", b"ch", b"mine"]), 3);
    c.check_raw(&encode(&[b"SPUBLISH", b"s", b"shard"]), 2);
    // Another connection's PUBLISH reaches the idle subscriber.
    let mut subject = pair.subject.conn();
    let mut oracle = pair.oracle.conn();
    assert_eq!(
        subject.call(&[b"PUBLISH", b"ch", b"theirs"]),
        oracle.call(&[b"PUBLISH", b"ch", b"theirs"])
    );
    for _ in 0..2 {
        assert_eq!(c.subject.read_reply(), c.oracle.read_reply());
    }
    c.check_all(&[
        "UNSUBSCRIBE ch",
        "PUNSUBSCRIBE",
        "SUNSUBSCRIBE",
        "RESET",
        "PING",
    ]);
}

#[test]
fn messages_reach_subscribers_on_both_cores() {
    let server = Server::start(&["--cores", "2"]);
    // Connections land on cores as the kernel spreads them; sixteen leave both cores with
    // subscribers except with probability 2^-15.
    let mut subs: Vec<Conn> = (0..16).map(|_| server.conn()).collect();
    for (i, s) in subs.iter_mut().enumerate() {
        let reply = match i % 4 {
            0 | 1 => s.call(&[b"SUBSCRIBE", b"news"]),
            2 => s.call(&[b"PSUBSCRIBE", b"n*"]),
            _ => s.call(&[b"SSUBSCRIBE", b"news"]),
        };
        assert!(reply.ends_with(b":1\r\n"), "{reply:?}");
    }
    let mut p = server.conn();
    assert_eq!(p.call(&[b"PUBLISH", b"news", b"hello"]), b":12\r\n");
    assert_eq!(p.call(&[b"SPUBLISH", b"news", b"sharded"]), b":4\r\n");
    assert_eq!(p.call(&[b"PUBLISH", b"other", b"x"]), b":0\r\n");
    for (i, s) in subs.iter_mut().enumerate() {
        let want: &[u8] = match i % 4 {
            0 | 1 => b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n",
            2 => b"*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n",
            _ => b"*3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$7\r\nsharded\r\n",
        };
        assert_eq!(s.read_reply(), want, "subscriber {i}");
    }
    assert_eq!(
        p.call(&[b"PUBSUB", b"NUMSUB", b"news", b"n*"]),
        b"*4\r\n$4\r\nnews\r\n:8\r\n$2\r\nn*\r\n:0\r\n"
    );
    assert_eq!(p.call(&[b"PUBSUB", b"NUMPAT"]), b":1\r\n");
    assert_eq!(p.call(&[b"PUBSUB", b"CHANNELS"]), b"*1\r\n$4\r\nnews\r\n");
    assert_eq!(p.call(&[b"PUBSUB", b"CHANNELS", b"x*"]), b"*0\r\n");
    assert_eq!(
        p.call(&[b"PUBSUB", b"SHARDNUMSUB", b"news"]),
        b"*2\r\n$4\r\nnews\r\n:4\r\n"
    );
    assert_eq!(
        p.call(&[b"PUBSUB", b"SHARDCHANNELS"]),
        b"*1\r\n$4\r\nnews\r\n"
    );
    let info = text(&p.call(&[b"INFO", b"stats"]));
    for line in [
        "pubsub_channels:1",
        "pubsub_patterns:1",
        "pubsubshard_channels:1",
    ] {
        assert!(info.contains(line), "{info}");
    }
    let list = text(&p.call(&[b"CLIENT", b"LIST"]));
    let count = |field: &str| list.matches(field).count();
    assert_eq!(count(" sub=1 psub=0 ssub=0 "), 8, "{list}");
    assert_eq!(count(" sub=0 psub=1 ssub=0 "), 4, "{list}");
    assert_eq!(count(" sub=0 psub=0 ssub=1 "), 4, "{list}");
    assert_eq!(count(" flags=P "), 16, "{list}");
    // Unsubscribing and disconnecting both remove subscribers on their own core.
    for s in subs.iter_mut().step_by(4) {
        s.call(&[b"UNSUBSCRIBE", b"news"]);
    }
    subs.truncate(8);
    wait_for(&mut p, &[b"PUBLISH", b"news", b"again"], b":4\r\n");
    wait_for(&mut p, &[b"PUBSUB", b"NUMPAT"], b":1\r\n");
    wait_for(&mut p, &[b"SPUBLISH", b"news", b"again"], b":2\r\n");
}

#[test]
fn concurrent_publishers_keep_their_order_for_every_subscriber() {
    const PUBLISHERS: usize = 4;
    const EACH: usize = 200;
    let server = Server::start(&["--cores", "2"]);
    let mut subs: Vec<Conn> = (0..6).map(|_| server.conn()).collect();
    for s in &mut subs {
        s.call(&[b"SUBSCRIBE", b"feed"]);
    }
    let port = server.port;
    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|p| {
            std::thread::spawn(move || {
                let mut c = Conn::connect(port);
                for n in 0..EACH {
                    let msg = format!("{p}:{n}");
                    assert_eq!(c.call(&[b"PUBLISH", b"feed", msg.as_bytes()]), b":6\r\n");
                }
            })
        })
        .collect();
    for s in &mut subs {
        let mut next = [0usize; PUBLISHERS];
        for _ in 0..PUBLISHERS * EACH {
            let reply = decode(&s.read_reply()).unwrap().unwrap().0;
            let items = reply.items().expect("message array");
            let msg = String::from_utf8(items[2].bytes().unwrap().to_vec()).unwrap();
            let (p, n) = msg.split_once(':').unwrap();
            let (p, n): (usize, usize) = (p.parse().unwrap(), n.parse().unwrap());
            assert_eq!(n, next[p], "publisher {p}'s messages out of order");
            next[p] += 1;
        }
    }
    for p in publishers {
        p.join().unwrap();
    }
}

#[test]
fn redis_crate_pubsub_receives_messages() {
    let server = Server::start(&["--cores", "2"]);
    let mut publisher = server.redis_conn();
    let mut conns: Vec<redis::Connection> = (0..4).map(|_| server.redis_conn()).collect();
    let mut subs: Vec<redis::PubSub> = conns.iter_mut().map(|c| c.as_pubsub()).collect();
    for s in &mut subs {
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        s.subscribe("orders").unwrap();
        s.psubscribe("ord*").unwrap();
    }
    let delivered: i64 = redis::cmd("PUBLISH")
        .arg("orders")
        .arg("42")
        .query(&mut publisher)
        .unwrap();
    assert_eq!(delivered, 8);
    for s in &mut subs {
        let mut seen = Vec::new();
        for _ in 0..2 {
            let msg = s.get_message().unwrap();
            assert_eq!(msg.get_channel_name(), "orders");
            assert_eq!(msg.get_payload::<String>().unwrap(), "42");
            seen.push(msg.from_pattern());
        }
        seen.sort();
        assert_eq!(seen, [false, true]);
        s.unsubscribe("orders").unwrap();
        s.punsubscribe("ord*").unwrap();
    }
    drop(subs);
    let delivered: i64 = redis::cmd("PUBLISH")
        .arg("orders")
        .arg("43")
        .query(&mut publisher)
        .unwrap();
    assert_eq!(delivered, 0);
}

#[test]
fn subscriber_that_never_reads_is_disconnected_at_the_hard_limit() {
    let server = Server::start(&["--cores", "2"]);
    let mut admin = server.conn();
    assert_eq!(
        admin.call(&[
            b"CONFIG",
            b"SET",
            b"client-output-buffer-limit",
            b"pubsub 256kb 0 0"
        ]),
        b"+OK\r\n"
    );
    let mut slow = server.conn();
    slow.call(&[b"SUBSCRIBE", b"firehose"]);
    let payload = vec![b'x'; 64 * 1024];
    let mut p = server.conn();
    let deadline = Instant::now() + DEADLINE * 3;
    let mut published = 0;
    loop {
        let reply = p.call(&[b"PUBLISH", b"firehose", &payload]);
        published += 1;
        if reply == b":0\r\n" {
            break;
        }
        assert_eq!(reply, b":1\r\n");
        assert!(
            Instant::now() < deadline,
            "still subscribed after {published} messages"
        );
    }
    // At most the kernel's socket buffers and the limit were queued for the slow client.
    assert!(published < 2000, "{published}");
    assert_eq!(
        p.call(&[b"PUBSUB", b"NUMSUB", b"firehose"]),
        b"*2\r\n$8\r\nfirehose\r\n:0\r\n"
    );
    let (_, ending) = slow.read_to_end(DEADLINE);
    assert_eq!(ending, Ending::Closed);
    // The server goes on serving subscribers that keep up.
    let mut fresh = server.conn();
    fresh.call(&[b"SUBSCRIBE", b"firehose"]);
    assert_eq!(p.call(&[b"PUBLISH", b"firehose", b"small"]), b":1\r\n");
    assert_eq!(
        fresh.read_reply(),
        b"*3\r\n$7\r\nmessage\r\n$8\r\nfirehose\r\n$5\r\nsmall\r\n"
    );
}

/// One step of the random stream, with how many replies it produces.
fn random_step(rng: &mut u64, model: &mut Model, resp3: bool) -> (Vec<Vec<u8>>, usize) {
    const CHANNELS: [&str; 4] = ["a", "b", "{t}c", "news"];
    const PATTERNS: [&str; 4] = ["a*", "*", "n?ws", "[ab]"];
    let mut next = |n: usize| {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        (*rng % n as u64) as usize
    };
    let pick = |next: &mut dyn FnMut(usize) -> usize, pool: &[&str]| -> Vec<String> {
        (0..1 + next(3))
            .map(|_| pool[next(pool.len())].to_string())
            .collect()
    };
    let subscribed = model.active();
    let (words, replies): (Vec<String>, usize) = match next(11) {
        0 | 1 => {
            let names = pick(&mut next, &CHANNELS);
            model.channels.extend(names.iter().cloned());
            let n = names.len();
            (
                vec!["SUBSCRIBE".into()].into_iter().chain(names).collect(),
                n,
            )
        }
        2 => {
            let names = pick(&mut next, &PATTERNS);
            for p in &names {
                if !model.patterns.contains(p) {
                    model.patterns.push(p.clone());
                }
            }
            let n = names.len();
            (
                vec!["PSUBSCRIBE".into()].into_iter().chain(names).collect(),
                n,
            )
        }
        3 => {
            let names = pick(&mut next, &CHANNELS);
            model.shard.extend(names.iter().cloned());
            let n = names.len();
            (
                vec!["SSUBSCRIBE".into()].into_iter().chain(names).collect(),
                n,
            )
        }
        4 if model.channels.len() <= 1 => {
            let n = model.channels.len().max(1);
            model.channels.clear();
            (vec!["UNSUBSCRIBE".into()], n)
        }
        4 | 5 => {
            let names = pick(&mut next, &CHANNELS);
            for c in &names {
                model.channels.remove(c);
            }
            let n = names.len();
            (
                vec!["UNSUBSCRIBE".into()]
                    .into_iter()
                    .chain(names)
                    .collect(),
                n,
            )
        }
        6 => {
            let n = model.patterns.len().max(1);
            model.patterns.clear();
            (vec!["PUNSUBSCRIBE".into()], n)
        }
        7 => {
            let names = pick(&mut next, &CHANNELS);
            for c in &names {
                model.shard.remove(c);
            }
            let n = names.len();
            (
                vec!["SUNSUBSCRIBE".into()]
                    .into_iter()
                    .chain(names)
                    .collect(),
                n,
            )
        }
        8 => {
            let channel = CHANNELS[next(CHANNELS.len())];
            let pushes = if resp3 {
                model.channels.contains(channel) as usize
                    + model
                        .patterns
                        .iter()
                        .filter(|p| glob_match(p.as_bytes(), channel.as_bytes(), false))
                        .count()
            } else {
                0
            };
            let replies = if subscribed && !resp3 { 1 } else { 1 + pushes };
            (vec!["PUBLISH".into(), channel.into(), "m".into()], replies)
        }
        9 => (vec!["PING".into(), "x".into()], 1),
        _ => (vec!["GET".into(), "k".into()], 1),
    };
    (words.into_iter().map(String::into_bytes).collect(), replies)
}

#[derive(Default)]
struct Model {
    channels: std::collections::BTreeSet<String>,
    patterns: Vec<String>,
    shard: std::collections::BTreeSet<String>,
}

impl Model {
    fn active(&self) -> bool {
        !self.channels.is_empty() || !self.patterns.is_empty() || !self.shard.is_empty()
    }
}

#[test]
fn random_subscribe_streams_match_oracle() {
    let pair = Pair::start(&["--cores", "2"]);
    for seed in 1..=6u64 {
        let resp3 = seed % 2 == 0;
        let mut c = pair.conns();
        if resp3 {
            hello3(&mut c);
        }
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut model = Model::default();
        for _ in 0..150 {
            let (words, replies) = random_step(&mut rng, &mut model, resp3);
            let args: Vec<&[u8]> = words.iter().map(Vec::as_slice).collect();
            if args[0] != b"PUBLISH" || replies <= 2 {
                c.check_raw(&encode(&args), replies);
                continue;
            }
            // Pattern matches are delivered in the server's pattern-table order.
            let req = encode(&args);
            c.subject.send(&req);
            c.oracle.send(&req);
            let mut got: Vec<Vec<u8>> = (0..replies).map(|_| c.subject.read_reply()).collect();
            let mut want: Vec<Vec<u8>> = (0..replies).map(|_| c.oracle.read_reply()).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "seed {seed}");
        }
        c.check_str(&["RESET"]);
    }
}

#[test]
fn pubsub_matches_oracle_under_two_cores() {
    // The same sequence as a single-core server, with the publisher and subscribers spread.
    let pair = Pair::start(&["--cores", "2"]);
    let mut subs: Vec<_> = (0..6).map(|_| pair.conns()).collect();
    for (i, s) in subs.iter_mut().enumerate() {
        if i % 2 == 0 {
            s.check_str(&["SUBSCRIBE", "x"]);
        } else {
            s.check_str(&["PSUBSCRIBE", "x*"]);
        }
    }
    let mut p = pair.conns();
    p.check_str(&["PUBLISH", "x", "1"]);
    p.check_str(&["PUBLISH", "xy", "2"]);
    p.check_str(&["PUBSUB", "NUMSUB", "x", "xy"]);
    for s in &mut subs {
        let got = s.subject.read_reply();
        assert_eq!(got, s.oracle.read_reply());
    }
    for s in subs.iter_mut().skip(1).step_by(2) {
        let got = s.subject.read_reply();
        assert_eq!(got, s.oracle.read_reply());
    }
}

fn text(raw: &[u8]) -> String {
    match decode(raw).expect("reply").expect("complete").0 {
        Value::Verbatim(b) | Value::Bulk(Some(b)) => String::from_utf8_lossy(&b).into_owned(),
        other => panic!("not a string: {other:?}"),
    }
}

/// Repeats a command until it gives `want` (effects of a disconnect land asynchronously).
fn wait_for(c: &mut Conn, args: &[&[u8]], want: &[u8]) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let got = c.call(args);
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{:?} still answers {:?}",
            String::from_utf8_lossy(&args.concat()),
            String::from_utf8_lossy(&got)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
