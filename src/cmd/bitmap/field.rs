//! BITFIELD and BITFIELD_RO: signed and unsigned integers of 1 to 64 (unsigned: 63) bits at
//! any bit offset of a string, with WRAP, SAT and FAIL overflow handling.
//!
//! Synchronous, on the data core owning the key. All operations are parsed before any runs,
//! as in redis-server 7.0.15; the overflow rules reproduce `checkSignedBitfieldOverflow` and
//! `checkUnsignedBitfieldOverflow` bit for bit (two's-complement wrapping arithmetic).

use super::{parse_offset, string_for_bits, with_string};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::Keyspace;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OpKind {
    Get,
    Set,
    IncrBy,
}

struct Op {
    kind: OpKind,
    offset: u64,
    bits: u32,
    signed: bool,
    value: i64,
    overflow: Overflow,
}

/// `i<bits>` (1..=64) or `u<bits>` (1..=63).
fn parse_type(arg: &[u8]) -> CmdResult<(bool, u32)> {
    let err = || {
        CmdError::other(
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
        )
    };
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(err()),
    };
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let bits = parse_i64(&arg[1..end]).ok_or_else(err)?;
    if bits < 1 || (signed && bits > 64) || (!signed && bits > 63) {
        return Err(err());
    }
    Ok((signed, bits as u32))
}

fn parse_ops(args: Args) -> CmdResult<Vec<Op>> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 2;
    while j < args.len() {
        let rem = args.len() - j - 1;
        let kind = if args.is(j, "get") && rem >= 2 {
            OpKind::Get
        } else if args.is(j, "set") && rem >= 3 {
            OpKind::Set
        } else if args.is(j, "incrby") && rem >= 3 {
            OpKind::IncrBy
        } else if args.is(j, "overflow") && rem >= 1 {
            overflow = match args.get(j + 1).to_ascii_lowercase().as_slice() {
                b"wrap" => Overflow::Wrap,
                b"sat" => Overflow::Sat,
                b"fail" => Overflow::Fail,
                _ => return Err(CmdError::other("ERR Invalid OVERFLOW type specified")),
            };
            j += 2;
            continue;
        } else {
            return Err(CmdError::Syntax);
        };
        let (signed, bits) = parse_type(args.get(j + 1))?;
        let offset = parse_offset(args.get(j + 2), Some(bits))?;
        let value = if kind == OpKind::Get {
            0
        } else {
            parse_i64(args.get(j + 3)).ok_or(CmdError::NotInteger)?
        };
        ops.push(Op {
            kind,
            offset,
            bits,
            signed,
            value,
            overflow,
        });
        j += if kind == OpKind::Get { 3 } else { 4 };
    }
    Ok(ops)
}

fn get_unsigned(bytes: &[u8], offset: u64, bits: u32) -> u64 {
    (0..bits as u64).fold(0u64, |v, j| {
        let bit = offset + j;
        let byte = bytes.get((bit >> 3) as usize).copied().unwrap_or(0);
        (v << 1) | ((byte >> (7 - (bit & 7))) & 1) as u64
    })
}

fn get_signed(bytes: &[u8], offset: u64, bits: u32) -> i64 {
    let v = get_unsigned(bytes, offset, bits);
    if bits < 64 && v & (1 << (bits - 1)) != 0 {
        (v | (u64::MAX << bits)) as i64
    } else {
        v as i64
    }
}

fn set_unsigned(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
    for j in 0..bits as u64 {
        let bitval = ((value >> (bits as u64 - 1 - j)) & 1) as u8;
        let bit = offset + j;
        let byte = &mut bytes[(bit >> 3) as usize];
        let shift = 7 - (bit & 7);
        *byte = (*byte & !(1 << shift)) | (bitval << shift);
    }
}

/// `checkUnsignedBitfieldOverflow`: `Some(limit)` replaces the result on overflow (`None`
/// inside means FAIL); the outer `None` means no overflow.
fn unsigned_overflow(value: u64, incr: i64, bits: u32, how: Overflow) -> Option<Option<u64>> {
    let max = (1u64 << bits) - 1;
    let maxincr = max.wrapping_sub(value) as i64;
    let minincr = value.wrapping_neg() as i64;
    let wrap = || value.wrapping_add(incr as u64) & !(u64::MAX << bits);
    if value > max || (incr > 0 && incr > maxincr) {
        Some(match how {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(max),
            Overflow::Fail => None,
        })
    } else if incr < 0 && incr < minincr {
        Some(match how {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(0),
            Overflow::Fail => None,
        })
    } else {
        None
    }
}

