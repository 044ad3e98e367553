//! Sorted set commands (ZADD, ZRANGE, ZUNIONSTORE, ...): table entries and handlers.
//!
//! Runs on the data core owning the keys (multi-key commands whose keys span cores run under
//! a cross-core transaction that gathers the keys, see `shard::gather`); synchronous.
//! Handlers follow redis-server 7.0.15 (`t_zset.c`) reply for reply, including the order in
//! which errors are detected. Submodules: `range` parses score/lex/rank ranges and serves the
//! ZRANGE family and ZREM*RANGE*, `setops` the ZUNION/ZINTER/ZDIFF family, `pop` ZPOP*,
//! ZMPOP, ZRANDMEMBER and ZSCAN.

mod pop;

pub(crate) use pop::zpop_blocking;
mod range;
mod setops;
#[cfg(test)]
mod tests;

use super::error::reply_error;
use super::{Args, CmdError, CmdResult, Command, KeyRange, Spread, WRITE};
use crate::protocol::number::{parse_f64, parse_i64};
use crate::protocol::Reply;
use crate::storage::limits::Limits;
use crate::storage::zset::{Added, ZSet};
use crate::storage::{Keyspace, Value};

/// ZRANGESTORE: destination and source.
const TWO: KeyRange = KeyRange {
    first: 1,
    last: 2,
    step: 1,
};

use super::keyed;

const ONE: KeyRange = KeyRange::FIRST;
/// A key count comes first: key positions come from the key specs (`cmd::for_each_key`).
const NUMKEYS: KeyRange = KeyRange::NONE;
const S: Spread = Spread::Single;
const A: Spread = Spread::Atomic;

pub const COMMANDS: &[Command] = &[
    keyed("zadd", -4, ONE, WRITE, zadd, S),
    keyed("zincrby", 4, ONE, WRITE, zincrby, S),
    keyed("zrem", -3, ONE, WRITE, zrem, S),
    keyed("zcard", 2, ONE, 0, zcard, S),
    keyed("zscore", 3, ONE, 0, zscore, S),
    keyed("zmscore", -3, ONE, 0, zmscore, S),
    keyed("zrank", -3, ONE, 0, zrank, S),
    keyed("zrevrank", -3, ONE, 0, zrevrank, S),
    keyed("zcount", 4, ONE, 0, range::zcount, S),
    keyed("zlexcount", 4, ONE, 0, range::zlexcount, S),
    keyed("zrange", -4, ONE, 0, range::zrange, S),
    keyed("zrangestore", -5, TWO, WRITE, range::zrangestore, A),
    keyed("zrangebyscore", -4, ONE, 0, range::zrangebyscore, S),
    keyed("zrevrangebyscore", -4, ONE, 0, range::zrevrangebyscore, S),
    keyed("zrangebylex", -4, ONE, 0, range::zrangebylex, S),
    keyed("zrevrangebylex", -4, ONE, 0, range::zrevrangebylex, S),
    keyed("zrevrange", -4, ONE, 0, range::zrevrange, S),
    keyed("zremrangebyrank", 4, ONE, WRITE, range::zremrangebyrank, S),
    keyed(
        "zremrangebyscore",
        4,
        ONE,
        WRITE,
        range::zremrangebyscore,
        S,
    ),
    keyed("zremrangebylex", 4, ONE, WRITE, range::zremrangebylex, S),
    keyed("zpopmin", -2, ONE, WRITE, pop::zpopmin, S),
    keyed("zpopmax", -2, ONE, WRITE, pop::zpopmax, S),
    keyed("zmpop", -4, NUMKEYS, WRITE, pop::zmpop, A),
    keyed("zrandmember", -2, ONE, 0, pop::zrandmember, S),
    keyed("zscan", -3, ONE, 0, pop::zscan, S),
    keyed("zunion", -3, NUMKEYS, 0, setops::zunion, A),
    keyed("zinter", -3, NUMKEYS, 0, setops::zinter, A),
    keyed("zdiff", -3, NUMKEYS, 0, setops::zdiff, A),
    keyed("zintercard", -3, NUMKEYS, 0, setops::zintercard, A),
    keyed("zunionstore", -4, NUMKEYS, WRITE, setops::zunionstore, A),
    keyed("zinterstore", -4, NUMKEYS, WRITE, setops::zinterstore, A),
    keyed("zdiffstore", -4, NUMKEYS, WRITE, setops::zdiffstore, A),
];

/// The sorted set at `key`: `Ok(None)` when absent, WRONGTYPE for other types.
fn zset_mut<'a>(ks: &'a mut Keyspace, key: &[u8]) -> CmdResult<Option<&'a mut ZSet>> {
    match ks.get(key) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(CmdError::WrongType),
        },
    }
}

