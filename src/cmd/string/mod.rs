//! String commands (GET, SET, INCR, APPEND, LCS, ...): table entries and handlers.
//!
//! Runs on the data core owning the keys; synchronous. Handlers follow redis-server
//! 7.0.15 reply for reply, including the order in which errors are detected. Submodules:
//! `options` parses SET/GETEX options and expiry arguments, `counter` holds the INCR
//! family, `longdouble` the x87 arithmetic INCRBYFLOAT needs, `lcs` the LCS command.
//! GET, SET and INCR are hot paths: they allocate nothing beyond the stored value.

mod counter;
mod lcs;
pub(crate) mod longdouble;
mod options;
#[cfg(test)]
mod tests;

use super::error::reply_error;
use super::{Args, CmdError, CmdResult, Command, Exec, KeyRange, Spread, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};
pub use lcs::lcs_reply;
use options::{ExpireUnit, OptionsFor, SetOptions};

/// redis-server's default `proto-max-bulk-len`: the largest string APPEND and SETRANGE
/// may build.
pub const PROTO_MAX_BULK_LEN: u64 = 512 * 1024 * 1024;

/// MSET and MSETNX: every other argument from the first is a key.
const PAIRS: KeyRange = KeyRange {
    first: 1,
    last: -1,
    step: 2,
};

/// LCS: the two keys after the name.
const TWO: KeyRange = KeyRange {
    first: 1,
    last: 2,
    step: 1,
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "get",
        arity: 2,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(get, Spread::Single),
    },
    Command {
        name: "set",
        arity: -3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(set, Spread::Single),
    },
    Command {
        name: "setnx",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(setnx, Spread::Single),
    },
    Command {
        name: "setex",
        arity: 4,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(setex, Spread::Single),
    },
    Command {
        name: "psetex",
        arity: 4,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(psetex, Spread::Single),
    },
    Command {
        name: "mget",
        arity: -2,
        keys: KeyRange::ALL,
        flags: 0,
        exec: Exec::Keyed(mget, Spread::Mget),
    },
    Command {
        name: "mset",
        arity: -3,
        keys: PAIRS,
        flags: WRITE,
        exec: Exec::Keyed(mset, Spread::Atomic),
    },
    Command {
        name: "msetnx",
        arity: -3,
        keys: PAIRS,
        flags: WRITE,
        exec: Exec::Keyed(msetnx, Spread::Atomic),
    },
    Command {
        name: "getset",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(getset, Spread::Single),
    },
    Command {
        name: "getdel",
        arity: 2,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(getdel, Spread::Single),
    },
    Command {
        name: "getex",
        arity: -2,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(getex, Spread::Single),
    },
    Command {
        name: "append",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(append, Spread::Single),
    },
    Command {
        name: "strlen",
        arity: 2,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(strlen, Spread::Single),
    },
    Command {
        name: "incr",
        arity: 2,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(counter::incr, Spread::Single),
    },
    Command {
        name: "decr",
        arity: 2,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(counter::decr, Spread::Single),
    },
    Command {
        name: "incrby",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(counter::incrby, Spread::Single),
    },
    Command {
        name: "decrby",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(counter::decrby, Spread::Single),
    },
    Command {
        name: "incrbyfloat",
        arity: 3,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(counter::incrbyfloat, Spread::Single),
    },
    Command {
        name: "getrange",
        arity: 4,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(getrange, Spread::Single),
    },
    Command {
        name: "substr",
        arity: 4,
        keys: KeyRange::FIRST,
        flags: 0,
        exec: Exec::Keyed(getrange, Spread::Single),
    },
    Command {
        name: "setrange",
        arity: 4,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(setrange, Spread::Single),
    },
    Command {
        name: "lcs",
        arity: -3,
        keys: TWO,
        flags: 0,
        exec: Exec::Keyed(lcs::lcs, Spread::Atomic),
    },
];

/// Writes the string value of `key`, nil when absent, WRONGTYPE for other types (or nil
/// when `wrongtype_is_nil`, as MGET wants). Returns whether the key held a string.
fn reply_string(ks: &mut Keyspace, key: &[u8], reply: &mut Reply, wrongtype_is_nil: bool) -> bool {
    match ks.get(key) {
        None => reply.null(),
        Some(entry) => match entry.value.str_bytes() {
            Some(bytes) => {
                reply.bulk(bytes.as_slice());
                return true;
            }
            None if wrongtype_is_nil => reply.null(),
            None => reply_error(reply, &CmdError::WrongType),
        },
    }
    false
}

