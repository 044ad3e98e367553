//! Metadata of the bitmap commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO` (generated from the oracle's replies);
//! summaries, complexity notes and replacements are our own words.

use super::args::bitmap as args;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

pub const SETBIT: CommandMeta = CommandMeta {
    name: "setbit",
    arity: 4,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@bitmap", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "bitmap",
    since: "2.2.0",
    summary: "Sets or clears one bit of a string, growing it as needed; returns the old bit.",
    complexity: "O(1)",
    arguments: args::SETBIT,
    ..CommandMeta::EMPTY
};

pub const GETBIT: CommandMeta = CommandMeta {
    name: "getbit",
    arity: 3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@bitmap", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "bitmap",
    since: "2.2.0",
    summary: "Reads one bit of a string.",
    complexity: "O(1)",
    arguments: args::GETBIT,
    ..CommandMeta::EMPTY
};

pub const BITCOUNT: CommandMeta = CommandMeta {
    name: "bitcount",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@bitmap", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "bitmap",
    since: "2.6.0",
    summary: "Counts the set bits of a string, optionally within a byte or bit range.",
    complexity: "O(N), N bytes counted.",
    arguments: args::BITCOUNT,
    ..CommandMeta::EMPTY
};

pub const BITPOS: CommandMeta = CommandMeta {
    name: "bitpos",
    arity: -3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@bitmap", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "bitmap",
    since: "2.8.7",
    summary: "Finds the first bit set to 0 or 1 in a string, optionally within a range.",
    complexity: "O(N), N bytes searched.",
    arguments: args::BITPOS,
    ..CommandMeta::EMPTY
};

pub const BITOP: CommandMeta = CommandMeta {
    name: "bitop",
    arity: -4,
    flags: &["write", "denyoom"],
    first_key: 2,
    last_key: -1,
    step: 1,
    acl_categories: &["@write", "@bitmap", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 2, 0, 1),
        KeySpec::range(&["RO", "access"], 3, -1, 1),
    ],
    group: "bitmap",
    since: "2.6.0",
    summary: "Combines strings bit by bit (AND, OR, XOR, NOT) into a key.",
    complexity: "O(N), N being the longest input.",
    arguments: args::BITOP,
    ..CommandMeta::EMPTY
};

pub const BITFIELD: CommandMeta = CommandMeta {
    name: "bitfield",
    arity: -2,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@bitmap", "@slow"],
    key_specs: &[KeySpec {
        notes: "This command allows both access and modification of the key",
        flags: &["RW", "access", "update", "variable_flags"],
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Range {
            last_key: 0,
            key_step: 1,
            limit: 0,
        },
    }],
    group: "bitmap",
    since: "3.2.0",
    summary:
        "Reads, writes and increments integer fields of any width at any bit offset of a string.",
    complexity: "O(1) per subcommand.",
    arguments: args::BITFIELD,
    ..CommandMeta::EMPTY
};

pub const BITFIELD_RO: CommandMeta = CommandMeta {
    name: "bitfield_ro",
    arity: -2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@bitmap", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "bitmap",
    since: "6.0.0",
    summary: "Reads integer fields of any width at any bit offset of a string.",
    complexity: "O(1) per subcommand.",
    arguments: args::BITFIELD_RO,
    ..CommandMeta::EMPTY
};
