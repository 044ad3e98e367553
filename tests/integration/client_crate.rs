//! The server under test driven by a real client library (the `redis` crate, synchronous):
//! typed replies must decode the way they do against redis-server.

use redis::{Commands, RedisResult, Value as RedisValue};

use super::harness::Server;

#[test]
fn typed_string_commands() {
    let server = Server::start(&[]);
    let mut con = server.redis_conn();
    let () = con.set("greeting", "hello").unwrap();
    let got: String = con.get("greeting").unwrap();
    assert_eq!(got, "hello");
    let missing: Option<String> = con.get("missing").unwrap();
    assert_eq!(missing, None);
    let n: i64 = con.incr("counter", 5).unwrap();
    assert_eq!(n, 5);
    let n: i64 = con.decr("counter", 7).unwrap();
    assert_eq!(n, -2);
    let f: f64 = con.incr("float", 1.5).unwrap();
    assert_eq!(f, 1.5);
    let () = con.mset(&[("a", "1"), ("b", "2")]).unwrap();
    let values: Vec<Option<String>> = con.mget(&["a", "missing", "b"]).unwrap();
    assert_eq!(values, [Some("1".into()), None, Some("2".into())]);
    let len: usize = con.append("a", "23").unwrap();
    assert_eq!(len, 3);
    let bytes: Vec<u8> = con.get("a").unwrap();
    assert_eq!(bytes, b"123");
    let failed: RedisResult<i64> = con.incr("greeting", 1);
    let err = failed.expect_err("INCR on a non-integer fails");
    assert_eq!(err.code(), Some("ERR"), "{err}");
}

#[test]
fn typed_expiry_commands() {
    let server = Server::start(&[]);
    let mut con = server.redis_conn();
    let () = con.set("k", "v").unwrap();
    let ttl: i64 = con.ttl("k").unwrap();
    assert_eq!(ttl, -1);
    let set: bool = con.expire("k", 100).unwrap();
    assert!(set);
    let ttl: i64 = con.ttl("k").unwrap();
    assert!((99..=100).contains(&ttl), "TTL {ttl}");
    let pttl: i64 = con.pttl("k").unwrap();
    assert!((98_000..=100_000).contains(&pttl), "PTTL {pttl}");
    let persisted: bool = con.persist("k").unwrap();
    assert!(persisted);
    let () = con.set_ex("e", "v", 50).unwrap();
    let ttl: i64 = con.ttl("e").unwrap();
    assert!((49..=50).contains(&ttl), "TTL {ttl}");
    let ttl: i64 = con.ttl("missing").unwrap();
    assert_eq!(ttl, -2);
    let gone: bool = con.expire("missing", 10).unwrap();
    assert!(!gone);
}

#[test]
fn pipelines_and_raw_commands() {
    let server = Server::start(&[]);
    let mut con = server.redis_conn();
    let (a, b, n): (String, Option<String>, i64) = redis::pipe()
        .set("p", "x")
        .ignore()
        .get("p")
        .get("nope")
        .incr("pn", 3)
        .query(&mut con)
        .unwrap();
    assert_eq!((a.as_str(), b, n), ("x", None, 3));
    let pong: String = redis::cmd("PING").query(&mut con).unwrap();
    assert_eq!(pong, "PONG");
    let echoed: Vec<u8> = redis::cmd("ECHO")
        .arg(&b"bin\x00\r\n"[..])
        .query(&mut con)
        .unwrap();
    assert_eq!(echoed, b"bin\x00\r\n");
    let exists: i64 = redis::cmd("EXISTS")
        .arg("p")
        .arg("p")
        .arg("nope")
        .query(&mut con)
        .unwrap();
    assert_eq!(exists, 2);
    let raw: RedisValue = redis::cmd("DBSIZE").query(&mut con).unwrap();
    assert_eq!(raw, RedisValue::Int(2));
}
