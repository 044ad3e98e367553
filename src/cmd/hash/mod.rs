//! Hash commands (HSET, HGET, HGETALL, HINCRBY, HRANDFIELD, HSCAN, ...): table entries and
//! handlers.
//!
//! Runs on the data core owning the key; synchronous. Handlers follow redis-server 7.0.15
//! reply for reply, including the order in which errors are detected (argument checks,
//! then the key's type). [`random`] holds HRANDFIELD and HSCAN.

mod random;
#[cfg(test)]
mod tests;

use super::collection::{drop_if_empty, hash_of};
use super::error::reply_error;
use super::string::longdouble::LongDouble;
use super::{Args, CmdError, CmdResult, Command, Exec, KeyRange, KeyedHandler, Spread, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::hash::Hash;
use crate::storage::{Keyspace, Value};

const fn keyed(name: &'static str, arity: i32, flags: u16, handler: KeyedHandler) -> Command {
    Command {
        name,
        arity,
        keys: KeyRange::FIRST,
        flags,
        exec: Exec::Keyed(handler, Spread::Single),
    }
}

pub const COMMANDS: &[Command] = &[
    keyed("hset", -4, WRITE, hset),
    keyed("hsetnx", 4, WRITE, hsetnx),
    keyed("hget", 3, 0, hget),
    keyed("hmget", -3, 0, hmget),
    keyed("hmset", -4, WRITE, hmset),
    keyed("hdel", -3, WRITE, hdel),
    keyed("hexists", 3, 0, hexists),
    keyed("hlen", 2, 0, hlen),
    keyed("hstrlen", 3, 0, hstrlen),
    keyed("hkeys", 2, 0, hkeys),
    keyed("hvals", 2, 0, hvals),
    keyed("hgetall", 2, 0, hgetall),
    keyed("hincrby", 4, WRITE, hincrby),
    keyed("hincrbyfloat", 4, WRITE, hincrbyfloat),
    keyed("hrandfield", -2, 0, random::hrandfield),
    keyed("hscan", -3, 0, random::hscan),
];

/// The hash at `key`, created empty when absent (redis-server's
/// `hashTypeLookupWriteOrCreate`); WRONGTYPE for other types.
fn hash_or_create<'a>(ks: &'a mut Keyspace, key: &[u8]) -> CmdResult<&'a mut Hash> {
    if ks.get(key).is_none() {
        ks.insert(key, Value::Hash(Box::default()), 0);
    }
    hash_of(ks, key).map(|h| h.expect("just created"))
}

/// HSET and HMSET: pairs after the key; returns the number of new fields.
fn set_pairs(ks: &mut Keyspace, args: Args, name: &str) -> CmdResult<i64> {
    if args.len() % 2 == 1 {
        return Err(CmdError::WrongArity(name.to_string()));
    }
    let limits = ks.limits;
    let hash = hash_or_create(ks, args.get(1))?;
    for i in (2..args.len()).step_by(2) {
        hash.prepare_for(args.get(i), args.get(i + 1), &limits);
    }
    let mut added = 0;
    for i in (2..args.len()).step_by(2) {
        added += hash.set(args.get(i), args.get(i + 1), &limits) as i64;
    }
    Ok(added)
}

fn hset(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match set_pairs(ks, args, "hset") {
        Ok(n) => reply.int(n),
        Err(e) => reply_error(reply, &e),
    }
}

fn hmset(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match set_pairs(ks, args, "hmset") {
        Ok(_) => reply.ok(),
        Err(e) => reply_error(reply, &e),
    }
}

fn hsetnx(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let limits = ks.limits;
    let hash = match hash_or_create(ks, args.get(1)) {
        Ok(h) => h,
        Err(e) => return reply_error(reply, &e),
    };
    if hash.contains(args.get(2)) {
        reply.int(0);
    } else {
        hash.set(args.get(2), args.get(3), &limits);
        reply.int(1);
    }
}

/// Runs `f` on the hash at `key` when it exists; `missing` is written when it does not.
fn read(
    ks: &mut Keyspace,
    key: &[u8],
    reply: &mut Reply,
    missing: impl FnOnce(&mut Reply),
    f: impl FnOnce(&Hash, &mut Reply),
) {
    match hash_of(ks, key) {
        Err(e) => reply_error(reply, &e),
        Ok(None) => missing(reply),
        Ok(Some(h)) => f(h, reply),
    }
}

