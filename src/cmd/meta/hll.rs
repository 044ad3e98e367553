//! Metadata of the HyperLogLog commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO` (generated from the oracle's replies);
//! summaries, complexity notes and replacements are our own words.

use super::args::hll as args;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

pub const PFADD: CommandMeta = CommandMeta {
    name: "pfadd",
    arity: -2,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hyperloglog", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "Adds elements to a HyperLogLog cardinality estimator.",
    complexity: "O(1) per element.",
    arguments: args::PFADD,
    ..CommandMeta::EMPTY
};

pub const PFCOUNT: CommandMeta = CommandMeta {
    name: "pfcount",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@read", "@hyperloglog", "@slow"],
    key_specs: &[KeySpec { notes: "RW because it may change the internal representation of the key, and propagate to replicas", flags: &["RW", "access"], begin_search: BeginSearch::Index(1), find_keys: FindKeys::Range { last_key: -1, key_step: 1, limit: 0 } }],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "Estimates the number of distinct elements added to one or more HyperLogLogs.",
    complexity: "O(1) for one key; O(N) merging N keys.",
    arguments: args::PFCOUNT,
    ..CommandMeta::EMPTY
};

pub const PFMERGE: CommandMeta = CommandMeta {
    name: "pfmerge",
    arity: -2,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@write", "@hyperloglog", "@slow"],
    key_specs: &[
        KeySpec::range(&["RW", "access", "insert"], 1, 0, 1),
        KeySpec::range(&["RO", "access"], 2, -1, 1),
    ],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "Merges HyperLogLogs into a destination key.",
    complexity: "O(N), N keys merged.",
    arguments: args::PFMERGE,
    ..CommandMeta::EMPTY
};
