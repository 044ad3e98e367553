//! Sorted set steps for the differential streams (see [`super::gen`]).
//!
//! Members come from a small pool so commands collide. Scores include `-0`, infinities, NaN,
//! exclusive bounds and junk so every parse error and NaN rule is exercised. ZRANDMEMBER is
//! compared by shape (its picks are random), ZSCAN by its pairs (cursors of large sets are
//! implementation-specific).
//!
//! Lex ranges over members with different scores are unspecified in Redis (a skiplist answer
//! depends on its random node levels), so lex ranges target [`ZLEX`], whose scores are all 0;
//! only that key gets members longer than `zset-max-listpack-value` or more than
//! `zset-max-listpack-entries` members from ZADD, turning it into a skiplist. Other keys become
//! skiplists only through ZUNIONSTORE and friends.

use super::gen::{Compare, Rng, KEYS};

/// Keys the sorted set steps mostly use (string steps never touch them, so most sorted set
/// commands find sorted sets); the differential reset deletes them with [`KEYS`].
pub const ZKEYS: &[&[u8]] = &[b"z0", b"z1", b"z2", b"z3{k0}", ZLEX];

/// The key lex ranges use: every score in it is 0.
const ZLEX: &[u8] = b"zlex";

/// A sorted set key other than [`ZLEX`], now and then one of the string steps' keys (for
/// WRONGTYPE).
pub fn zkey(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(12) {
        rng.pick(KEYS).to_vec()
    } else {
        rng.pick(&ZKEYS[..4]).to_vec()
    }
}

/// A key to read or remove from: any sorted set key.
fn any_key(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(20) {
        ZLEX.to_vec()
    } else {
        zkey(rng)
    }
}

/// A key for a lex range: mostly [`ZLEX`].
fn lex_key(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(85) {
        ZLEX.to_vec()
    } else {
        rng.pick(KEYS).to_vec()
    }
}

const MEMBERS: &[&str] = &["a", "b", "c", "d", "e", "m1", "m2", "m3", "x\r\ny", ""];

const SCORES: &[&str] = &[
    "0", "1", "2", "-1", "3", "1.5", "-0", "0.1", "inf", "-inf", "+inf", "1e308", "-2.5", "10",
    "1e-320", "17", "nan", "x", "", "(1", " 2", "1e400", "-1e-400",
];

const BOUNDS: &[&str] = &[
    "-inf", "+inf", "inf", "0", "1", "(1", "2", "(2", "-1", "(-inf", "1.5", "(0", "x", "", "((1",
    "nan", "3", "10",
];

const LEX: &[&str] = &[
    "-", "+", "[a", "(a", "[b", "(c", "[m1", "(m2", "[e", "[", "(", "a", "+x", "[z", "(x",
];

fn word(w: impl AsRef<[u8]>) -> Vec<u8> {
    w.as_ref().to_vec()
}

fn member(rng: &mut Rng) -> Vec<u8> {
    word(rng.pick(MEMBERS))
}

fn score(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(60) {
        return rng.range(-3, 6).to_string().into_bytes();
    }
    word(rng.pick(SCORES))
}

fn small_int(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(90) {
        return rng.range(-6, 8).to_string().into_bytes();
    }
    word(rng.pick(&[
        "x",
        "9223372036854775807",
        "-9223372036854775808",
        "1.5",
        "",
    ]))
}

fn zadd_args(rng: &mut Rng, k: Vec<u8>) -> Vec<Vec<u8>> {
    let lex = k == ZLEX;
    let mut a = vec![k];
    if lex && rng.chance(10) {
        // Large enough to become a skiplist; all scores equal keeps lex ranges well defined.
        for i in 0..130 {
            a.push(b"0".to_vec());
            a.push(format!("big{i:03}").into_bytes());
        }
        return a;
    }
    for _ in 0..rng.below(3) {
        let opt = *rng.pick(&["NX", "XX", "GT", "LT", "CH", "INCR", "ch", "nx"]);
        a.push(word(opt));
    }
    for _ in 0..1 + rng.below(4) {
        if lex {
            a.push(b"0".to_vec());
            a.push(if rng.chance(10) {
                vec![b'L'; 65]
            } else {
                member(rng)
            });
        } else {
            a.push(score(rng));
            a.push(member(rng));
        }
    }
    a
}