/// Removes `key` when the set it holds became empty (redis-server never keeps empty sets).
fn drop_if_empty(ks: &mut Keyspace, key: &[u8]) {
    if matches!(ks.get_no_touch(key), Some(e) if matches!(&e.value, Value::ZSet(z) if z.is_empty()))
    {
        ks.remove(key);
    }
}

/// Stores `set` at `dst` as the result of a *STORE command (any TTL is dropped), or deletes
/// `dst` when the result is empty; returns the stored size.
fn store(ks: &mut Keyspace, dst: &[u8], mut set: ZSet) -> i64 {
    if set.is_empty() {
        ks.remove(dst);
        return 0;
    }
    set.shrink_encoding(ks.limits);
    let len = set.len() as i64;
    ks.insert(dst, Value::ZSet(Box::new(set)), 0);
    len
}

/// Writes one element: `member` (and its score), as a `[member, score]` pair in RESP3.
fn emit(reply: &mut Reply, member: &[u8], score: f64, withscores: bool) {
    if withscores && reply.resp3() {
        reply.array(2);
    }
    reply.bulk(member);
    if withscores {
        reply.double(score);
    }
}

/// The array header for `n` elements, flat `2n` with scores in RESP2.
fn emit_header(reply: &mut Reply, n: usize, withscores: bool) {
    if withscores && !reply.resp3() {
        reply.array(n * 2);
    } else {
        reply.array(n);
    }
}

/// A long argument (`getLongFromObject`), with the generic or the given error.
fn parse_long(arg: &[u8], err: Option<&'static str>) -> CmdResult<i64> {
    parse_i64(arg).ok_or_else(|| err.map_or(CmdError::NotInteger, CmdError::other))
}

/// A float argument as `getDoubleFromObject` accepts it (ZADD, ZINCRBY, WEIGHTS): like
/// [`parse_f64`], but a finite number that overflows to infinity or underflows to zero is
/// rejected, as strtod's ERANGE makes Redis reject it.
fn parse_double(arg: &[u8]) -> Option<f64> {
    let v = parse_f64(arg)?;
    let text = arg.to_ascii_lowercase();
    let mantissa = text
        .split(|&c| c == b'e' || c == b'p')
        .next()
        .unwrap_or(&[]);
    let overflow = v.is_infinite() && !text.ends_with(b"inf") && !text.ends_with(b"infinity");
    let underflow = v == 0.0 && mantissa.iter().any(|c| (b'1'..=b'9').contains(c));
    (!overflow && !underflow).then_some(v)
}

/// A float argument as ZADD and ZINCRBY accept it.
fn parse_score(arg: &[u8]) -> CmdResult<f64> {
    parse_double(arg).ok_or(CmdError::NotFloat)
}

struct ZaddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

fn zadd(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zadd_generic(ks, args, reply, false);
}

fn zincrby(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zadd_generic(ks, args, reply, true);
}

