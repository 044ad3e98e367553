//! HyperLogLog commands against the oracle: the stored sketch (GET) must be byte-identical
//! through sparse growth, promotion to dense and merges, PFCOUNT must give the same estimate
//! (and cache it in the header the same way), and corrupted or forged sketches must be
//! rejected with the same errors, also across data cores.

use super::harness::{DiffConn, Pair};

/// PFADDs `n` elements named `prefix:i` in batches, comparing every reply.
fn pfadd_many(c: &mut DiffConn, key: &str, prefix: &str, n: usize) {
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let mut args = vec![b"PFADD".to_vec(), key.as_bytes().to_vec()];
        args.extend(chunk.iter().map(|i| format!("{prefix}:{i}").into_bytes()));
        let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        c.check(&refs);
    }
}

#[test]
fn sketches_match_byte_for_byte() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "PFADD h",
        "GET h",
        "PFADD h a b c d e f g",
        "GET h",
        "PFCOUNT h",
        "GET h",
        "PFADD h a",
        "OBJECT ENCODING h",
    ]);
    for (n, key) in [(100, "h100"), (2_000, "h2k"), (100_000, "h100k")] {
        pfadd_many(&mut c, key, key, n);
        c.check_all(&[&format!("GET {key}"), &format!("PFCOUNT {key}")]);
        c.check_all(&[&format!("GET {key}"), &format!("STRLEN {key}")]);
    }
    c.check_all(&[
        "PFCOUNT h100 h2k h100k nokey",
        "PFMERGE dst h100 h2k",
        "GET dst",
        "PFCOUNT dst",
        "PFMERGE dst h100k",
        "GET dst",
        "PFMERGE dst2 h100",
        "GET dst2",
        "PFMERGE h h100",
        "GET h",
        "PFCOUNT nokey",
    ]);
}

#[test]
fn invalid_sketches_are_rejected() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET s hello",
        "PFADD s a",
        "PFCOUNT s",
        "OBJECT ENCODING s",
        "SET n 123",
        "PFADD n a",
        "PFMERGE n",
        "ZADD z 1 a",
        "PFADD z a",
        "PFCOUNT z h",
        "PFMERGE dst z",
        "SET forged HYLLxxxxxxxxxxxxxx",
        "PFADD forged a",
    ]);
    let corrupt = b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe";
    c.check(&[b"SET", b"bad", corrupt]);
    c.check_all(&["PFCOUNT bad", "PFADD bad x", "PFMERGE d bad", "GET bad"]);
    // Every register covered, then one run too many: merging refuses it as counting does.
    let overflow = b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x80";
    c.check(&[b"SET", b"over", overflow]);
    c.check_all(&[
        "PFCOUNT over nokey",
        "PFMERGE d2 over",
        "PFCOUNT over",
        "CONFIG SET hll-sparse-max-bytes 0",
        "PFADD over x",
    ]);
}

#[test]
fn multi_key_across_cores() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    for key in ["a", "b", "c", "d{a}"] {
        pfadd_many(&mut c, key, key, 300);
    }
    c.check_all(&[
        "PFCOUNT a b c d{a}",
        "PFMERGE b a c d{a}",
        "GET b",
        "PFCOUNT b",
        "SET str x",
        "PFCOUNT a str",
        "PFMERGE a str",
    ]);
}

/// A lower `hll-sparse-max-bytes` turns sketches dense sooner, byte for byte like Redis.
#[test]
fn sparse_limit_follows_config_set() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&["CONFIG SET hll-sparse-max-bytes 60"]);
    pfadd_many(&mut c, "h", "x", 40);
    c.check_all(&["STRLEN h", "GET h", "PFCOUNT h"]);
}
