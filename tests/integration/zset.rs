//! Sorted set commands, checked against the oracle with hand-picked sequences: the cases the
//! random streams reach rarely (encoding thresholds, `-0` in each encoding, float formatting,
//! large sets and their ranks, cross-core *STORE), plus ZRANDMEMBER's membership and sizes,
//! which cannot be compared byte for byte.

use std::collections::HashSet;

use super::harness::{subject_is_redis, DiffConn, Pair};
use super::resp::{decode, Value};

fn zadd_many(c: &mut DiffConn, key: &str, n: usize, score: impl Fn(usize) -> String) {
    let mut line = vec![b"ZADD".to_vec(), key.as_bytes().to_vec()];
    for i in 0..n {
        line.push(score(i).into_bytes());
        line.push(format!("member:{i}").into_bytes());
    }
    let args: Vec<&[u8]> = line.iter().map(Vec::as_slice).collect();
    c.check(&args);
}

#[test]
fn zadd_flags_and_scores() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "ZADD z 1 a 2 b 3 c",
        "ZADD z NX 10 a 4 d",
        "ZADD z XX 10 a 5 e",
        "ZADD z XX CH 10 a 11 b",
        "ZADD z GT CH 5 a 20 b 1 new",
        "ZADD z LT CH 5 a 30 b",
        "ZADD z INCR 2.5 a",
        "ZADD z INCR GT -100 a",
        "ZADD z INCR NX 1 a",
        "ZADD z INCR XX 1 missing",
        "ZADD z INCR 1 a 2 b",
        "ZADD z NX XX 1 a",
        "ZADD z GT LT 1 a",
        "ZADD z NX GT 1 a",
        "ZADD z 1 a 2",
        "ZADD z nan a",
        "ZADD z 1e400 a",
        "ZADD z inf a",
        "ZADD z INCR -inf a",
        "ZADD z -0 zero 0.1 tenth 1e-320 tiny 123456789012345678 big",
        "ZRANGE z 0 -1 WITHSCORES",
        "ZSCORE z zero",
        "ZINCRBY z 1 nosuch",
        "ZINCRBY z x a",
        "ZINCRBY z nx a",
        "ZINCRBY z -0 fresh",
        "ZMSCORE z a nosuch zero",
        "ZMSCORE nokey a b",
        "ZADD missing XX 1 a",
        "EXISTS missing",
        "ZCARD z",
        "ZREM z a nosuch b",
        "ZREM z nosuch",
        "ZRANK z tenth",
        "ZREVRANK z tenth",
        "ZRANK z nosuch",
        "OBJECT ENCODING z",
        "TYPE z",
        "SET s v",
        "ZADD s 1 a",
        "ZSCORE s a",
        "GET z",
        "APPEND z x",
    ]);
}

#[test]
fn encodings_follow_listpack_thresholds() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    zadd_many(&mut c, "small", 128, |i| i.to_string());
    c.check_all(&["OBJECT ENCODING small", "ZADD small 1 one-more"]);
    c.check_all(&["OBJECT ENCODING small", "ZREM small one-more member:1"]);
    c.check_all(&["OBJECT ENCODING small"]);
    let long = "x".repeat(65);
    c.check_all(&[
        &format!("ZADD long 1 {long}"),
        "OBJECT ENCODING long",
        &format!("ZADD edge 1 {}", "y".repeat(64)),
        "OBJECT ENCODING edge",
        "ZADD neg -0 a",
        "ZSCORE neg a",
        &format!("ZADD negskip -0 a 1 {long}"),
        "ZSCORE negskip a",
        "ZRANGE negskip 0 -1 WITHSCORES",
        "ZRANGESTORE copy negskip 0 0",
        "OBJECT ENCODING copy",
        "ZSCORE copy a",
        "ZUNIONSTORE u 1 small",
        "OBJECT ENCODING u",
        "ZRANGESTORE part small 0 9",
        "OBJECT ENCODING part",
        "ZRANGESTORE part small 0 +inf BYSCORE LIMIT 0 5",
        "OBJECT ENCODING part",
        "ZUNION 1 negskip WITHSCORES",
        "ZSCAN part 0",
    ]);
}

