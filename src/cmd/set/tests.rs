//! Unit tests of the set handlers against one keyspace (RESP2 replies as redis-server
//! 7.0.15 gives them).

use crate::cmd::keys::testing::{keyspace, run};

#[test]
fn intsets_reply_in_ascending_order_and_convert_on_strings() {
    let mut ks = keyspace(1_000);
    assert_eq!(run(&mut ks, &["SADD", "s", "3", "-1", "2", "3"]), ":3\r\n");
    assert_eq!(
        run(&mut ks, &["SMEMBERS", "s"]),
        "*3\r\n$2\r\n-1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    );
    assert_eq!(
        run(&mut ks, &["OBJECT", "ENCODING", "s"]),
        "$6\r\nintset\r\n"
    );
    run(&mut ks, &["SADD", "s", "x"]);
    assert_eq!(
        run(&mut ks, &["OBJECT", "ENCODING", "s"]),
        "$9\r\nhashtable\r\n"
    );
    assert_eq!(
        run(&mut ks, &["SMISMEMBER", "s", "x", "9"]),
        "*2\r\n:1\r\n:0\r\n"
    );
    assert_eq!(run(&mut ks, &["SREM", "s", "x", "-1", "2", "3"]), ":4\r\n");
    assert_eq!(run(&mut ks, &["EXISTS", "s"]), ":0\r\n");
}

#[test]
fn algebra_type_checks_every_key_and_stores_intsets() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["SADD", "a", "1", "2", "3", "x"]);
    run(&mut ks, &["SADD", "b", "3", "2", "9"]);
    run(&mut ks, &["SET", "str", "v"]);
    assert!(run(&mut ks, &["SINTER", "nokey", "str"]).starts_with("-WRONGTYPE"));
    assert_eq!(
        run(&mut ks, &["SINTER", "a", "b"]),
        "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"
    );
    assert_eq!(run(&mut ks, &["SINTERSTORE", "d", "a", "b"]), ":2\r\n");
    assert_eq!(
        run(&mut ks, &["OBJECT", "ENCODING", "d"]),
        "$6\r\nintset\r\n"
    );
    assert_eq!(run(&mut ks, &["SDIFF", "b", "a"]), "*1\r\n$1\r\n9\r\n");
    assert_eq!(run(&mut ks, &["SUNIONSTORE", "u", "b", "nokey"]), ":3\r\n");
    assert_eq!(run(&mut ks, &["SINTERSTORE", "u", "b", "nokey"]), ":0\r\n");
    assert_eq!(run(&mut ks, &["EXISTS", "u"]), ":0\r\n");
    assert_eq!(
        run(&mut ks, &["SINTERCARD", "2", "a", "b", "LIMIT", "1"]),
        ":1\r\n"
    );
    assert_eq!(
        run(&mut ks, &["SINTERCARD", "3", "a", "b"]),
        "-ERR Number of keys can't be greater than number of args\r\n"
    );
    assert_eq!(run(&mut ks, &["SMOVE", "b", "a", "9"]), ":1\r\n");
    assert!(run(&mut ks, &["SMOVE", "b", "str", "9"]).starts_with("-WRONGTYPE"));
    assert_eq!(run(&mut ks, &["SMOVE", "nokey", "str", "9"]), ":0\r\n");
}

#[test]
fn pops_and_random_members() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["SADD", "s", "1", "2", "3", "4"]);
    assert_eq!(
        run(&mut ks, &["SRANDMEMBER", "s", "10"]),
        "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"
    );
    assert_eq!(
        run(&mut ks, &["SRANDMEMBER", "s", "-6"])
            .matches('$')
            .count(),
        6
    );
    assert_eq!(run(&mut ks, &["SPOP", "s", "2"]).matches('$').count(), 2);
    assert_eq!(run(&mut ks, &["SCARD", "s"]), ":2\r\n");
    assert_eq!(
        run(&mut ks, &["SPOP", "s", "-1"]),
        "-ERR value is out of range, must be positive\r\n"
    );
    assert_eq!(run(&mut ks, &["SPOP", "s", "5"]).matches('$').count(), 2);
    assert_eq!(run(&mut ks, &["EXISTS", "s"]), ":0\r\n");
    assert_eq!(run(&mut ks, &["SPOP", "s"]), "$-1\r\n");
}

#[test]
fn huge_negative_counts_are_refused_instead_of_exhausting_memory() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["SADD", "s", "1"]);
    run(&mut ks, &["HSET", "h", "f", "v"]);
    for line in [
        &["SRANDMEMBER", "s", "-9223372036854775807"][..],
        &["HRANDFIELD", "h", "-9223372036854775807"],
        &["HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"],
    ] {
        assert_eq!(
            run(&mut ks, line),
            "-ERR value is out of range\r\n",
            "{line:?}"
        );
    }
    assert_eq!(
        run(&mut ks, &["SRANDMEMBER", "s", "-3"])
            .matches('$')
            .count(),
        3
    );
}
