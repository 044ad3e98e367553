//! Commands as data, and their synchronous handlers.
//!
//! Each family file (`string`, `keys`, ...) exports a `COMMANDS` table: name, arity, key
//! positions, flags and how it executes, next to its handlers. Routing, arity checks and
//! `COMMAND` output all read these entries. Handlers are synchronous and run on the data core
//! that owns their keys; nothing here awaits or knows about executors.

pub mod args;
pub mod bitmap;
pub mod blocking;
pub mod collection;
pub mod error;
pub mod hash;
pub mod hll;
pub mod keys;
pub mod list;
pub mod meta;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod set;
pub mod string;
pub mod txn;
pub mod zset;

use std::sync::OnceLock;

use hashbrown::HashMap;

pub use args::{Args, OwnedArgs};
pub use error::{CmdError, CmdResult};

use crate::protocol::Reply;
use crate::storage::Keyspace;

/// A handler that runs on the core owning all of the command's keys.
pub type KeyedHandler = fn(&mut Keyspace, Args, &mut Reply);

/// How a keyed command runs when its keys live on more than one data core (standalone mode
/// only; in cluster mode all keys of a command share one slot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// One key, or keys that must share a core: never spread.
    Single,
    /// Run the command on each core with that core's keys and add the integer replies
    /// (DEL, UNLINK, EXISTS, TOUCH).
    SumInt,
    /// MGET: one value per key, gathered in request order.
    Mget,
    /// Redis makes it atomic: run it as a cross-core transaction (MSET, MSETNX, RENAME,
    /// RENAMENX, COPY, LCS).
    Atomic,
}

/// Commands handled by the connection itself (they touch only its own state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionCmd {
    Ping,
    Echo,
    Hello,
    Auth,
    Select,
    Quit,
    Reset,
    ReadOnly,
    ReadWrite,
    Asking,
    Time,
    Command,
}

/// Commands that need every core or server-wide state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalCmd {
    Client,
    Info,
    Config,
    DbSize,
    FlushAll,
    FlushDb,
    Debug,
    Shutdown,
    Keys,
    Scan,
    RandomKey,
    Cluster,
}

/// Pub/Sub commands (`net::subscriber`): they change the connection's subscriptions or
/// reach subscribers on every core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PubSubCmd {
    Subscribe,
    Unsubscribe,
    PSubscribe,
    PUnsubscribe,
    SSubscribe,
    SUnsubscribe,
    Publish,
    SPublish,
    PubSub,
}

/// Where a command executes.
#[derive(Clone, Copy, Debug)]
pub enum Exec {
    Keyed(KeyedHandler, Spread),
    Session(SessionCmd),
    Global(GlobalCmd),
    PubSub(PubSubCmd),
    /// MULTI, EXEC, DISCARD, WATCH, UNWATCH (`net::multi`).
    Txn(txn::TxnCmd),
    /// EVAL, EVALSHA, their `_RO` forms and SCRIPT (`crate::script`).
    Script(scripting::ScriptCmd),
}

/// Which arguments are keys, as redis-server's first/last/step triple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRange {
    pub first: i32,
    pub last: i32,
    pub step: i32,
}

impl KeyRange {
    pub const NONE: KeyRange = KeyRange {
        first: 0,
        last: 0,
        step: 0,
    };
    pub const FIRST: KeyRange = KeyRange {
        first: 1,
        last: 1,
        step: 1,
    };
    pub const ALL: KeyRange = KeyRange {
        first: 1,
        last: -1,
        step: 1,
    };

    /// The index of every key argument present in a command of `argc` arguments.
    pub fn indices(&self, argc: usize) -> std::iter::StepBy<std::ops::Range<usize>> {
        let step = self.step.max(1) as usize;
        if self.first <= 0 || self.first as usize >= argc {
            return (0..0).step_by(step);
        }
        let last = if self.last < 0 {
            argc as i32 + self.last
        } else {
            self.last.min(argc as i32 - 1)
        };
        (self.first as usize..(last + 1).max(self.first) as usize).step_by(step)
    }

    /// Calls `f` with the index of every key argument present in a command of `argc`
    /// arguments.
    pub fn for_each(&self, argc: usize, f: impl FnMut(usize)) {
        self.indices(argc).for_each(f)
    }
}

/// Whether a command's key positions come from its table range; otherwise they come from its
/// key specs (see [`for_each_key`]).
pub fn keys_from_range(cmd: &Command) -> bool {
    cmd.keys != KeyRange::NONE || !matches!(cmd.exec, Exec::Keyed(..) | Exec::Script(_))
}

/// Calls `f` with the index of every key argument of `args`: from the table's key range, or,
/// for a keyed command whose range is empty because its keys move (SINTERCARD, LMPOP,
/// ZUNIONSTORE: a key count comes first), from its `COMMAND` key specs. A malformed key count
/// yields no keys; the handler then replies with the error.
pub fn for_each_key(cmd: &Command, args: Args, f: impl FnMut(usize)) {
    if keys_from_range(cmd) {
        return cmd.keys.for_each(args.len(), f);
    }
    let Some(meta) = meta::lookup(cmd.name.as_bytes()) else {
        return;
    };
    let line: Vec<&[u8]> = args.iter().collect();
    if let Ok(keys) = meta::command_keys(meta, &line) {
        keys.into_iter().for_each(f);
    }
}

