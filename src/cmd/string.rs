//! String commands (GET, SET, INCR, APPEND, ...): table entries and handlers.
//!
//! Runs on the data core owning the keys; synchronous.

use super::{Args, Command, Exec, KeyRange, Spread, WRITE};
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

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
        name: "mget",
        arity: -2,
        keys: KeyRange::ALL,
        flags: 0,
        exec: Exec::Keyed(mget, Spread::Mget),
    },
    Command {
        name: "mset",
        arity: -3,
        keys: KeyRange {
            first: 1,
            last: -1,
            step: 2,
        },
        flags: WRITE,
        exec: Exec::Keyed(mset, Spread::Atomic),
    },
];

/// Writes the string value of `key`, nil when absent, WRONGTYPE for other types.
fn reply_string(ks: &mut Keyspace, key: &[u8], reply: &mut Reply, wrongtype_is_nil: bool) {
    match ks.get(key) {
        None => reply.null(),
        Some(entry) => match entry.value.str_bytes() {
            Some(bytes) => reply.bulk(bytes.as_slice()),
            None if wrongtype_is_nil => reply.null(),
            None => reply.error(&super::CmdError::WrongType.text()),
        },
    }
}

fn get(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply_string(ks, args.get(1), reply, false);
}

fn set(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() != 3 {
        reply.error(&super::CmdError::Syntax.text());
        return;
    }
    ks.insert(args.get(1), Value::string(args.get(2)), 0);
    reply.ok();
}

/// MGET over the keys in `args`; also the per-key element writer for spread MGET.
pub fn mget(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply.array(args.len() - 1);
    for key in args.iter().skip(1) {
        reply_string(ks, key, reply, true);
    }
}

fn mset(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() % 2 == 0 {
        reply.error(&super::CmdError::WrongArity("mset".into()).text());
        return;
    }
    for i in (1..args.len()).step_by(2) {
        ks.insert(args.get(i), Value::string(args.get(i + 1)), 0);
    }
    reply.ok();
}
