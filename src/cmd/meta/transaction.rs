//! Metadata of the transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories and key specs
//! match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::Arg;
use super::{CommandMeta, KeySpec};

pub const MULTI: CommandMeta = CommandMeta {
    name: "multi",
    arity: 1,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    acl_categories: &["@fast", "@transaction"],
    group: "transactions",
    since: "1.2.0",
    summary: "Starts queueing the connection's commands as one transaction.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const EXEC: CommandMeta = CommandMeta {
    name: "exec",
    arity: 1,
    flags: &["noscript", "loading", "stale", "skip_slowlog"],
    acl_categories: &["@slow", "@transaction"],
    group: "transactions",
    since: "1.2.0",
    summary: "Runs the queued commands as one atomic step, unless a watched key changed.",
    complexity: "The sum of the queued commands' costs.",
    ..CommandMeta::EMPTY
};

pub const DISCARD: CommandMeta = CommandMeta {
    name: "discard",
    arity: 1,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    acl_categories: &["@fast", "@transaction"],
    group: "transactions",
    since: "2.0.0",
    summary: "Drops the queued commands and leaves the transaction.",
    complexity: "O(N) in the number of queued commands.",
    ..CommandMeta::EMPTY
};

pub const WATCH: CommandMeta = CommandMeta {
    name: "watch",
    arity: -2,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@fast", "@transaction"],
    key_specs: &[KeySpec::range(&["RO"], 1, -1, 1)],
    group: "transactions",
    since: "2.2.0",
    summary: "Makes the next EXEC fail if any of the keys changes before it.",
    complexity: "O(1) per key.",
    arguments: &[Arg::key("key", 0).flags(&["multiple"])],
    ..CommandMeta::EMPTY
};

pub const UNWATCH: CommandMeta = CommandMeta {
    name: "unwatch",
    arity: 1,
    flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
    acl_categories: &["@fast", "@transaction"],
    group: "transactions",
    since: "2.2.0",
    summary: "Stops watching every key this connection watches.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

/// Position of a transaction command among these entries, which `table::ALL` lists last.
pub fn index_of(lower: &[u8]) -> Option<usize> {
    Some(match lower {
        b"multi" => 0,
        b"exec" => 1,
        b"discard" => 2,
        b"watch" => 3,
        b"unwatch" => 4,
        _ => return None,
    })
}
