//! Blocking list and sorted-set pops (BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN,
//! BZPOPMAX, BZMPOP): table entries, argument parsing and the synchronous attempt.
//!
//! Runs on the data core owning the keys; synchronous, never waits. The table handlers are
//! the non-blocking forms redis-server runs inside MULTI (and in the gathered cross-core
//! path): they pop when a key holds a list or sorted set and otherwise reply what a timeout
//! replies. Waiting itself belongs to the connection (`net::blocking`) and the per-core
//! registry of blocked clients (`shard::blocking`), which serves a waiter through
//! [`serve_key`] once its key becomes ready. Argument errors come in redis-server 7.0.15's
//! order: numkeys, direction and COUNT first, then the timeout, then the keys' types.

use super::error::reply_error;
use super::list::{lmove_keys, pop_end, pop_range, End};
use super::string::longdouble::LongDouble;
use super::zset::zpop_blocking;
use super::{keyed, Args, CmdError, CmdResult, Command, KeyRange, Spread, BLOCKING, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// BLPOP, BRPOP, BZPOPMIN, BZPOPMAX: keys, then the timeout.
const KEYS_THEN_TIMEOUT: KeyRange = KeyRange {
    first: 1,
    last: -2,
    step: 1,
};
/// BRPOPLPUSH and BLMOVE: source and destination.
const PAIR: KeyRange = KeyRange {
    first: 1,
    last: 2,
    step: 1,
};
const FLAGS: u16 = WRITE | BLOCKING;

pub const COMMANDS: &[Command] = &[
    keyed("blpop", -3, KEYS_THEN_TIMEOUT, FLAGS, run, Spread::Atomic),
    keyed("brpop", -3, KEYS_THEN_TIMEOUT, FLAGS, run, Spread::Atomic),
    keyed("brpoplpush", 4, PAIR, FLAGS, run, Spread::Atomic),
    keyed("blmove", 6, PAIR, FLAGS, run, Spread::Atomic),
    keyed("blmpop", -5, KeyRange::NONE, FLAGS, run, Spread::Atomic),
    keyed(
        "bzpopmin",
        -3,
        KEYS_THEN_TIMEOUT,
        FLAGS,
        run,
        Spread::Atomic,
    ),
    keyed(
        "bzpopmax",
        -3,
        KEYS_THEN_TIMEOUT,
        FLAGS,
        run,
        Spread::Atomic,
    ),
    keyed("bzmpop", -5, KeyRange::NONE, FLAGS, run, Spread::Atomic),
];

/// What a blocked client waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    List,
    ZSet,
}

/// What a blocking command does once one of its keys is ready.
#[derive(Clone, Debug)]
pub enum Op {
    /// BLPOP, BRPOP: `key element`.
    Pop(End),
    /// BLMOVE, BRPOPLPUSH: the element, moved onto `dst`.
    Move { dst: Vec<u8>, from: End, to: End },
    /// BLMPOP: `key [element ...]`.
    MPop { end: End, count: usize },
    /// BZPOPMIN, BZPOPMAX (`count` -1) and BZMPOP.
    ZPop { min: bool, count: i64 },
}

/// A parsed blocking command.
#[derive(Clone, Debug)]
pub struct Request {
    pub op: Op,
    /// The keys waited on, in the order they are tried.
    pub keys: Vec<Vec<u8>>,
    /// How long to wait in milliseconds; `None` waits forever.
    pub timeout_ms: Option<u64>,
}

impl Request {
    pub fn kind(&self) -> Kind {
        match self.op {
            Op::ZPop { .. } => Kind::ZSet,
            _ => Kind::List,
        }
    }

    /// BLMOVE's destination.
    pub fn dst(&self) -> Option<&[u8]> {
        match &self.op {
            Op::Move { dst, .. } => Some(dst),
            _ => None,
        }
    }

    /// The reply when no key is ready inside MULTI: BLMOVE answers as LMOVE does.
    pub fn nothing_reply(&self, reply: &mut Reply) {
        match self.op {
            Op::Move { .. } => reply.null(),
            _ => reply.null_array(),
        }
    }

    /// The reply when the timeout passes: a null array for every command (BLMOVE too, as
    /// redis-server's `replyToBlockedClientTimedOut`).
    pub fn timeout_reply(&self, reply: &mut Reply) {
        reply.null_array();
    }
}

/// Whether `reply` is what a blocking command's handler answers when nothing was ready: the
/// connection then waits instead of sending it. No served reply has this form.
pub fn is_timeout_reply(reply: &[u8]) -> bool {
    matches!(reply, b"*-1\r\n" | b"$-1\r\n" | b"_\r\n")
}

