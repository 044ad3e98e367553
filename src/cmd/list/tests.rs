//! Unit tests of the list handlers against one keyspace (RESP2 replies as redis-server
//! 7.0.15 gives them).

use crate::cmd::keys::testing::{keyspace, run};

#[test]
fn pushes_pops_and_ranges() {
    let mut ks = keyspace(1_000);
    assert_eq!(run(&mut ks, &["RPUSH", "l", "a", "b", "c"]), ":3\r\n");
    assert_eq!(run(&mut ks, &["LPUSH", "l", "z"]), ":4\r\n");
    assert_eq!(run(&mut ks, &["LPUSHX", "nokey", "z"]), ":0\r\n");
    assert_eq!(
        run(&mut ks, &["LRANGE", "l", "-3", "100"]),
        "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(run(&mut ks, &["LINDEX", "l", "-1"]), "$1\r\nc\r\n");
    assert_eq!(
        run(&mut ks, &["LPOP", "l", "2"]),
        "*2\r\n$1\r\nz\r\n$1\r\na\r\n"
    );
    assert_eq!(run(&mut ks, &["LPOP", "nokey", "2"]), "*-1\r\n");
    assert_eq!(
        run(&mut ks, &["LPOP", "l", "1", "2"]),
        "-ERR wrong number of arguments for 'lpop' command\r\n"
    );
    assert_eq!(
        run(&mut ks, &["RPOP", "l", "5"]),
        "*2\r\n$1\r\nc\r\n$1\r\nb\r\n"
    );
    assert_eq!(run(&mut ks, &["EXISTS", "l"]), ":0\r\n");
}

#[test]
fn edits_inside_a_list() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["RPUSH", "l", "a", "b", "a", "c", "a"]);
    assert_eq!(
        run(&mut ks, &["LPOS", "l", "a", "RANK", "-1", "COUNT", "0"]),
        "*3\r\n:4\r\n:2\r\n:0\r\n"
    );
    assert_eq!(
        run(&mut ks, &["LPOS", "l", "a", "RANK", "2", "MAXLEN", "2"]),
        "$-1\r\n"
    );
    assert_eq!(run(&mut ks, &["LREM", "l", "-2", "a"]), ":2\r\n");
    assert_eq!(run(&mut ks, &["LINSERT", "l", "AFTER", "b", "x"]), ":4\r\n");
    assert_eq!(
        run(&mut ks, &["LINSERT", "l", "BEFORE", "nope", "x"]),
        ":-1\r\n"
    );
    assert_eq!(
        run(&mut ks, &["LSET", "l", "9", "x"]),
        "-ERR index out of range\r\n"
    );
    assert_eq!(
        run(&mut ks, &["LSET", "nokey", "0", "x"]),
        "-ERR no such key\r\n"
    );
    assert_eq!(run(&mut ks, &["LTRIM", "l", "1", "-2"]), "+OK\r\n");
    assert_eq!(
        run(&mut ks, &["LRANGE", "l", "0", "-1"]),
        "*2\r\n$1\r\nb\r\n$1\r\nx\r\n"
    );
    assert_eq!(run(&mut ks, &["LTRIM", "l", "5", "1"]), "+OK\r\n");
    assert_eq!(run(&mut ks, &["EXISTS", "l"]), ":0\r\n");
}

#[test]
fn moves_between_lists() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["RPUSH", "a", "1", "2"]);
    assert_eq!(
        run(&mut ks, &["LMOVE", "a", "a", "LEFT", "RIGHT"]),
        "$1\r\n1\r\n"
    );
    assert_eq!(
        run(&mut ks, &["LRANGE", "a", "0", "-1"]),
        "*2\r\n$1\r\n2\r\n$1\r\n1\r\n"
    );
    assert_eq!(run(&mut ks, &["RPOPLPUSH", "a", "b"]), "$1\r\n1\r\n");
    assert_eq!(
        run(&mut ks, &["LMPOP", "2", "nokey", "b", "LEFT", "COUNT", "5"]),
        "*2\r\n$1\r\nb\r\n*1\r\n$1\r\n1\r\n"
    );
    assert_eq!(run(&mut ks, &["LMPOP", "1", "b", "LEFT"]), "*-1\r\n");
    assert_eq!(
        run(&mut ks, &["LMPOP", "1", "b", "LEFT", "COUNT", "0"]),
        "-ERR count should be greater than 0\r\n"
    );
    run(&mut ks, &["SET", "s", "x"]);
    assert!(run(&mut ks, &["LMOVE", "a", "s", "LEFT", "LEFT"]).starts_with("-WRONGTYPE"));
    assert_eq!(run(&mut ks, &["LLEN", "a"]), ":1\r\n");
}
