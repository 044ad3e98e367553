//! Hash commands, checked against the oracle with hand-picked sequences (listpack order,
//! conversion to a hashtable at redis's limits, RESP3 maps, HSCAN to completion) and through
//! a real client library.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use redis::Commands;

use super::harness::{DiffConn, Pair, Server};
use super::resp::{decode, encode, Conn, Value};

/// Switches both connections to RESP3 (HELLO's reply carries a client id, so it differs).
pub fn hello3(c: &mut DiffConn) {
    let (a, b) = c.both(&[b"HELLO", b"3"]);
    assert!(a.starts_with(b"%") && b.starts_with(b"%"));
}

/// Decodes a reply, sorting every aggregate (for hashtable-encoded values).
pub fn sorted(raw: &[u8]) -> String {
    fn sort(v: Value) -> Value {
        let by_debug = |mut items: Vec<Value>| {
            items = items.into_iter().map(sort).collect();
            items.sort_by_key(|x| format!("{x:?}"));
            items
        };
        match v {
            Value::Array(Some(items)) => Value::Array(Some(by_debug(items))),
            Value::Set(items) => Value::Set(by_debug(items)),
            Value::Map(pairs) => {
                let mut pairs: Vec<(Value, Value)> = pairs;
                pairs.sort_by_key(|p| format!("{p:?}"));
                Value::Map(pairs)
            }
            other => other,
        }
    }
    let (v, _) = decode(raw).expect("valid reply").expect("complete reply");
    format!("{:?}", sort(v))
}

/// Sends `line` to both and asserts the replies agree once aggregates are sorted.
pub fn check_unordered(c: &mut DiffConn, line: &str) {
    let words: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    let (got, want) = c.both(&words);
    assert_eq!(sorted(&got), sorted(&want), "{line}");
}

#[test]
fn hash_commands_match_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "HSET h b 1 a 2 c 3",
        "HSET h a 9",
        "HSET h odd",
        "HMSET h x 1 y",
        "HMSET h x 1 y 2",
        "HGETALL h",
        "HKEYS h",
        "HVALS h",
        "HMGET h a nope x",
        "HSETNX h a 1",
        "HSETNX h new 1",
        "HSTRLEN h a",
        "HEXISTS h nope",
        "HDEL h a nope b",
        "HLEN h",
        "HINCRBY h c 5",
        "HINCRBY h c 9223372036854775807",
        "HINCRBY h c abc",
        "HINCRBY h x 01",
        "HINCRBYFLOAT h c 0.1",
        "HINCRBYFLOAT hf c 1e4000",
        "OBJECT ENCODING hf",
        "HINCRBYFLOAT h c -inf",
        "HINCRBYFLOAT h fl 3.0e-5",
        "HINCRBYFLOAT hf fl 1.7976931348623157e308",
        "HINCRBYFLOAT h fl 12345678.25",
        "HRANDFIELD h 100 WITHVALUES",
        "HRANDFIELD h 0",
        "HRANDFIELD h 2 WITHVALUES extra",
        "HRANDFIELD h -9223372036854775808",
        "HRANDFIELD h 4611686018427387904 WITHVALUES",
        "HRANDFIELD h -4611686018427387904 WITHVALUES",
        "HRANDFIELD h 4611686018427387903 WITHVALUES",
        "HRANDFIELD h 9223372036854775807",
        "HRANDFIELD nokey",
        "HRANDFIELD nokey -5 WITHVALUES",
        "HSCAN h 0",
        "HSCAN h 0 MATCH [xy] COUNT 1",
        "HSCAN h 0 TYPE hash",
        "HSCAN h abc",
        "HSCAN nokey 0 TYPE hash",
        "SET str v",
        "HGET str a",
        "HSET str a 1",
        "HINCRBY str a x",
        "HINCRBYFLOAT str a inf",
        "HSCAN str 0 COUNT 0",
        "GET h",
        "APPEND h x",
        "TYPE h",
        "OBJECT ENCODING h",
        "HDEL h c x y new fl",
        "EXISTS h",
    ]);
    hello3(&mut c);
    c.check_all(&[
        "HSET h f v g w",
        "HGETALL h",
        "HGETALL nokey",
        "HRANDFIELD h 10 WITHVALUES",
        "HRANDFIELD nokey",
        "HMGET h f nope",
    ]);
}

