//! Bitmap steps for the differential streams (see [`super::gen`]). They act on the string
//! keys, so they meet values written by SET, APPEND and INCR (including integer-encoded
//! ones) and sorted sets (WRONGTYPE). Offsets stay small, with a few invalid or
//! out-of-range ones, so no step allocates the 512 MB a maximal offset would.

use super::gen::{Compare, Rng, KEYS};

fn word(w: impl AsRef<[u8]>) -> Vec<u8> {
    w.as_ref().to_vec()
}

fn key(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(5) {
        return b"z0".to_vec();
    }
    rng.pick(KEYS).to_vec()
}

fn offset(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(90) {
        return rng.range(0, 200).to_string().into_bytes();
    }
    word(rng.pick(&["-1", "x", "4294967296", "9223372036854775807", ""]))
}

fn index(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(90) {
        return rng.range(-30, 30).to_string().into_bytes();
    }
    word(rng.pick(&["x", "9223372036854775807", "-9223372036854775808", "1.5"]))
}

fn field_type(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(85) {
        let signed = rng.chance(50);
        let bits = rng.range(1, if signed { 64 } else { 63 });
        return format!("{}{bits}", if signed { 'i' } else { 'u' }).into_bytes();
    }
    word(rng.pick(&["u64", "i65", "i0", "x8", "I8", "u"]))
}

fn field_offset(rng: &mut Rng) -> Vec<u8> {
    match rng.below(10) {
        0 => format!("#{}", rng.range(0, 10)).into_bytes(),
        1 => word(rng.pick(&["-1", "#-1", "x", "4294967296"])),
        _ => rng.range(0, 120).to_string().into_bytes(),
    }
}

fn field_value(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(70) {
        return rng.range(-300, 300).to_string().into_bytes();
    }
    word(rng.pick(&[
        "9223372036854775807",
        "-9223372036854775808",
        "4294967296",
        "x",
        "127",
        "-128",
    ]))
}

/// One bitmap command: name, arguments, how to compare.
pub fn step(rng: &mut Rng) -> (&'static str, Vec<Vec<u8>>, Compare) {
    let k = key(rng);
    let exact = Compare::Exact;
    match rng.below(12) {
        0 | 1 => {
            let bit = if rng.chance(90) {
                word(rng.pick(&["0", "1"]))
            } else {
                word(rng.pick(&["2", "-1", "x"]))
            };
            ("SETBIT", vec![k, offset(rng), bit], exact)
        }
        2 => ("GETBIT", vec![k, offset(rng)], exact),
        3 | 4 => {
            let mut a = vec![k];
            if rng.chance(70) {
                a.push(index(rng));
                a.push(index(rng));
                if rng.chance(50) {
                    a.push(word(rng.pick(&["BIT", "BYTE", "bit", "WORD"])));
                }
            }
            ("BITCOUNT", a, exact)
        }
        5 | 6 => {
            let bit = if rng.chance(90) {
                word(rng.pick(&["0", "1"]))
            } else {
                word(rng.pick(&["2", "x"]))
            };
            let mut a = vec![k, bit];
            for _ in 0..rng.below(3) {
                a.push(index(rng));
            }
            if a.len() == 4 && rng.chance(50) {
                a.push(word(rng.pick(&["BIT", "BYTE", "bit", "WORD"])));
            }
            ("BITPOS", a, exact)
        }
        7 => {
            let op = rng.pick(&["AND", "OR", "XOR", "NOT", "and", "NAND"]);
            let mut a = vec![word(op), k];
            for _ in 0..1 + rng.below(3) {
                a.push(key(rng));
            }
            ("BITOP", a, exact)
        }
        _ => {
            let name = if rng.chance(25) {
                "BITFIELD_RO"
            } else {
                "BITFIELD"
            };
            let mut a = vec![k];
            for _ in 0..rng.below(4) {
                match rng.below(9) {
                    0..=2 => a.extend([word("GET"), field_type(rng), field_offset(rng)]),
                    3 | 4 => a.extend([
                        word("SET"),
                        field_type(rng),
                        field_offset(rng),
                        field_value(rng),
                    ]),
                    5 | 6 => a.extend([
                        word("INCRBY"),
                        field_type(rng),
                        field_offset(rng),
                        field_value(rng),
                    ]),
                    7 => a.extend([
                        word("OVERFLOW"),
                        word(rng.pick(&["WRAP", "SAT", "FAIL", "sat", "BAD"])),
                    ]),
                    _ => a.push(word(rng.pick(&["GET", "BOGUS", "OVERFLOW"]))),
                }
            }
            (name, a, exact)
        }
    }
}

/// Keys the HyperLogLog steps mostly use (not `h0`/`h1`, the hash keys of `gen_collections`);
/// the differential reset deletes them too.
pub const HKEYS: &[&[u8]] = &[b"p0", b"p1", b"p2{k0}"];

fn hkey(rng: &mut Rng) -> Vec<u8> {
    if rng.chance(10) {
        return rng.pick(KEYS).to_vec();
    }
    rng.pick(HKEYS).to_vec()
}

/// One HyperLogLog command. GET of a sketch is compared byte for byte, so every sparse
/// split, merge and promotion to dense must match.
pub fn hll_step(rng: &mut Rng) -> (&'static str, Vec<Vec<u8>>, Compare) {
    let exact = Compare::Exact;
    match rng.below(10) {
        0..=3 => {
            let mut a = vec![hkey(rng)];
            let n = if rng.chance(8) { 600 } else { rng.below(5) };
            let base = rng.below(1_000_000);
            for i in 0..n {
                a.push(format!("e{}", base + i * 7).into_bytes());
            }
            ("PFADD", a, exact)
        }
        4 | 5 => {
            let mut a = Vec::new();
            for _ in 0..1 + rng.below(3) {
                a.push(hkey(rng));
            }
            ("PFCOUNT", a, exact)
        }
        6 => {
            let mut a = Vec::new();
            for _ in 0..1 + rng.below(3) {
                a.push(hkey(rng));
            }
            ("PFMERGE", a, exact)
        }
        7 | 8 => ("GET", vec![hkey(rng)], exact),
        _ => {
            const FORGED: &[&[u8]] = &[
                b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
                b"HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff",
                b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x40\x00\x7f\xfe",
                b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff",
                b"HYLX",
            ];
            let forged = rng.pick(FORGED).to_vec();
            ("SET", vec![hkey(rng), forged], exact)
        }
    }
}
