//! String command tests. Every expected reply was checked byte for byte against
//! redis-server 7.0.15.

use super::COMMANDS;
use crate::cmd::{Exec, KeyRange, OwnedArgs, Spread};
use crate::protocol::reply::Proto;
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// Runs one command through its table entry (arity checked like the dispatcher does).
fn run_proto(ks: &mut Keyspace, proto: Proto, parts: &[&[u8]]) -> Vec<u8> {
    let name = String::from_utf8_lossy(parts[0]).to_ascii_lowercase();
    let cmd = COMMANDS
        .iter()
        .find(|c| c.name == name)
        .expect("string command");
    let mut reply = Reply::new(proto);
    if !cmd.arity_ok(parts.len()) {
        reply.error(&format!(
            "ERR wrong number of arguments for '{name}' command"
        ));
        return reply.buf;
    }
    let Exec::Keyed(handler, _) = cmd.exec else {
        panic!("string commands are keyed")
    };
    let args = OwnedArgs::from_parts(parts);
    handler(ks, args.args(), &mut reply);
    reply.buf
}

fn run(ks: &mut Keyspace, line: &str) -> Vec<u8> {
    let parts: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    run_proto(ks, Proto::Resp2, &parts)
}

/// Runs each `(command, expected reply)` in order on one keyspace.
fn script(ks: &mut Keyspace, steps: &[(&str, &str)]) {
    for (line, expected) in steps {
        let got = run(ks, line);
        assert_eq!(String::from_utf8_lossy(&got), *expected, "command: {line}");
    }
}

fn ks() -> Keyspace {
    Keyspace::new(0, 1, 1)
}

const OK: &str = "+OK\r\n";
const NIL: &str = "$-1\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";
const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";
const NOT_FLOAT: &str = "-ERR value is not a valid float\r\n";
const BAD_SET_TTL: &str = "-ERR invalid expire time in 'set' command\r\n";
const TOO_LONG: &str = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";

/// Name, arity, first/last/step, write flag and spread, as COMMAND INFO and the brief say.
type Expected = (&'static str, i32, (i32, i32, i32), bool, Spread);

#[test]
fn table_matches_command_info() {
    let expect: &[Expected] = &[
        ("get", 2, (1, 1, 1), false, Spread::Single),
        ("set", -3, (1, 1, 1), true, Spread::Single),
        ("setnx", 3, (1, 1, 1), true, Spread::Single),
        ("setex", 4, (1, 1, 1), true, Spread::Single),
        ("psetex", 4, (1, 1, 1), true, Spread::Single),
        ("mget", -2, (1, -1, 1), false, Spread::Mget),
        ("mset", -3, (1, -1, 2), true, Spread::Atomic),
        ("msetnx", -3, (1, -1, 2), true, Spread::Atomic),
        ("getset", 3, (1, 1, 1), true, Spread::Single),
        ("getdel", 2, (1, 1, 1), true, Spread::Single),
        ("getex", -2, (1, 1, 1), true, Spread::Single),
        ("append", 3, (1, 1, 1), true, Spread::Single),
        ("strlen", 2, (1, 1, 1), false, Spread::Single),
        ("incr", 2, (1, 1, 1), true, Spread::Single),
        ("decr", 2, (1, 1, 1), true, Spread::Single),
        ("incrby", 3, (1, 1, 1), true, Spread::Single),
        ("decrby", 3, (1, 1, 1), true, Spread::Single),
        ("incrbyfloat", 3, (1, 1, 1), true, Spread::Single),
        ("getrange", 4, (1, 1, 1), false, Spread::Single),
        ("substr", 4, (1, 1, 1), false, Spread::Single),
        ("setrange", 4, (1, 1, 1), true, Spread::Single),
        ("lcs", -3, (1, 2, 1), false, Spread::Atomic),
    ];
    assert_eq!(COMMANDS.len(), expect.len());
    for (cmd, &(name, arity, (first, last, step), write, spread)) in COMMANDS.iter().zip(expect) {
        assert_eq!(cmd.name, name);
        assert_eq!(cmd.arity, arity, "{name}");
        assert_eq!(cmd.keys, KeyRange { first, last, step }, "{name}");
        assert_eq!(cmd.flags & crate::cmd::WRITE != 0, write, "{name}");
        let Exec::Keyed(_, s) = cmd.exec else {
            panic!("{name} is keyed")
        };
        assert_eq!(s, spread, "{name}");
    }
}

#[test]
fn set_option_combinations() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("set k v ex 10 ex 20", OK),
            ("set k v nx nx", NIL),
            ("set k v nx xx", SYNTAX),
            ("set k v xx nx", SYNTAX),
            ("set k v keepttl ex 10", SYNTAX),
            ("set k v ex 10 keepttl", SYNTAX),
            ("set k v EX 10 KEEPTTL", SYNTAX),
            ("set k v ex 10 px 100", SYNTAX),
            ("set k v pxat 1 exat 2", SYNTAX),
            ("set k v ex", SYNTAX),
            ("set k v persist", SYNTAX),
            ("set k v foo", SYNTAX),
            ("set k v ex 0 foo", SYNTAX),
            ("set k v ex 0", BAD_SET_TTL),
            ("set k v ex -1", BAD_SET_TTL),
            ("set k v px 0", BAD_SET_TTL),
            ("set k v exat 0", BAD_SET_TTL),
            ("set k v pxat 0", BAD_SET_TTL),
            ("set k v ex 9223372036854775", BAD_SET_TTL),
            ("set k v ex 9223372036854776", BAD_SET_TTL),
            ("set k v px 9223372036854775807", BAD_SET_TTL),
            ("set k v ex 0 get", BAD_SET_TTL),
            ("set k v ex abc", NOT_INT),
            ("set k v exat 9223372036854775", OK),
            ("set k v pxat 9223372036854775807", OK),
            ("set k v get get", "$1\r\nv\r\n"),
            ("set k v keepttl keepttl", OK),
            ("set k v Nx", NIL),
            ("set k w nx get", "$1\r\nv\r\n"),
            ("get k", "$1\r\nv\r\n"),
            ("set k2 v xx get", NIL),
            ("set k3 v xx", NIL),
            ("set k3 v nx", OK),
            ("set k3 w xx get", "$1\r\nv\r\n"),
            ("get k3", "$1\r\nw\r\n"),
            ("set k v exat 1", OK),
            ("get k", NIL),
            (
                "set",
                "-ERR wrong number of arguments for 'set' command\r\n",
            ),
        ],
    );
}