#[test]
fn listpack_limits_and_hashtable_replies() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let fields: Vec<String> = (0..512).map(|i| format!("f{i} v{i}")).collect();
    c.check_all(&[
        &format!("HSET big {}", fields.join(" ")),
        "OBJECT ENCODING big",
    ]);
    c.check_all(&["HGETALL big", "HSCAN big 0 COUNT 5", "HSET big f512 x"]);
    c.check_all(&["OBJECT ENCODING big", "HLEN big", "HGET big f77"]);
    check_unordered(&mut c, "HGETALL big");
    check_unordered(&mut c, "HKEYS big");
    check_unordered(&mut c, "HRANDFIELD big 1000 WITHVALUES");
    let long = "x".repeat(65);
    c.check_all(&[
        &format!("HSET wide a {}", "y".repeat(64)),
        "OBJECT ENCODING wide",
        &format!("HSET wide b {long}"),
        "OBJECT ENCODING wide",
        &format!("HSETNX key{long} f v"),
        &format!("HSET keyf {long} v"),
        "OBJECT ENCODING keyf",
    ]);
    // HSCAN over a hashtable: both servers must hand out every field once iterated through.
    let as_map = |items: Vec<Vec<u8>>| -> BTreeMap<Vec<u8>, Vec<u8>> {
        items
            .chunks(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect()
    };
    let ours = as_map(scan_to_end(&mut c.subject, "HSCAN", "big"));
    let theirs = as_map(scan_to_end(&mut c.oracle, "HSCAN", "big"));
    assert_eq!(ours.len(), 513, "every field seen");
    assert_eq!(ours, theirs);
}

/// Iterates `cmd key cursor COUNT 7` until the cursor is 0; returns every element seen, in
/// order (a field may come twice when the table changed between calls).
pub fn scan_to_end(conn: &mut Conn, cmd: &str, key: &str) -> Vec<Vec<u8>> {
    let mut cursor = b"0".to_vec();
    let mut seen = Vec::new();
    for _ in 0..10_000 {
        conn.send(&encode(&[
            cmd.as_bytes(),
            key.as_bytes(),
            &cursor,
            b"COUNT",
            b"7",
        ]));
        let raw = conn.read_reply();
        let (reply, _) = decode(&raw).expect("valid reply").expect("complete");
        let [next, batch] = reply.items().expect("an array") else {
            panic!("{cmd} replied {reply:?}");
        };
        for item in batch.items().expect("a batch") {
            seen.push(item.bytes().expect("a string").to_vec());
        }
        cursor = next.bytes().expect("a cursor").to_vec();
        if cursor == b"0" {
            return seen;
        }
    }
    panic!("{cmd} did not finish");
}

#[test]
fn typed_hash_commands() {
    let server = Server::start(&[]);
    let mut con = server.redis_conn();
    let added: i64 = con.hset("user", "name", "ada").unwrap();
    assert_eq!(added, 1);
    let () = con
        .hset_multiple("user", &[("name", "ada"), ("lang", "en")])
        .unwrap();
    let name: String = con.hget("user", "name").unwrap();
    assert_eq!(name, "ada");
    let all: HashMap<String, String> = con.hgetall("user").unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all["lang"], "en");
    let n: i64 = con.hincr("user", "visits", 3).unwrap();
    assert_eq!(n, 3);
    let keys: BTreeSet<String> = con.hkeys("user").unwrap();
    assert_eq!(
        keys,
        BTreeSet::from(["lang".into(), "name".into(), "visits".into()])
    );
    let removed: i64 = con.hdel("user", &["name", "nope"]).unwrap();
    assert_eq!(removed, 1);
    let exists: bool = con.hexists("user", "name").unwrap();
    assert!(!exists);
    let err = con.get::<_, String>("user").expect_err("GET on a hash");
    assert_eq!(err.code(), Some("WRONGTYPE"));
}

/// The encoding limits follow CONFIG SET on every core, and the command line at start-up.
#[test]
fn encoding_limits_follow_the_configuration() {
    let pair = Pair::start(&["--cores", "2", "--set-max-intset-entries", "3"]);
    let mut c = pair.conns();
    c.check_all(&[
        "CONFIG SET hash-max-listpack-entries 2 hash-max-listpack-value 5",
        "HSET a f 1 g 2",
        "HSET b f 1 g 2",
        "HSET c f 1 g 2",
        "OBJECT ENCODING a",
        "HSET a h 3",
        "HSET b f 123456",
        "HSET c long-field 1",
        "OBJECT ENCODING a",
        "OBJECT ENCODING b",
        "OBJECT ENCODING c",
        "SADD s 1 2 3",
        "SADD t 1 2 3",
        "OBJECT ENCODING s",
        "SADD s 4",
        "OBJECT ENCODING s",
        "SUNIONSTORE u t",
        "OBJECT ENCODING u",
        "CONFIG SET set-max-intset-entries 10 hash-max-ziplist-entries 10",
        "SUNIONSTORE u s",
        "OBJECT ENCODING u",
        "HSET d 1 1 2 2 3 3",
        "OBJECT ENCODING d",
    ]);
}
