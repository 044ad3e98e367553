//! Commands are data: the static metadata of every command SoliKV serves, and `COMMAND`.
//!
//! Each command is a [`CommandMeta`] entry holding what redis-server 7.0.15 reports through
//! `COMMAND INFO` (arity, flags, legacy key positions, ACL categories, tips, key specs,
//! subcommands) plus what `COMMAND DOCS` shows (group, since, and a summary and complexity note
//! written for SoliKV). Routing, arity checks, key extraction and the `COMMAND` command all read
//! this one table.
//!
//! Pure and synchronous; any core may call it. Imports only [`crate::protocol`].
//!
//! The data lives in one file per family (`connection`, `server`, `string`, `keyspace`, with
//! their `COMMAND DOCS` argument trees under `args/`);
//! `table` lists the top-level entries and maps names to them; `keys` walks key specs;
//! `command` implements the `COMMAND` command and its INFO/DOCS encoders.
//!
//! `CLIENT SETINFO` and `CLIENT NO-TOUCH` exist only from Redis 7.2, so the 7.0.15 oracle
//! cannot describe them; their entries follow Redis 7.2 as we understand it (arity 4 and 3,
//! `noscript loading stale`, `@slow @connection`, since 7.2.0, SETINFO with the all-nodes /
//! all-succeeded routing tips; its LIB-NAME/LIB-VER arguments), NO-TOUCH mirroring NO-EVICT.
//! `CLIENT HELP` is included as every container has one. The `notes` of the SET and GETEX
//! key specs are reproduced as redis-server reports them, since `COMMAND INFO` prints them.

mod args;
mod bitmap;
mod blocking;
mod cluster;
mod command;
mod connection;
mod hash;
mod hll;
mod keys;
mod keyspace;
mod list;
mod pubsub;
mod scripting;
mod server;
mod set;
mod string;
mod table;
mod transaction;
mod zset;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod captured_tests;

#[cfg(test)]
mod cluster_tests;

#[cfg(test)]
mod pubsub_tests;

pub use args::Arg;
pub use command::{command, write_docs, write_info};
pub use keys::{command_keys, for_each_key, has_keys, key_flags, KeysError};

/// The static description of one command or subcommand.
#[derive(Debug)]
pub struct CommandMeta {
    /// Lower-case name as `COMMAND INFO` prints it; subcommands are `container|sub`.
    pub name: &'static str,
    /// Redis arity: `n` means exactly `n` arguments (name included), `-n` at least `n`.
    pub arity: i32,
    /// Command flags (`readonly`, `write`, `fast`, `loading`, ...).
    pub flags: &'static [&'static str],
    /// Legacy key positions: first key, last key (negative counts from the end), step.
    pub first_key: i32,
    pub last_key: i32,
    pub step: i32,
    /// ACL categories, each with its leading `@`.
    pub acl_categories: &'static [&'static str],
    /// Command tips for clients and proxies (`request_policy:all_shards`, ...).
    pub tips: &'static [&'static str],
    pub key_specs: &'static [KeySpec],
    pub subcommands: &'static [CommandMeta],
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
    /// Documentation flags such as `deprecated` or `syscmd`.
    pub doc_flags: &'static [&'static str],
    /// Empty when the command is not deprecated.
    pub deprecated_since: &'static str,
    /// Empty when the command has no replacement.
    pub replaced_by: &'static str,
    /// Argument tree for `COMMAND DOCS`.
    pub arguments: &'static [Arg],
}

impl CommandMeta {
    /// The defaults entries fill their unset fields from.
    pub const EMPTY: CommandMeta = CommandMeta {
        name: "",
        arity: 0,
        flags: &[],
        first_key: 0,
        last_key: 0,
        step: 0,
        acl_categories: &[],
        tips: &[],
        key_specs: &[],
        subcommands: &[],
        group: "",
        since: "",
        summary: "",
        complexity: "",
        doc_flags: &[],
        deprecated_since: "",
        replaced_by: "",
        arguments: &[],
    };

