//! SINTER, SINTERCARD, SUNION, SDIFF, their STORE forms, and SMOVE.
//!
//! Runs on one data core with every key in its keyspace (the dispatcher gathers keys from
//! other cores first); synchronous. As in redis-server 7.0.15, every key is type-checked
//! before anything is computed, a missing key is an empty set, an intersection walks the
//! smallest set, and a computed result is built as an intset that turns into a hashtable
//! when a member needs it, so results and their encodings match.

use super::{bulk_member, reply_set};
use crate::cmd::collection::{drop_if_empty, set_of};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::set::Set;
use crate::storage::{Keyspace, Value};

/// What to do with a computed set.
#[derive(Clone, Copy)]
enum Out<'a> {
    Reply,
    /// SINTERCARD: count only, stopping at the limit (0: no limit).
    Count(usize),
    Store(&'a [u8]),
}

/// Looks every key up in order (expiring and touching it): WRONGTYPE when one holds
/// another type.
fn check_sets(ks: &mut Keyspace, keys: &[&[u8]]) -> CmdResult {
    for key in keys {
        set_of(ks, key)?;
    }
    Ok(())
}

/// The set at `key`, already checked by [`check_sets`].
fn peek_set<'a>(ks: &'a Keyspace, key: &[u8]) -> Option<&'a Set> {
    match &ks.peek(key)?.value {
        Value::Set(s) => Some(s),
        _ => None,
    }
}

/// Stores `result` at `dst` (replacing whatever was there, TTL included) or deletes `dst`
/// when it is empty; replies with the size.
fn store(ks: &mut Keyspace, dst: &[u8], result: Set, reply: &mut Reply) {
    let len = result.len();
    if len == 0 {
        ks.remove(dst);
    } else {
        ks.insert(dst, Value::Set(Box::new(result)), 0);
    }
    reply.int(len as i64);
}

fn inter(ks: &mut Keyspace, keys: &[&[u8]], out: Out, reply: &mut Reply) {
    if let Err(e) = check_sets(ks, keys) {
        return reply_error(reply, &e);
    }
    let limits = ks.limits;
    let result = {
        let found: Vec<Option<&Set>> = keys.iter().map(|k| peek_set(ks, k)).collect();
        if found.iter().any(Option::is_none) {
            None
        } else {
            let mut sets: Vec<&Set> = found.into_iter().flatten().collect();
            sets.sort_by_key(|s| s.len());
            let (first, rest) = sets.split_first().expect("at least one key");
            let common = first
                .iter()
                .filter(|m| rest.iter().all(|s| s.contains_member(*m)));
            match out {
                Out::Count(limit) => {
                    let n = common.take(if limit == 0 { usize::MAX } else { limit });
                    return reply.int(n.count() as i64);
                }
                Out::Reply => {
                    let members: Vec<_> = common.collect();
                    reply.set(members.len());
                    for m in members {
                        bulk_member(reply, m);
                    }
                    return;
                }
                Out::Store(_) => {
                    let mut result = Set::default();
                    for m in common {
                        m.with_bytes(|b| result.add(b, &limits));
                    }
                    Some(result)
                }
            }
        }
    };
    match out {
        Out::Store(dst) => store(ks, dst, result.unwrap_or_default(), reply),
        Out::Count(_) => reply.int(0),
        Out::Reply => reply.set(0),
    }
}

/// SUNION and SDIFF (and their STORE forms).
fn union_or_diff(
    ks: &mut Keyspace,
    keys: &[&[u8]],
    diff: bool,
    dst: Option<&[u8]>,
    reply: &mut Reply,
) {
    if let Err(e) = check_sets(ks, keys) {
        return reply_error(reply, &e);
    }
    let limits = ks.limits;
    let mut result = Set::default();
    {
        let sets: Vec<Option<&Set>> = keys.iter().map(|k| peek_set(ks, k)).collect();
        if diff {
            if let Some(first) = sets[0] {
                for m in first.iter() {
                    if !sets[1..].iter().flatten().any(|s| s.contains_member(m)) {
                        m.with_bytes(|b| result.add(b, &limits));
                    }
                }
            }
        } else {
            for m in sets.iter().flatten().flat_map(|s| s.iter()) {
                m.with_bytes(|b| result.add(b, &limits));
            }
        }
    }
    match dst {
        Some(dst) => store(ks, dst, result, reply),
        None => reply_set(reply, &result),
    }
}

fn keys_from(args: Args<'_>, first: usize) -> Vec<&[u8]> {
    args.iter().skip(first).collect()
}

pub fn sinter(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    inter(ks, &keys_from(args, 1), Out::Reply, reply);
}

pub fn sinterstore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    inter(ks, &keys_from(args, 2), Out::Store(args.get(1)), reply);
}

pub fn sunion(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    union_or_diff(ks, &keys_from(args, 1), false, None, reply);
}

pub fn sunionstore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    union_or_diff(ks, &keys_from(args, 2), false, Some(args.get(1)), reply);
}

pub fn sdiff(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    union_or_diff(ks, &keys_from(args, 1), true, None, reply);
}

pub fn sdiffstore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    union_or_diff(ks, &keys_from(args, 2), true, Some(args.get(1)), reply);
}

/// `numkeys key... [LIMIT n]` → (keys, limit).
fn sintercard_args(args: Args<'_>) -> CmdResult<(Vec<&[u8]>, usize)> {
    let numkeys = match parse_i64(args.get(1)) {
        Some(n) if n >= 1 => n as usize,
        _ => return Err(CmdError::other("ERR numkeys should be greater than 0")),
    };
    if numkeys > args.len() - 2 {
        return Err(CmdError::other(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    let mut limit = 0;
    let mut i = 2 + numkeys;
    while i < args.len() {
        if args.is(i, "limit") && i + 1 < args.len() {
            limit = match parse_i64(args.get(i + 1)) {
                Some(n) if n >= 0 => n as usize,
                _ => return Err(CmdError::other("ERR LIMIT can't be negative")),
            };
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    Ok((args.iter().skip(2).take(numkeys).collect(), limit))
}

pub fn sintercard(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match sintercard_args(args) {
        Ok((keys, limit)) => inter(ks, &keys, Out::Count(limit), reply),
        Err(e) => reply_error(reply, &e),
    }
}

pub fn smove(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let (src, dst, member) = (args.get(1), args.get(2), args.get(3));
    let limits = ks.limits;
    let src_kind = ks.get(src).map(|e| matches!(e.value, Value::Set(_)));
    let dst_kind = ks.get(dst).map(|e| matches!(e.value, Value::Set(_)));
    match (src_kind, dst_kind) {
        (None, _) => return reply.int(0),
        (Some(false), _) | (_, Some(false)) => return reply_error(reply, &CmdError::WrongType),
        _ => {}
    }
    let source = set_of(ks, src).ok().flatten().expect("checked above");
    if src == dst {
        return reply.int(source.contains(member) as i64);
    }
    if !source.remove(member) {
        return reply.int(0);
    }
    drop_if_empty(ks, src);
    if dst_kind.is_none() {
        ks.insert(dst, Value::Set(Box::default()), 0);
    }
    set_of(ks, dst)
        .ok()
        .flatten()
        .expect("created above")
        .add(member, &limits);
    reply.int(1);
}