#[test]
fn set_expiry_and_keepttl() {
    let mut k = ks();
    k.now_ms = 1_000_000;
    script(&mut k, &[("set k v ex 10", OK)]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_010_000);
    script(&mut k, &[("set k w keepttl", OK)]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_010_000);
    script(&mut k, &[("set k w px 500", OK)]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_000_500);
    script(&mut k, &[("set k w exat 2000", OK)]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 2_000_000);
    script(
        &mut k,
        &[("set k w pxat 2000000", OK), ("getset k x", "$1\r\nw\r\n")],
    );
    assert_eq!(k.get(b"k").unwrap().expire_at(), 0);
    script(&mut k, &[("setex k 10 v", OK), ("incr n", ":1\r\n")]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_010_000);
    script(&mut k, &[("psetex k 10 v", OK)]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_000_010);
    script(&mut k, &[("set k 5", OK), ("set k v", OK)]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 0);
}

#[test]
fn setnx_setex_psetex() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("setnx z x", ":1\r\n"),
            ("setnx z y", ":0\r\n"),
            (
                "setex k 0 v",
                "-ERR invalid expire time in 'setex' command\r\n",
            ),
            ("setex k abc v", NOT_INT),
            (
                "setex k 9223372036854776 v",
                "-ERR invalid expire time in 'setex' command\r\n",
            ),
            (
                "psetex k 0 v",
                "-ERR invalid expire time in 'psetex' command\r\n",
            ),
            ("setex k 10 v", OK),
            ("psetex k 10 v", OK),
        ],
    );
}

