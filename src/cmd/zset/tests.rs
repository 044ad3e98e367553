//! Unit tests of the sorted set handlers against a keyspace, replies compared as text (the
//! expected texts are redis-server 7.0.15's; the integration tests compare with it live).

use crate::cmd::keys::testing::{keyspace, run};

#[test]
fn zadd_reports_added_changed_and_incr() {
    let mut ks = keyspace(1_000);
    assert_eq!(run(&mut ks, &["zadd", "z", "1", "a", "2", "b"]), ":2\r\n");
    assert_eq!(
        run(&mut ks, &["zadd", "z", "ch", "5", "a", "2", "b"]),
        ":1\r\n"
    );
    assert_eq!(
        run(&mut ks, &["zadd", "z", "incr", "1.5", "a"]),
        "$3\r\n6.5\r\n"
    );
    assert_eq!(
        run(&mut ks, &["zadd", "z", "gt", "incr", "-1", "a"]),
        "$-1\r\n"
    );
    assert_eq!(
        run(&mut ks, &["zadd", "z", "incr", "-inf", "x", "1", "y"]),
        "-ERR INCR option supports a single increment-element pair\r\n"
    );
    assert_eq!(run(&mut ks, &["zadd", "z", "inf", "a"]), ":0\r\n");
    assert_eq!(
        run(&mut ks, &["zincrby", "z", "-inf", "a"]),
        "-ERR resulting score is not a number (NaN)\r\n"
    );
    assert_eq!(
        run(&mut ks, &["zadd", "z", "1e400", "a"]),
        "-ERR value is not a valid float\r\n"
    );
    assert_eq!(
        run(&mut ks, &["zrange", "z", "0", "-1"]),
        "*2\r\n$1\r\nb\r\n$1\r\na\r\n"
    );
}

#[test]
fn empty_sets_disappear() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["zadd", "z", "1", "a", "2", "b"]);
    assert_eq!(
        run(&mut ks, &["zpopmin", "z", "5"]),
        "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
    );
    assert!(ks.is_empty());
    run(&mut ks, &["zadd", "z", "1", "a"]);
    assert_eq!(
        run(&mut ks, &["zremrangebyscore", "z", "-inf", "+inf"]),
        ":1\r\n"
    );
    assert!(ks.is_empty());
    run(&mut ks, &["zadd", "z", "1", "a"]);
    assert_eq!(
        run(&mut ks, &["zrangestore", "z", "nokey", "0", "-1"]),
        ":0\r\n"
    );
    assert!(ks.is_empty());
}

#[test]
fn ranges_respect_exclusive_bounds_and_limits() {
    let mut ks = keyspace(1_000);
    run(
        &mut ks,
        &["zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
    );
    assert_eq!(run(&mut ks, &["zcount", "z", "(1", "3"]), ":2\r\n");
    assert_eq!(
        run(
            &mut ks,
            &["zrangebyscore", "z", "-inf", "+inf", "limit", "1", "2"]
        ),
        "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(
        run(
            &mut ks,
            &["zrevrangebyscore", "z", "(4", "1", "limit", "0", "1"]
        ),
        "*1\r\n$1\r\nc\r\n"
    );
    assert_eq!(run(&mut ks, &["zlexcount", "z", "[b", "(d"]), ":2\r\n");
    assert_eq!(
        run(&mut ks, &["zcount", "z", "x", "1"]),
        "-ERR min or max is not a float\r\n"
    );
}