    /// Whether `argc` arguments (command name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = self.arity as i64;
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    /// Whether the command is a container such as CLIENT or CONFIG.
    pub fn is_container(&self) -> bool {
        !self.subcommands.is_empty()
    }
}

/// One key spec: where the keys of a command start and how to find the rest.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// Free-form remark Redis attaches to a few specs; empty for most.
    pub notes: &'static str,
    /// Access flags (`RO`, `RW`, `OW`, `RM`, `access`, `update`, `insert`, `delete`, ...).
    pub flags: &'static [&'static str],
    pub begin_search: BeginSearch,
    pub find_keys: FindKeys,
}

impl KeySpec {
    /// The common shape: keys begin at a fixed index and run over a range.
    pub const fn range(
        flags: &'static [&'static str],
        index: i32,
        last_key: i32,
        key_step: i32,
    ) -> KeySpec {
        KeySpec {
            notes: "",
            flags,
            begin_search: BeginSearch::Index(index),
            find_keys: FindKeys::Range {
                last_key,
                key_step,
                limit: 0,
            },
        }
    }
}

/// Where the first key of a spec is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeginSearch {
    /// At a fixed argument index.
    Index(i32),
    /// Right after `keyword`, searched from `start_from` (negative: from the end, backwards).
    Keyword {
        keyword: &'static str,
        start_from: i32,
    },
    Unknown,
}

/// How the keys after the first one are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindKeys {
    /// Keys up to `last_key` (relative to the first key; negative counts from the end), every
    /// `key_step` arguments. A non-zero `limit` with `last_key == -1` keeps only
    /// `1/limit` of the remaining arguments.
    Range {
        last_key: i32,
        key_step: i32,
        limit: i32,
    },
    /// The number of keys sits at `keynum_idx` (relative to the begin index); the keys start
    /// `first_key` after the begin index, every `key_step` arguments.
    Keynum {
        keynum_idx: i32,
        first_key: i32,
        key_step: i32,
    },
    Unknown,
}

/// Every top-level command.
pub fn all() -> &'static [CommandMeta] {
    &table::ALL
}

/// The top-level command called `name`, compared case-insensitively. Allocation free.
pub fn lookup(name: &[u8]) -> Option<&'static CommandMeta> {
    if name.len() > table::MAX_NAME_LEN {
        return None;
    }
    let mut buf = [0u8; table::MAX_NAME_LEN];
    let lower = &mut buf[..name.len()];
    for (dst, src) in lower.iter_mut().zip(name) {
        *dst = src.to_ascii_lowercase();
    }
    table::index_of(lower).map(|i| &table::ALL[i])
}

/// The subcommand `sub` of the container `parent`, compared case-insensitively.
pub fn lookup_sub(parent: &CommandMeta, sub: &[u8]) -> Option<&'static CommandMeta> {
    let prefix = parent.name.len() + 1;
    parent
        .subcommands
        .iter()
        .find(|s| s.name.as_bytes()[prefix..].eq_ignore_ascii_case(sub))
}

/// The entry a command line runs, the way redis-server resolves it: the top-level command,
/// or for a container given a second argument, that subcommand (`None` when unknown).
pub fn resolve(args: &[&[u8]]) -> Option<&'static CommandMeta> {
    let base = lookup(args.first()?)?;
    match args.get(1) {
        Some(sub) if base.is_container() => lookup_sub(base, sub),
        _ => Some(base),
    }
}

/// The entry named `name`, where `container|sub` names a subcommand (as `COMMAND INFO` and
/// `COMMAND DOCS` accept).
pub fn lookup_full_name(name: &[u8]) -> Option<&'static CommandMeta> {
    match name.iter().position(|&b| b == b'|') {
        None => lookup(name),
        Some(bar) => {
            let base = lookup(&name[..bar])?;
            let sub = &name[bar + 1..];
            if sub.contains(&b'|') {
                return None;
            }
            lookup_sub(base, sub)
        }
    }
}
