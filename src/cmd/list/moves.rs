//! LMOVE, RPOPLPUSH and LMPOP: list commands over more than one key.
//!
//! Runs on one data core with every key in its keyspace (the dispatcher gathers keys from
//! other cores first); synchronous.

use super::{list_or_create, pop_end, pop_range, push_end, End};
use crate::cmd::collection::{drop_if_empty, list_of};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// Pops from `from` of `src` and pushes onto `to` of `dst` (the same list when the keys are
/// equal), as redis-server's `lmoveGenericCommand`.
fn lmove_generic(ks: &mut Keyspace, args: Args, from: End, to: End, reply: &mut Reply) {
    lmove_keys(ks, args.get(1), args.get(2), from, to, reply);
}

/// [`lmove_generic`] on the keys `src` and `dst` (BLMOVE serves its waiters this way).
pub(crate) fn lmove_keys(
    ks: &mut Keyspace,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
    reply: &mut Reply,
) {
    match list_of(ks, src) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.null(),
        Ok(Some(_)) => {}
    }
    if let Some(entry) = ks.get(dst) {
        if !matches!(entry.value, Value::List(_)) {
            return reply_error(reply, &CmdError::WrongType);
        }
    }
    let source = list_of(ks, src).ok().flatten().expect("checked above");
    let item = pop_end(source, from).expect("lists are never empty");
    let target = list_or_create(ks, dst).expect("checked above");
    push_end(target, to, &item);
    reply.bulk(&item);
    drop_if_empty(ks, src);
}

pub fn lmove(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match (End::parse(args.get(3)), End::parse(args.get(4))) {
        (Some(from), Some(to)) => lmove_generic(ks, args, from, to, reply),
        _ => reply_error(reply, &CmdError::Syntax),
    }
}

pub fn rpoplpush(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    lmove_generic(ks, args, End::Right, End::Left, reply);
}

/// `numkeys key... LEFT|RIGHT [COUNT n]` → (keys, end, count).
fn lmpop_args(args: Args<'_>) -> CmdResult<(Vec<&[u8]>, End, usize)> {
    let numkeys = match parse_i64(args.get(1)) {
        Some(n) if n >= 1 => n as usize,
        _ => return Err(CmdError::other("ERR numkeys should be greater than 0")),
    };
    let where_at = numkeys.saturating_add(2);
    if where_at >= args.len() {
        return Err(CmdError::Syntax);
    }
    let end = End::parse(args.get(where_at)).ok_or(CmdError::Syntax)?;
    let mut count = None;
    let mut i = where_at + 1;
    while i < args.len() {
        if count.is_none() && args.is(i, "count") && i + 1 < args.len() {
            match parse_i64(args.get(i + 1)) {
                Some(n) if n >= 1 => count = Some(n as usize),
                _ => return Err(CmdError::other("ERR count should be greater than 0")),
            }
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let keys = args.iter().skip(2).take(numkeys).collect();
    Ok((keys, end, count.unwrap_or(1)))
}

pub fn lmpop(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let (keys, end, count) = match lmpop_args(args) {
        Ok(parsed) => parsed,
        Err(e) => return reply_error(reply, &e),
    };
    for key in keys {
        match list_of(ks, key) {
            Err(e) => return reply_error(reply, &e),
            Ok(None) => continue,
            Ok(Some(_)) => {
                reply.array(2);
                reply.bulk(key);
                return pop_range(ks, key, end, count, reply);
            }
        }
    }
    reply.null_array();
}