/// Parses a timeout in seconds as redis-server 7.0's `getTimeoutFromObjectOrReply`: a
/// `long double` times 1000, rounded up (`ceill`) to whole milliseconds, so any positive
/// timeout waits at least 1 ms. `None` is 0: wait forever. A value
/// whose milliseconds overflow converts to the minimum integer, hence "negative", as on
/// x86-64; one that only overflows once the current time is added waits forever.
pub fn parse_timeout(arg: &[u8]) -> CmdResult<Option<u64>> {
    let value = LongDouble::parse(arg)
        .ok_or_else(|| CmdError::other("ERR timeout is not a float or out of range"))?;
    let negative = || CmdError::other("ERR timeout is negative");
    let (neg, mant, exp) = match value {
        LongDouble::Zero => return Ok(None),
        LongDouble::Inf { .. } => return Err(negative()),
        LongDouble::Finite { neg, mant, exp } => (neg, mant, exp),
    };
    // The product `mant * 1000 * 2^exp`, rounded to a 64-bit mantissa like the x87 multiply.
    let mut product = mant as u128 * 1000;
    let mut exp = exp;
    let bits = 128 - product.leading_zeros() as i32;
    if bits > 64 {
        let shift = bits - 64;
        let half = 1u128 << (shift - 1);
        let rest = product & ((1u128 << shift) - 1);
        product >>= shift;
        if rest > half || (rest == half && product & 1 == 1) {
            product += 1;
        }
        exp += shift;
    }
    let ms: u128 = if exp >= 0 {
        if exp > 64 || (product << exp) >> 63 != 0 {
            return Err(negative());
        }
        product << exp
    } else {
        // `ceill`: a positive value with a fraction of a millisecond rounds up (a negative
        // one rounds toward zero, so -0.5 ms is 0, wait forever, as in redis-server).
        let (whole, fraction) = if exp <= -128 {
            (0, product != 0)
        } else {
            (product >> -exp, product & ((1u128 << -exp) - 1) != 0)
        };
        whole + u128::from(fraction && !neg)
    };
    if ms >> 63 != 0 {
        return Err(negative());
    }
    match (neg, ms) {
        (_, 0) => Ok(None),
        (true, _) => Err(negative()),
        (false, ms) => Ok(Some(ms as u64)),
    }
}

/// `numkeys key... <where> [COUNT n]` starting at argument 2 (BLMPOP, BZMPOP): the keys, the
/// index of `<where>`.
fn mpop_args(args: Args<'_>) -> CmdResult<(Vec<Vec<u8>>, usize)> {
    let numkeys_err = || CmdError::other("ERR numkeys should be greater than 0");
    let numkeys = match parse_i64(args.get(2)) {
        Some(n) if n >= 1 => n as usize,
        _ => return Err(numkeys_err()),
    };
    let where_at = numkeys.saturating_add(3);
    if where_at >= args.len() {
        return Err(CmdError::Syntax);
    }
    Ok((
        (3..where_at).map(|i| args.get(i).to_vec()).collect(),
        where_at,
    ))
}

