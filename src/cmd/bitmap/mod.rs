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

/// The bytes of the string at `key`: `Ok(None)` when absent, WRONGTYPE for other types.
fn read_string(ks: &mut Keyspace, key: &[u8]) -> CmdResult<Option<Vec<u8>>> {
    match ks.get(key) {
        None => Ok(None),
        Some(e) => match e.value.str_bytes() {
            Some(b) => Ok(Some(b.as_slice().to_vec())),
            None => Err(CmdError::WrongType),
        },
    }
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
    match read_string(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(bytes) => reply.int(bytes.map_or(0, |b| bit_at(&b, offset)) as i64),
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
    let all: u64 = bytes[first..=last]
        .iter()
        .map(|b| b.count_ones() as u64)
        .sum();
    let head = bytes[first] & !(0xffu8 >> (from & 7));
    let tail = bytes[last] & ((1u16 << (7 - (to & 7))) - 1) as u8;
    all - head.count_ones() as u64 - tail.count_ones() as u64
}

fn bitcount(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let bytes = match read_string(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.int(0),
        Ok(Some(b)) => b,
    };
    let range = match args.len() {
        2 => bit_range(bytes.len(), 0, -1, false),
        4 | 5 => {
            // Redis 7.0 answers 0 for a reversed negative range before reading the unit.
            let parsed = (|| -> CmdResult<_> {
                let start = parse_i64(args.get(2)).ok_or(CmdError::NotInteger)?;
                let end = parse_i64(args.get(3)).ok_or(CmdError::NotInteger)?;
                if start < 0 && end < 0 && start > end {
                    return Ok(None);
                }
                Ok(Some((start, end, unit(args, 4)?)))
            })();
            match parsed {
                Err(e) => return reply_error(reply, &e),
                Ok(None) => None,
                Ok(Some((start, end, isbit))) => bit_range(bytes.len(), start, end, isbit),
            }
        }
        _ => return reply_error(reply, &CmdError::Syntax),
    };
    reply.int(range.map_or(0, |(from, to)| count_bits(&bytes, from, to)) as i64);
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
    let bytes = match read_string(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.int(if bit == 1 { -1 } else { 0 }),
        Ok(Some(b)) => b,
    };
    let (range, end_given) = match args.len() {
        3 => (bit_range(bytes.len(), 0, -1, false), false),
        4..=6 => {
            let parsed = (|| -> CmdResult<_> {
                let start = parse_i64(args.get(3)).ok_or(CmdError::NotInteger)?;
                let isbit = if args.len() == 6 {
                    unit(args, 5)?
                } else {
                    false
                };
                let end = if args.len() >= 5 {
                    parse_i64(args.get(4)).ok_or(CmdError::NotInteger)?
                } else {
                    -1
                };
                Ok((start, end, isbit))
            })();
            match parsed {
                Err(e) => return reply_error(reply, &e),
                Ok((start, end, isbit)) => {
                    (bit_range(bytes.len(), start, end, isbit), args.len() >= 5)
                }
            }
        }
        _ => return reply_error(reply, &CmdError::Syntax),
    };
    let Some((from, to)) = range else {
        return reply.int(-1);
    };
    match (from..=to).find(|&i| bit_at(&bytes, i) == bit) {
        Some(pos) => reply.int(pos as i64),
        None if bit == 0 && !end_given => reply.int(to as i64 + 1),
        None => reply.int(-1),
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
    let mut sources = Vec::with_capacity(args.len() - 3);
    for key in args.iter().skip(3) {
        match read_string(ks, key) {
            Err(e) => return reply_error(reply, &e),
            Ok(bytes) => sources.push(bytes.unwrap_or_default()),
        }
    }
    let maxlen = sources.iter().map(Vec::len).max().unwrap_or(0);
    let dst = args.get(2);
    if maxlen == 0 {
        ks.remove(dst);
        return reply.int(0);
    }
    let byte = |s: &Vec<u8>, i: usize| s.get(i).copied().unwrap_or(0);
    let result: Vec<u8> = (0..maxlen)
        .map(|i| {
            let mut it = sources.iter();
            let first = byte(it.next().expect("at least one source"), i);
            match op {
                Op::Not => !first,
                Op::And => it.fold(first, |acc, s| acc & byte(s, i)),
                Op::Or => it.fold(first, |acc, s| acc | byte(s, i)),
                Op::Xor => it.fold(first, |acc, s| acc ^ byte(s, i)),
            }
        })
        .collect();
    ks.insert(dst, Value::Raw(result), 0);
    reply.int(maxlen as i64);
}
