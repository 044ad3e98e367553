//! ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER and ZSCAN.
//!
//! Synchronous, on the data core owning the keys (ZMPOP over keys on several cores arrives
//! through `shard::gather`). Reply shapes follow redis-server 7.0.15's `genericZpopCommand`
//! and `zrandmemberWithCountCommand` for RESP2 and RESP3.
//!
//! ZSCAN of a listpack-encoded set returns everything at once with cursor 0, as Redis does;
//! larger sets are scanned bucket by bucket through the member index with Redis's
//! reverse-binary cursors (the cursor values differ from Redis's, which hash differently, but
//! the guarantee is the same: an element present for a whole iteration is returned).

use std::cell::Cell;

use super::{drop_if_empty, emit, emit_header, parse_long, zset_mut};
use crate::cmd::error::reply_error;
use crate::cmd::keys::scan::ScanOptions;
use crate::cmd::{Args, CmdError};
use crate::protocol::reply::format_double;
use crate::protocol::Reply;
use crate::storage::keyspace::splitmix;
use crate::storage::{Keyspace, Value};

thread_local! {
    static RANDOM: Cell<u64> = Cell::new(crate::clock::unix_ms() as u64);
}

fn random() -> u64 {
    RANDOM.with(|r| {
        let x = splitmix(r.get());
        r.set(x);
        x
    })
}

/// How a pop reply is shaped (`genericZpopCommand`'s flags).
struct Shape {
    /// Pop the lowest scores (else the highest).
    min: bool,
    /// Name the key popped from (ZMPOP).
    emitkey: bool,
    /// `[member, score]` pairs rather than a flat array.
    nested: bool,
    /// A null array rather than an empty one when no key holds a set.
    nil_when_empty: bool,
}

/// Pops up to `count` elements from the first non-empty key of `keys` (`genericZpopCommand`).
/// `count` -1 is the plain one-element form.
fn zpop_generic(ks: &mut Keyspace, keys: &[&[u8]], count: i64, shape: Shape, reply: &mut Reply) {
    let Shape {
        min,
        emitkey,
        nested,
        nil_when_empty,
    } = shape;
    let mut chosen = None;
    for &key in keys {
        match zset_mut(ks, key) {
            Err(e) => return reply_error(reply, &e),
            Ok(None) => continue,
            Ok(Some(_)) => {
                chosen = Some(key);
                break;
            }
        }
    }
    let Some(key) = chosen else {
        return if nil_when_empty {
            reply.null_array()
        } else {
            reply.array(0)
        };
    };
    if count == 0 {
        return reply.array(0);
    }
    let Ok(Some(z)) = zset_mut(ks, key) else {
        unreachable!("key was just found holding a sorted set")
    };
    let count = count.max(1) as usize;
    let n = count.min(z.len());
    match (nested, emitkey) {
        (false, false) => reply.array(n * 2),
        (true, false) => reply.array(n),
        (false, true) => {
            reply.array(n * 2 + 1);
            reply.bulk(key);
        }
        (true, true) => {
            reply.array(2);
            reply.bulk(key);
            reply.array(n);
        }
    }
    for _ in 0..n {
        let node = z.select(if min { 0 } else { z.len() - 1 });
        let score = z.score_at(node);
        let member = z.remove_node(node);
        if nested {
            reply.array(2);
        }
        reply.bulk(&member);
        reply.double(score);
    }
    drop_if_empty(ks, key);
}

fn zpop_cmd(ks: &mut Keyspace, args: Args, reply: &mut Reply, min: bool) {
    if args.len() > 3 {
        return reply_error(reply, &CmdError::Syntax);
    }
    let mut count = -1;
    if args.len() == 3 {
        match parse_long(
            args.get(2),
            Some("ERR value is out of range, must be positive"),
        ) {
            Ok(c) if c >= 0 => count = c,
            _ => {
                return reply_error(
                    reply,
                    &CmdError::other("ERR value is out of range, must be positive"),
                )
            }
        }
    }
    let nested = reply.resp3() && count != -1;
    let shape = Shape {
        min,
        emitkey: false,
        nested,
        nil_when_empty: false,
    };
    zpop_generic(ks, &[args.get(1)], count, shape, reply);
}

pub fn zpopmin(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zpop_cmd(ks, args, reply, true);
}

pub fn zpopmax(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zpop_cmd(ks, args, reply, false);
}

/// `ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]`.
pub fn zmpop(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let numkeys_err = "ERR numkeys should be greater than 0";
    let numkeys = match parse_long(args.get(1), Some(numkeys_err)) {
        Ok(n) if n >= 1 => n as usize,
        _ => return reply_error(reply, &CmdError::other(numkeys_err)),
    };
    let where_at = 1 + numkeys + 1;
    if where_at >= args.len() || numkeys >= args.len() {
        return reply_error(reply, &CmdError::Syntax);
    }
    let min = if args.is(where_at, "min") {
        true
    } else if args.is(where_at, "max") {
        false
    } else {
        return reply_error(reply, &CmdError::Syntax);
    };
    let mut count = -1;
    let mut j = where_at + 1;
    while j < args.len() {
        let more = args.len() - 1 - j;
        if count == -1 && args.is(j, "count") && more > 0 {
            j += 1;
            let err = "ERR count should be greater than 0";
            match parse_long(args.get(j), Some(err)) {
                Ok(c) if c >= 1 => count = c,
                _ => return reply_error(reply, &CmdError::other(err)),
            }
        } else {
            return reply_error(reply, &CmdError::Syntax);
        }
        j += 1;
    }
    let keys: Vec<&[u8]> = (2..2 + numkeys).map(|i| args.get(i)).collect();
    let shape = Shape {
        min,
        emitkey: true,
        nested: true,
        nil_when_empty: true,
    };
    zpop_generic(ks, &keys, count.max(1), shape, reply);
}

