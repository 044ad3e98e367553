//! Set commands (SADD, SREM, SMEMBERS, SPOP, SINTER, SMOVE, SSCAN, ...): table entries and
//! handlers.
//!
//! Runs on the data core owning the keys; synchronous. Commands over several keys (SINTER,
//! SUNIONSTORE, SMOVE, ...) see all their keys in this core's keyspace: when the keys live
//! on different cores, the dispatcher gathers them under a cross-core transaction first
//! ([`Spread::Atomic`]). Replies follow redis-server 7.0.15, including the order of
//! intset members (ascending) and of error checks.
//!
//! - `mod.rs`: the table and the single-key commands.
//! - [`algebra`]: SINTER, SINTERCARD, SUNION, SDIFF, their STORE forms, and SMOVE.
//! - [`random`]: SPOP, SRANDMEMBER and SSCAN.

mod algebra;
mod random;
#[cfg(test)]
mod tests;

use super::collection::{drop_if_empty, set_of};
use super::error::reply_error;
use super::Args;
use super::{Command, Exec, KeyRange, KeyedHandler, Spread, WRITE};
use crate::protocol::Reply;
use crate::storage::set::{Member, Set};
use crate::storage::{Keyspace, Value};

const fn keyed(
    name: &'static str,
    arity: i32,
    keys: KeyRange,
    flags: u16,
    handler: KeyedHandler,
    spread: Spread,
) -> Command {
    Command {
        name,
        arity,
        keys,
        flags,
        exec: Exec::Keyed(handler, spread),
    }
}

const ONE: KeyRange = KeyRange::FIRST;
/// SMOVE: source and destination.
const PAIR: KeyRange = KeyRange {
    first: 1,
    last: 2,
    step: 1,
};
/// SINTERCARD: `numkeys key...`, found through its key spec.
const NUMKEYS: KeyRange = KeyRange::NONE;

pub const COMMANDS: &[Command] = &[
    keyed("sadd", -3, ONE, WRITE, sadd, Spread::Single),
    keyed("srem", -3, ONE, WRITE, srem, Spread::Single),
    keyed("sismember", 3, ONE, 0, sismember, Spread::Single),
    keyed("smismember", -3, ONE, 0, smismember, Spread::Single),
    keyed("smembers", 2, ONE, 0, smembers, Spread::Single),
    keyed("scard", 2, ONE, 0, scard, Spread::Single),
    keyed("spop", -2, ONE, WRITE, random::spop, Spread::Single),
    keyed(
        "srandmember",
        -2,
        ONE,
        0,
        random::srandmember,
        Spread::Single,
    ),
    keyed("smove", 4, PAIR, WRITE, algebra::smove, Spread::Atomic),
    keyed(
        "sinter",
        -2,
        KeyRange::ALL,
        0,
        algebra::sinter,
        Spread::Atomic,
    ),
    keyed(
        "sintercard",
        -3,
        NUMKEYS,
        0,
        algebra::sintercard,
        Spread::Atomic,
    ),
    keyed(
        "sunion",
        -2,
        KeyRange::ALL,
        0,
        algebra::sunion,
        Spread::Atomic,
    ),
    keyed(
        "sdiff",
        -2,
        KeyRange::ALL,
        0,
        algebra::sdiff,
        Spread::Atomic,
    ),
    keyed(
        "sinterstore",
        -3,
        KeyRange::ALL,
        WRITE,
        algebra::sinterstore,
        Spread::Atomic,
    ),
    keyed(
        "sunionstore",
        -3,
        KeyRange::ALL,
        WRITE,
        algebra::sunionstore,
        Spread::Atomic,
    ),
    keyed(
        "sdiffstore",
        -3,
        KeyRange::ALL,
        WRITE,
        algebra::sdiffstore,
        Spread::Atomic,
    ),
    keyed("sscan", -3, ONE, 0, random::sscan, Spread::Single),
];

/// Writes one member as a bulk string.
fn bulk_member(reply: &mut Reply, m: Member) {
    m.with_bytes(|b| reply.bulk(b));
}

/// Writes `set` as a set reply (an array in RESP2), in its iteration order.
fn reply_set(reply: &mut Reply, set: &Set) {
    reply.set(set.len());
    for m in set.iter() {
        bulk_member(reply, m);
    }
}

fn sadd(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let limits = ks.limits;
    let set = match set_of(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(Some(set)) => set,
        Ok(None) => {
            ks.insert(key, Value::Set(Box::default()), 0);
            set_of(ks, key).ok().flatten().expect("just created")
        }
    };
    let added = args.iter().skip(2).filter(|m| set.add(m, &limits)).count();
    reply.int(added as i64);
}

fn srem(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let set = match set_of(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.int(0),
        Ok(Some(set)) => set,
    };
    let mut removed = 0;
    for m in args.iter().skip(2) {
        removed += set.remove(m) as i64;
        if set.is_empty() {
            break;
        }
    }
    drop_if_empty(ks, key);
    reply.int(removed);
}

fn sismember(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match set_of(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(set) => reply.int(set.is_some_and(|s| s.contains(args.get(2))) as i64),
    }
}

fn smismember(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match set_of(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(set) => {
            reply.array(args.len() - 2);
            for m in args.iter().skip(2) {
                reply.int(set.as_ref().is_some_and(|s| s.contains(m)) as i64);
            }
        }
    }
}

fn smembers(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match set_of(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(None) => reply.set(0),
        Ok(Some(set)) => reply_set(reply, set),
    }
}

fn scard(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match set_of(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(set) => reply.int(set.map_or(0, |s| s.len()) as i64),
    }
}