/// Like [`reply_string`] for commands that go on to modify the key: `Err` (already
/// replied) on WRONGTYPE, else whether the key existed.
fn reply_old_value(ks: &mut Keyspace, key: &[u8], reply: &mut Reply) -> Result<bool, ()> {
    match ks.get(key) {
        None => {
            reply.null();
            Ok(false)
        }
        Some(entry) => match entry.value.str_bytes() {
            Some(bytes) => {
                reply.bulk(bytes.as_slice());
                Ok(true)
            }
            None => {
                reply_error(reply, &CmdError::WrongType);
                Err(())
            }
        },
    }
}

fn get(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply_string(ks, args.get(1), reply, false);
}

fn set(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() == 3 {
        ks.insert(args.get(1), Value::string(args.get(2)), 0);
        reply.ok();
        return;
    }
    let opts = match SetOptions::parse(args, 3, OptionsFor::Set) {
        Ok(opts) => opts,
        Err(e) => return reply_error(reply, &e),
    };
    let expire_at = match opts.expire {
        None => 0,
        Some((unit, at)) => match unit.resolve(args.get(at), ks.now_ms, "set") {
            Ok(ms) => ms,
            Err(e) => return reply_error(reply, &e),
        },
    };
    let key = args.get(1);
    let found = if opts.get {
        match reply_old_value(ks, key, reply) {
            Ok(found) => found,
            Err(()) => return,
        }
    } else {
        ks.contains(key)
    };
    if (opts.nx && found) || (opts.xx && !found) {
        if !opts.get {
            reply.null();
        }
        return;
    }
    let value = Value::string(args.get(2));
    if opts.keep_ttl {
        ks.insert_keep_ttl(key, value);
    } else {
        ks.insert(key, value, expire_at);
    }
    if !opts.get {
        reply.ok();
    }
}

fn setnx(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    if ks.contains(key) {
        reply.int(0);
    } else {
        ks.insert(key, Value::string(args.get(2)), 0);
        reply.int(1);
    }
}

/// SETEX and PSETEX: `key ttl value`.
fn set_with_ttl(
    ks: &mut Keyspace,
    args: Args,
    reply: &mut Reply,
    unit: ExpireUnit,
    cmd: &'static str,
) {
    match unit.resolve(args.get(2), ks.now_ms, cmd) {
        Ok(at) => {
            ks.insert(args.get(1), Value::string(args.get(3)), at);
            reply.ok();
        }
        Err(e) => reply_error(reply, &e),
    }
}

fn setex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    set_with_ttl(ks, args, reply, ExpireUnit::Seconds, "setex");
}

fn psetex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    set_with_ttl(ks, args, reply, ExpireUnit::Millis, "psetex");
}

/// MGET over the keys in `args`; also the per-key element writer for spread MGET.
pub fn mget(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply.array(args.len() - 1);
    for key in args.iter().skip(1) {
        reply_string(ks, key, reply, true);
    }
}

/// Checks that `args` (name included) holds key/value pairs, as MSET and MSETNX require;
/// `name` is the lowercase command name for the error text.
pub fn check_pairs(args: Args, name: &str) -> CmdResult {
    if args.len() % 2 == 0 {
        return Err(CmdError::WrongArity(name.to_string()));
    }
    Ok(())
}

fn set_pairs(ks: &mut Keyspace, args: Args) {
    for i in (1..args.len()).step_by(2) {
        ks.insert(args.get(i), Value::string(args.get(i + 1)), 0);
    }
}

fn mset(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if let Err(e) = check_pairs(args, "mset") {
        return reply_error(reply, &e);
    }
    set_pairs(ks, args);
    reply.ok();
}

fn msetnx(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if let Err(e) = check_pairs(args, "msetnx") {
        return reply_error(reply, &e);
    }
    if (1..args.len()).step_by(2).any(|i| ks.contains(args.get(i))) {
        reply.int(0);
        return;
    }
    set_pairs(ks, args);
    reply.int(1);
}

fn getset(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if reply_old_value(ks, args.get(1), reply).is_ok() {
        ks.insert(args.get(1), Value::string(args.get(2)), 0);
    }
}

fn getdel(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if reply_old_value(ks, args.get(1), reply) == Ok(true) {
        ks.remove(args.get(1));
    }
}

