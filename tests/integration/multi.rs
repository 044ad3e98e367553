//! Transactions: MULTI/EXEC/DISCARD/WATCH/UNWATCH against the oracle, WATCH invalidation from
//! other connections (writes, DEL, RENAME, FLUSHALL, expiry, other transactions), and
//! cross-core EXEC atomicity under concurrent readers; cluster-mode routing of EXEC and WATCH;
//! WATCH against sorted set, bitmap and HyperLogLog writes; Pub/Sub commands inside MULTI.
//!
//! The servers run two data cores (`--cores 2 --shards 2`) and the keys of each check are
//! spread over both, so EXEC and WATCH take their cross-core paths.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::harness::{subject_is_redis, DiffConn, Pair, Server};
use super::hash::hello3;
use super::resp::{encode, escape};
use super::set::keys_on_alternating_cores;

const TWO_CORES: &[&str] = &["--cores", "2", "--shards", "2"];

#[test]
fn queue_exec_discard_and_execabort_match_oracle() {
    let pair = Pair::start(TWO_CORES);
    let mut c = pair.conns();
    let k = keys_on_alternating_cores("tx:", 4);
    let (a, b, x, y) = (&k[0], &k[1], &k[2], &k[3]);
    c.check_all(&[
        "EXEC",
        "DISCARD",
        "MULTI x",
        "MULTI",
        "MULTI",
        "WATCH a",
        &format!("SET {a} 1"),
        &format!("INCR {a}"),
        &format!("LPUSH {a} x"),
        &format!("MSET {b} 2 {x} 3 {y} 4"),
        &format!("MGET {a} {b} {x} {y}"),
        &format!("RENAME {b} {y}"),
        &format!("EXISTS {a} {b} {x} {y}"),
        "PING",
        "ECHO hi",
        "UNWATCH",
        "EXEC",
        "EXEC",
        "MULTI",
        &format!("SET {a} never"),
        "DISCARD",
        &format!("GET {a}"),
        "MULTI",
        &format!("SET {a} never"),
        "NOSUCHCOMMAND 1 2",
        &format!("GET {a} extra"),
        "EXEC",
        &format!("GET {a}"),
        "MULTI",
        "SHUTDOWN",
        "EXEC",
        "MULTI",
        "EXEC x",
        &format!("SET {a} never"),
        "EXEC",
        "MULTI",
        "EXEC",
        "MULTI",
        &format!("SET {x} queued"),
        "RESET",
        "EXEC",
        &format!("GET {x}"),
        "MULTI",
        &format!("SET {a} 5"),
        "DBSIZE",
        &format!("KEYS {a}"),
        "HELLO 3",
        &format!("HGETALL {a}"),
        &format!("DEL {a} {b} {x} {y}"),
        "DBSIZE",
    ]);
    let (ours, theirs) = c.both(&[b"EXEC"]);
    assert_eq!(without_client_id(&ours), without_client_id(&theirs));
    c.check_all(&[
        "MULTI",
        &format!("SET {a} 1"),
        "FLUSHALL",
        &format!("GET {a}"),
        "EXEC",
    ]);
    c.check_raw(b"*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nQUIT\r\n", 2);
}

/// A reply with the client id in HELLO's map blanked (ids count connections, which differ
/// between the two servers).
fn without_client_id(reply: &[u8]) -> String {
    let text = escape(reply);
    let Some(at) = text.find("$2\\r\\nid\\r\\n:") else {
        return text;
    };
    let digits = at + "$2\\r\\nid\\r\\n:".len();
    let end = text[digits..].find('\\').map_or(text.len(), |e| digits + e);
    format!("{}{}", &text[..digits], &text[end..])
}

/// Opens a second connection pair and runs `steps` on `watcher` and `other` in turn: the
/// watcher watches `key`, `other` does something, then the watcher's EXEC is compared.
fn watch_case(pair: &Pair, key: &str, setup: &[String], other: &[String]) {
    let mut watcher = pair.conns();
    let mut writer = pair.conns();
    let lines = |c: &mut DiffConn, lines: &[String]| {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        c.check_all(&refs);
    };
    lines(&mut writer, setup);
    watcher.check_all(&[&format!("WATCH {key} unrelated")]);
    lines(&mut writer, other);
    watcher.check_all(&["MULTI", &format!("TYPE {key}"), "PING", "EXEC"]);
}