fn limit(rng: &mut Rng, a: &mut Vec<Vec<u8>>) {
    if rng.chance(30) {
        a.push(word("LIMIT"));
        a.push(small_int(rng));
        a.push(small_int(rng));
    }
}

fn range_opts(rng: &mut Rng, a: &mut Vec<Vec<u8>>, store: bool, lex: bool) {
    for _ in 0..rng.below(4) {
        match rng.below(6) {
            0 => a.push(word("BYSCORE")),
            1 if lex => a.push(word("BYLEX")),
            2 => a.push(word("REV")),
            3 if !store => a.push(word("WITHSCORES")),
            4 => limit(rng, a),
            _ => a.push(word(rng.pick(&["withscores", "BOGUS", "limit"]))),
        }
    }
}

fn bounds(rng: &mut Rng, a: &mut Vec<Vec<u8>>) {
    match rng.below(3) {
        0 => {
            a.push(word(rng.pick(BOUNDS)));
            a.push(word(rng.pick(BOUNDS)));
        }
        1 => {
            a.push(word(rng.pick(LEX)));
            a.push(word(rng.pick(LEX)));
        }
        _ => {
            a.push(small_int(rng));
            a.push(small_int(rng));
        }
    }
}

/// Source keys with their count first: `numkeys key...`, sometimes miscounted.
fn numkeys(rng: &mut Rng, keys: &mut dyn FnMut(&mut Rng) -> Vec<u8>) -> Vec<Vec<u8>> {
    let n = 1 + rng.below(3) as usize;
    let mut a = Vec::new();
    a.push(if rng.chance(8) {
        word(rng.pick(&["0", "-1", "5", "x"]))
    } else {
        n.to_string().into_bytes()
    });
    for _ in 0..n {
        a.push(keys(rng));
    }
    a
}

fn setop_opts(rng: &mut Rng, a: &mut Vec<Vec<u8>>, n: usize, store: bool) {
    for _ in 0..rng.below(3) {
        match rng.below(4) {
            0 => {
                a.push(word("WEIGHTS"));
                for _ in 0..n {
                    a.push(word(rng.pick(&["1", "2", "-1", "0", "0.5", "inf", "x"])));
                }
            }
            1 => {
                a.push(word("AGGREGATE"));
                a.push(word(rng.pick(&["SUM", "MIN", "MAX", "max", "avg"])));
            }
            2 if !store => a.push(word("WITHSCORES")),
            _ => a.push(word(rng.pick(&["WEIGHTS", "LIMIT", "withscores"]))),
        }
    }
}

