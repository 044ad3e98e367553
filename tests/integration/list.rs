//! List commands, checked against the oracle with hand-picked sequences (index and range
//! clamping, LPOS options, LMPOP errors, RESP3 nulls), across two data cores (LMOVE, LMPOP)
//! and through a real client library.

use redis::Commands;

use super::harness::{Pair, Server};
use super::hash::hello3;
use super::set::keys_on_alternating_cores;

#[test]
fn list_commands_match_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "RPUSH l a b c a d a",
        "LPUSH l z y",
        "LPUSHX nokey a",
        "RPUSHX l tail",
        "LLEN l",
        "LRANGE l 0 -1",
        "LRANGE l -3 -2",
        "LRANGE l 5 2",
        "LRANGE l -100 100",
        "LRANGE l 0 x",
        "LINDEX l 3",
        "LINDEX l -100",
        "LINDEX l x",
        "LINDEX nokey x",
        "LSET l -1 T",
        "LSET l 100 T",
        "LSET l x T",
        "LSET nokey 0 T",
        "LINSERT l BEFORE a A",
        "LINSERT l after a A2",
        "LINSERT l AFTER nope A",
        "LINSERT l SIDEWAYS a A",
        "LINSERT nokey BEFORE a A",
        "LPOS l a",
        "LPOS l a RANK 2",
        "LPOS l a RANK -1 COUNT 2",
        "LPOS l a COUNT 0 MAXLEN 5",
        "LPOS l a RANK 0",
        "LPOS l a RANK -9223372036854775808",
        "LPOS l a COUNT -1",
        "LPOS l a MAXLEN x",
        "LPOS l a RANK",
        "LPOS nokey a COUNT 1",
        "LREM l 1 a",
        "LREM l -1 a",
        "LREM l 0 A",
        "LREM l x a",
        "LRANGE l 0 -1",
        "LTRIM l 1 -2",
        "LTRIM l x 1",
        "LRANGE l 0 -1",
        "LPOP l",
        "RPOP l 2",
        "LPOP l 0",
        "LPOP l -1",
        "LPOP nokey 1",
        "RPOP l 1 2",
        "RPUSH src 1 2 3",
        "LMOVE src dst LEFT RIGHT",
        "LMOVE src dst right LEFT",
        "LMOVE src src LEFT RIGHT",
        "LMOVE src dst UP LEFT",
        "RPOPLPUSH src dst",
        "RPOPLPUSH src dst",
        "EXISTS src",
        "LRANGE dst 0 -1",
        "LMPOP 2 nokey dst RIGHT COUNT 2",
        "LMPOP 1 dst LEFT",
        "LMPOP 1 dst LEFT",
        "LMPOP 0 dst LEFT",
        "LMPOP 3 dst LEFT",
        "LMPOP 1 dst MIDDLE",
        "LMPOP 1 dst LEFT COUNT 0",
        "LMPOP 1 dst LEFT COUNT 1 COUNT 1",
        "SET str v",
        "LPUSH str a",
        "LRANGE str 0 1",
        "LMOVE l str LEFT LEFT",
        "LMPOP 2 nokey str LEFT",
        "GETRANGE l 0 1",
        "TYPE l",
        "OBJECT ENCODING l",
        "LTRIM l 5 1",
        "EXISTS l",
    ]);
    hello3(&mut c);
    c.check_all(&[
        "LPOP nokey 2",
        "LINDEX nokey 0",
        "LMPOP 1 nokey LEFT",
        "RPUSH r x",
        "LMPOP 1 r LEFT COUNT 3",
        "LPOS r x COUNT 0",
    ]);
}

#[test]
fn moves_across_cores() {
    let pair = Pair::start(&["--cores", "2", "--shards", "2"]);
    let mut c = pair.conns();
    let k = keys_on_alternating_cores("list:", 4);
    let (a, b, d, s) = (&k[0], &k[1], &k[2], &k[3]);
    c.check_all(&[
        &format!("RPUSH {a} 1 2 3"),
        &format!("SET {s} str"),
        &format!("LMOVE {a} {b} LEFT RIGHT"),
        &format!("RPOPLPUSH {a} {b}"),
        &format!("LMOVE {a} {s} LEFT RIGHT"),
        &format!("LMOVE {a} {b} LEFT LEFT"),
        &format!("EXISTS {a}"),
        &format!("LRANGE {b} 0 -1"),
        &format!("LMPOP 3 {a} {d} {b} RIGHT COUNT 2"),
        &format!("LMPOP 2 {a} {s} LEFT"),
        &format!("LMPOP 2 {a} {b} LEFT COUNT 5"),
        &format!("EXISTS {b}"),
    ]);
}

#[test]
fn typed_list_commands() {
    let server = Server::start(&[]);
    let mut con = server.redis_conn();
    let len: i64 = con.rpush("queue", &["a", "b", "c"]).unwrap();
    assert_eq!(len, 3);
    let len: i64 = con.lpush("queue", "z").unwrap();
    assert_eq!(len, 4);
    let all: Vec<String> = con.lrange("queue", 0, -1).unwrap();
    assert_eq!(all, ["z", "a", "b", "c"]);
    let first: String = con.lpop("queue", None).unwrap();
    assert_eq!(first, "z");
    let two: Vec<String> = con.rpop("queue", std::num::NonZeroUsize::new(2)).unwrap();
    assert_eq!(two, ["c", "b"]);
    let at: Option<String> = con.lindex("queue", 5).unwrap();
    assert_eq!(at, None);
    let moved: String = con.rpoplpush("queue", "done").unwrap();
    assert_eq!(moved, "a");
    let len: i64 = con.llen("queue").unwrap();
    assert_eq!(len, 0);
}