#[test]
fn watch_is_invalidated_by_other_connections_as_in_redis() {
    let pair = Pair::start(TWO_CORES);
    let k = keys_on_alternating_cores("w:", 4);
    let s = |parts: &[&str]| -> Vec<String> { parts.iter().map(|p| p.to_string()).collect() };
    for key in [&k[0], &k[1]] {
        let other = if key == &k[0] { &k[3] } else { &k[2] };
        let cases: Vec<(Vec<String>, Vec<String>)> = vec![
            (s(&["FLUSHALL"]), vec![]),
            (s(&["FLUSHALL"]), vec![format!("SET {key} 1")]),
            (vec![format!("SET {key} 1")], vec![format!("SET {key} 1")]),
            (
                vec![format!("SET {key} 1")],
                vec![format!("SET {key} 2 NX")],
            ),
            (vec![format!("SET {key} 1")], vec![format!("DEL {key}")]),
            (s(&["FLUSHALL"]), vec![format!("DEL {key}")]),
            (
                vec![format!("SET {key} 1")],
                vec![format!("RENAME {key} {other}")],
            ),
            (
                vec![format!("SET {other} 1")],
                vec![format!("RENAME {other} {key}")],
            ),
            (vec![format!("SET {key} 1")], s(&["FLUSHALL"])),
            (vec![format!("SET {key} 1")], s(&["FLUSHDB"])),
            (s(&["FLUSHALL"]), s(&["FLUSHALL"])),
            (
                vec![format!("SET {key} 1")],
                vec![format!("DEL {key}"), format!("LPUSH {key} a")],
            ),
            (
                vec![format!("SADD {key} a")],
                vec![format!("SADD {key} a"), format!("SREM {key} zz")],
            ),
            (vec![format!("SADD {key} a")], vec![format!("SADD {key} b")]),
            (
                vec![format!("HSET {key} f v")],
                vec![format!("HSET {key} f v")],
            ),
            (
                vec![format!("RPUSH {key} a b")],
                vec![format!("LREM {key} 0 zz"), format!("LPUSHX {other} q")],
            ),
            (
                vec![format!("RPUSH {key} a b")],
                vec![format!("LTRIM {key} 0 -1")],
            ),
            (
                vec![format!("SET {key} 1")],
                vec![format!("INCRBY {key} 0")],
            ),
            (
                vec![format!("SET {key} 1")],
                vec![format!("EXPIRE {key} 100")],
            ),
            (vec![format!("SET {key} 1")], vec![format!("PERSIST {key}")]),
            (
                vec![format!("SET {key} 1")],
                vec![format!("RENAME {key} {key}")],
            ),
            (
                vec![format!("SET {key} 1")],
                s(&["MULTI"])
                    .into_iter()
                    .chain([format!("INCR {key}"), format!("GET {other}"), "EXEC".into()])
                    .collect(),
            ),
            (
                vec![format!("SET {key} 1")],
                s(&["MULTI"])
                    .into_iter()
                    .chain([format!("GET {key}"), "DISCARD".into()])
                    .collect(),
            ),
            (
                vec![format!("SET {key} 1"), format!("SET {other} 1")],
                vec![format!("MSET {other} 2 {key} 2")],
            ),
            (
                vec![format!("SADD {key} a"), format!("SADD {other} b")],
                vec![format!("SUNIONSTORE {key} {key} {other}")],
            ),
        ];
        for (setup, other_steps) in cases {
            let mut setup_all = vec!["FLUSHALL".to_string()];
            setup_all.extend(setup);
            watch_case(&pair, key, &setup_all, &other_steps);
        }
    }
}

