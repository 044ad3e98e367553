//! Bitmap commands over string values (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
//! BITFIELD_RO): table entries and handlers.
//!
//! Runs on the data core owning the keys (BITOP over keys on several cores arrives through
//! `shard::gather`); synchronous. Bit 0 is the most significant bit of the first byte, as in
//! Redis. Handlers follow redis-server 7.0.15's `bitops.c` reply for reply, including the
//! order in which errors are detected. `field` holds BITFIELD.

mod field;

use super::error::reply_error;
use super::string::PROTO_MAX_BULK_LEN;
use super::{Args, CmdError, CmdResult, Command, Exec, KeyRange, Spread, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// BITOP: the destination and every source after the operation name.
const BITOP_KEYS: KeyRange = KeyRange {
    first: 2,
    last: -1,
    step: 1,
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "setbit",
        arity: 4,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(setbit, Spread::Single),
    },
    Command {
        name: "getbit",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(getbit, Spread::Single),
    },
    Command {
        name: "bitcount",
        arity: -2,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(bitcount, Spread::Single),
    },
    Command {
        name: "bitpos",
        arity: -3,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(bitpos, Spread::Single),
    },
    Command {
        name: "bitop",
        arity: -4,
        keys: BITOP_KEYS,
        flags: WRITE,
        exec: Exec::Keyed(bitop, Spread::Atomic),
    },
    Command {
        name: "bitfield",
        arity: -2,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(field::bitfield, Spread::Single),
    },
    Command {
        name: "bitfield_ro",
        arity: -2,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(field::bitfield_ro, Spread::Single),
    },
];

const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";

/// A bit offset argument (`getBitOffsetFromArgument`): with `hash_bits`, `#n` means
/// `n * hash_bits`. At most `proto-max-bulk-len` bytes of bits.
fn parse_offset(arg: &[u8], hash_bits: Option<u32>) -> CmdResult<u64> {
    let (digits, scale) = match (arg.first(), hash_bits) {
        (Some(b'#'), Some(bits)) => (&arg[1..], bits as i64),
        _ => (arg, 1),
    };
    let n = parse_i64(digits)
        .ok_or_else(|| CmdError::other(BAD_OFFSET))?
        .wrapping_mul(scale);
    if n < 0 || (n >> 3) as u64 >= PROTO_MAX_BULK_LEN {
        return Err(CmdError::other(BAD_OFFSET));
    }
    Ok(n as u64)
}

/// The string at `key` grown with zero bytes to hold bit `maxbit` (`lookupStringForBitCommand`):
/// created when absent, WRONGTYPE for other types. Returns the bytes and whether they grew.
fn string_for_bits<'a>(
    ks: &'a mut Keyspace,
    key: &[u8],
    maxbit: u64,
) -> CmdResult<(&'a mut Vec<u8>, bool)> {
    let need = (maxbit >> 3) as usize + 1;
    if ks.get(key).is_none() {
        ks.insert(key, Value::Raw(vec![0; need]), 0);
        let raw = ks.get(key).and_then(|e| e.value.make_raw());
        return Ok((raw.expect("just stored a string"), true));
    }
    let entry = ks.get(key).expect("key exists");
    let raw = entry.value.make_raw().ok_or(CmdError::WrongType)?;
    let grew = raw.len() < need;
    if grew {
        raw.resize(need, 0);
    }
    Ok((raw, grew))
}

/// Runs `f` on the bytes of the string at `key`, in place (bitmaps may be 512 MB): `Ok(None)`
/// when absent, WRONGTYPE for other types.
pub(super) fn with_string<R>(
    ks: &mut Keyspace,
    key: &[u8],
    f: impl FnOnce(&[u8]) -> R,
) -> CmdResult<Option<R>> {
    match ks.get(key) {
        None => Ok(None),
        Some(e) => match e.value.str_bytes() {
            Some(b) => Ok(Some(f(b.as_slice()))),
            None => Err(CmdError::WrongType),
        },
    }
}

fn word(bytes: &[u8]) -> u64 {
    u64::from_ne_bytes(bytes.try_into().expect("8-byte chunk"))
}

