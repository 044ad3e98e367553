//! Unit tests of the hash handlers against one keyspace (RESP2 replies as redis-server
//! 7.0.15 gives them).

use crate::cmd::keys::testing::{keyspace, run};

#[test]
fn set_get_delete_and_empty_hashes_disappear() {
    let mut ks = keyspace(1_000);
    assert_eq!(run(&mut ks, &["HSET", "h", "a", "1", "b", "2"]), ":2\r\n");
    assert_eq!(run(&mut ks, &["HSET", "h", "a", "3", "c", "4"]), ":1\r\n");
    assert_eq!(
        run(&mut ks, &["HSET", "h", "a"]),
        "-ERR wrong number of arguments for 'hset' command\r\n"
    );
    assert_eq!(run(&mut ks, &["HGET", "h", "a"]), "$1\r\n3\r\n");
    assert_eq!(
        run(&mut ks, &["HMGET", "h", "b", "zz"]),
        "*2\r\n$1\r\n2\r\n$-1\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HGETALL", "h"]),
        "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n4\r\n"
    );
    assert_eq!(run(&mut ks, &["HDEL", "h", "a", "b", "c", "d"]), ":3\r\n");
    assert_eq!(run(&mut ks, &["EXISTS", "h"]), ":0\r\n");
    assert_eq!(run(&mut ks, &["HLEN", "h"]), ":0\r\n");
}

#[test]
fn counters_check_arguments_before_the_type() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["SET", "s", "x"]);
    assert_eq!(
        run(&mut ks, &["HINCRBY", "s", "f", "x"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert!(run(&mut ks, &["HINCRBY", "s", "f", "1"]).starts_with("-WRONGTYPE"));
    assert_eq!(
        run(&mut ks, &["HINCRBY", "h", "f", "9223372036854775807"]),
        ":9223372036854775807\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HINCRBY", "h", "f", "1"]),
        "-ERR increment or decrement would overflow\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HINCRBYFLOAT", "h", "g", "10.5"]),
        "$4\r\n10.5\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HINCRBYFLOAT", "h", "g", "0.1"]),
        "$4\r\n10.6\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HINCRBYFLOAT", "h", "g", "inf"]),
        "-ERR value is NaN or Infinity\r\n"
    );
    run(&mut ks, &["HSET", "h", "t", "text"]);
    assert_eq!(
        run(&mut ks, &["HINCRBYFLOAT", "h", "t", "1"]),
        "-ERR hash value is not a float\r\n"
    );
}

#[test]
fn randfield_whole_hash_and_scan_keep_listpack_order() {
    let mut ks = keyspace(1_000);
    run(&mut ks, &["HSET", "h", "z", "1", "a", "2"]);
    assert_eq!(
        run(&mut ks, &["HRANDFIELD", "h", "5", "WITHVALUES"]),
        "*4\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HRANDFIELD", "h", "-5"]).lines().count(),
        11,
        "five fields with repetition"
    );
    assert_eq!(
        run(&mut ks, &["HSCAN", "h", "0", "MATCH", "a*"]),
        "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HSCAN", "h", "0", "COUNT", "0"]),
        "-ERR syntax error\r\n"
    );
    assert_eq!(
        run(&mut ks, &["HSCAN", "nokey", "0", "COUNT", "0"]),
        "*2\r\n$1\r\n0\r\n*0\r\n"
    );
}

#[test]
fn big_hashes_scan_every_field_once_the_cursor_finishes() {
    let mut ks = keyspace(1_000);
    for i in 0..1000 {
        let f = format!("field:{i}");
        run(&mut ks, &["HSET", "h", &f, "v"]);
    }
    assert_eq!(
        run(&mut ks, &["OBJECT", "ENCODING", "h"]),
        "$9\r\nhashtable\r\n"
    );
    let mut cursor = "0".to_string();
    let mut seen = std::collections::HashSet::new();
    loop {
        let reply = run(&mut ks, &["HSCAN", "h", &cursor, "COUNT", "50"]);
        let lines: Vec<&str> = reply.split("\r\n").collect();
        cursor = lines[2].to_string();
        for pair in lines[4..].chunks(4) {
            if pair.len() == 4 {
                seen.insert(pair[1].to_string());
            }
        }
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen.len(), 1000);
}
