//! Set commands, checked against the oracle with hand-picked sequences (intset order and
//! limits, hashtable replies compared as sets, SSCAN to completion), across two data cores
//! (multi-key commands gathered under one transaction, SMOVE never observed half-done) and
//! through a real client library.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use redis::Commands;
use solikv::topology::key_slot;

use super::harness::{subject_is_redis, Pair, Server};
use super::hash::{check_unordered, hello3, scan_to_end};

#[test]
fn set_commands_match_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SADD s 5 -2 10 5 9223372036854775807 -9223372036854775808",
        "SMEMBERS s",
        "OBJECT ENCODING s",
        "SISMEMBER s 05",
        "SMISMEMBER s 5 6 -2",
        "SADD t 10 11 5",
        "SINTER s t",
        "SINTER t s nokey",
        "SUNION s t",
        "SDIFF s t",
        "SDIFF nokey s",
        "SINTERSTORE d s t",
        "SMEMBERS d",
        "OBJECT ENCODING d",
        "SUNIONSTORE d s t nokey",
        "SMEMBERS d",
        "SDIFFSTORE d t s",
        "SMEMBERS d",
        "SINTERSTORE d s nokey",
        "EXISTS d",
        "SINTERCARD 2 s t",
        "SINTERCARD 2 s t LIMIT 1",
        "SINTERCARD 1 s LIMIT 0",
        "SINTERCARD 0 s",
        "SINTERCARD x s",
        "SINTERCARD 5 s t",
        "SINTERCARD 1 s LIMIT -1",
        "SINTERCARD 1 s FOO 1",
        "SMOVE s t 10",
        "SMOVE s t -2",
        "SMOVE s s 5",
        "SMOVE nokey t 1",
        "SMEMBERS t",
        "SRANDMEMBER t 100",
        "SRANDMEMBER t 0",
        "SRANDMEMBER t x",
        "SRANDMEMBER t 1 2",
        "SRANDMEMBER nokey",
        "SRANDMEMBER nokey 3",
        "SPOP nokey",
        "SPOP nokey 3",
        "SPOP t 0",
        "SPOP t -1",
        "SPOP t 1 1",
        "SSCAN s 0",
        "SSCAN s 0 MATCH 1* COUNT 1",
        "SSCAN s x",
        "SSCAN s 0 TYPE set",
        "SET str v",
        "SADD str 1",
        "SINTER nokey str",
        "SUNIONSTORE d s str",
        "SMOVE s str 5",
        "SMOVE str s 5",
        "SINTERCARD 2 s str",
        "SCARD str",
        "GET s",
        "INCR s",
        "TYPE s",
        "SREM s 5 10 -2 9223372036854775807 -9223372036854775808 nope",
        "EXISTS s",
        "SPOP t 100",
        "EXISTS t",
    ]);
    hello3(&mut c);
    c.check_all(&[
        "SADD r 3 1 2",
        "SMEMBERS r",
        "SINTER r r",
        "SPOP r 10",
        "SMEMBERS r",
    ]);
}

#[test]
fn intset_limit_and_hashtable_sets() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let ints: Vec<String> = (0..512).map(|i| (i * 7 - 100).to_string()).collect();
    c.check_all(&[
        &format!("SADD big {}", ints.join(" ")),
        "OBJECT ENCODING big",
        "SMEMBERS big",
        "SSCAN big 0",
        "SADD big 100000",
        "OBJECT ENCODING big",
        "SCARD big",
        "SADD words a b c 1",
        "OBJECT ENCODING words",
        "SADD nums 1 2 3 a",
        "SINTERSTORE both words nums",
        "OBJECT ENCODING both",
        "SREM nums a",
        "SINTERSTORE both nums words",
        "OBJECT ENCODING both",
        "SMEMBERS both",
    ]);
    for line in [
        "SMEMBERS big",
        "SMEMBERS words",
        "SUNION big words",
        "SDIFF big nums",
        "SINTER words big nums",
        "SRANDMEMBER big 1000",
    ] {
        check_unordered(&mut c, line);
    }
    let ours: BTreeSet<Vec<u8>> = scan_to_end(&mut c.subject, "SSCAN", "big")
        .into_iter()
        .collect();
    let theirs: BTreeSet<Vec<u8>> = scan_to_end(&mut c.oracle, "SSCAN", "big")
        .into_iter()
        .collect();
    assert_eq!(ours.len(), 513);
    assert_eq!(ours, theirs);
    check_unordered(&mut c, "SPOP big 1000");
    c.check_all(&["EXISTS big"]);
}

/// Keys owned by each core of a 2-core, 2-shard server: `n` keys alternating cores.
pub fn keys_on_alternating_cores(prefix: &str, n: usize) -> Vec<String> {
    let core = |k: &str| key_slot(k.as_bytes()).index() % 2;
    let mut out: Vec<String> = Vec::new();
    for i in 0.. {
        let k = format!("{prefix}{i}");
        if core(&k) == out.len() % 2 {
            out.push(k);
            if out.len() == n {
                break;
            }
        }
    }
    out
}