#[test]
fn ranges_by_rank_score_and_lex() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "ZADD z 1 a 2 b 3 c 4 d 5 e 5 f -inf g inf h",
        "ZRANGE z 0 -1",
        "ZRANGE z 2 3 WITHSCORES",
        "ZRANGE z -3 -1 REV WITHSCORES",
        "ZRANGE z 5 1",
        "ZRANGE z 100 200",
        "ZRANGE z (1 5 BYSCORE",
        "ZRANGE z 5 (1 BYSCORE REV WITHSCORES",
        "ZRANGE z -inf +inf BYSCORE LIMIT 1 3",
        "ZRANGE z -inf +inf BYSCORE LIMIT -1 3",
        "ZRANGE z -inf +inf BYSCORE LIMIT 2 -1",
        "ZRANGE z 0 1 LIMIT 0 1",
        "ZRANGE z - + BYLEX WITHSCORES",
        "ZRANGE z x y BYSCORE",
        "ZRANGE z 1 2 BYSCORE BYLEX",
        "ZRANGEBYSCORE z 2 4 WITHSCORES LIMIT 0 2",
        "ZRANGEBYSCORE z 2 4 REV",
        "ZREVRANGEBYSCORE z 4 2",
        "ZREVRANGEBYSCORE z (4 (2 WITHSCORES",
        "ZREVRANGE z 0 2 WITHSCORES",
        "ZCOUNT z (1 5",
        "ZCOUNT z 5 1",
        "ZCOUNT z x 1",
        "ZCOUNT z '' 3",
        "ZADD lex 0 a 0 b 0 c 0 d 0 e 0 ff",
        "ZRANGEBYLEX lex [b (e",
        "ZRANGEBYLEX lex - + LIMIT 2 2",
        "ZREVRANGEBYLEX lex + [c",
        "ZRANGEBYLEX lex a c",
        "ZRANGEBYLEX lex [b (e WITHSCORES",
        "ZLEXCOUNT lex [b +",
        "ZLEXCOUNT lex + -",
        "ZRANGESTORE dst lex [b [d BYLEX",
        "ZRANGE dst 0 -1",
        "ZRANGESTORE dst lex [x [z BYLEX",
        "EXISTS dst",
        "ZREMRANGEBYLEX lex [a [b",
        "ZREMRANGEBYSCORE z (1 3",
        "ZREMRANGEBYRANK z 0 0",
        "ZREMRANGEBYRANK z -100 100",
        "EXISTS z",
    ]);
}

/// Score range ends are read as C strings by strtod: the empty string and a leading NUL read
/// as 0, a number may follow spaces or be cut at a NUL, but spaces alone are an error (which
/// ZREMRANGEBYSCORE once took for 0 and deleted by).
#[test]
fn score_range_ends_read_like_strtod() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&["ZADD z 1 a -1 b 0 c", "SET str x"]);
    let ends: [&[u8]; 10] = [
        b" ", b"\t", b" \n", b"", b"\0", b"1\0junk", b" 1", b"(\0", b"( ", b"1 ",
    ];
    for end in ends {
        c.check(&[b"ZCOUNT", b"z", end, b"+inf"]);
        c.check(&[b"ZRANGEBYSCORE", b"z", b"-inf", end]);
        c.check(&[b"ZRANGE", b"z", end, b"5", b"BYSCORE"]);
        c.check(&[b"ZCOUNT", b"str", end, b"1"]);
    }
    c.check(&[b"ZREMRANGEBYSCORE", b"z", b" ", b"+inf"]);
    c.check_all(&["ZRANGE z 0 -1 WITHSCORES"]);
}

#[test]
fn large_sets_rank_and_range_like_redis() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    zadd_many(&mut c, "big", 3000, |i| ((i * 7919) % 1000).to_string());
    c.check_all(&[
        "OBJECT ENCODING big",
        "ZCARD big",
        "ZRANK big member:1234",
        "ZREVRANK big member:1234",
        "ZRANGE big 1500 1510 WITHSCORES",
        "ZRANGE big -10 -1 REV",
        "ZRANGEBYSCORE big (500 510 LIMIT 3 5",
        "ZCOUNT big 100 (200",
        "ZREMRANGEBYSCORE big 0 (10",
        "ZCARD big",
        "ZPOPMIN big 3",
        "ZPOPMAX big",
        "ZMPOP 2 nokey big MAX COUNT 2",
        "ZREMRANGEBYRANK big 100 2000",
        "ZRANGE big 90 110",
        "ZUNIONSTORE u 2 big big WEIGHTS 1 0.5 AGGREGATE MAX",
        "ZRANGE u 0 5 WITHSCORES",
        "ZINTER 2 big u AGGREGATE MIN WITHSCORES",
        "ZDIFFSTORE d 2 big u",
        "ZINTERCARD 2 big u LIMIT 10",
    ]);
}

