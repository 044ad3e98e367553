//! Keyspace commands, checked against the oracle: the expire option matrix, TTLs carried by
//! RENAME and COPY, glob patterns, and SCAN over a keyspace large enough to need many calls.

use std::time::{SystemTime, UNIX_EPOCH};

use super::harness::{subject_is_redis, Pair};
use super::resp::{decode, encode, escape, Conn, Value};

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

#[test]
fn expire_options_matrix() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET k v",
        "TTL k",
        "PTTL k",
        "EXPIRETIME k",
        "PEXPIRETIME k",
        "EXPIRE k 1000 XX",
        "EXPIRE k 1000 GT",
        "EXPIRE k 1000 LT",
        "TTL k",
        "EXPIRE k 2000 NX",
        "EXPIRE k 3000 GT",
        "EXPIRE k 500 LT",
        "EXPIRE k 9000 LT",
        "EXPIRE k 100 GT",
        "EXPIRE k 100 NX XX",
        "EXPIRE k 100 GT LT",
        "EXPIRE k 100 NX GT",
        "EXPIRE k 100 XX GT",
        "EXPIRE k 100 FOO",
        "EXPIRE k x",
        "EXPIRE k 9223372036854775807",
        "PEXPIRE k 9223372036854775807",
        "EXPIRE k -9223372036854775808",
        "PERSIST k",
        "PERSIST k",
        "TTL k",
        "PERSIST missing",
        "TTL missing",
        "PTTL missing",
        "EXPIRETIME missing",
        "EXPIRE missing 100",
        "EXPIREAT k 1",
        "EXISTS k",
        "SET k v",
        "PEXPIRE k -1",
        "EXISTS k",
        "SET k v",
        "EXPIRE k 0 NX",
        "EXISTS k",
        "SET k v EX 1000",
        "EXPIRE k 0 GT",
        "EXPIRE k -1 LT",
        "EXISTS k",
    ]);
    let at = (unix_seconds() + 100_000).to_string();
    let at_ms = (unix_seconds() * 1000 + 200_000_000).to_string();
    c.check_str(&["SET", "t", "v"]);
    c.check_str(&["EXPIREAT", "t", &at]);
    c.check_str(&["EXPIRETIME", "t"]);
    c.check_str(&["PEXPIREAT", "t", &at_ms, "LT"]);
    c.check_str(&["PEXPIREAT", "t", &at_ms, "GT"]);
    c.check_str(&["PEXPIRETIME", "t"]);
    c.check_str(&["EXPIRETIME", "t"]);
    c.check_str(&["SET", "t", "v2", "KEEPTTL"]);
    c.check_str(&["PEXPIRETIME", "t"]);
    c.check_str(&["SET", "t", "v3"]);
    c.check_str(&["PEXPIRETIME", "t"]);
    c.check_str(&["SET", "t", "v", "EXAT", &at]);
    c.check_str(&["GETEX", "t", "PXAT", &at_ms]);
    c.check_str(&["PEXPIRETIME", "t"]);
    c.check_str(&["GETEX", "t", "PERSIST"]);
    c.check_str(&["PEXPIRETIME", "t"]);
}

#[test]
fn rename_copy_and_delete() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let at = (unix_seconds() + 100_000).to_string();
    c.check_str(&["SET", "a", "1", "EXAT", &at]);
    c.check_all(&[
        "RENAME a b",
        "EXISTS a b",
        "RENAME a b",
        "RENAME b b",
        "RENAMENX b b",
        "SET c 3",
        "RENAMENX b c",
        "RENAMENX b d",
        "COPY d e",
        "COPY d e",
        "COPY d e REPLACE",
        "COPY d d",
        "COPY missing e",
        "COPY d f DB 0",
        "COPY d f DB 99999",
        "COPY d f DB x",
        "COPY d f FOO",
        "MGET d e f",
        "EXISTS d d d missing",
        "TOUCH d e missing",
        "TYPE d",
        "TYPE missing",
        "DEL d d e",
        "UNLINK f f missing",
        "DEL",
        "DBSIZE",
    ]);
    for key in ["d", "e", "f", "c"] {
        c.check_str(&["EXPIRETIME", key]);
    }
    // SoliKV has database 0 only (like Redis Cluster); redis-server has 16.
    c.check_str(&["SET", "dbsrc", "v"]);
    let (subject, oracle) = c.both(&[b"COPY", b"dbsrc", b"f", b"DB", b"1", b"REPLACE"]);
    assert_eq!(oracle, b":1\r\n");
    if !subject_is_redis() {
        assert_eq!(subject, b"-ERR DB index is out of range\r\n");
    }
}

