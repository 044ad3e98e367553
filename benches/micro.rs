//! Micro-benchmarks, printed as nanoseconds per operation: RESP parsing, slot hashing, the
//! keyspace table, sorted-set updates and ranks, and a mesh hop between two glommio executors.
//!
//! `cargo bench --bench micro` (harness = false). Figures are for comparing commits on the
//! same machine, not absolute claims.

use std::hint::black_box;
use std::time::Instant;

use glommio::{LocalExecutorBuilder, Placement};
use solikv::protocol::{Limits, Parsed, RequestParser};
use solikv::storage::limits::Limits as StorageLimits;
use solikv::storage::zset::ZSet;
use solikv::storage::{Keyspace, Value};
use solikv::topology::key_slot;

fn report(name: &str, ops: u64, start: Instant) {
    let ns = start.elapsed().as_nanos() as f64 / ops as f64;
    println!("{name:<40} {ns:>10.1} ns/op");
}

fn bench_parse() {
    let one = b"*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000001\r\n$32\r\n01234567890123456789012345678901\r\n";
    let mut batch = Vec::new();
    for _ in 0..1000 {
        batch.extend_from_slice(one);
    }
    let limits = Limits {
        max_bulk_len: 512 << 20,
        authenticated: true,
    };
    let rounds = 2000u64;
    let mut args = Vec::with_capacity(8);
    let start = Instant::now();
    for _ in 0..rounds {
        let mut parser = RequestParser::new();
        let mut buf = batch.clone();
        while parser.parse(&mut buf, &mut args, &limits).unwrap() == Parsed::Command {
            black_box(&args);
            args.clear();
        }
    }
    report("resp parse (SET, 32-byte value)", rounds * 1000, start);
}

fn bench_slot() {
    let keys: Vec<String> = (0..1024).map(|i| format!("key:{i:012}")).collect();
    let rounds = 5000u64;
    let start = Instant::now();
    for _ in 0..rounds {
        for k in &keys {
            black_box(key_slot(black_box(k.as_bytes())));
        }
    }
    report("slot hash (16-byte key)", rounds * 1024, start);
}

fn bench_table() {
    let n = 1_000_000u64;
    let keys: Vec<String> = (0..n).map(|i| format!("key:{i:012}")).collect();
    let mut ks = Keyspace::new(0, 1, 1);
    let value = [b'x'; 32];
    let start = Instant::now();
    for k in &keys {
        ks.insert(k.as_bytes(), Value::string(&value), 0);
    }
    report("keyspace insert (1M keys)", n, start);
    let start = Instant::now();
    for k in &keys {
        black_box(ks.get(k.as_bytes()).is_some());
    }
    report("keyspace get (hit, 1M keys)", n, start);
}

/// A xorshift generator: the benchmark's inputs are the same on every run.
fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// The shape of redis-benchmark's `ZADD myzset <random score> element:<random>`: inserting
/// 100k members, then moving random existing members to random new scores (a removal and an
/// insertion in the ordered structure), then ranking random members.
fn bench_zset() {
    let n = 100_000u64;
    let limits = StorageLimits::default();
    let members: Vec<String> = (0..n).map(|i| format!("element:{i:06}")).collect();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut z = ZSet::with_hint(n as usize, 16, limits);
    let start = Instant::now();
    for m in &members {
        let score = (xorshift(&mut x) % 1_000_000) as f64;
        black_box(z.add(m.as_bytes(), score, limits));
    }
    report("zset insert (100k members)", n, start);
    let picks: Vec<(usize, f64)> = (0..1_000_000)
        .map(|_| {
            let i = (xorshift(&mut x) % n) as usize;
            (i, (xorshift(&mut x) % 1_000_000) as f64)
        })
        .collect();
    let start = Instant::now();
    for &(i, score) in &picks {
        black_box(z.add(members[i].as_bytes(), score, limits));
    }
    report("zset update 100k", picks.len() as u64, start);
    let start = Instant::now();
    for &(i, _) in &picks {
        black_box(z.score(members[i].as_bytes()));
    }
    report(
        "zset score 100k (member index only)",
        picks.len() as u64,
        start,
    );
    let start = Instant::now();
    for &(i, _) in &picks {
        black_box(z.rank(members[i].as_bytes(), false));
    }
    report("zset rank 100k", picks.len() as u64, start);
}

fn bench_mesh_hop() {
    let rounds = 200_000u64;
    let (to_b, from_a) = flume::bounded::<u64>(1024);
    let (to_a, from_b) = flume::bounded::<u64>(1024);
    let echo = LocalExecutorBuilder::new(Placement::Unbound)
        .spawn(move || async move {
            while let Ok(v) = from_a.recv_async().await {
                if to_a.send_async(v).await.is_err() {
                    break;
                }
            }
        })
        .expect("executor");
    let driver = LocalExecutorBuilder::new(Placement::Unbound)
        .spawn(move || async move {
            let start = Instant::now();
            for i in 0..rounds {
                to_b.send_async(i).await.expect("send");
                black_box(from_b.recv_async().await.expect("recv"));
            }
            report("mesh round trip (two executors)", rounds, start);
        })
        .expect("executor");
    driver.join().expect("driver");
    echo.join().expect("echo");
}

fn main() {
    bench_parse();
    bench_slot();
    bench_table();
    bench_zset();
    bench_mesh_hop();
}
