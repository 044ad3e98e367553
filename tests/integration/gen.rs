//! Seeded random command streams for the differential test.
//!
//! The keyspace is deliberately tiny so keys collide, commands overwrite each other's values
//! and arguments are often invalid. Every generated step says how its replies may be compared:
//! most byte for byte, a few with a tolerance (TTLs) or order-insensitively (KEYS, SCAN).
//!
//! Expiry times are drawn from disjoint, widely spread ranges so that NX/XX/GT/LT comparisons
//! between two expiries never depend on which millisecond each server ran the command in, and
//! no key expires by itself while a stream runs (past times delete keys deterministically).

/// A tiny xorshift64* generator; deterministic for a given seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How the replies to a step are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// Byte for byte.
    Exact,
    /// Integers equal, or both non-negative and within this distance (TTLs, expire times).
    Within(i64),
    /// Arrays equal once sorted (KEYS).
    Unordered,
    /// Equal once every array and set, nested ones included, is sorted (members of sets that
    /// may be hashtable-encoded, whose order differs from redis-server's).
    Members,
    /// Random replies (SRANDMEMBER, ZRANDMEMBER, ...): the same types and aggregate sizes,
    /// recursively, with byte-identical errors and integers.
    Shape,
    /// `[cursor, [field, value, ...]]` with equal cursors and equal pairs in any order
    /// (ZSCAN, whose element order follows each server's own table).
    ScanPairs,
}

/// One step of a stream.
pub enum Step {
    /// Send one command and compare the replies.
    Command(Vec<Vec<u8>>, Compare),
    /// Like `Command`, but first read every key (with EXISTS, compared too) so that keys whose
    /// time has passed are reclaimed on both servers. Needed before DBSIZE: redis-server counts
    /// expired keys until they are accessed or its background cycle happens to sample them.
    Settled(Vec<Vec<u8>>),
    /// Iterate SCAN with these extra arguments to completion on both, compare the key sets.
    ScanAll(Vec<Vec<u8>>),
    /// A MULTI/EXEC block and the steps around it (`gen_multi`), run in order.
    Block(Vec<Step>),
}

/// The keys every stream plays with, including a binary-unsafe one; the last six are the
/// favourites of the hash, set and list steps (`gen_collections`).
pub const KEYS: &[&[u8]] = &[
    b"k0",
    b"k1",
    b"k2",
    b"k3",
    b"k4",
    b"k5",
    b"bin\r\n\x00key",
    b"h0",
    b"h1",
    b"s0",
    b"s1",
    b"l0",
    b"l1",
];

const INTEGERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "42",
    "9999",
    "10000",
    "-10000",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "+1",
    " 1",
    "1 ",
    "01",
    "-0",
    "0x10",
    "1e3",
    "",
    "abc",
    "1.0",
];

const FLOATS: &[&str] = &[
    "1.5", "-0.0", "3.0e3", "inf", "-inf", "+inf", "nan", "1e308", "-1e308", "0.1", ".5", "5.",
    "1e-320", "2.5e-3", " 1.5", "1.5 ", "1,5", "0x1p3", "17", "-3",
];

const STRINGS: &[&[u8]] = &[
    b"hello",
    b"foo bar",
    b"a\r\nb",
    b"\x00\x01\x02\xff",
    b"\xc3\xbcn\xc3\xaf",
    b"",
    b"ohmytext",
    b"mynewtext",
    b"12345678901234567890123456789012345678901234",
    b"123456789012345678901234567890123456789012345",
];

/// Something that can be written into a string value.
fn value(rng: &mut Rng) -> Vec<u8> {
    match rng.below(6) {
        0 => rng.pick(INTEGERS).as_bytes().to_vec(),
        1 => rng.pick(FLOATS).as_bytes().to_vec(),
        2 => rng.pick(STRINGS).to_vec(),
        3 => rng.range(-1000, 1000).to_string().into_bytes(),
        4 => {
            let len = rng.below(60) as usize;
            (0..len).map(|_| b'a' + rng.below(4) as u8).collect()
        }
        _ => {
            let len = rng.below(12) as usize;
            (0..len).map(|_| rng.below(256) as u8).collect()
        }
    }
}

fn key(rng: &mut Rng) -> Vec<u8> {
    rng.pick(KEYS).to_vec()
}

fn keys(rng: &mut Rng, max: u64) -> Vec<Vec<u8>> {
    (0..1 + rng.below(max)).map(|_| key(rng)).collect()
}