/// ZADD and ZINCRBY (which redis-server runs as ZADD with INCR, option words included).
fn zadd_generic(ks: &mut Keyspace, args: Args, reply: &mut Reply, incr: bool) {
    let mut f = ZaddFlags {
        nx: false,
        xx: false,
        gt: false,
        lt: false,
        ch: false,
        incr,
    };
    let mut at = 2;
    while at < args.len() {
        let flag = if args.is(at, "nx") {
            &mut f.nx
        } else if args.is(at, "xx") {
            &mut f.xx
        } else if args.is(at, "ch") {
            &mut f.ch
        } else if args.is(at, "incr") {
            &mut f.incr
        } else if args.is(at, "gt") {
            &mut f.gt
        } else if args.is(at, "lt") {
            &mut f.lt
        } else {
            break;
        };
        *flag = true;
        at += 1;
    }
    let elements = args.len() - at;
    if elements % 2 == 1 || elements == 0 {
        return reply_error(reply, &CmdError::Syntax);
    }
    let elements = elements / 2;
    if f.incr && elements > 1 {
        return reply_error(
            reply,
            &CmdError::other("ERR INCR option supports a single increment-element pair"),
        );
    }
    if f.nx && f.xx {
        return reply_error(
            reply,
            &CmdError::other("ERR XX and NX options at the same time are not compatible"),
        );
    }
    if (f.gt || f.lt) && (f.nx || (f.gt && f.lt)) {
        return reply_error(
            reply,
            &CmdError::other("ERR GT, LT, and/or NX options at the same time are not compatible"),
        );
    }
    // Every score is checked before anything changes; they are parsed again below rather
    // than collected, to keep ZADD free of allocations besides the stored members.
    for j in 0..elements {
        if let Err(e) = parse_score(args.get(at + 2 * j)) {
            return reply_error(reply, &e);
        }
    }
    let key = args.get(1);
    let limits = ks.limits;
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut newscore = 0.0;
    match zset_mut(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) if f.xx => {}
        Ok(found) => {
            if found.is_none() {
                // Redis 7.0 picks the encoding from the first member alone.
                let set = ZSet::with_hint(1, args.get(at + 1).len(), limits);
                ks.insert(key, Value::ZSet(Box::new(set)), 0);
            }
            let Ok(Some(z)) = zset_mut(ks, key) else {
                unreachable!("sorted set just ensured")
            };
            for j in 0..elements {
                let score = parse_score(args.get(at + 2 * j)).unwrap_or_default();
                let member = args.get(at + 2 * j + 1);
                match zadd_one(z, &f, member, score, limits) {
                    Err(()) => {
                        drop_if_empty(ks, key);
                        return reply_error(
                            reply,
                            &CmdError::other("ERR resulting score is not a number (NaN)"),
                        );
                    }
                    Ok(None) => {}
                    Ok(Some((outcome, s))) => {
                        processed += 1;
                        newscore = s;
                        match outcome {
                            Added::New => added += 1,
                            Added::Updated => updated += 1,
                            Added::Unchanged => {}
                        }
                    }
                }
            }
        }
    }
    if f.incr {
        if processed > 0 {
            reply.double(newscore);
        } else {
            reply.null();
        }
    } else {
        reply.int(if f.ch { added + updated } else { added });
    }
}

/// One ZADD element: `Ok(None)` when the flags skipped it, `Err` on a NaN result.
fn zadd_one(
    z: &mut ZSet,
    f: &ZaddFlags,
    member: &[u8],
    mut score: f64,
    limits: Limits,
) -> Result<Option<(Added, f64)>, ()> {
    match z.score(member) {
        Some(cur) => {
            if f.nx {
                return Ok(None);
            }
            if f.incr {
                score += cur;
                if score.is_nan() {
                    return Err(());
                }
            }
            if (f.lt && score >= cur) || (f.gt && score <= cur) {
                return Ok(None);
            }
            Ok(Some((z.add(member, score, limits), score)))
        }
        None if f.xx => Ok(None),
        None => Ok(Some((z.add(member, score, limits), score))),
    }
}

fn zrem(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let deleted = match zset_mut(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => 0,
        Ok(Some(z)) => args.iter().skip(2).filter(|m| z.remove(m)).count(),
    };
    drop_if_empty(ks, key);
    reply.int(deleted as i64);
}

fn zcard(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match zset_mut(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(z) => reply.int(z.map_or(0, |z| z.len() as i64)),
    }
}

fn zscore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match zset_mut(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(z) => match z.and_then(|z| z.score(args.get(2))) {
            Some(s) => reply.double(s),
            None => reply.null(),
        },
    }
}

fn zmscore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match zset_mut(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(z) => {
            reply.array(args.len() - 2);
            for member in args.iter().skip(2) {
                match z.as_ref().and_then(|z| z.score(member)) {
                    Some(s) => reply.double(s),
                    None => reply.null(),
                }
            }
        }
    }
}

/// ZRANK / ZREVRANK key member [WITHSCORE] (Redis 7.2): the rank, or with WITHSCORE the pair
/// rank and score; a missing key or member is the null bulk, or with WITHSCORE the null array.
fn rank_generic(ks: &mut Keyspace, args: Args, reply: &mut Reply, rev: bool) {
    if args.len() > 4 {
        let name = if rev { "zrevrank" } else { "zrank" };
        return reply_error(reply, &CmdError::WrongArity(name.into()));
    }
    let with_score = args.len() == 4;
    if with_score && !args.get(3).eq_ignore_ascii_case(b"withscore") {
        return reply_error(reply, &CmdError::Syntax);
    }
    match zset_mut(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(z) => match z.and_then(|z| Some((z.rank(args.get(2), rev)?, z))) {
            Some((rank, z)) if with_score => {
                reply.array(2);
                reply.int(rank as i64);
                reply.double(z.score(args.get(2)).unwrap_or_default());
            }
            Some((rank, _)) => reply.int(rank as i64),
            None if with_score => reply.null_array(),
            None => reply.null(),
        },
    }
}

fn zrank(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    rank_generic(ks, args, reply, false);
}

fn zrevrank(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    rank_generic(ks, args, reply, true);
}