/// The families merged after transactions: sorted set, bitmap and HyperLogLog writes (and
/// PFCOUNT refreshing its cached cardinality) from another connection break a WATCH exactly
/// when redis-server's do, on the single-core path and through the cross-core gather.
#[test]
fn watch_sees_sorted_set_bitmap_and_hll_writes() {
    let pair = Pair::start(TWO_CORES);
    let k = keys_on_alternating_cores("wz:", 4);
    for key in [&k[0], &k[1]] {
        let other = if key == &k[0] { &k[3] } else { &k[2] };
        let f = |parts: &[&str]| -> Vec<String> {
            parts
                .iter()
                .map(|p| p.replace("KEY", key).replace("OTHER", other))
                .collect()
        };
        let cases: Vec<(Vec<String>, Vec<String>)> = vec![
            (f(&["ZADD KEY 1 a"]), f(&["ZADD KEY 2 a"])),
            (f(&["ZADD KEY 1 a"]), f(&["ZADD KEY 1 a"])),
            (f(&["ZADD KEY 1 a"]), f(&["ZINCRBY KEY 0 a", "ZREM KEY b"])),
            (f(&["ZADD KEY 1 a"]), f(&["ZPOPMIN KEY"])),
            (f(&[]), f(&["ZADD KEY 1 a"])),
            (
                f(&["ZADD KEY 1 a", "ZADD OTHER 1 a"]),
                f(&["ZUNIONSTORE KEY 1 OTHER"]),
            ),
            (
                f(&["ZADD KEY 1 a", "ZADD OTHER 1 a"]),
                f(&["ZRANGESTORE KEY OTHER 0 -1"]),
            ),
            (f(&[]), f(&["SETBIT KEY 3 1"])),
            (f(&["SETBIT KEY 3 1"]), f(&["SETBIT KEY 3 1"])),
            (f(&["SETBIT KEY 3 1"]), f(&["SETBIT KEY 4 1"])),
            (f(&["SET KEY 1"]), f(&["SETBIT KEY 2 1"])),
            (f(&["SET KEY a"]), f(&["BITFIELD KEY SET u8 0 97"])),
            (f(&["SET KEY a"]), f(&["BITFIELD KEY INCRBY u8 0 1"])),
            (
                f(&["SET KEY a", "SET OTHER a"]),
                f(&["BITOP AND KEY OTHER"]),
            ),
            (f(&["PFADD KEY a"]), f(&["PFADD KEY a"])),
            (f(&["PFADD KEY a"]), f(&["PFADD KEY b"])),
            (f(&["PFADD KEY a"]), f(&["PFCOUNT KEY"])),
            (f(&["PFADD KEY a", "PFCOUNT KEY"]), f(&["PFCOUNT KEY"])),
            (
                f(&["PFADD KEY a", "PFADD OTHER a"]),
                f(&["PFMERGE KEY OTHER"]),
            ),
            (f(&["SET KEY a"]), f(&["PUBLISH KEY x"])),
        ];
        for (setup, other_steps) in cases {
            let mut setup_all = vec!["FLUSHALL".to_string()];
            setup_all.extend(setup);
            watch_case(&pair, key, &setup_all, &other_steps);
        }
    }
}

/// Pub/Sub commands queued in MULTI run at EXEC as in redis-server: SUBSCRIBE enters
/// subscribed mode (its replies and the transaction's own messages inside EXEC's reply),
/// PUBLISH reaches other connections, SSUBSCRIBE is refused, in RESP2 and RESP3.
#[test]
fn pubsub_commands_inside_multi_match_oracle() {
    let pair = Pair::start(TWO_CORES);
    let k = keys_on_alternating_cores("ps:", 2);
    let mut listener = pair.conns();
    listener.check_all(&["SUBSCRIBE news"]);
    let mut c = pair.conns();
    c.check_all(&[
        "MULTI",
        &format!("SET {} 1", k[0]),
        "PUBLISH news first",
        "PUBSUB NUMSUB news",
        &format!("INCR {}", k[1]),
        "SSUBSCRIBE shard",
        "SPUBLISH shard x",
        "EXEC",
        "PUBLISH news second",
    ]);
    listener.check_raw(b"", 2);
    // SUBSCRIBE a b in EXEC: EXEC's array counts commands, each channel adds a reply.
    let queue = b"*1\r\n$5\r\nMULTI\r\n*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\n\
        *3\r\n$7\r\nPUBLISH\r\n$1\r\na\r\n$2\r\nhi\r\n";
    c.check_raw(queue, 3);
    // *2 [subscribe a] [subscribe b], then the message, then PUBLISH's count.
    c.check_raw(b"*1\r\n$4\r\nEXEC\r\n", 3);
    c.check_all(&["PING", &format!("GET {}", k[0])]);
    c.check_raw(&encode(&[b"UNSUBSCRIBE", b"a", b"b"]), 2);
    c.check_all(&["MULTI", "DISCARD"]);
    let mut r3 = pair.conns();
    hello3(&mut r3);
    r3.check_all(&[
        "MULTI",
        "SUBSCRIBE a",
        "PUBLISH a hi",
        &format!("GET {}", k[1]),
    ]);
    // *3 holding the subscribe push, the message push and :1; then the GET's reply.
    r3.check_raw(b"*1\r\n$4\r\nEXEC\r\n", 2);
    r3.check_all(&[&format!("GET {}", k[1]), "UNSUBSCRIBE a", "PING"]);
}