#[test]
fn set_operations_and_pops() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "ZADD a 1 x 2 y 3 z",
        "ZADD b 10 y 20 z 30 w",
        "ZUNION 2 a b WITHSCORES",
        "ZUNION 2 a b WEIGHTS 2 -1 AGGREGATE MAX WITHSCORES",
        "ZINTER 2 a b WEIGHTS 0 inf WITHSCORES",
        "ZINTER 3 a b nokey",
        "ZDIFF 2 a b WITHSCORES",
        "ZDIFF 1 nokey",
        "ZUNIONSTORE out 2 a b AGGREGATE MIN",
        "ZRANGE out 0 -1 WITHSCORES",
        "ZINTERSTORE out 2 a nokey",
        "EXISTS out",
        "ZINTERCARD 2 a b",
        "ZINTERCARD 2 a b LIMIT 1",
        "ZINTERCARD 0 a",
        "ZUNION 0 a",
        "ZUNION 3 a b",
        "ZUNION 1 a WEIGHTS x",
        "ZUNION 1 a AGGREGATE avg",
        "ZUNIONSTORE out 1 a WITHSCORES",
        "SET str v",
        "ZUNION 2 a str",
        "ZPOPMIN a",
        "ZPOPMAX a 5",
        "ZPOPMIN a -1",
        "EXISTS a",
        "ZMPOP 2 a b MIN",
        "ZMPOP 2 a b MAX COUNT 10",
        "ZMPOP 1 b MIN",
        "ZMPOP 0 b MIN",
        "ZMPOP 1 b MIN COUNT 0",
        "ZRANDMEMBER nokey",
        "ZRANDMEMBER nokey 5",
        "ZRANDMEMBER str",
    ]);
    c.both(&[b"HELLO", b"3"]);
    c.check_all(&[
        "ZADD r3 1 a 2 b",
        "ZPOPMIN r3 1",
        "ZRANGE r3 0 -1 WITHSCORES",
        "ZUNION 1 r3 WITHSCORES",
        "ZMPOP 1 r3 MAX",
        "ZSCORE nokey a",
    ]);
}

/// Multi-key commands whose keys sit on different data cores, including atomic *STORE.
#[test]
fn multi_key_commands_across_cores() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    for i in 0..8 {
        c.check_str(&["ZADD", &format!("src{i}"), "1", "a", &i.to_string(), "m"]);
    }
    c.check_all(&[
        "ZUNIONSTORE dst 8 src0 src1 src2 src3 src4 src5 src6 src7",
        "ZRANGE dst 0 -1 WITHSCORES",
        "ZINTERSTORE dst2 3 src1 src5 src6 WEIGHTS 1 2 3",
        "ZRANGE dst2 0 -1 WITHSCORES",
        "ZDIFFSTORE dst3 2 dst src3",
        "ZRANGE dst3 0 -1 WITHSCORES",
        "ZRANGESTORE dst4 dst 0 0",
        "ZRANGE dst4 0 -1 WITHSCORES",
        "ZUNION 3 src0 src3 src7 WITHSCORES",
        "ZINTERCARD 4 src0 src1 src2 src3",
        "ZMPOP 3 empty1 empty2 src4 MAX COUNT 5",
        "EXISTS src4",
        "SET str x",
        "ZUNIONSTORE dst 2 str src0",
        "ZRANGE dst 0 -1",
    ]);
}