/// Index of the first byte that is not `skip`, eight bytes at a time.
fn first_byte_not(bytes: &[u8], skip: u8) -> Option<usize> {
    let skipped = u64::from_ne_bytes([skip; 8]);
    let whole = bytes
        .chunks_exact(8)
        .position(|c| word(c) != skipped)
        .unwrap_or(bytes.len() / 8);
    let base = whole * 8;
    bytes[base..]
        .iter()
        .position(|&b| b != skip)
        .map(|p| base + p)
}

fn bit_at(bytes: &[u8], bit: u64) -> u8 {
    bytes
        .get((bit >> 3) as usize)
        .map_or(0, |b| (b >> (7 - (bit & 7))) & 1)
}

fn setbit(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let offset = match parse_offset(args.get(2), None) {
        Ok(o) => o,
        Err(e) => return reply_error(reply, &e),
    };
    let bad_bit = || CmdError::other("ERR bit is not an integer or out of range");
    let on = match parse_i64(args.get(3)) {
        Some(v @ (0 | 1)) => v as u8,
        _ => return reply_error(reply, &bad_bit()),
    };
    match string_for_bits(ks, args.get(1), offset) {
        Err(e) => reply_error(reply, &e),
        Ok((bytes, _)) => {
            let byte = &mut bytes[(offset >> 3) as usize];
            let shift = 7 - (offset & 7);
            let old = (*byte >> shift) & 1;
            *byte = (*byte & !(1 << shift)) | (on << shift);
            reply.int(old as i64);
        }
    }
}

fn getbit(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let offset = match parse_offset(args.get(2), None) {
        Ok(o) => o,
        Err(e) => return reply_error(reply, &e),
    };
    match with_string(ks, args.get(1), |b| bit_at(b, offset)) {
        Err(e) => reply_error(reply, &e),
        Ok(bit) => reply.int(bit.unwrap_or(0) as i64),
    }
}

/// A `start end [BYTE|BIT]` range over a string of `len` bytes, normalised the way
/// BITCOUNT and BITPOS do: the inclusive bit range, or `None` when empty.
fn bit_range(len: usize, start: i64, end: i64, isbit: bool) -> Option<(u64, u64)> {
    let total = if isbit { (len as i64) << 3 } else { len as i64 };
    let (mut start, mut end) = (start, end);
    if start < 0 {
        start = start.saturating_add(total);
    }
    if end < 0 {
        end = end.saturating_add(total);
    }
    start = start.max(0);
    end = end.max(0).min(total - 1);
    if start > end {
        return None;
    }
    Some(if isbit {
        (start as u64, end as u64)
    } else {
        ((start as u64) << 3, ((end as u64) << 3) | 7)
    })
}

/// Parses the optional `BYTE|BIT` word at `at`.
fn unit(args: Args, at: usize) -> CmdResult<bool> {
    if at >= args.len() {
        Ok(false)
    } else if args.is(at, "bit") {
        Ok(true)
    } else if args.is(at, "byte") {
        Ok(false)
    } else {
        Err(CmdError::Syntax)
    }
}

/// Set bits in the inclusive bit range `from..=to`.
fn count_bits(bytes: &[u8], from: u64, to: u64) -> u64 {
    let (first, last) = ((from >> 3) as usize, (to >> 3) as usize);
    let span = &bytes[first..=last];
    let chunks = span.chunks_exact(8);
    let rest: u64 = chunks
        .remainder()
        .iter()
        .map(|b| b.count_ones() as u64)
        .sum();
    let all = chunks.map(|c| word(c).count_ones() as u64).sum::<u64>() + rest;
    let head = bytes[first] & !(0xffu8 >> (from & 7));
    let tail = bytes[last] & ((1u16 << (7 - (to & 7))) - 1) as u8;
    all - head.count_ones() as u64 - tail.count_ones() as u64
}