/// Waits until `key` is past its expiry time on both servers (PTTL reports -2 without a TTL
/// left), polling with a deadline.
fn wait_expired(c: &mut DiffConn, key: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (ours, theirs) = c.both(&[b"PTTL", key.as_bytes()]);
        if ours == b":-2\r\n" && theirs == b":-2\r\n" {
            return;
        }
        assert!(Instant::now() < deadline, "{key} did not expire");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Sets `key` with a short TTL and has `watcher` watch it while it is alive on both servers
/// (retrying when a slow run lets it expire first); returns the longest time it may still live.
fn watch_alive(watcher: &mut DiffConn, other: &mut DiffConn, key: &str) -> Duration {
    for _ in 0..10 {
        other.check_all(&[&format!("SET {key} v PX 200")]);
        watcher.check_all(&[&format!("WATCH {key}")]);
        let (ours, theirs) = watcher.both(&[b"PTTL", key.as_bytes()]);
        let ms = |r: &[u8]| -> i64 {
            String::from_utf8_lossy(r)
                .trim_start_matches(':')
                .trim()
                .parse()
                .unwrap_or(-2)
        };
        if ms(&ours) > 0 && ms(&theirs) > 0 {
            return Duration::from_millis(ms(&ours).max(ms(&theirs)) as u64);
        }
        watcher.check_all(&["UNWATCH"]);
    }
    panic!("{key} kept expiring before WATCH");
}

#[test]
fn watch_and_expiry_match_oracle() {
    let pair = Pair::start(TWO_CORES);
    let k = keys_on_alternating_cores("e:", 2);
    for key in &k {
        let mut watcher = pair.conns();
        let mut other = pair.conns();
        // Alive when watched, expired (and reclaimed by another client's access) before EXEC.
        watch_alive(&mut watcher, &mut other, key);
        wait_expired(&mut other, key);
        watcher.check_all(&["MULTI", &format!("GET {key}"), "EXEC"]);
        // Already expired when watched: reclaiming it changes nothing.
        other.check_all(&[&format!("SET {key} v PX 1")]);
        thread::sleep(Duration::from_millis(20));
        watcher.check_all(&[&format!("WATCH {key}")]);
        other.check_all(&[&format!("GET {key}")]);
        watcher.check_all(&["MULTI", &format!("GET {key}"), "EXEC"]);
        // Already expired when watched, then written: changed.
        other.check_all(&[&format!("SET {key} v PX 1")]);
        thread::sleep(Duration::from_millis(20));
        watcher.check_all(&[&format!("WATCH {key}")]);
        other.check_all(&[&format!("SET {key} w")]);
        watcher.check_all(&["MULTI", &format!("GET {key}"), "EXEC"]);
        // Alive when watched and expired at EXEC time without anyone touching it.
        let left = watch_alive(&mut watcher, &mut other, key);
        thread::sleep(left + Duration::from_millis(30));
        watcher.check_all(&["MULTI", &format!("GET {key}"), "EXEC"]);
        hello3(&mut watcher);
        watcher.check_all(&[&format!("WATCH {key}")]);
        other.check_all(&[&format!("SET {key} again")]);
        watcher.check_all(&["MULTI", &format!("GET {key}"), "EXEC"]);
    }
}

/// Optimistic increments with WATCH from several connections: every retry loop either
/// commits or sees EXEC fail, and the counter ends at the number of commits.
#[test]
fn watch_retry_loops_count_every_commit_once() {
    let server = Server::start(TWO_CORES);
    let k = keys_on_alternating_cores("cas:", 2);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (client, key) = (server.client(), k[w % 2].clone());
            thread::spawn(move || {
                let mut con = client.get_connection().expect("worker connects");
                let deadline = Instant::now() + Duration::from_secs(60);
                let mut commits = 0;
                while commits < 50 && Instant::now() < deadline {
                    let _: () = redis::cmd("WATCH")
                        .arg(&key)
                        .query(&mut con)
                        .expect("WATCH");
                    let v: Option<i64> = redis::cmd("GET").arg(&key).query(&mut con).expect("GET");
                    let done: Option<(String,)> = redis::pipe()
                        .atomic()
                        .cmd("SET")
                        .arg(&key)
                        .arg(v.unwrap_or(0) + 1)
                        .query(&mut con)
                        .expect("EXEC");
                    commits += done.is_some() as i64;
                }
                (key, commits)
            })
        })
        .collect();
    let mut expected = std::collections::HashMap::new();
    for w in workers {
        let (key, commits) = w.join().expect("worker finished");
        *expected.entry(key).or_insert(0) += commits;
    }
    let mut con = server.redis_conn();
    for (key, commits) in expected {
        let v: i64 = redis::cmd("GET").arg(&key).query(&mut con).expect("GET");
        assert_eq!(v, commits, "{key}: lost or doubled increments");
    }
}