/// ZUNION, ZINTER, ZDIFF, their *STORE forms and ZINTERCARD take plain sets (intset and
/// hashtable encoded) as inputs, every member scoring 1; other commands still refuse them.
#[test]
fn set_algebra_accepts_plain_sets() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    let many: Vec<String> = (0..200).map(|i| format!("m{i}")).collect();
    let mut sadd = vec!["SADD", "big"];
    sadd.extend(many.iter().map(String::as_str));
    c.check_str(&sadd);
    c.check_all(&[
        "SADD ints 1 2 3 5",
        "SADD words a b 3 c",
        "ZADD z 1.5 1 2 a 3 x 0.5 3 7 m5",
        "ZUNION 2 ints z WITHSCORES",
        "ZUNION 3 ints words z WEIGHTS 2 3 0.5 WITHSCORES",
        "ZUNION 3 ints words z AGGREGATE MAX WITHSCORES",
        "ZUNION 3 ints words z AGGREGATE MIN WITHSCORES",
        "ZINTER 2 ints z WITHSCORES",
        "ZINTER 2 z ints WEIGHTS 2 3 WITHSCORES",
        "ZINTER 2 ints words WITHSCORES",
        "ZINTER 2 big z WITHSCORES",
        "ZDIFF 2 ints z WITHSCORES",
        "ZDIFF 2 z ints WITHSCORES",
        "ZDIFF 2 words ints",
        "ZINTERCARD 2 ints z",
        "ZINTERCARD 2 ints words LIMIT 1",
        "ZUNIONSTORE d1 2 ints words",
        "OBJECT ENCODING d1",
        "ZRANGE d1 0 -1 WITHSCORES",
        "ZUNIONSTORE d2 2 big z",
        "OBJECT ENCODING d2",
        "ZCARD d2",
        "ZRANGE d2 -3 -1 WITHSCORES",
        "ZINTERSTORE d3 2 ints z WEIGHTS 1 1",
        "ZRANGE d3 0 -1 WITHSCORES",
        "ZDIFFSTORE d4 2 ints words",
        "TYPE d4",
        "ZRANGE d4 0 -1 WITHSCORES",
        "ZUNIONSTORE ints 2 ints z",
        "TYPE ints",
        "ZRANGESTORE d5 words 0 -1",
        "ZMPOP 1 words MIN",
        "ZCARD words",
        "ZSCORE words a",
    ]);
}

#[test]
fn zrandmember_picks_members() {
    let pair = Pair::start(&[]);
    let mut conn = pair.subject.conn();
    let mut members = vec![b"ZADD".to_vec(), b"z".to_vec()];
    for i in 0..200 {
        members.push(i.to_string().into_bytes());
        members.push(format!("m{i}").into_bytes());
    }
    let args: Vec<&[u8]> = members.iter().map(Vec::as_slice).collect();
    conn.call(&args);
    let items = |raw: Vec<u8>| -> Vec<Value> {
        let (v, _) = decode(&raw).unwrap().unwrap();
        v.items().unwrap().to_vec()
    };
    let distinct = items(conn.call(&[b"ZRANDMEMBER", b"z", b"50"]));
    let set: HashSet<Vec<u8>> = distinct
        .iter()
        .map(|v| v.bytes().unwrap().to_vec())
        .collect();
    assert_eq!(set.len(), 50, "positive count returns distinct members");
    assert!(set.iter().all(|m| m.starts_with(b"m")));
    let few = items(conn.call(&[b"ZRANDMEMBER", b"z", b"10"]));
    let few: HashSet<Vec<u8>> = few.iter().map(|v| v.bytes().unwrap().to_vec()).collect();
    assert_eq!(
        few.len(),
        10,
        "a small positive count also returns distinct members"
    );
    let repeated = items(conn.call(&[b"ZRANDMEMBER", b"z", b"-500"]));
    assert_eq!(
        repeated.len(),
        500,
        "negative count returns exactly that many"
    );
    let whole = items(conn.call(&[b"ZRANDMEMBER", b"z", b"1000", b"WITHSCORES"]));
    assert_eq!(
        whole.len(),
        400,
        "count above the size returns the whole set"
    );
    for pair in whole.chunks(2) {
        let member = std::str::from_utf8(pair[0].bytes().unwrap()).unwrap();
        let score = std::str::from_utf8(pair[1].bytes().unwrap()).unwrap();
        assert_eq!(
            member,
            format!("m{score}"),
            "scores belong to their members"
        );
    }
    let one = conn.call(&[b"ZRANDMEMBER", b"z"]);
    assert!(one.starts_with(b"$") && one.windows(1).any(|w| w == b"m"));
}

