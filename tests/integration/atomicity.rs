//! Commands Redis makes atomic stay atomic when their keys live on different data cores.
//!
//! A writer runs MSET (or RENAME) on two keys owned by different cores while a reader checks
//! an invariant with `LCS a b LEN`, itself a cross-core transaction: both values always have
//! the same length, so the LCS spans the whole value exactly when the two are equal. Seeing a
//! shorter LCS would mean a half-applied MSET was observed.
//!
//! These runs exercise the real cross-core paths under concurrency, but the window in which a
//! broken lock would show is too narrow to be hit reliably from outside; the gate itself is
//! tested deterministically in `shard::txn`'s unit tests.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use solikv::topology::key_slot;

use super::harness::{subject_is_redis, Server};

const ROUNDS: usize = 1000;
const WRITERS: usize = 3;
const READERS: usize = 3;
const DEADLINE: Duration = Duration::from_secs(60);

/// Two keys whose slots fall on different cores of a 2-core, 2-shard server.
fn keys_on_two_cores() -> (String, String) {
    let first = "atom:a".to_string();
    let core = |k: &str| key_slot(k.as_bytes()).index() % 2;
    let second = (0..)
        .map(|i| format!("atom:b{i}"))
        .find(|k| core(k) != core(&first))
        .expect("some key lands on the other core");
    (first, second)
}

#[test]
fn cross_core_mset_is_never_observed_half_applied() {
    let server = Server::start(&["--cores", "2", "--shards", "2"]);
    let (a, b) = keys_on_two_cores();
    let mut setup = server.redis_conn();
    let _: () = redis::cmd("MSET")
        .arg(&a)
        .arg("000000")
        .arg(&b)
        .arg("000000")
        .query(&mut setup)
        .expect("initial MSET");
    let done = Arc::new(AtomicBool::new(false));

    // Several writers and readers on separate connections, so the kernel spreads them over
    // both cores and the transactions really interleave.
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (client, a, b) = (server.client(), a.clone(), b.clone());
            thread::spawn(move || {
                let mut con = client.get_connection().expect("writer connects");
                let start = Instant::now();
                for i in 0..ROUNDS {
                    let v = format!("{w}{i:05}");
                    let _: () = redis::cmd("MSET")
                        .arg(&a)
                        .arg(&v)
                        .arg(&b)
                        .arg(&v)
                        .query(&mut con)
                        .expect("MSET");
                    if start.elapsed() > DEADLINE {
                        break;
                    }
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (client, a, b, done) = (server.client(), a.clone(), b.clone(), done.clone());
            thread::spawn(move || {
                let mut con = client.get_connection().expect("reader connects");
                let mut checks = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let lcs: i64 = redis::cmd("LCS")
                        .arg(&a)
                        .arg(&b)
                        .arg("LEN")
                        .query(&mut con)
                        .expect("LCS");
                    assert_eq!(lcs, 6, "observed a half-applied MSET after {checks} checks");
                    checks += 1;
                }
                checks
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer finished");
    }
    done.store(true, Ordering::Relaxed);
    let checks: u64 = readers
        .into_iter()
        .map(|r| r.join().expect("no half-applied MSET was observed"))
        .sum();
    assert!(checks > 0, "the readers ran");
    let (va, vb): (String, String) = redis::cmd("MGET")
        .arg(&a)
        .arg(&b)
        .query(&mut setup)
        .expect("MGET");
    assert_eq!(va, vb);
    if !subject_is_redis() {
        assert_ne!(
            key_slot(a.as_bytes()).index() % 2,
            key_slot(b.as_bytes()).index() % 2
        );
    }
}

#[test]
fn cross_core_rename_moves_value_and_ttl_atomically() {
    let server = Server::start(&["--cores", "2", "--shards", "2"]);
    let (a, b) = keys_on_two_cores();
    let mut con = server.redis_conn();
    for round in 0..200 {
        let v = format!("value-{round}");
        let _: () = redis::cmd("SET")
            .arg(&a)
            .arg(&v)
            .arg("EX")
            .arg(1000)
            .query(&mut con)
            .expect("SET");
        let _: () = redis::cmd("RENAME")
            .arg(&a)
            .arg(&b)
            .query(&mut con)
            .expect("RENAME");
        let (old, new): (Option<String>, String) = redis::cmd("MGET")
            .arg(&a)
            .arg(&b)
            .query(&mut con)
            .expect("MGET");
        assert_eq!((old, new), (None, v));
        let ttl: i64 = redis::cmd("TTL").arg(&b).query(&mut con).expect("TTL");
        assert!((990..=1000).contains(&ttl), "TTL carried over, got {ttl}");
    }
}