fn bitcount(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    // The key's type is checked before the range is parsed, as redis-server does.
    let counted = with_string(ks, args.get(1), |bytes| -> CmdResult<u64> {
        let range = match args.len() {
            2 => bit_range(bytes.len(), 0, -1, false),
            4 | 5 => {
                let start = parse_i64(args.get(2)).ok_or(CmdError::NotInteger)?;
                let end = parse_i64(args.get(3)).ok_or(CmdError::NotInteger)?;
                // Redis 7.0 answers 0 for a reversed negative range before reading the unit.
                if start < 0 && end < 0 && start > end {
                    return Ok(0);
                }
                bit_range(bytes.len(), start, end, unit(args, 4)?)
            }
            _ => return Err(CmdError::Syntax),
        };
        Ok(range.map_or(0, |(from, to)| count_bits(bytes, from, to)))
    });
    match counted {
        Err(e) | Ok(Some(Err(e))) => reply_error(reply, &e),
        Ok(None) => reply.int(0),
        Ok(Some(Ok(n))) => reply.int(n as i64),
    }
}

fn bitpos(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let bit = match parse_i64(args.get(2)) {
        None => return reply_error(reply, &CmdError::NotInteger),
        Some(b @ (0 | 1)) => b as u8,
        Some(_) => {
            return reply_error(
                reply,
                &CmdError::other("ERR The bit argument must be 1 or 0."),
            )
        }
    };
    // The key's type is checked before the range is parsed, as redis-server does.
    let found = with_string(ks, args.get(1), |bytes| -> CmdResult<i64> {
        let (start, end, isbit) = match args.len() {
            3 => (0, -1, false),
            4..=6 => {
                let start = parse_i64(args.get(3)).ok_or(CmdError::NotInteger)?;
                let isbit = args.len() == 6 && unit(args, 5)?;
                let end = if args.len() >= 5 {
                    parse_i64(args.get(4)).ok_or(CmdError::NotInteger)?
                } else {
                    -1
                };
                (start, end, isbit)
            }
            _ => return Err(CmdError::Syntax),
        };
        let Some((from, to)) = bit_range(bytes.len(), start, end, isbit) else {
            return Ok(-1);
        };
        let end_given = args.len() >= 5;
        Ok(match find_bit(bytes, bit, from, to) {
            Some(pos) => pos as i64,
            None if bit == 0 && !end_given => to as i64 + 1,
            None => -1,
        })
    });
    match found {
        Err(e) | Ok(Some(Err(e))) => reply_error(reply, &e),
        Ok(None) => reply.int(if bit == 1 { -1 } else { 0 }),
        Ok(Some(Ok(pos))) => reply.int(pos),
    }
}

/// The first bit equal to `bit` in the inclusive bit range `from..=to`: bit by bit up to a
/// byte boundary, then whole bytes eight at a time, then the bits of the last partial byte.
fn find_bit(bytes: &[u8], bit: u8, from: u64, to: u64) -> Option<u64> {
    let mut i = from;
    while i <= to && i & 7 != 0 {
        if bit_at(bytes, i) == bit {
            return Some(i);
        }
        i += 1;
    }
    // Bytes wholly inside the range: `i / 8 .. (to + 1) / 8`.
    let (first, end) = ((i >> 3) as usize, ((to + 1) >> 3) as usize);
    if first < end {
        let skip = if bit == 1 { 0x00 } else { 0xff };
        if let Some(k) = first_byte_not(&bytes[first..end], skip) {
            let b = bytes[first + k] ^ skip;
            return Some(((first + k) as u64) * 8 + b.leading_zeros() as u64);
        }
        i = (end as u64) * 8;
    }
    (i..=to).find(|&j| bit_at(bytes, j) == bit)
}

/// `dst[i] = op(dst[i], src[i])` over their common length, a word at a time.
fn combine(dst: &mut [u8], src: &[u8], op: impl Fn(u64, u64) -> u64) {
    let n = dst.len().min(src.len());
    let (dst, src) = (&mut dst[..n], &src[..n]);
    let mut d = dst.chunks_exact_mut(8);
    let mut s = src.chunks_exact(8);
    for (a, b) in (&mut d).zip(&mut s) {
        a.copy_from_slice(&op(word(a), word(b)).to_ne_bytes());
    }
    for (a, b) in d.into_remainder().iter_mut().zip(s.remainder()) {
        *a = op(*a as u64, *b as u64) as u8;
    }
}