/// A keyed command's table entry (the form every family's `COMMANDS` uses).
pub const fn keyed(
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

/// Allowed before AUTH when a password is set.
pub const NO_AUTH: u16 = 1;
/// Modifies the keyspace.
pub const WRITE: u16 = 1 << 1;
/// Administrative.
pub const ADMIN: u16 = 1 << 2;
/// May block the client (BLPOP, BZPOPMIN, ...): outside MULTI the connection waits
/// (`net::blocking`) instead of taking the handler's timeout reply.
pub const BLOCKING: u16 = 1 << 3;

/// One command's table entry.
#[derive(Clone, Copy, Debug)]
pub struct Command {
    /// Lowercase name, as redis-server reports it.
    pub name: &'static str,
    /// Redis arity: exact count when positive, minimum count when negative.
    pub arity: i32,
    pub keys: KeyRange,
    pub flags: u16,
    pub exec: Exec,
}

impl Command {
    pub fn arity_ok(&self, argc: usize) -> bool {
        if self.arity >= 0 {
            argc == self.arity as usize
        } else {
            argc >= self.arity.unsigned_abs() as usize
        }
    }
}

/// Every family's table.
fn families() -> [&'static [Command]; 13] {
    [
        string::COMMANDS,
        keys::COMMANDS,
        server::COMMANDS,
        hash::COMMANDS,
        set::COMMANDS,
        list::COMMANDS,
        zset::COMMANDS,
        bitmap::COMMANDS,
        hll::COMMANDS,
        pubsub::COMMANDS,
        txn::COMMANDS,
        blocking::COMMANDS,
        scripting::COMMANDS,
    ]
}

const MAX_NAME: usize = 32;

/// Name → (id, entry); ids follow the order of [`all`].
fn registry() -> &'static HashMap<Vec<u8>, (usize, &'static Command)> {
    static REGISTRY: OnceLock<HashMap<Vec<u8>, (usize, &'static Command)>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut map = HashMap::new();
        for (id, cmd) in all().enumerate() {
            let previous = map.insert(cmd.name.as_bytes().to_vec(), (id, cmd));
            assert!(previous.is_none(), "command {} listed twice", cmd.name);
        }
        map
    })
}

/// Finds a command by name, ignoring ASCII case, without allocating: its id (an index into
/// [`all`], for statistics) and its entry.
pub fn lookup(name: &[u8]) -> Option<(usize, &'static Command)> {
    if name.len() > MAX_NAME {
        return None;
    }
    let mut lower = [0u8; MAX_NAME];
    for (dst, src) in lower.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    registry().get(&lower[..name.len()]).copied()
}

/// Every command in the table.
/// The COMMAND metadata of table entry `id` when it is a container (CONFIG, OBJECT, ...),
/// whose calls INFO commandstats counts per subcommand.
pub fn container_meta(id: usize) -> Option<&'static meta::CommandMeta> {
    static CONTAINERS: std::sync::OnceLock<Vec<Option<&'static meta::CommandMeta>>> =
        std::sync::OnceLock::new();
    CONTAINERS
        .get_or_init(|| {
            all()
                .map(|cmd| meta::lookup(cmd.name.as_bytes()).filter(|m| m.is_container()))
                .collect()
        })
        .get(id)
        .copied()
        .flatten()
}

/// The name CLIENT LIST shows as `cmd=` for a call of table entry `id` with `args`, as
/// redis-server's `lastcmd->fullname`: the entry's name, `container|sub` for a container
/// given a subcommand, `NULL` for an unknown subcommand. Allocation free; only a container's
/// call pays for a search of its subcommands.
pub fn full_name(id: usize, cmd: &'static Command, args: &Args) -> &'static str {
    if args.len() < 2 {
        return cmd.name;
    }
    match container_meta(id) {
        None => cmd.name,
        Some(container) => meta::lookup_sub(container, args.get(1)).map_or("NULL", |s| s.name),
    }
}

pub fn all() -> impl Iterator<Item = &'static Command> {
    families().into_iter().flat_map(|f| f.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dispatch table and the COMMAND metadata describe the same commands with the same
    /// arity and key positions, so routing and `COMMAND INFO` cannot disagree.
    #[test]
    fn table_matches_command_metadata() {
        for cmd in all() {
            let meta = meta::lookup(cmd.name.as_bytes())
                .unwrap_or_else(|| panic!("{} has no COMMAND metadata", cmd.name));
            assert_eq!(cmd.arity, meta.arity, "arity of {}", cmd.name);
            if cmd.keys != KeyRange::NONE && !meta.is_container() {
                assert_eq!(
                    (cmd.keys.first, cmd.keys.last, cmd.keys.step),
                    (meta.first_key, meta.last_key, meta.step),
                    "key positions of {}",
                    cmd.name
                );
            }
        }
        for meta in meta::all() {
            assert!(
                lookup(meta.name.as_bytes()).is_some(),
                "COMMAND lists {} but nothing handles it",
                meta.name
            );
        }
    }
}
