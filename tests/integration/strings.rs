//! String commands, checked against the oracle with hand-picked sequences: the edge cases the
//! random streams reach rarely (encodings at the 44-byte boundary, overflow, float formatting,
//! LCS match lists, megabyte values).

use super::harness::Pair;

#[test]
fn set_option_combinations() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET k v",
        "SET k v2 NX",
        "SET k v3 XX",
        "SET k v4 NX XX",
        "SET k v5 EX 100 PX 100",
        "SET k v6 EX 100 KEEPTTL",
        "SET k v7 EX 0",
        "SET k v8 EX -1",
        "SET k v9 PX 0",
        "SET k v9 EX 9223372036854775807",
        "SET k v9 PX 9223372036854775807",
        "SET k v9 EXAT 0",
        "SET k v10 EX 1000 GET",
        "GET k",
        "SET k v11 KEEPTTL GET",
        "SET missing v NX GET",
        "SET missing v2 XX GET",
        "GET missing",
        "SET k v12 ex 10 px",
        "SET k v13 EX",
        "SET k",
        "SET",
        "SET k v GET GET",
        "SET k v NX NX",
        "SETNX k x",
        "SETNX fresh x",
        "SETEX k 0 v",
        "SETEX k -5 v",
        "SETEX k x v",
        "SETEX k 100 v",
        "PSETEX k 0 v",
        "PSETEX k 100000 v",
        "GETSET k new",
        "GETSET nokey new",
        "GETDEL k",
        "GETDEL k",
        "GETEX nokey",
        "GETEX fresh PERSIST",
        "GETEX fresh EX 100 PX 100",
        "GETEX fresh EX 100 PERSIST",
        "GETEX fresh EXAT 1",
        "EXISTS fresh",
    ]);
}

#[test]
fn counters_and_overflow() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "INCR n",
        "INCRBY n 41",
        "DECRBY n 100",
        "DECR n",
        "SET n 9223372036854775806",
        "INCR n",
        "INCR n",
        "SET n -9223372036854775807",
        "DECR n",
        "DECR n",
        "DECRBY n -9223372036854775808",
        "SET n 5",
        "DECRBY n -9223372036854775808",
        "INCRBY n 9223372036854775808",
        "INCRBY n x",
        "SET n 007",
        "INCR n",
        "SET n -0",
        "INCR n",
        "SET n 1.0",
        "INCR n",
        "SET n ' 1'",
        "INCRBYFLOAT f 0.1",
        "INCRBYFLOAT f 0.2",
        "INCRBYFLOAT f 1e3",
        "INCRBYFLOAT f -1000.3",
        "INCRBYFLOAT f 5.0e3",
        "INCRBYFLOAT f 1e308",
        "INCRBYFLOAT f 1e308",
        "INCRBYFLOAT f inf",
        "INCRBYFLOAT f nan",
        "INCRBYFLOAT f x",
        "GET f",
        "SET f 3.0",
        "INCRBYFLOAT f 0",
        "SET f 1e5",
        "INCRBYFLOAT f 1",
        "SET f 10.5000",
        "INCRBYFLOAT f 0.25",
        "SET f 12345678901234567890",
        "INCRBYFLOAT f 1",
        "INCR f",
        "OBJECT ENCODING n",
        "OBJECT ENCODING f",
    ]);
}

#[test]
fn ranges_appends_and_encodings() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET s 12345",
        "OBJECT ENCODING s",
        "OBJECT REFCOUNT s",
        "APPEND s 6",
        "OBJECT ENCODING s",
        "GET s",
        "SET s 12345678901234567890123456789012345678901234",
        "OBJECT ENCODING s",
        "SET s 123456789012345678901234567890123456789012345",
        "OBJECT ENCODING s",
        "SET s 10000",
        "OBJECT ENCODING s",
        "OBJECT REFCOUNT s",
        "SET s 9999",
        "OBJECT REFCOUNT s",
        "SET s 'Hello World'",
        "GETRANGE s 0 4",
        "GETRANGE s -5 -1",
        "GETRANGE s 5 1",
        "GETRANGE s -100 100",
        "GETRANGE s 100 200",
        "GETRANGE s 0 -100",
        "GETRANGE missing 0 -1",
        "SUBSTR s 0 2",
        "GETRANGE s a 1",
        "SETRANGE s 6 Redis",
        "GET s",
        "SETRANGE pad 5 x",
        "GET pad",
        "SETRANGE pad 0 ''",
        "SETRANGE empty 10 ''",
        "EXISTS empty",
        "SETRANGE pad -1 x",
        "SETRANGE pad 536870911 ''",
        "SETRANGE pad 536870912 x",
        "STRLEN pad",
        "STRLEN missing",
        "APPEND missing2 abc",
        "APPEND missing2 ''",
        "OBJECT ENCODING missing2",
        "OBJECT ENCODING nothing",
        "OBJECT FOO s",
        "OBJECT",
        "STRLEN s x",
    ]);
}

#[test]
fn lcs_variants() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "MSET key1 ohmytext key2 mynewtext",
        "LCS key1 key2",
        "LCS key1 key2 LEN",
        "LCS key1 key2 IDX",
        "LCS key1 key2 IDX MINMATCHLEN 4",
        "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN",
        "LCS key1 key2 IDX WITHMATCHLEN",
        "LCS key1 key2 LEN IDX",
        "LCS key1 key2 MINMATCHLEN x",
        "LCS key1 key2 MINMATCHLEN -3 IDX",
        "LCS key1 missing",
        "LCS missing missing IDX",
        "LCS key1 key1 IDX WITHMATCHLEN",
        "LCS key1",
        "LCS key1 key2 FOO",
    ]);
    for proto in ["3", "2"] {
        // Client ids differ between servers; the reply shape is covered by the HELLO tests.
        let (subject, oracle) = c.both(&[b"HELLO", proto.as_bytes()]);
        assert_eq!(subject[0], oracle[0]);
        c.check_all(&["LCS key1 key2 IDX WITHMATCHLEN", "LCS key1 missing IDX"]);
    }
}

#[test]
fn multi_key_string_commands() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "MSET a 1 b 2 c 3",
        "MGET a b c d a",
        "MSET a",
        "MSET a 1 b",
        "MSETNX a 9 z 9",
        "MGET a z",
        "MSETNX y 1 z 2",
        "MGET y z",
        "MSETNX q 1 q 2",
        "GET q",
        "MSET a 1 a 2",
        "GET a",
    ]);
}

#[test]
fn binary_safe_and_large_values() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let binary: Vec<u8> = (0..=255u8)
        .chain(b"\r\n\r\n$-1\r\n*0\r\n".iter().copied())
        .collect();
    c.check(&[b"SET", b"bin\x00\r\nkey", &binary]);
    c.check(&[b"GET", b"bin\x00\r\nkey"]);
    c.check(&[b"APPEND", b"bin\x00\r\nkey", b"\x00"]);
    c.check(&[b"STRLEN", b"bin\x00\r\nkey"]);
    c.check(&[b"GETRANGE", b"bin\x00\r\nkey", b"250", b"-1"]);
    let big: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    c.check(&[b"SET", b"big", &big]);
    c.check(&[b"GET", b"big"]);
    c.check(&[b"APPEND", b"big", &big]);
    c.check(&[b"STRLEN", b"big"]);
    c.check(&[b"GETRANGE", b"big", b"1048570", b"1048590"]);
    c.check(&[b"SETRANGE", b"big", b"3000000", b"end"]);
    c.check(&[b"STRLEN", b"big"]);
    c.check(&[b"OBJECT", b"ENCODING", b"big"]);
}