#[test]
fn keys_glob_patterns() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let names = [
        "hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo", "h[a]llo", "h\\llo",
        "hEllo", "a-b", "-", "]", "x^y",
    ];
    for name in names {
        c.check_str(&["SET", name, "1"]);
    }
    let patterns = [
        "h?llo",
        "h*llo",
        "h[ae]llo",
        "h[^e]llo",
        "h[a-b]llo",
        "h[b-a]llo",
        "h\\*llo",
        "h\\?llo",
        "h[\\]]llo",
        "*",
        "h*",
        "[",
        "[a-",
        "\\",
        "*\\",
        "h[!e]llo",
        "H*",
        "*[-]*",
        "[]]",
        "x[^]y",
        "nomatch",
        "",
    ];
    for pattern in patterns {
        let mut sorted = Vec::new();
        for conn in [&mut c.subject, &mut c.oracle] {
            sorted.push(sorted_keys(conn, &["KEYS", pattern]));
        }
        assert_eq!(sorted[0], sorted[1], "KEYS {pattern} (left: subject)");
    }
}

/// Sends a command answering an array of strings and returns the strings sorted.
fn sorted_keys(conn: &mut Conn, args: &[&str]) -> Vec<String> {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    let raw = conn.call(&args);
    let (value, _) = decode(&raw).expect("decodable").expect("complete");
    let mut keys: Vec<String> = match value.items() {
        Some(items) => items
            .iter()
            .map(|k| escape(k.bytes().expect("key is a string")))
            .collect(),
        None => vec![format!("not an array: {}", escape(&raw))],
    };
    keys.sort();
    keys
}

/// Iterates SCAN to completion; returns the sorted keys and how many calls it took.
fn scan(conn: &mut Conn, extra: &[&str]) -> (Vec<Vec<u8>>, usize) {
    let mut cursor = b"0".to_vec();
    let mut keys = Vec::new();
    for calls in 1..=10_000 {
        let mut args: Vec<&[u8]> = vec![b"SCAN", &cursor];
        args.extend(extra.iter().map(|a| a.as_bytes()));
        let raw = conn.call(&args);
        let (value, _) = decode(&raw).expect("decodable").expect("complete");
        let Some([next, batch]) = value.items() else {
            panic!("SCAN reply: {}", escape(&raw));
        };
        keys.extend(
            batch
                .items()
                .expect("batch")
                .iter()
                .map(|k| k.bytes().expect("key").to_vec()),
        );
        cursor = next.bytes().expect("cursor").to_vec();
        if cursor == b"0" {
            keys.sort();
            return (keys, calls);
        }
    }
    panic!("SCAN {extra:?} did not finish");
}

#[test]
fn scan_covers_the_keyspace() {
    const KEYS: usize = 1000;
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let mut mset = vec![b"MSET".to_vec()];
    for i in 0..KEYS {
        mset.push(format!("key:{i}").into_bytes());
        mset.push(i.to_string().into_bytes());
    }
    let refs: Vec<&[u8]> = mset.iter().map(Vec::as_slice).collect();
    c.check_raw(&encode(&refs), 1);
    for extra in [
        &[][..],
        &["COUNT", "7"],
        &["MATCH", "key:1*"],
        &["MATCH", "key:1*", "COUNT", "1000"],
        &["TYPE", "string"],
        &["TYPE", "list"],
    ] {
        let (got, calls) = scan(&mut c.subject, extra);
        let (want, _) = scan(&mut c.oracle, extra);
        assert_eq!(got.len(), want.len(), "SCAN {extra:?}: key counts");
        assert_eq!(got, want, "SCAN {extra:?}: key sets");
        if extra.is_empty() {
            assert_eq!(got.len(), KEYS);
            assert!(
                calls > 1,
                "a full SCAN of {KEYS} keys should take several calls"
            );
        }
    }
    c.check_all(&[
        "SCAN x",
        "SCAN 0 COUNT 0",
        "SCAN 0 COUNT x",
        "SCAN 0 MATCH",
        "SCAN 0 FOO bar",
        "SCAN 18446744073709551616",
        "DBSIZE",
    ]);
    let (value, _) = decode(&c.check_str(&["DBSIZE"])).unwrap().unwrap();
    assert_eq!(value, Value::Int(KEYS as i64));
}