/// One sorted set command: name, arguments, how to compare.
pub fn step(rng: &mut Rng) -> (&'static str, Vec<Vec<u8>>, Compare) {
    use Compare::Exact;
    let key = &mut any_key;
    let k = zkey(rng);
    match rng.below(34) {
        0..=4 => {
            let k = if rng.chance(25) { ZLEX.to_vec() } else { k };
            ("ZADD", zadd_args(rng, k), Exact)
        }
        5 => ("ZINCRBY", vec![k, score(rng), member(rng)], Exact),
        6 => {
            let mut a = vec![any_key(rng)];
            for _ in 0..1 + rng.below(3) {
                a.push(member(rng));
            }
            ("ZREM", a, Exact)
        }
        7 => ("ZCARD", vec![any_key(rng)], Exact),
        8 => ("ZSCORE", vec![any_key(rng), member(rng)], Exact),
        9 => {
            let mut a = vec![any_key(rng)];
            for _ in 0..1 + rng.below(3) {
                a.push(member(rng));
            }
            ("ZMSCORE", a, Exact)
        }
        10 => (
            *rng.pick(&["ZRANK", "ZREVRANK"]),
            vec![k, member(rng)],
            Exact,
        ),
        11 => {
            let (name, k) = if rng.chance(50) {
                ("ZCOUNT", any_key(rng))
            } else {
                ("ZLEXCOUNT", lex_key(rng))
            };
            let mut a = vec![k];
            bounds(rng, &mut a);
            (name, a, Exact)
        }
        12..=15 => {
            let lex = rng.chance(30);
            let mut a = vec![if lex { lex_key(rng) } else { any_key(rng) }];
            bounds(rng, &mut a);
            range_opts(rng, &mut a, false, lex);
            ("ZRANGE", a, Exact)
        }
        16 => {
            let lex = rng.chance(30);
            let mut a = vec![k, if lex { lex_key(rng) } else { any_key(rng) }];
            bounds(rng, &mut a);
            range_opts(rng, &mut a, true, lex);
            ("ZRANGESTORE", a, Exact)
        }
        17 | 18 => {
            let name = *rng.pick(&[
                "ZRANGEBYSCORE",
                "ZREVRANGEBYSCORE",
                "ZRANGEBYLEX",
                "ZREVRANGEBYLEX",
                "ZREVRANGE",
            ]);
            let lex = name.ends_with("LEX");
            let mut a = vec![if lex { lex_key(rng) } else { any_key(rng) }];
            bounds(rng, &mut a);
            if rng.chance(40) {
                a.push(word("WITHSCORES"));
            }
            limit(rng, &mut a);
            (name, a, Exact)
        }
        19 => {
            let name = *rng.pick(&["ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX"]);
            let lex = name.ends_with("LEX");
            let mut a = vec![if lex { lex_key(rng) } else { any_key(rng) }];
            bounds(rng, &mut a);
            (name, a, Exact)
        }
        20 | 21 if rng.chance(20) => {
            let mut a = vec![any_key(rng)];
            if rng.chance(50) {
                a.push(zkey(rng));
            }
            a.push(super::gen_collections::timeout(rng));
            (*rng.pick(&["BZPOPMIN", "BZPOPMAX"]), a, Exact)
        }
        20 | 21 => {
            let mut a = vec![any_key(rng)];
            if rng.chance(60) {
                a.push(small_int(rng));
            }
            (*rng.pick(&["ZPOPMIN", "ZPOPMAX"]), a, Exact)
        }
        22 => {
            let mut a = numkeys(rng, key);
            a.push(word(rng.pick(&["MIN", "MAX", "min", "MID"])));
            if rng.chance(50) {
                a.push(word("COUNT"));
                a.push(small_int(rng));
            }
            if rng.chance(25) {
                a.insert(0, super::gen_collections::timeout(rng));
                return ("BZMPOP", a, Exact);
            }
            ("ZMPOP", a, Exact)
        }
        23 => {
            // Random picks: compared by shape (errors and empty replies still exactly).
            let mut a = vec![any_key(rng)];
            if rng.chance(75) {
                a.push(if rng.chance(30) {
                    word(rng.pick(&["0", "1000", "x", "-9223372036854775808"]))
                } else {
                    small_int(rng)
                });
                if rng.chance(40) {
                    a.push(word(rng.pick(&["WITHSCORES", "withscores", "nope"])));
                }
            }
            ("ZRANDMEMBER", a, Compare::Shape)
        }
        24 => {
            let mut a = vec![any_key(rng), word(rng.pick(&["0", "0", "x"]))];
            if rng.chance(40) {
                a.push(word("MATCH"));
                a.push(word(rng.pick(&["*", "m*", "big0*", "[ab]"])));
            }
            a.push(word("COUNT"));
            a.push(word(rng.pick(&["1000", "1000", "0", "x"])));
            ("ZSCAN", a, Compare::ScanPairs)
        }
        25..=30 => {
            let name = *rng.pick(&[
                "ZUNION",
                "ZINTER",
                "ZDIFF",
                "ZUNIONSTORE",
                "ZINTERSTORE",
                "ZDIFFSTORE",
            ]);
            let store = name.ends_with("STORE");
            let mut a = if store { vec![k] } else { vec![] };
            let src = numkeys(rng, key);
            let n = src.len() - 1;
            a.extend(src);
            if !name.starts_with("ZDIFF") || rng.chance(20) {
                setop_opts(rng, &mut a, n, store);
            } else if rng.chance(30) && !store {
                a.push(word("WITHSCORES"));
            }
            (name, a, Exact)
        }
        31 => {
            let mut a = numkeys(rng, key);
            if rng.chance(40) {
                a.push(word("LIMIT"));
                a.push(small_int(rng));
            }
            ("ZINTERCARD", a, Exact)
        }
        32 => {
            let sub = *rng.pick(&["ENCODING", "encoding"]);
            ("OBJECT", vec![word(sub), any_key(rng)], Exact)
        }
        _ => ("TYPE", vec![any_key(rng)], Exact),
    }
}