#[test]
fn getex_getdel_getset() {
    let mut k = ks();
    k.now_ms = 1_000_000;
    script(
        &mut k,
        &[
            ("getex nokey ex 0", NIL),
            ("getex nokey foo", SYNTAX),
            ("getex nokey ex", SYNTAX),
            ("set k v", OK),
            (
                "getex k ex 0",
                "-ERR invalid expire time in 'getex' command\r\n",
            ),
            ("getex k ex abc", NOT_INT),
            ("getex k persist ex 10", SYNTAX),
            ("getex k ex 10 persist", SYNTAX),
            ("getex k keepttl", SYNTAX),
            ("getex k nx", SYNTAX),
            ("getex k get", SYNTAX),
            (
                "getex k exat 9223372036854776",
                "-ERR invalid expire time in 'getex' command\r\n",
            ),
            (
                "getex k px 9223372036854775807",
                "-ERR invalid expire time in 'getex' command\r\n",
            ),
            ("getex k ex 100 ex 200", "$1\r\nv\r\n"),
        ],
    );
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_200_000);
    script(&mut k, &[("getex k", "$1\r\nv\r\n")]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 1_200_000);
    script(&mut k, &[("getex k persist persist", "$1\r\nv\r\n")]);
    assert_eq!(k.get(b"k").unwrap().expire_at(), 0);
    script(
        &mut k,
        &[
            ("getex k pxat 1", "$1\r\nv\r\n"),
            ("get k", NIL),
            ("set k v", OK),
            ("getex k exat 9223372036854775", "$1\r\nv\r\n"),
            (
                "getex",
                "-ERR wrong number of arguments for 'getex' command\r\n",
            ),
            ("getdel k", "$1\r\nv\r\n"),
            ("getdel k", NIL),
            ("getset nk w", NIL),
            ("getset nk x", "$1\r\nw\r\n"),
        ],
    );
}

#[test]
fn mget_mset_msetnx() {
    let mut k = ks();
    script(
        &mut k,
        &[
            (
                "mset a 1 b",
                "-ERR wrong number of arguments for 'mset' command\r\n",
            ),
            ("mset a 1 b 2", OK),
            ("msetnx a 1 c 3", ":0\r\n"),
            (
                "msetnx c 3 d",
                "-ERR wrong number of arguments for 'msetnx' command\r\n",
            ),
            ("msetnx c 3 d 4", ":1\r\n"),
            (
                "mget a b c nonexist",
                "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n",
            ),
            ("mset a x a y", OK),
            ("get a", "$1\r\ny\r\n"),
        ],
    );
}

#[test]
fn append_and_strlen_with_encodings() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("append a hello", ":5\r\n"),
            ("append n 123", ":3\r\n"),
            ("strlen none", ":0\r\n"),
            ("set i 12345", OK),
            ("strlen i", ":5\r\n"),
        ],
    );
    assert_eq!(k.get(b"a").unwrap().value.encoding(), "embstr");
    assert_eq!(k.get(b"n").unwrap().value.encoding(), "int");
    script(
        &mut k,
        &[("append a _world", ":11\r\n"), ("strlen a", ":11\r\n")],
    );
    assert_eq!(k.get(b"a").unwrap().value.encoding(), "raw");
    script(
        &mut k,
        &[("append i 6", ":6\r\n"), ("get i", "$6\r\n123456\r\n")],
    );
    assert_eq!(k.get(b"i").unwrap().value.encoding(), "raw");
}

#[test]
fn integer_counters() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("set i 12345", OK),
            ("incr i", ":12346\r\n"),
            ("incr none", ":1\r\n"),
            ("decr none2", ":-1\r\n"),
            ("set s abc", OK),
            ("incr s", NOT_INT),
            ("set m 9223372036854775807", OK),
            ("incr m", "-ERR increment or decrement would overflow\r\n"),
            ("set m -9223372036854775808", OK),
            ("decr m", "-ERR increment or decrement would overflow\r\n"),
            ("incrby x abc", NOT_INT),
            ("incrby x 9223372036854775807", ":9223372036854775807\r\n"),
            (
                "incrby x 1",
                "-ERR increment or decrement would overflow\r\n",
            ),
            (
                "decrby y -9223372036854775808",
                "-ERR decrement would overflow\r\n",
            ),
            ("decrby y 9223372036854775807", ":-9223372036854775807\r\n"),
            (
                "decrby y 2",
                "-ERR increment or decrement would overflow\r\n",
            ),
            ("incrby z -9223372036854775808", ":-9223372036854775808\r\n"),
            ("set big 00012", OK),
            ("incr big", NOT_INT),
            ("incrby q 01", NOT_INT),
            ("decrby q +1", NOT_INT),
            ("set f 10.50", OK),
            ("incrby f 1", NOT_INT),
        ],
    );
    assert_eq!(k.get(b"i").unwrap().value, Value::Int(12346));
    for v in [&b" 1"[..], b"1 "] {
        k.insert(b"s", Value::string(v), 0);
        assert_eq!(run(&mut k, "incr s"), NOT_INT.as_bytes());
    }
    k.now_ms = 1_000;
    k.insert(b"t", Value::string(b"5"), 100_000);
    assert_eq!(run(&mut k, "incr t"), b":6\r\n");
    assert_eq!(k.get(b"t").unwrap().expire_at(), 100_000);
}

