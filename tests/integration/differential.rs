//! The differential test: identical seeded random command streams go to the server under test
//! and to the redis-server oracle over raw connections, and every reply must match byte for
//! byte (see [`super::gen`] for what is generated and which replies are normalised).
//!
//! Seeds: a few fixed ones plus a few derived from the clock, all printed; set
//! `SOLIKV_DIFF_SEED=n` to replay exactly one seed and `SOLIKV_DIFF_LEN` to change the stream
//! length. A mismatch fails with the seed, the step index, the escaped command and both replies.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::gen::{stream, Compare, Step, KEYS};
use super::gen_bits::HKEYS;
use super::gen_zset::ZKEYS;
use super::harness::{DiffConn, Pair};
use super::resp::{decode, encode, escape, escape_args, Conn, Value};

/// Steps per seed.
const STREAM_LEN: usize = 2000;
/// Seeds always run, so CI failures on them reproduce trivially.
const FIXED_SEEDS: &[u64] = &[1, 2, 3, 4, 5, 6, 7, 0xdead_beef];
/// Extra seeds taken from the clock on each run.
const CLOCK_SEEDS: u64 = 4;
/// Time budget per test; the remaining seeds are skipped (and reported) once it is spent.
const BUDGET: Duration = Duration::from_secs(25);
/// Upper bound on SCAN calls when iterating the keyspace to completion.
const SCAN_CALLS: usize = 1000;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

fn seeds() -> Vec<u64> {
    if let Ok(s) = std::env::var("SOLIKV_DIFF_SEED") {
        return vec![s.parse().expect("SOLIKV_DIFF_SEED must be an integer")];
    }
    let clock = now_ms() as u64;
    let mut seeds = FIXED_SEEDS.to_vec();
    seeds.extend((0..CLOCK_SEEDS).map(|i| clock.wrapping_add(i * 7919)));
    seeds
}