#[test]
fn multi_key_set_commands_across_cores() {
    let pair = Pair::start(&["--cores", "2", "--shards", "2"]);
    let mut c = pair.conns();
    let k = keys_on_alternating_cores("set:", 4);
    let (a, b, d, e) = (&k[0], &k[1], &k[2], &k[3]);
    c.check_all(&[
        &format!("SADD {a} 1 2 3 4"),
        &format!("SADD {b} 3 4 5"),
        &format!("SET {e} str"),
        &format!("SINTER {a} {b}"),
        &format!("SUNION {a} {b}"),
        &format!("SDIFF {a} {b}"),
        &format!("SINTERCARD 2 {a} {b}"),
        &format!("SINTERSTORE {d} {a} {b}"),
        &format!("SMEMBERS {d}"),
        &format!("EXPIRE {d} 1000"),
        &format!("SUNIONSTORE {d} {a} {b}"),
        &format!("TTL {d}"),
        &format!("SDIFFSTORE {e} {a} {b}"),
        &format!("TYPE {e}"),
        &format!("SINTER {a} {e} {b}"),
        &format!("SMOVE {a} {b} 1"),
        &format!("SMOVE {a} {b} 1"),
        &format!("SMEMBERS {a}"),
        &format!("SMEMBERS {b}"),
        &format!("SET {d} x"),
        &format!("SMOVE {a} {d} 2"),
        &format!("SINTERSTORE {d} nokey {a}"),
        &format!("EXISTS {d}"),
        &format!("SMOVE {e} {d} 1"),
        &format!("SMOVE {e} {d} 1"),
        &format!("SMOVE {e} {d} 2"),
        &format!("TYPE {e}"),
        &format!("SMEMBERS {d}"),
        "SINTERCARD 3 x y",
        // String keys travel between cores as typed stubs for these commands: a refused
        // command leaves the string (and its TTL) as it was, a store replaces it whole.
        &format!("SET {d} keep EX 100"),
        &format!("SMOVE {b} {d} 3"),
        &format!("ZDIFF 2 {b} {d}"),
        &format!("LMOVE {b} {d} LEFT LEFT"),
        &format!("SUNION {d} {b}"),
        &format!("GET {d}"),
        &format!("TTL {d}"),
        &format!("ZUNIONSTORE {d} 2 {a} {b}"),
        &format!("ZRANGE {d} 0 -1 WITHSCORES"),
        &format!("SET {e} keep2"),
        &format!("SINTERSTORE {e} {b} {d}"),
        &format!("GET {e}"),
        &format!("SINTERSTORE {e} {a} {b}"),
        &format!("TYPE {e}"),
    ]);
}

/// SMOVE between sets on different cores moves a member atomically: a reader taking the union
/// of both sets (itself a cross-core gather) always sees every member exactly once.
#[test]
fn cross_core_smove_is_never_observed_half_done() {
    if subject_is_redis() {
        return;
    }
    let server = Server::start(&["--cores", "2", "--shards", "2"]);
    let k = keys_on_alternating_cores("move:", 2);
    let (a, b) = (k[0].clone(), k[1].clone());
    let mut setup = server.redis_conn();
    let members: Vec<i64> = (0..20).collect();
    let _: i64 = setup.sadd(&a, &members).expect("SADD");
    let done = Arc::new(AtomicBool::new(false));
    let mover = {
        let (client, a, b, done) = (server.client(), a.clone(), b.clone(), done.clone());
        thread::spawn(move || {
            let mut con = client.get_connection().expect("mover connects");
            for round in 0..400 {
                let m = round % 20;
                let (from, to) = if (round / 20) % 2 == 0 {
                    (&a, &b)
                } else {
                    (&b, &a)
                };
                let moved: i64 = con.smove(from, to, m).expect("SMOVE");
                assert_eq!(moved, 1, "member {m} was in {from}");
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut reader = server.redis_conn();
    let mut checks = 0;
    while !done.load(Ordering::SeqCst) || checks == 0 {
        let (ca, cb, union): (i64, i64, Vec<i64>) = redis::pipe()
            .cmd("SINTERCARD")
            .arg(1)
            .arg(&a)
            .cmd("SINTERCARD")
            .arg(1)
            .arg(&b)
            .cmd("SUNION")
            .arg(&a)
            .arg(&b)
            .query(&mut reader)
            .expect("reads");
        let _ = (ca, cb);
        assert_eq!(
            union.len(),
            20,
            "a member was missing or doubled: {union:?}"
        );
        let inter: Vec<i64> = reader.sinter(&[&a, &b]).expect("SINTER");
        assert!(inter.is_empty(), "a member was in both sets: {inter:?}");
        checks += 1;
    }
    mover.join().expect("mover finished");
    assert!(checks > 0);
}

#[test]
fn typed_set_commands() {
    let server = Server::start(&[]);
    let mut con = server.redis_conn();
    let added: i64 = con.sadd("tags", &["red", "green", "red"]).unwrap();
    assert_eq!(added, 2);
    let members: BTreeSet<String> = con.smembers("tags").unwrap();
    assert_eq!(members, BTreeSet::from(["green".into(), "red".into()]));
    let is: bool = con.sismember("tags", "red").unwrap();
    assert!(is);
    let card: i64 = con.scard("tags").unwrap();
    assert_eq!(card, 2);
    let popped: Vec<String> = redis::cmd("SPOP")
        .arg("tags")
        .arg(5)
        .query(&mut con)
        .unwrap();
    assert_eq!(popped.len(), 2);
    let exists: bool = con.exists("tags").unwrap();
    assert!(!exists);
}