/// Pops for BZPOPMIN/BZPOPMAX (`count` -1: `key member score`) and BZMPOP (`count` >= 1:
/// `key [[member score] ...]`) from the first key of `keys` holding a sorted set; a null
/// array when none does.
pub(crate) fn zpop_blocking(
    ks: &mut Keyspace,
    keys: &[&[u8]],
    count: i64,
    min: bool,
    reply: &mut Reply,
) {
    let shape = Shape {
        min,
        emitkey: true,
        nested: count != -1,
        nil_when_empty: true,
    };
    zpop_generic(ks, keys, count, shape, reply);
}

/// Largest negative count ZRANDMEMBER serves (redis-server has no limit, but a reply of
/// billions of elements would exhaust memory long before it could be sent).
const MAX_REPEATED: u64 = 1 << 24;

pub fn zrandmember(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() == 2 {
        return match zset_mut(ks, args.get(1)) {
            Err(e) => reply_error(reply, &e),
            Ok(None) => reply.null(),
            Ok(Some(z)) => {
                let n = z.select((random() % z.len() as u64) as usize);
                reply.bulk(z.member(n));
            }
        };
    }
    let l = match parse_long(args.get(2), None) {
        Ok(l) if l != i64::MIN => l,
        Ok(_) => {
            return reply_error(
                reply,
                &CmdError::other(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                ),
            )
        }
        Err(e) => return reply_error(reply, &e),
    };
    let withscores = args.len() == 4 && args.is(3, "withscores");
    if args.len() > 4 || (args.len() == 4 && !withscores) {
        return reply_error(reply, &CmdError::Syntax);
    }
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return reply_error(reply, &CmdError::other("ERR value is out of range"));
    }
    let z = match zset_mut(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.array(0),
        Ok(Some(z)) => z,
    };
    let size = z.len();
    let (count, uniq) = (l.unsigned_abs(), l >= 0);
    if count == 0 {
        return reply.array(0);
    }
    if !uniq || count == 1 {
        if count > MAX_REPEATED {
            return reply_error(reply, &CmdError::other("ERR value is out of range"));
        }
        emit_header(reply, count as usize, withscores);
        for _ in 0..count {
            let n = z.select((random() % size as u64) as usize);
            emit(reply, z.member(n), z.score_at(n), withscores);
        }
        return;
    }
    let count = count.min(size as u64) as usize;
    let ranks: Vec<usize> = if count * 4 < size {
        // Few picks from a large set: draw ranks until enough distinct ones came up.
        let mut seen = hashbrown::HashSet::with_capacity(count);
        let mut picked = Vec::with_capacity(count);
        while picked.len() < count {
            let r = (random() % size as u64) as usize;
            if seen.insert(r) {
                picked.push(r);
            }
        }
        picked
    } else {
        let mut all: Vec<usize> = (0..size).collect();
        for i in 0..count {
            let j = i + (random() % (size - i) as u64) as usize;
            all.swap(i, j);
        }
        all.truncate(count);
        all
    };
    emit_header(reply, count, withscores);
    for &r in &ranks {
        let n = z.select(r);
        emit(reply, z.member(n), z.score_at(n), withscores);
    }
}

/// `ZSCAN key cursor [MATCH pattern] [COUNT count]`.
pub fn zscan(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if crate::cmd::keys::scan::parse_cursor(args.get(2)).is_none() {
        return reply_error(reply, &CmdError::InvalidCursor);
    }
    let z = match ks.get(args.get(1)).map(|e| &e.value) {
        None => {
            reply.array(2);
            reply.bulk(b"0");
            return reply.array(0);
        }
        Some(Value::ZSet(z)) => z,
        Some(_) => return reply_error(reply, &CmdError::WrongType),
    };
    let opts = match ScanOptions::parse(Args::new(args.buf(), &args.spans()[1..])) {
        Ok(o) if o.type_name.is_none() => o,
        Ok(_) => return reply_error(reply, &CmdError::Syntax),
        Err(e) => return reply_error(reply, &e),
    };
    let matches = |m: &[u8]| {
        opts.pattern
            .as_deref()
            .is_none_or(|p| crate::glob::glob_match(p, m, false))
    };
    let mut nodes: Vec<u32> = Vec::new();
    let next = if z.is_listpack() {
        nodes.extend(z.iter_from(0, false));
        0
    } else {
        // redis-server's loop: buckets until COUNT elements or ten times COUNT buckets.
        let mut cursor = opts.cursor;
        let mut budget = opts.count.saturating_mul(10);
        loop {
            cursor = z.scan(cursor, |n| nodes.push(n));
            budget -= 1;
            if cursor == 0 || budget == 0 || nodes.len() >= opts.count {
                break cursor;
            }
        }
    };
    let kept: Vec<u32> = nodes
        .into_iter()
        .filter(|&n| matches(z.member(n)))
        .collect();
    reply.array(2);
    reply.bulk(next.to_string().as_bytes());
    reply.array(kept.len() * 2);
    for n in kept {
        reply.bulk(z.member(n));
        reply.bulk(format_double(z.score_at(n)).as_bytes());
    }
}