/// Keyspace commands treat sorted sets as values like any other: TYPE, COPY (a deep copy),
/// RENAME across cores, SCAN's TYPE filter, DEBUG OBJECT's encoding, WRONGTYPE from strings.
#[test]
fn generic_commands_handle_sorted_sets() {
    let pair = Pair::start(&["--cores", "2", "--enable-debug-command", "yes"]);
    let mut c = pair.conns();
    c.check_all(&[
        "ZADD z 1 a 2 b",
        "SET s v",
        "TYPE z",
        "COPY z z2",
        "ZADD z2 3 c",
        "ZRANGE z 0 -1 WITHSCORES",
        "ZRANGE z2 0 -1 WITHSCORES",
        "RENAME z2 other",
        "ZCARD other",
        "RENAME other z3{x}",
        "OBJECT ENCODING z3{x}",
        "EXPIRE z 1000",
        "ZADD z 5 e",
        "TTL z",
        "ZUNIONSTORE z 1 z",
        "TTL z",
        "GET z",
        "INCR z",
        "STRLEN z",
        "GETRANGE z 0 1",
        "DEL z z3{x}",
    ]);
    let scan_all = |conn: &mut super::resp::Conn| -> Vec<Vec<u8>> {
        let (mut cursor, mut keys) = (b"0".to_vec(), Vec::new());
        loop {
            let raw = conn.call(&[b"SCAN", &cursor, b"TYPE", b"zset"]);
            let (reply, _) = decode(&raw).unwrap().unwrap();
            let parts = reply.items().unwrap();
            keys.extend(
                parts[1]
                    .items()
                    .unwrap()
                    .iter()
                    .map(|k| k.bytes().unwrap().to_vec()),
            );
            cursor = parts[0].bytes().unwrap().to_vec();
            if cursor == b"0" {
                keys.sort();
                return keys;
            }
        }
    };
    c.check_all(&["ZADD z4 1 a", "ZADD z5{y} 1 a"]);
    assert_eq!(
        scan_all(&mut c.subject),
        scan_all(&mut c.oracle),
        "SCAN TYPE zset"
    );
    let debug = pair.subject.conn().call(&[b"DEBUG", b"OBJECT", b"s"]);
    assert!(debug.starts_with(b"+Value at:"), "{debug:?}");
    pair.subject.conn().call(&[b"ZADD", b"dz", b"1", b"a"]);
    let debug = pair.subject.conn().call(&[b"DEBUG", b"OBJECT", b"dz"]);
    let text = String::from_utf8_lossy(&debug).into_owned();
    assert!(text.contains("encoding:listpack"), "{text}");
}

/// CONFIG SET of the listpack thresholds takes effect for the next command, on every core.
#[test]
fn listpack_thresholds_follow_config_set() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    c.check_all(&[
        "CONFIG SET zset-max-listpack-entries 2 zset-max-listpack-value 3",
        "ZADD a 1 x 2 y",
        "OBJECT ENCODING a",
        "ZADD a 3 z",
        "OBJECT ENCODING a",
        "ZADD b 1 abcd",
        "OBJECT ENCODING b",
        "ZADD c{b} 1 abc",
        "OBJECT ENCODING c{b}",
        "ZUNIONSTORE d 1 a",
        "OBJECT ENCODING d",
        "ZRANGESTORE e a 0 1",
        "OBJECT ENCODING e",
        "CONFIG SET zset-max-listpack-entries 0",
        "ZADD f 1 x",
        "OBJECT ENCODING f",
        "CONFIG SET zset-max-ziplist-entries 128 zset-max-ziplist-value 64",
        "ZADD g 1 x",
        "OBJECT ENCODING g",
    ]);
}