fn bitop(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    #[derive(PartialEq)]
    enum Op {
        And,
        Or,
        Xor,
        Not,
    }
    let op = match args.get(1).to_ascii_lowercase().as_slice() {
        b"and" => Op::And,
        b"or" => Op::Or,
        b"xor" => Op::Xor,
        b"not" => Op::Not,
        _ => return reply_error(reply, &CmdError::Syntax),
    };
    if op == Op::Not && args.len() != 4 {
        return reply_error(
            reply,
            &CmdError::other("ERR BITOP NOT must be called with a single source key."),
        );
    }
    // Types first, in key order, as redis-server checks them before computing anything.
    let mut maxlen = 0;
    for key in args.iter().skip(3) {
        match with_string(ks, key, <[u8]>::len) {
            Err(e) => return reply_error(reply, &e),
            Ok(len) => maxlen = maxlen.max(len.unwrap_or(0)),
        }
    }
    let dst = args.get(2);
    if maxlen == 0 {
        ks.remove(dst);
        return reply.int(0);
    }
    // The first source, zero-padded to the longest, then each other one folded in place.
    let mut result = vec![0u8; maxlen];
    let first = args.get(3);
    let _ = with_string(ks, first, |b| result[..b.len()].copy_from_slice(b));
    if op == Op::Not {
        result.iter_mut().for_each(|b| *b = !*b);
    }
    for key in args.iter().skip(4) {
        let found = with_string(ks, key, |b| match op {
            Op::And => {
                combine(&mut result, b, |x, y| x & y);
                // Missing bytes of a shorter source read as zero.
                result[b.len()..].fill(0);
            }
            Op::Or => combine(&mut result, b, |x, y| x | y),
            Op::Xor => combine(&mut result, b, |x, y| x ^ y),
            Op::Not => {}
        });
        if op == Op::And && !matches!(found, Ok(Some(()))) {
            result.fill(0);
        }
    }
    ks.insert(dst, Value::Raw(result), 0);
    reply.int(maxlen as i64);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator, so failures replay.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// Bitmaps mostly of 0x00 or 0xff runs with a few odd bytes, so the word-at-a-time paths
    /// skip long stretches and stop inside words and partial bytes.
    fn bitmap(state: &mut u64) -> Vec<u8> {
        let len = (next(state) % 70) as usize;
        let fill = if next(state) % 2 == 0 { 0x00 } else { 0xff };
        let mut bytes = vec![fill; len];
        for _ in 0..next(state) % 3 {
            if len > 0 {
                let at = (next(state) % len as u64) as usize;
                bytes[at] = next(state) as u8;
            }
        }
        bytes
    }

    #[test]
    fn word_at_a_time_search_count_and_combine_match_bit_by_bit() {
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let bytes = bitmap(&mut state);
            if bytes.is_empty() {
                continue;
            }
            let bits = bytes.len() as u64 * 8;
            let from = next(&mut state) % bits;
            let to = from + next(&mut state) % (bits - from);
            for bit in [0, 1] {
                let naive = (from..=to).find(|&i| bit_at(&bytes, i) == bit);
                assert_eq!(
                    find_bit(&bytes, bit, from, to),
                    naive,
                    "{bytes:?} {from} {to}"
                );
            }
            let naive = (from..=to).filter(|&i| bit_at(&bytes, i) == 1).count() as u64;
            assert_eq!(count_bits(&bytes, from, to), naive, "{bytes:?} {from} {to}");
            let other = bitmap(&mut state);
            let mut combined = bytes.clone();
            combine(&mut combined, &other, |x, y| x ^ y);
            let n = bytes.len().min(other.len());
            let want: Vec<u8> = (0..bytes.len())
                .map(|i| if i < n { bytes[i] ^ other[i] } else { bytes[i] })
                .collect();
            assert_eq!(combined, want);
        }
    }
}