fn hget(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(ks, args.get(1), reply, Reply::null, |h, r| {
        match h.get(args.get(2)) {
            Some(v) => r.bulk(v),
            None => r.null(),
        }
    });
}

fn hmget(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let fields = args.len() - 2;
    let hash = match hash_of(ks, args.get(1)) {
        Ok(h) => h,
        Err(e) => return reply_error(reply, &e),
    };
    reply.array(fields);
    for field in args.iter().skip(2) {
        match hash.as_ref().and_then(|h| h.get(field)) {
            Some(v) => reply.bulk(v),
            None => reply.null(),
        }
    }
}

fn hdel(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let hash = match hash_of(ks, key) {
        Ok(Some(h)) => h,
        Ok(None) => return reply.int(0),
        Err(e) => return reply_error(reply, &e),
    };
    let mut removed = 0;
    for field in args.iter().skip(2) {
        removed += hash.remove(field) as i64;
        if hash.is_empty() {
            break;
        }
    }
    drop_if_empty(ks, key);
    reply.int(removed);
}

fn hexists(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(
        ks,
        args.get(1),
        reply,
        |r| r.int(0),
        |h, r| r.int(h.contains(args.get(2)) as i64),
    );
}

fn hlen(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(
        ks,
        args.get(1),
        reply,
        |r| r.int(0),
        |h, r| r.int(h.len() as i64),
    );
}

fn hstrlen(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(
        ks,
        args.get(1),
        reply,
        |r| r.int(0),
        |h, r| r.int(h.get(args.get(2)).map_or(0, <[u8]>::len) as i64),
    );
}

fn hkeys(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(
        ks,
        args.get(1),
        reply,
        |r| r.array(0),
        |h, r| {
            r.array(h.len());
            for (field, _) in h.iter() {
                r.bulk(field);
            }
        },
    );
}

fn hvals(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(
        ks,
        args.get(1),
        reply,
        |r| r.array(0),
        |h, r| {
            r.array(h.len());
            for (_, value) in h.iter() {
                r.bulk(value);
            }
        },
    );
}

fn hgetall(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    read(
        ks,
        args.get(1),
        reply,
        |r| r.map(0),
        |h, r| {
            r.map(h.len());
            for (field, value) in h.iter() {
                r.bulk(field);
                r.bulk(value);
            }
        },
    );
}

fn hincrby(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let Some(incr) = parse_i64(args.get(3)) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    let limits = ks.limits;
    let hash = match hash_or_create(ks, args.get(1)) {
        Ok(h) => h,
        Err(e) => return reply_error(reply, &e),
    };
    let field = args.get(2);
    let current = match hash.get(field) {
        None => 0,
        Some(v) => match parse_i64(v) {
            Some(n) => n,
            None => {
                return reply_error(reply, &CmdError::other("ERR hash value is not an integer"))
            }
        },
    };
    let Some(sum) = current.checked_add(incr) else {
        return reply_error(reply, &CmdError::Overflow);
    };
    let mut buf = [0u8; 20];
    hash.set(
        field,
        crate::protocol::reply::fmt_i64(sum, &mut buf),
        &limits,
    );
    reply.int(sum);
}

fn hincrbyfloat(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let incr = match LongDouble::parse(args.get(3)) {
        None => return reply_error(reply, &CmdError::NotFloat),
        Some(LongDouble::Inf { .. }) => {
            return reply_error(reply, &CmdError::other("ERR value is NaN or Infinity"))
        }
        Some(x) => x,
    };
    let limits = ks.limits;
    let hash = match hash_or_create(ks, args.get(1)) {
        Ok(h) => h,
        Err(e) => return reply_error(reply, &e),
    };
    let field = args.get(2);
    let current = match hash.get(field) {
        None => LongDouble::Zero,
        Some(v) => match LongDouble::parse(v) {
            Some(x) => x,
            None => return reply_error(reply, &CmdError::other("ERR hash value is not a float")),
        },
    };
    let Some(sum) = current.add(incr) else {
        return reply_error(reply, &CmdError::NanOrInfinity);
    };
    let text = sum.to_human();
    hash.set(field, &text, &limits);
    reply.bulk(&text);
}