/// `checkSignedBitfieldOverflow`, shaped like [`unsigned_overflow`].
fn signed_overflow(value: i64, incr: i64, bits: u32, how: Overflow) -> Option<Option<i64>> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let maxincr = (max as u64).wrapping_sub(value as u64) as i64;
    let minincr = min.wrapping_sub(value);
    let wrap = || {
        let mut c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & (1u64 << (bits - 1)) != 0 {
                c |= mask;
            } else {
                c &= !mask;
            }
        }
        c as i64
    };
    if value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr) {
        Some(match how {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(max),
            Overflow::Fail => None,
        })
    } else if value < min
        || (bits != 64 && incr < minincr)
        || (value < 0 && incr < 0 && incr < minincr)
    {
        Some(match how {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(min),
            Overflow::Fail => None,
        })
    } else {
        None
    }
}

/// Runs one SET or INCRBY on `bytes`: the reply value, or `None` for a FAIL overflow.
fn write_op(bytes: &mut [u8], op: &Op) -> Option<i64> {
    if op.signed {
        let old = get_signed(bytes, op.offset, op.bits);
        let (new, ret) = if op.kind == OpKind::IncrBy {
            let new = match signed_overflow(old, op.value, op.bits, op.overflow) {
                Some(limit) => limit?,
                None => old.wrapping_add(op.value),
            };
            (new, new)
        } else {
            let new = match signed_overflow(op.value, 0, op.bits, op.overflow) {
                Some(limit) => limit?,
                None => op.value,
            };
            (new, old)
        };
        set_unsigned(bytes, op.offset, op.bits, new as u64);
        Some(ret)
    } else {
        let old = get_unsigned(bytes, op.offset, op.bits);
        let (new, ret) = if op.kind == OpKind::IncrBy {
            let new = match unsigned_overflow(old, op.value, op.bits, op.overflow) {
                Some(limit) => limit?,
                None => old.wrapping_add(op.value as u64),
            };
            (new, new)
        } else {
            let new = match unsigned_overflow(op.value as u64, 0, op.bits, op.overflow) {
                Some(limit) => limit?,
                None => op.value as u64,
            };
            (new, old)
        };
        set_unsigned(bytes, op.offset, op.bits, new);
        Some(ret as i64)
    }
}

fn read_op(bytes: &[u8], op: &Op) -> i64 {
    if op.signed {
        get_signed(bytes, op.offset, op.bits)
    } else {
        get_unsigned(bytes, op.offset, op.bits) as i64
    }
}

fn generic(ks: &mut Keyspace, args: Args, reply: &mut Reply, readonly_cmd: bool) {
    let ops = match parse_ops(args) {
        Ok(ops) => ops,
        Err(e) => return reply_error(reply, &e),
    };
    let writes = ops.iter().any(|op| op.kind != OpKind::Get);
    let key = args.get(1);
    if !writes {
        let values = with_string(ks, key, |b| ops.iter().map(|op| read_op(b, op)).collect());
        let values: Vec<i64> = match values {
            Ok(v) => v.unwrap_or_else(|| ops.iter().map(|op| read_op(&[], op)).collect()),
            Err(e) => return reply_error(reply, &e),
        };
        reply.array(ops.len());
        for v in values {
            reply.int(v);
        }
        return;
    }
    if readonly_cmd {
        return reply_error(
            reply,
            &CmdError::other("ERR BITFIELD_RO only supports the GET subcommand"),
        );
    }
    let highest = ops
        .iter()
        .filter(|op| op.kind != OpKind::Get)
        .map(|op| op.offset + op.bits as u64 - 1)
        .max()
        .unwrap_or(0);
    let bytes = match string_for_bits(ks, key, highest) {
        Ok((bytes, _)) => bytes,
        Err(e) => return reply_error(reply, &e),
    };
    reply.array(ops.len());
    for op in &ops {
        if op.kind == OpKind::Get {
            reply.int(read_op(bytes, op));
        } else {
            match write_op(bytes, op) {
                Some(v) => reply.int(v),
                None => reply.null(),
            }
        }
    }
}

pub fn bitfield(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, false);
}

pub fn bitfield_ro(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_rules_match_redis() {
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Wrap), Some(Some(4)));
        assert_eq!(
            unsigned_overflow(250, 10, 8, Overflow::Sat),
            Some(Some(255))
        );
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Sat), Some(Some(0)));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Fail), Some(None));
        assert_eq!(
            unsigned_overflow(u64::MAX, 0, 8, Overflow::Wrap),
            Some(Some(255))
        );
        assert_eq!(signed_overflow(127, 1, 8, Overflow::Wrap), Some(Some(-128)));
        assert_eq!(
            signed_overflow(-128, -1, 8, Overflow::Sat),
            Some(Some(-128))
        );
        assert_eq!(signed_overflow(100, 20, 8, Overflow::Wrap), None);
        assert_eq!(
            signed_overflow(i64::MAX, 1, 64, Overflow::Wrap),
            Some(Some(i64::MIN))
        );
        let mut b = vec![0u8; 2];
        set_unsigned(&mut b, 4, 8, 0xab);
        assert_eq!(b, [0x0a, 0xb0]);
        assert_eq!(get_unsigned(&b, 4, 8), 0xab);
        assert_eq!(get_signed(&b, 4, 8), 0xab_u8 as i8 as i64);
    }
}