fn integer(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(60) {
        rng.range(-100, 100).to_string().into_bytes()
    } else {
        rng.pick(INTEGERS).as_bytes().to_vec()
    }
}

/// Expiry arguments relative to `now_ms` (the Unix time when the stream was generated).
struct Times {
    now_s: i64,
    now_ms: i64,
}

impl Times {
    /// A relative time in seconds: mostly far in the future, sometimes zero, negative or absurd.
    fn seconds(&self, rng: &mut Rng) -> Vec<u8> {
        match rng.below(10) {
            0 => rng.pick(&["0", "-1", "-100"]).as_bytes().to_vec(),
            1 => rng
                .pick(&["9223372036854775807", "9223372036854775", "1.5", "x", ""])
                .as_bytes()
                .to_vec(),
            _ => rng.range(1_000, 1_000_000).to_string().into_bytes(),
        }
    }

    /// A relative time in milliseconds.
    fn millis(&self, rng: &mut Rng) -> Vec<u8> {
        match rng.below(10) {
            0 => rng.pick(&["0", "-1", "-5000"]).as_bytes().to_vec(),
            1 => rng
                .pick(&["9223372036854775807", "1e3", "-9223372036854775808"])
                .as_bytes()
                .to_vec(),
            _ => rng
                .range(1_000_000_000, 1_999_999_999)
                .to_string()
                .into_bytes(),
        }
    }

    /// A Unix time in seconds: far future, past, or absurd.
    fn unix_seconds(&self, rng: &mut Rng) -> Vec<u8> {
        match rng.below(10) {
            0 => rng.pick(&["1", "0", "-1", "1000000"]).as_bytes().to_vec(),
            1 => rng
                .pick(&["9223372036854775807", "99999999999999999", "y"])
                .as_bytes()
                .to_vec(),
            _ => (self.now_s + rng.range(3_000_000, 3_999_999))
                .to_string()
                .into_bytes(),
        }
    }

    /// A Unix time in milliseconds.
    fn unix_millis(&self, rng: &mut Rng) -> Vec<u8> {
        match rng.below(10) {
            0 => rng.pick(&["1", "0", "-1", "1000"]).as_bytes().to_vec(),
            1 => rng
                .pick(&["9223372036854775807", "-9223372036854775808", "z"])
                .as_bytes()
                .to_vec(),
            _ => (self.now_ms + rng.range(5_000_000_000, 5_999_999_999))
                .to_string()
                .into_bytes(),
        }
    }
}

/// Generates a stream of `len` steps from `seed`.
pub fn stream(seed: u64, len: usize, now_ms: i64) -> Vec<Step> {
    let mut rng = Rng::new(seed);
    let times = Times {
        now_s: now_ms / 1000,
        now_ms,
    };
    (0..len).map(|_| step(&mut rng, &times)).collect()
}

