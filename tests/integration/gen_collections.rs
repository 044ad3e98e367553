//! Random steps over hashes, sets and lists for the differential test (see [`super::gen`]).
//!
//! They share the string steps' tiny keyspace, so collection commands meet string keys
//! (WRONGTYPE) and each other. Hashes stay small with short values, so they keep redis's
//! `listpack` encoding and HGETALL/HSCAN order is compared byte for byte. Sets may turn into
//! `hashtable`s, whose order differs from redis-server's, so set replies are compared as
//! member sets. Random commands run only in forms whose effect is deterministic (SPOP of the
//! whole set), and their replies are compared by shape where they are random.

use super::gen::{Compare, Rng, KEYS};

const FIELDS: &[&[u8]] = &[b"f0", b"f1", b"f2", b"f3", b"1", b"", b"\x00\xff"];

const MEMBERS: &[&[u8]] = &[
    b"0",
    b"1",
    b"2",
    b"3",
    b"5",
    b"-7",
    b"42",
    b"9223372036854775807",
    b"a",
    b"b",
    b"x y",
    b"01",
    b"",
    b"\r\n",
];

const COUNTS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "-1",
    "-3",
    "100",
    "x",
    "",
    "-9223372036854775808",
];

const INDEXES: &[&str] = &["0", "1", "-1", "2", "-2", "5", "-100", "100", "x", "1.5"];

thread_local! {
    /// The keys the current family prefers (set by [`step`]).
    static PREFERRED: std::cell::Cell<&'static [&'static [u8]]> = const { std::cell::Cell::new(KEYS) };
}

/// Mostly one of the current family's two favourite keys (so values grow past a few
/// elements), sometimes any key (so types collide).
fn key(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(80) {
        rng.pick(PREFERRED.with(|p| p.get())).to_vec()
    } else {
        rng.pick(KEYS).to_vec()
    }
}

fn keys(rng: &mut Rng, max: u64) -> Vec<Vec<u8>> {
    (0..1 + rng.below(max)).map(|_| key(rng)).collect()
}

fn field(rng: &mut Rng) -> Vec<u8> {
    rng.pick(FIELDS).to_vec()
}

fn member(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(40) {
        rng.range(-5, 30).to_string().into_bytes()
    } else {
        rng.pick(MEMBERS).to_vec()
    }
}

/// A hash value or list element: at most 64 bytes, so hashes stay listpacks.
fn value(rng: &mut Rng) -> Vec<u8> {
    match rng.below(5) {
        0 => rng.range(-100, 100).to_string().into_bytes(),
        1 => rng
            .pick(&[
                "1.5",
                "-0.5",
                "1e3",
                "abc",
                "9223372036854775807",
                "inf",
                "",
            ])
            .as_bytes()
            .to_vec(),
        2 => {
            let len = rng.below(65) as usize;
            (0..len).map(|_| b'a' + rng.below(3) as u8).collect()
        }
        _ => member(rng),
    }
}

fn word(rng: &mut Rng, words: &[&str]) -> Vec<u8> {
    rng.pick(words).as_bytes().to_vec()
}

/// One hash, set or list command with its arguments (name first) and how to compare it.
pub fn step(rng: &mut Rng) -> (Vec<Vec<u8>>, Compare) {
    let family = rng.below(3) as usize;
    PREFERRED.with(|p| p.set(&KEYS[7 + family * 2..9 + family * 2]));
    let (name, mut args, compare): (&str, Vec<Vec<u8>>, Compare) = match family {
        0 => hash_step(rng),
        1 => set_step(rng),
        _ => list_step(rng),
    };
    // Occasionally break the arity, except where dropping or adding an argument could make
    // a random command pick differently on each side, or add a long timeout.
    let random = matches!(name, "SPOP" | "SRANDMEMBER" | "HRANDFIELD");
    match rng.below(30) {
        0 if !random => {
            args.pop();
        }
        1 if !random && !timeout_last(name) => args.push(value(rng)),
        _ => {}
    }
    let mut line = vec![name.as_bytes().to_vec()];
    if rng.chance(10) {
        line[0].make_ascii_lowercase();
    }
    line.extend(args);
    (line, compare)
}