#[test]
fn incrbyfloat_formats_like_long_double() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("set a 10.5", OK),
            ("incrbyfloat a 0.1", "$4\r\n10.6\r\n"),
            ("incrbyfloat b 3.0e3", "$4\r\n3000\r\n"),
            ("incrbyfloat c 0.1", "$3\r\n0.1\r\n"),
            ("incrbyfloat c 0.2", "$3\r\n0.3\r\n"),
            ("incrbyfloat d 1000.1", "$22\r\n1000.09999999999999998\r\n"),
            ("incrbyfloat h 1e-20", "$1\r\n0\r\n"),
            (
                "incrbyfloat k inf",
                "-ERR increment would produce NaN or Infinity\r\n",
            ),
            ("incrbyfloat k nan", NOT_FLOAT),
            ("incrbyfloat k abc", NOT_FLOAT),
            ("incrbyfloat k 1e4933", NOT_FLOAT),
            ("incrbyfloat aa 1e20", "$21\r\n100000000000000000000\r\n"),
            ("set z abc", OK),
            ("incrbyfloat z 1", NOT_FLOAT),
            ("set m 9223372036854775807", OK),
            ("incrbyfloat m 1", "$19\r\n9223372036854775808\r\n"),
        ],
    );
    assert_eq!(run(&mut k, "incrbyfloat e 1e300").len(), 301 + 8);
    assert_eq!(k.get(b"b").unwrap().value.encoding(), "embstr");
    k.now_ms = 1_000;
    k.insert(b"t", Value::string(b"1"), 100_000);
    assert_eq!(run(&mut k, "incrbyfloat t 1"), b"$1\r\n2\r\n");
    assert_eq!(k.get(b"t").unwrap().expire_at(), 100_000);
}

#[test]
fn getrange_and_substr() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("set s hello", OK),
            ("getrange s 0 -100", "$1\r\nh\r\n"),
            ("getrange s -1 -5", "$0\r\n\r\n"),
            ("getrange s -3 -1", "$3\r\nllo\r\n"),
            ("getrange s 1 100", "$4\r\nello\r\n"),
            ("getrange s 10 20", "$0\r\n\r\n"),
            ("getrange s -100 -99", "$1\r\nh\r\n"),
            ("getrange s 3 1", "$0\r\n\r\n"),
            ("getrange s 0 -1", "$5\r\nhello\r\n"),
            ("getrange s 4 4", "$1\r\no\r\n"),
            ("getrange s 5 5", "$0\r\n\r\n"),
            ("getrange none 0 -1", "$0\r\n\r\n"),
            ("getrange s a 1", NOT_INT),
            ("getrange s 0 9223372036854775808", NOT_INT),
            ("substr s 1 2", "$2\r\nel\r\n"),
            ("set n 12345", OK),
            ("getrange n 1 2", "$2\r\n23\r\n"),
        ],
    );
    k.insert(b"e", Value::string(b""), 0);
    assert_eq!(run(&mut k, "getrange e 0 -1"), b"$0\r\n\r\n");
}