/// ZSCAN over a large set returns every member that stays in the set for the whole
/// iteration, even while other members come and go (growing and shrinking the index), and
/// the same pairs as redis-server when nothing changes.
#[test]
fn zscan_walks_large_sets_completely() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    zadd_many(&mut c, "big", 1000, |i| (i % 37).to_string());
    let scan_all = |conn: &mut super::resp::Conn, churn: bool| -> Vec<(Vec<u8>, Vec<u8>)> {
        let (mut cursor, mut pairs, mut calls) = (b"0".to_vec(), Vec::new(), 0);
        loop {
            let raw = conn.call(&[b"ZSCAN", b"big", &cursor, b"COUNT", b"7"]);
            let (reply, _) = decode(&raw).unwrap().unwrap();
            let parts = reply.items().unwrap();
            for kv in parts[1].items().unwrap().chunks(2) {
                pairs.push((
                    kv[0].bytes().unwrap().to_vec(),
                    kv[1].bytes().unwrap().to_vec(),
                ));
            }
            cursor = parts[0].bytes().unwrap().to_vec();
            calls += 1;
            if churn && calls % 5 == 0 {
                let tmp = format!("tmp{calls}");
                conn.call(&[b"ZADD", b"big", b"1", tmp.as_bytes()]);
                if calls % 10 == 0 {
                    conn.call(&[b"ZREM", b"big", format!("tmp{}", calls - 5).as_bytes()]);
                }
            }
            if cursor == b"0" {
                pairs.sort();
                pairs.dedup();
                return pairs;
            }
            assert!(calls < 100_000, "ZSCAN did not finish");
        }
    };
    let ours = scan_all(&mut c.subject, false);
    assert_eq!(ours.len(), 1000);
    assert_eq!(ours, scan_all(&mut c.oracle, false));
    let churned = scan_all(&mut c.subject, true);
    for i in 0..1000 {
        let member = format!("member:{i}").into_bytes();
        assert!(
            churned.iter().any(|(m, _)| *m == member),
            "member:{i} missed"
        );
    }
}

/// ZRANK/ZREVRANK WITHSCORE is Redis 7.2's (the oracle, 7.0.15, lacks it), so each reply is
/// checked against the one 7.2 builds from the oracle's own ZRANK and ZSCORE of the member: the
/// pair rank and score, or the null array when either is null. Both encodings, RESP2 and RESP3.
#[test]
fn rank_withscore_is_the_oracles_rank_and_score() {
    if subject_is_redis() {
        return; // redis-server 7.0 has no WITHSCORE
    }
    let pair = Pair::start(&[]);
    for proto in [b"2", b"3"] {
        let mut c = pair.conns();
        c.both(&[b"HELLO", proto]);
        c.check_all(&[
            "DEL small big",
            "ZADD small -0 zero 0.1 tenth 1e-320 tiny 123456789012345678 huge 2 b 2 a",
            "ZADD small -inf bottom inf top",
        ]);
        zadd_many(&mut c, "big", 300, |i| format!("{}.5", i % 40));
        c.check_all(&["OBJECT ENCODING small", "OBJECT ENCODING big", "SET str v"]);
        let mut members: Vec<String> = ["zero", "tenth", "tiny", "huge", "a", "b", "bottom"]
            .iter()
            .map(|m| m.to_string())
            .collect();
        members.extend(["top", "nosuch"].map(String::from));
        members.extend((0..300).step_by(37).map(|i| format!("member:{i}")));
        for key in ["small", "big", "nokey"] {
            for member in &members {
                for (cmd, option) in [("ZRANK", "WITHSCORE"), ("ZREVRANK", "withScore")] {
                    let rank = c
                        .oracle
                        .call(&[cmd.as_bytes(), key.as_bytes(), member.as_bytes()]);
                    let score = c
                        .oracle
                        .call(&[b"ZSCORE", key.as_bytes(), member.as_bytes()]);
                    let want = if rank.starts_with(b"$-1") || rank.starts_with(b"_") {
                        if proto == b"3" {
                            b"_\r\n".to_vec()
                        } else {
                            b"*-1\r\n".to_vec()
                        }
                    } else {
                        [b"*2\r\n".as_slice(), &rank, &score].concat()
                    };
                    let got = c.subject.call(&[
                        cmd.as_bytes(),
                        key.as_bytes(),
                        member.as_bytes(),
                        option.as_bytes(),
                    ]);
                    assert_eq!(
                        String::from_utf8_lossy(&got),
                        String::from_utf8_lossy(&want),
                        "{cmd} {key} {member} {option}, RESP{}",
                        proto[0] as char
                    );
                    assert!(
                        decode(&got).unwrap().is_some(),
                        "{cmd} {key} {member}: {got:?}"
                    );
                }
            }
        }
        // Errors as redis-server 7.2 orders them: arity, then the option, then the type.
        c.check_all(&["ZRANK small a withscore extra", "ZREVRANK small a b c"]);
        for (line, want) in [
            ("ZRANK small a WITHSCORES", "-ERR syntax error\r\n"),
            ("ZREVRANK str a nope", "-ERR syntax error\r\n"),
            (
                "ZRANK str a WITHSCORE",
                "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            ),
        ] {
            let words: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
            let got = c.subject.call(&words);
            assert_eq!(String::from_utf8_lossy(&got), want, "{line}");
        }
    }
}