/// A transaction writing keys on both cores is never seen half-applied, neither by readers
/// using their own transactions nor by cross-core LCS.
#[test]
fn cross_core_exec_is_never_observed_half_applied() {
    let server = Server::start(TWO_CORES);
    let k = keys_on_alternating_cores("half:", 2);
    let (a, b) = (k[0].clone(), k[1].clone());
    let mut setup = server.redis_conn();
    let _: () = redis::cmd("MSET")
        .arg(&a)
        .arg("000000")
        .arg(&b)
        .arg("000000")
        .query(&mut setup)
        .expect("MSET");
    let done = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (client, a, b) = (server.client(), a.clone(), b.clone());
            thread::spawn(move || {
                let mut con = client.get_connection().expect("writer connects");
                let deadline = Instant::now() + Duration::from_secs(60);
                for i in 0..500 {
                    let v = format!("{w}{i:05}");
                    let _: () = redis::pipe()
                        .atomic()
                        .cmd("SET")
                        .arg(&a)
                        .arg(&v)
                        .ignore()
                        .cmd("INCR")
                        .arg("unrelated")
                        .ignore()
                        .cmd("SET")
                        .arg(&b)
                        .arg(&v)
                        .ignore()
                        .query(&mut con)
                        .expect("EXEC");
                    if Instant::now() > deadline {
                        break;
                    }
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|r| {
            let (client, a, b, done) = (server.client(), a.clone(), b.clone(), done.clone());
            thread::spawn(move || {
                let mut con = client.get_connection().expect("reader connects");
                let mut checks = 0u64;
                while !done.load(Ordering::Relaxed) || checks == 0 {
                    if r == 0 {
                        let (va, vb): (String, String) = redis::pipe()
                            .atomic()
                            .get(&a)
                            .get(&b)
                            .query(&mut con)
                            .expect("EXEC of GETs");
                        assert_eq!(va, vb, "observed half a transaction");
                    } else {
                        let lcs: i64 = redis::cmd("LCS")
                            .arg(&a)
                            .arg(&b)
                            .arg("LEN")
                            .query(&mut con)
                            .expect("LCS");
                        assert_eq!(lcs, 6, "observed half a transaction");
                    }
                    checks += 1;
                }
                checks
            })
        })
        .collect();
    // Stop the readers before judging the writers, so a failed writer cannot leave them
    // spinning.
    let written: Vec<_> = writers.into_iter().map(|w| w.join()).collect();
    done.store(true, Ordering::Relaxed);
    for w in written {
        w.expect("writer finished");
    }
    for r in readers {
        assert!(r.join().expect("no half-applied transaction was seen") > 0);
    }
    if !subject_is_redis() {
        let core = |k: &str| solikv::topology::key_slot(k.as_bytes()).index() % 2;
        assert_ne!(core(&a), core(&b), "the keys live on different cores");
    }
}

/// A SoliKV cluster node (two data cores) and a redis-server cluster node, each owning every
/// slot and reporting `cluster_state:ok`.
fn cluster_pair() -> Pair {
    let port = |_| (super::cluster::cluster_port() + 10000).to_string();
    let subject = Server::start(&[
        "--cores",
        "2",
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        &port(0),
    ]);
    let oracle = Server::oracle_with(&["--cluster-enabled", "yes", "--cluster-port", &port(1)]);
    for server in [&subject, &oracle] {
        let mut c = server.conn();
        assert_eq!(
            c.call(&[b"CLUSTER", b"ADDSLOTSRANGE", b"0", b"16383"]),
            b"+OK\r\n"
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while !String::from_utf8_lossy(&c.call(&[b"CLUSTER", b"INFO"])).contains("cluster_state:ok")
        {
            assert!(Instant::now() < deadline, "{} never got ready", server.name);
            thread::sleep(Duration::from_millis(50));
        }
    }
    Pair { subject, oracle }
}

/// In cluster mode a queued command with keys in several slots is refused at once (EXEC then
/// aborts), while commands each in one slot but together in several make EXEC itself answer
/// CROSSSLOT; WATCH is routed like a keyed command.
#[test]
fn cluster_mode_transactions_match_oracle() {
    let pair = cluster_pair();
    let mut c = pair.conns();
    c.check_all(&[
        "MULTI",
        "SET {t}a 1",
        "INCR {t}b",
        "MGET {t}a {t}b",
        "EXEC",
        "MULTI",
        "SET a 1",
        "SET b 2",
        "EXEC",
        "GET a",
        "MULTI",
        "SET a 1",
        "MSET a 1 b 2",
        "SET b 1",
        "EXEC",
        "MULTI",
        "MSET a 1 b 2",
        "SET a 1",
        "SET b 2",
        "EXEC",
        "WATCH a b",
        "WATCH a",
        "MULTI",
        "SET b 1",
        "EXEC",
        "WATCH {t}a",
        "SET {t}a 2",
        "MULTI",
        "GET {t}a",
        "DBSIZE",
        "PING",
        "EXEC",
        "MULTI",
        "DBSIZE",
        "KEYS {t}a*",
        "EXEC",
        "WATCH {t}a",
        "SET {t}a 3",
        "MULTI",
        "SET a 1",
        "SET b 2",
        "EXEC",
        "WATCH {t}a",
        "MULTI",
        "SET a 1",
        "SET b 2",
        "EXEC",
    ]);
}

/// A refused EXEC answers EXECABORT with the reason and drops the watches even when no MULTI
/// is open, as redis-server's rejectCommand does: wrong arity, subscribed mode, NOAUTH.
#[test]
fn refused_exec_outside_multi_aborts_like_the_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let mut other = pair.conns();
    c.check_all(&["EXEC x", "SET k v1", "WATCH k", "EXEC x y"]);
    // The refused EXEC dropped the watch: a write from elsewhere no longer aborts the next one.
    other.check_all(&["SET k v2"]);
    c.check_all(&["MULTI", "SET k v3", "EXEC", "GET k"]);
    c.check_all(&["SUBSCRIBE ch", "EXEC", "EXEC 1", "PING"]);

    let locked = Pair::start(&["--requirepass", "pw"]);
    let mut c = locked.conns();
    c.check_all(&["EXEC", "EXEC x", "MULTI", "DISCARD", "AUTH pw", "EXEC"]);
}
