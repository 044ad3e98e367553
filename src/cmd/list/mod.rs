//! List commands (LPUSH, LPOP, LRANGE, LSET, LINSERT, LPOS, LMOVE, LMPOP, ...): table
//! entries and handlers. Blocking variants are not here.
//!
//! Runs on the data core owning the keys; synchronous. LMOVE, RPOPLPUSH and LMPOP over keys
//! on different cores see them all in this core's keyspace: the dispatcher gathers them
//! under a cross-core transaction first ([`Spread::Atomic`]). Replies and the order of
//! error checks follow redis-server 7.0.15.
//!
//! - `mod.rs`: the table, pushes, pops, reads by index and range.
//! - [`edit`]: LSET, LINSERT, LREM, LTRIM, LPOS.
//! - [`moves`]: LMOVE, RPOPLPUSH, LMPOP.

mod edit;
mod moves;

pub(crate) use moves::lmove_keys;
#[cfg(test)]
mod tests;

use super::collection::{drop_if_empty, list_of};
use super::error::reply_error;
use super::{Args, CmdError, Command, KeyRange, Spread, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::list::List;
use crate::storage::{Keyspace, Value};

use super::keyed;

const ONE: KeyRange = KeyRange::FIRST;
/// LMOVE and RPOPLPUSH: source and destination.
const PAIR: KeyRange = KeyRange {
    first: 1,
    last: 2,
    step: 1,
};

pub const COMMANDS: &[Command] = &[
    keyed("lpush", -3, ONE, WRITE, lpush, Spread::Single),
    keyed("rpush", -3, ONE, WRITE, rpush, Spread::Single),
    keyed("lpushx", -3, ONE, WRITE, lpushx, Spread::Single),
    keyed("rpushx", -3, ONE, WRITE, rpushx, Spread::Single),
    keyed("lpop", -2, ONE, WRITE, lpop, Spread::Single),
    keyed("rpop", -2, ONE, WRITE, rpop, Spread::Single),
    keyed("llen", 2, ONE, 0, llen, Spread::Single),
    keyed("lrange", 4, ONE, 0, lrange, Spread::Single),
    keyed("lindex", 3, ONE, 0, lindex, Spread::Single),
    keyed("lset", 4, ONE, WRITE, edit::lset, Spread::Single),
    keyed("linsert", 5, ONE, WRITE, edit::linsert, Spread::Single),
    keyed("lrem", 4, ONE, WRITE, edit::lrem, Spread::Single),
    keyed("ltrim", 4, ONE, WRITE, edit::ltrim, Spread::Single),
    keyed("lpos", -3, ONE, 0, edit::lpos, Spread::Single),
    keyed("lmove", 5, PAIR, WRITE, moves::lmove, Spread::Atomic),
    keyed(
        "rpoplpush",
        3,
        PAIR,
        WRITE,
        moves::rpoplpush,
        Spread::Atomic,
    ),
    keyed(
        "lmpop",
        -4,
        KeyRange::NONE,
        WRITE,
        moves::lmpop,
        Spread::Atomic,
    ),
];

/// Which end of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

impl End {
    /// `LEFT` or `RIGHT`, any case.
    pub(crate) fn parse(arg: &[u8]) -> Option<End> {
        if arg.eq_ignore_ascii_case(b"left") {
            Some(End::Left)
        } else if arg.eq_ignore_ascii_case(b"right") {
            Some(End::Right)
        } else {
            None
        }
    }
}

fn push_end(list: &mut List, end: End, item: &[u8]) {
    match end {
        End::Left => list.items.push_front(item.into()),
        End::Right => list.items.push_back(item.into()),
    }
}

pub(crate) fn pop_end(list: &mut List, end: End) -> Option<Box<[u8]>> {
    match end {
        End::Left => list.items.pop_front(),
        End::Right => list.items.pop_back(),
    }
}

/// The list at `key`, created empty when absent; WRONGTYPE for other types.
fn list_or_create<'a>(ks: &'a mut Keyspace, key: &[u8]) -> Result<&'a mut List, CmdError> {
    if ks.get(key).is_none() {
        ks.insert(key, Value::List(Box::default()), 0);
    }
    list_of(ks, key).map(|l| l.expect("just created"))
}

fn push(ks: &mut Keyspace, args: Args, reply: &mut Reply, end: End, only_existing: bool) {
    let key = args.get(1);
    let list = if only_existing {
        match list_of(ks, key) {
            Ok(Some(l)) => l,
            Ok(None) => return reply.int(0),
            Err(e) => return reply_error(reply, &e),
        }
    } else {
        match list_or_create(ks, key) {
            Ok(l) => l,
            Err(e) => return reply_error(reply, &e),
        }
    };
    for item in args.iter().skip(2) {
        push_end(list, end, item);
    }
    reply.int(list.len() as i64);
}

fn lpush(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    push(ks, args, reply, End::Left, false);
}

fn rpush(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    push(ks, args, reply, End::Right, false);
}

fn lpushx(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    push(ks, args, reply, End::Left, true);
}

fn rpushx(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    push(ks, args, reply, End::Right, true);
}

/// Pops up to `count` elements from `end` of the list at `key` (which exists) and writes
/// them as an array; deletes the key when emptied.
pub(crate) fn pop_range(ks: &mut Keyspace, key: &[u8], end: End, count: usize, reply: &mut Reply) {
    let list = list_of(ks, key)
        .ok()
        .flatten()
        .expect("checked by the caller");
    let n = count.min(list.len());
    reply.array(n);
    for _ in 0..n {
        let item = pop_end(list, end).expect("counted");
        reply.bulk(&item);
    }
    drop_if_empty(ks, key);
}

fn pop(ks: &mut Keyspace, args: Args, reply: &mut Reply, end: End, name: &str) {
    if args.len() > 3 {
        return reply_error(reply, &CmdError::WrongArity(name.to_string()));
    }
    let count = if args.len() == 3 {
        match parse_i64(args.get(2)) {
            Some(n) if n >= 0 => Some(n as usize),
            _ => {
                let e = CmdError::other("ERR value is out of range, must be positive");
                return reply_error(reply, &e);
            }
        }
    } else {
        None
    };
    let key = args.get(1);
    let list = match list_of(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) if count.is_some() => return reply.null_array(),
        Ok(None) => return reply.null(),
        Ok(Some(l)) => l,
    };
    match count {
        Some(0) => reply.array(0),
        Some(n) => pop_range(ks, key, end, n, reply),
        None => {
            let item = pop_end(list, end).expect("lists are never empty");
            reply.bulk(&item);
            drop_if_empty(ks, key);
        }
    }
}

fn lpop(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    pop(ks, args, reply, End::Left, "lpop");
}

fn rpop(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    pop(ks, args, reply, End::Right, "rpop");
}

fn llen(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match list_of(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(l) => reply.int(l.map_or(0, |l| l.len()) as i64),
    }
}

fn lrange(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let (Some(start), Some(end)) = (parse_i64(args.get(2)), parse_i64(args.get(3))) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    let list = match list_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.array(0),
        Ok(Some(l)) => l,
    };
    match list.range(start, end) {
        None => reply.array(0),
        Some((from, to)) => {
            reply.array(to - from + 1);
            for item in list.items.range(from..=to) {
                reply.bulk(item);
            }
        }
    }
}

fn lindex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let list = match list_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.null(),
        Ok(Some(l)) => l,
    };
    let Some(index) = parse_i64(args.get(2)) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    match list.position(index) {
        Some(pos) => reply.bulk(&list.items[pos]),
        None => reply.null(),
    }
}