#[test]
fn setrange_pads_and_limits() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("set s hello", OK),
            ("setrange s -1 x", "-ERR offset is out of range\r\n"),
            ("setrange s a x", NOT_INT),
            ("setrange s 9223372036854775807 x", TOO_LONG),
            ("setrange s 536870912 x", TOO_LONG),
            ("setrange s 536870911 xx", TOO_LONG),
            ("setrange nk 536870912 x", TOO_LONG),
            ("setrange nk 3 ab", ":5\r\n"),
            ("get nk", "$5\r\n\0\0\0ab\r\n"),
            ("setrange s 1 ipp", ":5\r\n"),
            ("get s", "$5\r\nhippo\r\n"),
            ("setrange s 7 !", ":8\r\n"),
            ("get s", "$8\r\nhippo\0\0!\r\n"),
            ("set n 12345", OK),
            ("setrange n 0 9", ":5\r\n"),
            ("get n", "$5\r\n92345\r\n"),
        ],
    );
    assert_eq!(k.get(b"nk").unwrap().value.encoding(), "raw");
    assert_eq!(k.get(b"n").unwrap().value.encoding(), "raw");
    // An empty patch never creates a key and never checks the offset's size.
    let mut empty = |line: &[&[u8]]| run_proto(&mut k, Proto::Resp2, line);
    assert_eq!(empty(&[b"setrange", b"s", b"536870911", b""]), b":8\r\n");
    assert_eq!(empty(&[b"setrange", b"nk2", b"536870912", b""]), b":0\r\n");
    assert!(!k.contains(b"nk2"));
}

#[test]
fn lcs_plain_len_and_errors() {
    let mut k = ks();
    script(
        &mut k,
        &[
            ("mset key1 ohmytext key2 mynewtext", OK),
            ("lcs key1 key2", "$6\r\nmytext\r\n"),
            ("lcs key1 key2 len", ":6\r\n"),
            ("lcs key1 key2 len len", ":6\r\n"),
            ("lcs key1 key2 withmatchlen", "$6\r\nmytext\r\n"),
            ("lcs key1 key2 minmatchlen 3", "$6\r\nmytext\r\n"),
            ("lcs key1 nokey", "$0\r\n\r\n"),
            ("lcs nokey nokey2 len", ":0\r\n"),
            (
                "lcs key1 key2 idx len",
                "-ERR If you want both the length and indexes, please just use IDX.\r\n",
            ),
            (
                "lcs key1 key2 len idx",
                "-ERR If you want both the length and indexes, please just use IDX.\r\n",
            ),
            ("lcs key1 key2 minmatchlen", SYNTAX),
            ("lcs key1 key2 minmatchlen abc", NOT_INT),
            ("lcs key1 key2 foo", SYNTAX),
            ("lcs key1 key2 idx len foo", SYNTAX),
        ],
    );
    k.insert(b"big1", Value::string(&[b'a'; 12_000]), 0);
    assert_eq!(
        run(&mut k, "lcs big1 big1 len"),
        b"-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n"
    );
}

#[test]
fn lcs_idx_shapes() {
    let mut k = ks();
    script(&mut k, &[("mset key1 ohmytext key2 mynewtext", OK)]);
    let both =
        "*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n";
    script(
        &mut k,
        &[
            (
                "lcs key1 key2 idx",
                &format!("*4\r\n$7\r\nmatches\r\n{both}$3\r\nlen\r\n:6\r\n"),
            ),
            (
                "lcs key1 key2 minmatchlen -5 idx",
                &format!("*4\r\n$7\r\nmatches\r\n{both}$3\r\nlen\r\n:6\r\n"),
            ),
            (
                "lcs key1 key2 idx minmatchlen 4",
                "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n\
                 $3\r\nlen\r\n:6\r\n",
            ),
            (
                "lcs key1 key2 idx minmatchlen 4 withmatchlen",
                "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n\
                 $3\r\nlen\r\n:6\r\n",
            ),
            (
                "lcs key1 key2 idx withmatchlen",
                "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n\
                 *3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n",
            ),
            (
                "lcs key1 nokey idx",
                "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n",
            ),
        ],
    );
    let resp3 = |k: &mut Keyspace, line: &str| {
        let parts: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        String::from_utf8(run_proto(k, Proto::Resp3, &parts)).unwrap()
    };
    assert_eq!(
        resp3(&mut k, "lcs key1 key2 idx withmatchlen"),
        "%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n\
         *3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n"
    );
    assert_eq!(
        resp3(&mut k, "lcs key1 nokey idx"),
        "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
    );
    assert_eq!(
        resp3(&mut k, "lcs key1 key2 idx minmatchlen 3"),
        "%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"
    );
}

#[test]
fn resp3_nulls() {
    let mut k = ks();
    assert_eq!(run_proto(&mut k, Proto::Resp3, &[b"get", b"x"]), b"_\r\n");
    assert_eq!(
        run_proto(&mut k, Proto::Resp3, &[b"mget", b"x", b"y"]),
        b"*2\r\n_\r\n_\r\n"
    );
}