fn step(rng: &mut Rng, t: &Times) -> Step {
    if rng.chance(4) {
        return Step::Block(super::gen_multi::block(rng, |rng| exact_command(rng, t)));
    }
    if rng.chance(3) {
        let (args, compare) = super::gen_lua::step(rng);
        return Step::Command(args, compare);
    }
    if rng.chance(45) {
        let (args, compare) = super::gen_collections::step(rng);
        return Step::Command(args, compare);
    }
    let k = key(rng);
    let (name, mut args, compare): (&str, Vec<Vec<u8>>, Compare) = match rng.below(86) {
        0..=3 => ("GET", vec![k], Compare::Exact),
        4..=8 => ("SET", set_args(rng, t, k), Compare::Exact),
        9 => ("SETNX", vec![k, value(rng)], Compare::Exact),
        10 => ("SETEX", vec![k, t.seconds(rng), value(rng)], Compare::Exact),
        11 => ("PSETEX", vec![k, t.millis(rng), value(rng)], Compare::Exact),
        12 => ("MGET", keys(rng, 4), Compare::Exact),
        13 | 14 => {
            let name = if rng.chance(50) { "MSET" } else { "MSETNX" };
            let mut args = Vec::new();
            for k in keys(rng, 3) {
                args.push(k);
                args.push(value(rng));
            }
            (name, args, Compare::Exact)
        }
        15 => ("GETSET", vec![k, value(rng)], Compare::Exact),
        16 => ("GETDEL", vec![k], Compare::Exact),
        17 => ("GETEX", getex_args(rng, t, k), Compare::Exact),
        18 | 19 => ("APPEND", vec![k, value(rng)], Compare::Exact),
        20 => ("STRLEN", vec![k], Compare::Exact),
        21 | 22 => (*rng.pick(&["INCR", "DECR"]), vec![k], Compare::Exact),
        23 | 24 => {
            let name = *rng.pick(&["INCRBY", "DECRBY"]);
            (name, vec![k, integer(rng)], Compare::Exact)
        }
        25 => {
            let by = if rng.chance(70) {
                rng.pick(FLOATS).as_bytes().to_vec()
            } else {
                integer(rng)
            };
            ("INCRBYFLOAT", vec![k, by], Compare::Exact)
        }
        26 => {
            let name = *rng.pick(&["GETRANGE", "SUBSTR"]);
            let mut a = vec![k];
            for _ in 0..2 {
                a.push(if rng.chance(85) {
                    rng.range(-60, 60).to_string().into_bytes()
                } else {
                    rng.pick(INTEGERS).as_bytes().to_vec()
                });
            }
            (name, a, Compare::Exact)
        }
        27 => {
            let offset = match rng.below(10) {
                0 => rng
                    .pick(&["-1", "536870912", "4294967296", "x", "9223372036854775807"])
                    .as_bytes()
                    .to_vec(),
                _ => rng.range(0, 300).to_string().into_bytes(),
            };
            ("SETRANGE", vec![k, offset, value(rng)], Compare::Exact)
        }
        28 => ("LCS", lcs_args(rng, k), Compare::Exact),
        29 | 30 => (*rng.pick(&["DEL", "UNLINK"]), keys(rng, 3), Compare::Exact),
        31 => ("EXISTS", keys(rng, 4), Compare::Exact),
        32 => ("TYPE", vec![k], Compare::Exact),
        33 => ("TOUCH", keys(rng, 3), Compare::Exact),
        34..=36 => expire_step(rng, t, k),
        37 | 38 => {
            let name = *rng.pick(&["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]);
            let tolerance = if name.starts_with('P') { 1000 } else { 1 };
            (name, vec![k], Compare::Within(tolerance))
        }
        39 => ("PERSIST", vec![k], Compare::Exact),
        40 => {
            let pattern =
                *rng.pick(&["*", "k*", "k[0-3]", "?1", "k\\*", "*key", "[^k]*", "k[", ""]);
            (
                "KEYS",
                vec![pattern.as_bytes().to_vec()],
                Compare::Unordered,
            )
        }
        41 | 42 => {
            let name = *rng.pick(&["RENAME", "RENAMENX"]);
            (name, vec![k, key(rng)], Compare::Exact)
        }
        43 => {
            let mut a = vec![k, key(rng)];
            if rng.chance(40) {
                a.push(b"REPLACE".to_vec());
            }
            if rng.chance(20) {
                a.extend([
                    b"DB".to_vec(),
                    rng.pick(&["0", "x", "-1"]).as_bytes().to_vec(),
                ]);
            }
            ("COPY", a, Compare::Exact)
        }
        44 => {
            let sub = *rng.pick(&["ENCODING", "REFCOUNT", "encoding", "FREQ", "NOSUCH"]);
            ("OBJECT", vec![sub.as_bytes().to_vec(), k], Compare::Exact)
        }
        45 => return Step::Settled(vec![b"DBSIZE".to_vec()]),
        46 => ("ECHO", vec![value(rng)], Compare::Exact),
        47 => {
            let a = if rng.chance(50) {
                vec![]
            } else {
                vec![value(rng)]
            };
            ("PING", a, Compare::Exact)
        }
        48 => {
            let mut a = Vec::new();
            if rng.chance(50) {
                a.extend([
                    b"MATCH".to_vec(),
                    rng.pick(&["k*", "*", "b*"]).as_bytes().to_vec(),
                ]);
            }
            if rng.chance(50) {
                a.extend([
                    b"COUNT".to_vec(),
                    rng.pick(&["1", "2", "100"]).as_bytes().to_vec(),
                ]);
            }
            if rng.chance(20) {
                a.extend([
                    b"TYPE".to_vec(),
                    rng.pick(&["string", "list"]).as_bytes().to_vec(),
                ]);
            }
            return Step::ScanAll(a);
        }
        49 => {
            let name = *rng.pick(&["FOOBAR", "GETT", "SET_", "\x00"]);
            (name, vec![k, value(rng)], Compare::Exact)
        }
        52..=69 => super::gen_zset::step(rng),
        70..=79 => super::gen_bits::step(rng),
        80..=85 => super::gen_bits::hll_step(rng),
        _ => ("GET", vec![k], Compare::Exact),
    };
    // Occasionally break the arity on purpose (never by adding a timeout, see `timeout_last`).
    match rng.below(40) {
        0 => {
            args.pop();
        }
        // ZRANK and ZREVRANK have Redis 7.2's arity -3 (WITHSCORE), the 7.0 oracle's is 3:
        // with extra arguments SoliKV refuses them only when they run (inside MULTI: after
        // QUEUED), the oracle at once, so they are broken by a missing argument only.
        1 if !super::gen_collections::timeout_last(name)
            && !matches!(name, "ZRANK" | "ZREVRANK") =>
        {
            args.push(value(rng))
        }
        _ => {}
    }
    let mut name = name.as_bytes().to_vec();
    if rng.chance(10) {
        name.iter_mut().for_each(|c| {
            if rng.chance(50) {
                c.make_ascii_lowercase()
            }
        });
    }
    args.insert(0, name);
    Step::Command(args, compare)
}

/// A command whose reply is compared byte for byte (inside MULTI, EXEC's reply holds it).
fn exact_command(rng: &mut Rng, t: &Times) -> Vec<Vec<u8>> {
    for _ in 0..32 {
        if let Step::Command(args, Compare::Exact) = step(rng, t) {
            return args;
        }
    }
    vec![b"GET".to_vec(), key(rng)]
}

fn set_args(rng: &mut Rng, t: &Times, k: Vec<u8>) -> Vec<Vec<u8>> {
    let mut a = vec![k, value(rng)];
    let option_count = rng.below(4);
    for _ in 0..option_count {
        match rng.below(9) {
            0 => a.extend([b"EX".to_vec(), t.seconds(rng)]),
            1 => a.extend([b"PX".to_vec(), t.millis(rng)]),
            2 => a.extend([b"EXAT".to_vec(), t.unix_seconds(rng)]),
            3 => a.extend([b"PXAT".to_vec(), t.unix_millis(rng)]),
            4 => a.push(b"NX".to_vec()),
            5 => a.push(b"XX".to_vec()),
            6 => a.push(b"KEEPTTL".to_vec()),
            7 => a.push(b"GET".to_vec()),
            _ => a.push(rng.pick(&["ex", "px", "BOGUS"]).as_bytes().to_vec()),
        }
    }
    a
}

fn getex_args(rng: &mut Rng, t: &Times, k: Vec<u8>) -> Vec<Vec<u8>> {
    let mut a = vec![k];
    for _ in 0..rng.below(3) {
        match rng.below(6) {
            0 => a.extend([b"EX".to_vec(), t.seconds(rng)]),
            1 => a.extend([b"PX".to_vec(), t.millis(rng)]),
            2 => a.extend([b"EXAT".to_vec(), t.unix_seconds(rng)]),
            3 => a.extend([b"PXAT".to_vec(), t.unix_millis(rng)]),
            4 => a.push(b"PERSIST".to_vec()),
            _ => a.push(rng.pick(&["KEEPTTL", "EX"]).as_bytes().to_vec()),
        }
    }
    a
}

fn lcs_args(rng: &mut Rng, k: Vec<u8>) -> Vec<Vec<u8>> {
    let mut a = vec![k, key(rng)];
    for _ in 0..rng.below(4) {
        match rng.below(5) {
            0 => a.push(b"LEN".to_vec()),
            1 => a.push(b"IDX".to_vec()),
            2 => a.extend([
                b"MINMATCHLEN".to_vec(),
                rng.pick(&["0", "2", "4", "-1", "x"]).as_bytes().to_vec(),
            ]),
            3 => a.push(b"WITHMATCHLEN".to_vec()),
            _ => a.push(b"NOPE".to_vec()),
        }
    }
    a
}

fn expire_step(rng: &mut Rng, t: &Times, k: Vec<u8>) -> (&'static str, Vec<Vec<u8>>, Compare) {
    let (name, when) = match rng.below(4) {
        0 => ("EXPIRE", t.seconds(rng)),
        1 => ("PEXPIRE", t.millis(rng)),
        2 => ("EXPIREAT", t.unix_seconds(rng)),
        _ => ("PEXPIREAT", t.unix_millis(rng)),
    };
    let mut a = vec![k, when];
    for _ in 0..rng.below(3) {
        a.push(
            rng.pick(&["NX", "XX", "GT", "LT", "lt", "ZZ"])
                .as_bytes()
                .to_vec(),
        );
    }
    (name, a, Compare::Exact)
}