fn hash_step(rng: &mut Rng) -> (&'static str, Vec<Vec<u8>>, Compare) {
    let k = key(rng);
    match rng.below(18) {
        0..=2 => {
            let name = if rng.chance(80) { "HSET" } else { "HMSET" };
            let mut a = vec![k];
            for _ in 0..1 + rng.below(3) {
                a.push(field(rng));
                a.push(value(rng));
            }
            (name, a, Compare::Exact)
        }
        3 => ("HSETNX", vec![k, field(rng), value(rng)], Compare::Exact),
        4 => ("HGET", vec![k, field(rng)], Compare::Exact),
        5 => {
            let mut a = vec![k];
            a.extend((0..1 + rng.below(3)).map(|_| field(rng)));
            ("HMGET", a, Compare::Exact)
        }
        6 => {
            let mut a = vec![k];
            a.extend((0..1 + rng.below(3)).map(|_| field(rng)));
            ("HDEL", a, Compare::Exact)
        }
        7 => {
            let name = *rng.pick(&["HEXISTS", "HSTRLEN"]);
            (name, vec![k, field(rng)], Compare::Exact)
        }
        8 => {
            let name = *rng.pick(&["HLEN", "HKEYS", "HVALS", "HGETALL"]);
            (name, vec![k], Compare::Exact)
        }
        9 | 10 => {
            let by = word(rng, &["1", "-5", "100", "x", "9223372036854775807", "1.5"]);
            ("HINCRBY", vec![k, field(rng), by], Compare::Exact)
        }
        11 => {
            let by = word(rng, &["1.5", "-0.25", "10", "1e3", "inf", "x", "3.0e-2"]);
            ("HINCRBYFLOAT", vec![k, field(rng), by], Compare::Exact)
        }
        12 | 13 => {
            let mut a = vec![k];
            if rng.chance(80) {
                a.push(word(rng, COUNTS));
                if rng.chance(50) {
                    a.push(word(rng, &["WITHVALUES", "withvalues", "NOPE"]));
                }
            }
            // The whole hash (count at least its size, in listpack order) is deterministic.
            let whole = a.len() > 1 && matches!(&a[1][..], b"100" | b"0");
            let compare = if whole {
                Compare::Exact
            } else {
                Compare::Shape
            };
            ("HRANDFIELD", a, compare)
        }
        _ => {
            let mut a = vec![k, word(rng, &["0", "0", "0", "1", "x", "-1"])];
            if rng.chance(40) {
                a.extend([b"MATCH".to_vec(), word(rng, &["f*", "*", "[0-9]", "zz"])]);
            }
            if rng.chance(40) {
                a.extend([b"COUNT".to_vec(), word(rng, &["1", "10", "0", "x"])]);
            }
            if rng.chance(5) {
                a.extend([b"TYPE".to_vec(), b"hash".to_vec()]);
            }
            ("HSCAN", a, Compare::Exact)
        }
    }
}