fn stream_len() -> usize {
    std::env::var("SOLIKV_DIFF_LEN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(STREAM_LEN)
}

/// Runs every seed against one pair of servers (the subject started with `flags`) in the given
/// protocol version.
fn run(proto: u8, flags: &[&str]) {
    run_on(&Pair::start(flags), proto);
}

/// Runs every seed against `pair` in the given protocol version.
pub fn run_on(pair: &Pair, proto: u8) {
    let started = Instant::now();
    let mut ran = Vec::new();
    let mut tally = Tally::default();
    for seed in seeds() {
        if started.elapsed() > BUDGET {
            println!("RESP{proto}: time budget spent, seeds run: {ran:?}, skipped {seed}");
            break;
        }
        println!("RESP{proto}: differential seed {seed}");
        let mut conns = pair.conns();
        reset(&mut conns, proto);
        let steps = stream(seed, stream_len(), now_ms());
        for (index, step) in steps.iter().enumerate() {
            if let Err(e) = run_step(&mut conns, step, &mut tally) {
                panic!(
                    "RESP{proto} seed {seed} step {index}: {e}\n\
                     replay with SOLIKV_DIFF_SEED={seed}"
                );
            }
        }
        ran.push(seed);
    }
    println!(
        "RESP{proto}: seeds {ran:?} passed in {:?}; replies by type: {:?}",
        started.elapsed(),
        tally.0
    );
}

/// Counts replies by their RESP type byte, to show what a run exercised.
#[derive(Default)]
struct Tally(std::collections::BTreeMap<char, usize>);

impl Tally {
    fn add(&mut self, reply: &[u8]) {
        let kind = reply.first().map_or('?', |&b| b as char);
        *self.0.entry(kind).or_default() += 1;
    }
}

/// Deletes every key a stream can touch and switches both connections to `proto`. One key
/// per command, so that it also works in cluster mode (the keys hash to different slots).
fn reset(conns: &mut DiffConn, proto: u8) {
    for key in KEYS.iter().chain(ZKEYS).chain(HKEYS) {
        conns.both(&[b"DEL", key]);
    }
    if proto == 3 {
        let (a, b) = conns.both(&[b"HELLO", b"3"]);
        for (side, reply) in [("subject", a), ("oracle", b)] {
            assert!(
                reply.starts_with(b"%"),
                "{side}: HELLO 3 did not answer a map: {}",
                escape(&reply)
            );
        }
    }
    let (a, b) = conns.both(&[b"DBSIZE"]);
    assert_eq!(escape(&a), escape(&b), "DBSIZE after reset");
}

fn run_step(conns: &mut DiffConn, step: &Step, tally: &mut Tally) -> Result<(), String> {
    match step {
        Step::Command(args, compare) => {
            let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
            let (got, want) = conns.both(&refs);
            tally.add(&want);
            compare_replies(*compare, &got, &want).map_err(|why| {
                format!(
                    "{why}\ncommand: {}\nsubject: \"{}\"\noracle:  \"{}\"",
                    escape_args(args),
                    escape(&got),
                    escape(&want)
                )
            })
        }
        Step::Settled(args) => {
            for key in KEYS {
                let exists = vec![b"EXISTS".to_vec(), key.to_vec()];
                run_step(conns, &Step::Command(exists, Compare::Exact), tally)?;
            }
            run_step(conns, &Step::Command(args.clone(), Compare::Exact), tally)
        }
        Step::Block(steps) => steps
            .iter()
            .try_for_each(|step| run_step(conns, step, tally)),
        Step::ScanAll(extra) => {
            let got = scan_all(&mut conns.subject, extra)?;
            let want = scan_all(&mut conns.oracle, extra)?;
            if got == want {
                Ok(())
            } else {
                Err(format!(
                    "SCAN {} key sets differ\nsubject: {:?}\noracle:  {:?}",
                    escape_args(extra),
                    got.iter().map(|k| escape(k)).collect::<Vec<_>>(),
                    want.iter().map(|k| escape(k)).collect::<Vec<_>>()
                ))
            }
        }
    }
}

fn value(raw: &[u8]) -> Result<Value, String> {
    decode(raw)?
        .map(|(v, _)| v)
        .ok_or_else(|| "incomplete reply".to_string())
}

fn compare_replies(compare: Compare, got: &[u8], want: &[u8]) -> Result<(), String> {
    if got == want {
        return Ok(());
    }
    match compare {
        Compare::Exact => Err("replies differ".into()),
        Compare::Within(tolerance) => match (value(got)?, value(want)?) {
            (Value::Int(a), Value::Int(b)) if a >= 0 && b >= 0 && (a - b).abs() <= tolerance => {
                Ok(())
            }
            _ => Err(format!("replies differ by more than {tolerance}")),
        },
        Compare::Unordered => match (value(got)?, value(want)?) {
            (a, b) if a.items().is_some() && b.items().is_some() => {
                let mut a = a.items().unwrap_or_default().to_vec();
                let mut b = b.items().unwrap_or_default().to_vec();
                a.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
                b.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
                if a == b {
                    Ok(())
                } else {
                    Err("replies differ even when sorted".into())
                }
            }
            _ => Err("replies differ".into()),
        },
        Compare::Members => match sorted(value(got)?) == sorted(value(want)?) {
            true => Ok(()),
            false => Err("replies differ even with every aggregate sorted".into()),
        },
        Compare::Shape => match shape(&value(got)?) == shape(&value(want)?) {
            true => Ok(()),
            false => Err("replies differ in shape".into()),
        },
        Compare::ScanPairs => {
            let pairs = |v: Value| -> Option<(Vec<u8>, Vec<String>)> {
                let [cursor, batch] = v.items()? else {
                    return None;
                };
                let mut p: Vec<String> =
                    batch.items()?.chunks(2).map(|c| format!("{c:?}")).collect();
                p.sort();
                Some((cursor.bytes()?.to_vec(), p))
            };
            match (pairs(value(got)?), pairs(value(want)?)) {
                (Some(a), Some(b)) if a == b => Ok(()),
                _ => Err("scan pairs differ".into()),
            }
        }
    }
}

/// `v` with the elements of every array and set sorted, recursively.
fn sorted(v: Value) -> Value {
    let sort = |items: Vec<Value>| {
        let mut items: Vec<Value> = items.into_iter().map(sorted).collect();
        items.sort_by_key(|x| format!("{x:?}"));
        items
    };
    match v {
        Value::Array(Some(items)) => Value::Array(Some(sort(items))),
        Value::Set(items) => Value::Set(sort(items)),
        other => other,
    }
}

/// What a random reply must agree on: its types and aggregate sizes, recursively, without
/// payloads (bulk strings, doubles); errors and integers are kept whole.
fn shape(v: &Value) -> String {
    let all = |items: &[Value]| items.iter().map(shape).collect::<Vec<String>>().join(",");
    match v {
        Value::Error(e) => format!("error {}", escape(e)),
        Value::Array(Some(items)) => format!("array [{}]", all(items)),
        Value::Set(items) => format!("set [{}]", all(items)),
        Value::Map(pairs) => {
            let inner: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}:{}", shape(k), shape(v)))
                .collect();
            format!("map [{}]", inner.join(","))
        }
        Value::Bulk(Some(_)) => "bulk".into(),
        Value::Double(_) => "double".into(),
        other => format!("{other:?}"),
    }
}