fn getex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let opts = match SetOptions::parse(args, 2, OptionsFor::GetEx) {
        Ok(opts) => opts,
        Err(e) => return reply_error(reply, &e),
    };
    let key = args.get(1);
    let now = ks.now_ms;
    let Some(entry) = ks.get(key) else {
        return reply.null();
    };
    let Some(bytes) = entry.value.str_bytes() else {
        return reply_error(reply, &CmdError::WrongType);
    };
    let volatile = entry.expire_at() != 0;
    let expire_at = match opts.expire {
        None => None,
        Some((unit, at)) => match unit.resolve(args.get(at), now, "getex") {
            Ok(ms) => Some((unit, ms)),
            Err(e) => return reply_error(reply, &e),
        },
    };
    reply.bulk(bytes.as_slice());
    match expire_at {
        Some((unit, ms)) if unit.is_absolute() && ms <= now => {
            ks.remove(key);
        }
        Some((_, ms)) => {
            ks.set_expire(key, ms);
        }
        // As PERSIST, a key without a TTL is left alone (WATCH sees no change).
        None if opts.persist && volatile => {
            ks.set_expire(key, 0);
        }
        None => {}
    }
}

/// Fails with `string exceeds maximum allowed size` when `len + extra` is too long.
fn check_length(len: u64, extra: u64) -> CmdResult {
    match len.checked_add(extra) {
        Some(total) if total <= PROTO_MAX_BULK_LEN => Ok(()),
        _ => Err(CmdError::StringTooLong),
    }
}

fn append(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let (key, tail) = (args.get(1), args.get(2));
    match ks.get(key) {
        None => {
            ks.insert(key, Value::string(tail), 0);
            reply.int(tail.len() as i64);
        }
        Some(entry) => {
            let Some(len) = entry.value.str_bytes().map(|b| b.as_slice().len()) else {
                return reply_error(reply, &CmdError::WrongType);
            };
            if let Err(e) = check_length(len as u64, tail.len() as u64) {
                return reply_error(reply, &e);
            }
            let raw = entry.value.make_raw().expect("value is a string");
            raw.extend_from_slice(tail);
            reply.int(raw.len() as i64);
        }
    }
}

fn strlen(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match ks.get(args.get(1)) {
        None => reply.int(0),
        Some(entry) => match entry.value.str_bytes() {
            Some(bytes) => reply.int(bytes.as_slice().len() as i64),
            None => reply_error(reply, &CmdError::WrongType),
        },
    }
}

/// GETRANGE and SUBSTR: inclusive range, negative indexes count from the end.
fn getrange(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let (Some(mut start), Some(mut end)) = (parse_i64(args.get(2)), parse_i64(args.get(3))) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    let Some(entry) = ks.get(args.get(1)) else {
        return reply.bulk(b"");
    };
    let Some(bytes) = entry.value.str_bytes() else {
        return reply_error(reply, &CmdError::WrongType);
    };
    let s = bytes.as_slice();
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        return reply.bulk(b"");
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0).min(len - 1);
    if start > end || len == 0 {
        reply.bulk(b"");
    } else {
        reply.bulk(&s[start as usize..=end as usize]);
    }
}

fn setrange(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let Some(offset) = parse_i64(args.get(2)) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    if offset < 0 {
        return reply_error(reply, &CmdError::OffsetOutOfRange);
    }
    let (key, patch) = (args.get(1), args.get(3));
    let offset = offset as u64;
    match ks.get(key) {
        None => {
            if patch.is_empty() {
                return reply.int(0);
            }
            if let Err(e) = check_length(offset, patch.len() as u64) {
                return reply_error(reply, &e);
            }
            let mut data = vec![0u8; offset as usize + patch.len()];
            data[offset as usize..].copy_from_slice(patch);
            reply.int(data.len() as i64);
            ks.insert(key, Value::Raw(data), 0);
        }
        Some(entry) => {
            let Some(len) = entry.value.str_bytes().map(|b| b.as_slice().len()) else {
                return reply_error(reply, &CmdError::WrongType);
            };
            if patch.is_empty() {
                return reply.int(len as i64);
            }
            if let Err(e) = check_length(offset, patch.len() as u64) {
                return reply_error(reply, &e);
            }
            let raw = entry.value.make_raw().expect("value is a string");
            let end = offset as usize + patch.len();
            if raw.len() < end {
                raw.resize(end, 0);
            }
            raw[offset as usize..end].copy_from_slice(patch);
            reply.int(raw.len() as i64);
        }
    }
}
