//! Keyspace commands (DEL, EXISTS, EXPIRE, TTL, RENAME, ...): table entries and handlers.
//!
//! Runs on the data core owning the keys; synchronous.

use super::{Args, Command, Exec, KeyRange, Spread, WRITE};
use crate::protocol::Reply;
use crate::storage::Keyspace;

pub const COMMANDS: &[Command] = &[
    Command {
        name: "del",
        arity: -2,
        keys: KeyRange::ALL,
        flags: WRITE,
        exec: Exec::Keyed(del, Spread::SumInt),
    },
    Command {
        name: "exists",
        arity: -2,
        keys: KeyRange::ALL,
        flags: 0,
        exec: Exec::Keyed(exists, Spread::SumInt),
    },
];

fn del(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let removed = args
        .iter()
        .skip(1)
        .filter(|k| ks.remove(k).is_some())
        .count();
    reply.int(removed as i64);
}

fn exists(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let found = args.iter().skip(1).filter(|k| ks.contains(k)).count();
    reply.int(found as i64);
}