/// Iterates SCAN from cursor 0 until it returns 0, collecting the keys (sorted, deduplicated).
fn scan_all(conn: &mut Conn, extra: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, String> {
    let mut cursor = b"0".to_vec();
    let mut keys = Vec::new();
    for _ in 0..SCAN_CALLS {
        let mut args: Vec<&[u8]> = vec![b"SCAN", &cursor];
        args.extend(extra.iter().map(Vec::as_slice));
        conn.send(&encode(&args));
        let raw = conn.read_reply();
        if raw.starts_with(b"-") {
            // A rejected option is part of the contract too: the error stands in for the keys.
            return Ok(vec![raw]);
        }
        let reply = value(&raw)?;
        let parts = reply
            .items()
            .ok_or_else(|| format!("SCAN reply is not an array: \"{}\"", escape(&raw)))?;
        let [next, batch] = parts else {
            return Err(format!("SCAN reply is not a pair: \"{}\"", escape(&raw)));
        };
        for key in batch.items().ok_or("SCAN batch is not an array")? {
            keys.push(key.bytes().ok_or("SCAN key is not a string")?.to_vec());
        }
        cursor = next.bytes().ok_or("SCAN cursor is not a string")?.to_vec();
        if cursor == b"0" {
            keys.sort();
            keys.dedup();
            return Ok(keys);
        }
    }
    Err(format!("SCAN did not finish within {SCAN_CALLS} calls"))
}

#[test]
fn differential_resp2() {
    run(2, &[]);
}

#[test]
fn differential_resp3() {
    run(3, &[]);
}

/// With two data cores, multi-key commands (MGET, MSET, RENAME, COPY, DEL, EXISTS, KEYS, SCAN,
/// DBSIZE) span shards.
#[test]
fn differential_resp2_two_cores() {
    run(2, &["--cores", "2"]);
}

/// Short TTLs cannot be part of the random streams (a key could expire on one side only), so
/// they are checked here: the remaining time must agree within a tolerance, and the keys must
/// disappear from both servers.
#[test]
fn differential_short_ttls_expire_on_both() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_str(&["SET", "a", "1", "PX", "300"]);
    c.check_str(&["SET", "b", "2", "EX", "1"]);
    c.check_str(&["SET", "c", "3"]);
    c.check_str(&["PEXPIRE", "c", "400"]);
    c.check_str(&["SET", "d", "4"]);
    c.check_str(&["PEXPIREAT", "d", &(now_ms() + 500).to_string()]);
    for (cmd, key, tolerance) in [("PTTL", "a", 100), ("TTL", "b", 1), ("PTTL", "c", 100)] {
        let (got, want) = c.both(&[cmd.as_bytes(), key.as_bytes()]);
        compare_replies(Compare::Within(tolerance), &got, &want).unwrap_or_else(|e| {
            panic!(
                "{cmd} {key}: {e}: subject \"{}\" oracle \"{}\"",
                escape(&got),
                escape(&want)
            )
        });
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (got, want) = c.both(&[b"EXISTS", b"a", b"b", b"c", b"d"]);
        if got == b":0\r\n" && want == b":0\r\n" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "keys did not expire: subject \"{}\" oracle \"{}\"",
            escape(&got),
            escape(&want)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    c.check_all(&["GET a", "TTL b", "PTTL c", "DBSIZE", "KEYS *"]);
}

#[test]
fn streams_are_deterministic_and_comparisons_strict() {
    let render = |steps: Vec<Step>| -> Vec<String> {
        steps
            .iter()
            .map(|s| match s {
                Step::Command(a, c) => format!("{} {c:?}", escape_args(a)),
                Step::Settled(a) => format!("settled {}", escape_args(a)),
                Step::ScanAll(a) => format!("scan {}", escape_args(a)),
                Step::Block(steps) => format!("block of {}", steps.len()),
            })
            .collect()
    };
    assert_eq!(render(stream(9, 300, 1)), render(stream(9, 300, 1)));
    assert_ne!(render(stream(9, 300, 1)), render(stream(10, 300, 1)));
    assert!(compare_replies(Compare::Exact, b"$1\r\na\r\n", b"$1\r\nb\r\n").is_err());
    assert!(compare_replies(Compare::Within(1), b":99\r\n", b":100\r\n").is_ok());
    assert!(compare_replies(Compare::Within(1), b":98\r\n", b":100\r\n").is_err());
    assert!(compare_replies(Compare::Within(1), b":-1\r\n", b":0\r\n").is_err());
    let (ab, ba) = (
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n$1\r\nb\r\n$1\r\na\r\n",
    );
    assert!(compare_replies(Compare::Unordered, ab, ba).is_ok());
    assert!(compare_replies(Compare::Unordered, ab, b"*1\r\n$1\r\na\r\n").is_err());
}