fn set_step(rng: &mut Rng) -> (&'static str, Vec<Vec<u8>>, Compare) {
    let k = key(rng);
    match rng.below(18) {
        0..=2 => {
            let mut a = vec![k];
            a.extend((0..1 + rng.below(4)).map(|_| member(rng)));
            ("SADD", a, Compare::Exact)
        }
        3 => {
            let mut a = vec![k];
            a.extend((0..1 + rng.below(3)).map(|_| member(rng)));
            ("SREM", a, Compare::Exact)
        }
        4 => ("SISMEMBER", vec![k, member(rng)], Compare::Exact),
        5 => {
            let mut a = vec![k];
            a.extend((0..1 + rng.below(3)).map(|_| member(rng)));
            ("SMISMEMBER", a, Compare::Exact)
        }
        6 => ("SCARD", vec![k], Compare::Exact),
        7 => ("SMEMBERS", vec![k], Compare::Members),
        8 | 9 => {
            let name = *rng.pick(&["SINTER", "SUNION", "SDIFF"]);
            (name, keys(rng, 3), Compare::Members)
        }
        10 | 11 => {
            let name = *rng.pick(&["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]);
            let mut a = vec![k];
            a.extend(keys(rng, 3));
            (name, a, Compare::Exact)
        }
        12 => {
            let ks = keys(rng, 3);
            let numkeys = match rng.below(8) {
                0 => word(rng, &["0", "-1", "x", "9"]),
                _ => ks.len().to_string().into_bytes(),
            };
            let mut a = vec![numkeys];
            a.extend(ks);
            if rng.chance(40) {
                a.extend([b"LIMIT".to_vec(), word(rng, &["0", "1", "2", "-1", "x"])]);
            }
            ("SINTERCARD", a, Compare::Exact)
        }
        13 => ("SMOVE", vec![k, key(rng), member(rng)], Compare::Exact),
        14 => {
            // Only SPOP forms with a deterministic effect: popping the whole set, or none.
            let mut a = vec![k];
            let compare = if rng.chance(70) {
                a.push(word(rng, &["100", "0", "-1", "x"]));
                Compare::Members
            } else {
                a.extend([b"100".to_vec(), b"1".to_vec()]);
                Compare::Members
            };
            ("SPOP", a, compare)
        }
        15 => {
            let mut a = vec![k];
            let compare = match rng.below(3) {
                0 => Compare::Shape,
                _ => {
                    let count = word(rng, COUNTS);
                    let compare = match &count[..] {
                        b"100" => Compare::Members,
                        b"0" | b"x" | b"" | b"-9223372036854775808" => Compare::Exact,
                        _ => Compare::Shape,
                    };
                    a.push(count);
                    compare
                }
            };
            ("SRANDMEMBER", a, compare)
        }
        _ => {
            let mut a = vec![k, word(rng, &["0", "0", "0", "x"])];
            a.extend([b"COUNT".to_vec(), b"1000".to_vec()]);
            if rng.chance(40) {
                a.extend([b"MATCH".to_vec(), word(rng, &["1*", "*", "[a-z]", "zz"])]);
            }
            ("SSCAN", a, Compare::Members)
        }
    }
}

fn list_step(rng: &mut Rng) -> (&'static str, Vec<Vec<u8>>, Compare) {
    let k = key(rng);
    let end = |rng: &mut Rng| word(rng, &["LEFT", "RIGHT", "left", "right", "UP"]);
    match rng.below(20) {
        0..=3 => {
            let name = *rng.pick(&["LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]);
            let mut a = vec![k];
            a.extend((0..1 + rng.below(4)).map(|_| value(rng)));
            (name, a, Compare::Exact)
        }
        4 | 5 => {
            let name = *rng.pick(&["LPOP", "RPOP"]);
            let mut a = vec![k];
            if rng.chance(50) {
                a.push(word(rng, COUNTS));
            }
            (name, a, Compare::Exact)
        }
        6 => ("LLEN", vec![k], Compare::Exact),
        7 | 8 => {
            let (a, b) = (word(rng, INDEXES), word(rng, INDEXES));
            ("LRANGE", vec![k, a, b], Compare::Exact)
        }
        9 => ("LINDEX", vec![k, word(rng, INDEXES)], Compare::Exact),
        10 => (
            "LSET",
            vec![k, word(rng, INDEXES), value(rng)],
            Compare::Exact,
        ),
        11 => {
            let place = word(rng, &["BEFORE", "AFTER", "after", "MIDDLE"]);
            (
                "LINSERT",
                vec![k, place, member(rng), value(rng)],
                Compare::Exact,
            )
        }
        12 => {
            let count = word(rng, &["0", "1", "-1", "2", "-2", "x"]);
            ("LREM", vec![k, count, member(rng)], Compare::Exact)
        }
        13 => {
            let (a, b) = (word(rng, INDEXES), word(rng, INDEXES));
            ("LTRIM", vec![k, a, b], Compare::Exact)
        }
        14 => {
            let mut a = vec![k, member(rng)];
            for _ in 0..rng.below(3) {
                let opt = word(rng, &["RANK", "COUNT", "MAXLEN", "rank", "NOPE"]);
                let v = word(
                    rng,
                    &["0", "1", "2", "-1", "-2", "x", "-9223372036854775808"],
                );
                a.extend([opt, v]);
            }
            ("LPOS", a, Compare::Exact)
        }
        15 | 16 if rng.chance(25) => {
            // Blocking forms: a short timeout, so an empty source replies as it times out.
            if rng.chance(30) {
                (
                    "BRPOPLPUSH",
                    vec![k, key(rng), timeout(rng)],
                    Compare::Exact,
                )
            } else {
                let a = vec![k, key(rng), end(rng), end(rng), timeout(rng)];
                ("BLMOVE", a, Compare::Exact)
            }
        }
        15 | 16 => {
            if rng.chance(30) {
                ("RPOPLPUSH", vec![k, key(rng)], Compare::Exact)
            } else {
                (
                    "LMOVE",
                    vec![k, key(rng), end(rng), end(rng)],
                    Compare::Exact,
                )
            }
        }
        _ if rng.chance(25) => {
            let mut a = keys(rng, 3);
            a.push(timeout(rng));
            (*rng.pick(&["BLPOP", "BRPOP"]), a, Compare::Exact)
        }
        _ => {
            let blocking = rng.chance(25);
            let ks = keys(rng, 3);
            let numkeys = match rng.below(8) {
                0 => word(rng, &["0", "-1", "x", "9"]),
                _ => ks.len().to_string().into_bytes(),
            };
            let mut a = vec![numkeys];
            a.extend(ks);
            a.push(end(rng));
            if rng.chance(50) {
                a.extend([
                    b"COUNT".to_vec(),
                    word(rng, &["1", "2", "10", "0", "-1", "x"]),
                ]);
            }
            if blocking {
                a.insert(0, timeout(rng));
                return ("BLMPOP", a, Compare::Exact);
            }
            ("LMPOP", a, Compare::Exact)
        }
    }
}

/// Whether the command's last argument is its timeout (BLPOP, BRPOP, BZPOPMIN, BZPOPMAX): an
/// argument added after it would become the timeout and could block both servers for seconds.
pub fn timeout_last(name: &str) -> bool {
    matches!(name, "BLPOP" | "BRPOP" | "BZPOPMIN" | "BZPOPMAX")
}

/// A blocking command's timeout: short enough to keep streams fast (never 0, which would
/// wait forever on an empty key), or malformed.
pub fn timeout(rng: &mut Rng) -> Vec<u8> {
    word(
        rng,
        &["0.01", "0.002", ".005", "0.01", "-1", "x", "1e17", "nan"],
    )
}