/// `[COUNT n]` after `<where>`.
fn count_opt(args: Args<'_>, where_at: usize) -> CmdResult<i64> {
    let mut count = None;
    let mut i = where_at + 1;
    while i < args.len() {
        if count.is_none() && args.is(i, "count") && i + 1 < args.len() {
            match parse_i64(args.get(i + 1)) {
                Some(n) if n >= 1 => count = Some(n),
                _ => return Err(CmdError::other("ERR count should be greater than 0")),
            }
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    Ok(count.unwrap_or(1))
}

/// Parses any of the blocking commands (its name is argument 0).
pub fn parse(args: Args<'_>) -> CmdResult<Request> {
    let name = args.get(0).to_ascii_lowercase();
    let last = args.len() - 1;
    let single_end = |end| {
        Ok(Request {
            op: Op::Pop(end),
            keys: (1..last).map(|i| args.get(i).to_vec()).collect(),
            timeout_ms: parse_timeout(args.get(last))?,
        })
    };
    let zpop = |min| {
        Ok(Request {
            op: Op::ZPop { min, count: -1 },
            keys: (1..last).map(|i| args.get(i).to_vec()).collect(),
            timeout_ms: parse_timeout(args.get(last))?,
        })
    };
    let moves = |from, to| {
        Ok(Request {
            op: Op::Move {
                dst: args.get(2).to_vec(),
                from,
                to,
            },
            keys: vec![args.get(1).to_vec()],
            timeout_ms: parse_timeout(args.get(last))?,
        })
    };
    match name.as_slice() {
        b"blpop" => single_end(End::Left),
        b"brpop" => single_end(End::Right),
        b"bzpopmin" => zpop(true),
        b"bzpopmax" => zpop(false),
        b"brpoplpush" => moves(End::Right, End::Left),
        b"blmove" => match (End::parse(args.get(3)), End::parse(args.get(4))) {
            (Some(from), Some(to)) => moves(from, to),
            _ => Err(CmdError::Syntax),
        },
        b"blmpop" => {
            let (keys, where_at) = mpop_args(args)?;
            let end = End::parse(args.get(where_at)).ok_or(CmdError::Syntax)?;
            let count = count_opt(args, where_at)? as usize;
            Ok(Request {
                op: Op::MPop { end, count },
                keys,
                timeout_ms: parse_timeout(args.get(1))?,
            })
        }
        b"bzmpop" => {
            let (keys, where_at) = mpop_args(args)?;
            let min = if args.is(where_at, "min") {
                true
            } else if args.is(where_at, "max") {
                false
            } else {
                return Err(CmdError::Syntax);
            };
            let count = count_opt(args, where_at)?;
            Ok(Request {
                op: Op::ZPop { min, count },
                keys,
                timeout_ms: parse_timeout(args.get(1))?,
            })
        }
        _ => unreachable!("not a blocking command"),
    }
}

/// Pops for `req` from the first of `keys` that holds a value: its reply, or WRONGTYPE when
/// that value (or BLMOVE's destination) is of another type. Returns false, having written
/// nothing, when no key holds a value.
pub fn attempt(ks: &mut Keyspace, req: &Request, keys: &[&[u8]], reply: &mut Reply) -> bool {
    if let Op::ZPop { min, count } = req.op {
        let start = reply.buf.len();
        zpop_blocking(ks, keys, count, min, reply);
        if is_timeout_reply(&reply.buf[start..]) {
            reply.buf.truncate(start);
            return false;
        }
        return true;
    }
    for &key in keys {
        let Some(entry) = ks.get(key) else {
            continue;
        };
        let Value::List(list) = &mut entry.value else {
            reply_error(reply, &CmdError::WrongType);
            return true;
        };
        match &req.op {
            Op::Pop(end) => {
                let item = pop_end(list, *end).expect("lists are never empty");
                reply.array(2);
                reply.bulk(key);
                reply.bulk(&item);
                super::collection::drop_if_empty(ks, key);
            }
            Op::Move { dst, from, to } => lmove_keys(ks, key, dst, *from, *to, reply),
            Op::MPop { end, count } => {
                reply.array(2);
                reply.bulk(key);
                pop_range(ks, key, *end, *count, reply);
            }
            Op::ZPop { .. } => unreachable!("handled above"),
        }
        return true;
    }
    false
}

/// Serves a waiter for `req` from `key` if `key` now holds a value of the kind it waits
/// for (a key of another type keeps it waiting, as in redis-server 7). Returns false, having
/// written nothing, when it does not.
pub fn serve_key(ks: &mut Keyspace, req: &Request, key: &[u8], reply: &mut Reply) -> bool {
    if ready_kind(ks, key) != Some(req.kind()) {
        return false;
    }
    attempt(ks, req, &[key], reply)
}

/// The kind of waiter `key` can serve now, if any.
pub fn ready_kind(ks: &mut Keyspace, key: &[u8]) -> Option<Kind> {
    match &ks.get_no_touch(key)?.value {
        Value::List(l) if !l.is_empty() => Some(Kind::List),
        Value::ZSet(z) if !z.is_empty() => Some(Kind::ZSet),
        _ => None,
    }
}

/// The table handler: the non-blocking form (inside MULTI, or gathered across cores).
fn run(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let req = match parse(args) {
        Ok(req) => req,
        Err(e) => return reply_error(reply, &e),
    };
    let keys: Vec<&[u8]> = req.keys.iter().map(Vec::as_slice).collect();
    if !attempt(ks, &req, &keys, reply) {
        req.nothing_reply(reply);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(arg: &str) -> Result<Option<u64>, Vec<u8>> {
        parse_timeout(arg.as_bytes()).map_err(|e| e.bytes().to_vec())
    }

    #[test]
    fn timeouts_follow_redis() {
        assert_eq!(ms("0"), Ok(None));
        assert_eq!(ms("-0"), Ok(None));
        assert_eq!(ms("0.0009"), Ok(Some(1)));
        assert_eq!(ms("0.001"), Ok(Some(1)));
        assert_eq!(ms("1e-400"), Ok(Some(1)));
        assert_eq!(ms("0.0015"), Ok(Some(2)));
        assert_eq!(ms("1.0001"), Ok(Some(1001)));
        assert_eq!(ms("-0.0009"), Ok(None));
        assert_eq!(ms("-0.001"), Ok(None));
        assert_eq!(ms("1.5"), Ok(Some(1500)));
        assert_eq!(ms("0x10"), Ok(Some(16000)));
        assert_eq!(ms(".5"), Ok(Some(500)));
        assert_eq!(ms("9e15"), Ok(Some(9_000_000_000_000_000_000)));
        let negative = Err(b"ERR timeout is negative".to_vec());
        for arg in ["-1", "inf", "-inf", "1e17", "1e400", "9223372036854775807"] {
            assert_eq!(ms(arg), negative, "{arg}");
        }
        let not_float = Err(b"ERR timeout is not a float or out of range".to_vec());
        for arg in ["abc", "nan", " 1", "", "1e5000", "1e-5000"] {
            assert_eq!(ms(arg), not_float, "{arg}");
        }
    }
}
