//! Metadata of the string commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::string as args;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

pub const GET: CommandMeta = CommandMeta {
    name: "get",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Reads the string stored at a key.",
    complexity: "O(1)",
    arguments: args::GET,
    ..CommandMeta::EMPTY
};

pub const SET: CommandMeta = CommandMeta {
    name: "set",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[KeySpec {
        notes: "RW and ACCESS due to the optional `GET` argument",
        flags: &["RW", "access", "update", "variable_flags"],
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Range {
            last_key: 0,
            key_step: 1,
            limit: 0,
        },
    }],
    group: "string",
    since: "1.0.0",
    summary: "Stores a string at a key, with optional expiry and conditions.",
    complexity: "O(1)",
    arguments: args::SET,
    ..CommandMeta::EMPTY
};

pub const SETNX: CommandMeta = CommandMeta {
    name: "setnx",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["OW", "insert"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Stores a string at a key only when the key is absent.",
    complexity: "O(1)",
    arguments: args::SETNX,
    ..CommandMeta::EMPTY
};

pub const SETEX: CommandMeta = CommandMeta {
    name: "setex",
    arity: 4,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[KeySpec::range(&["OW", "update"], 1, 0, 1)],
    group: "string",
    since: "2.0.0",
    summary: "Stores a string at a key with an expiry in seconds.",
    complexity: "O(1)",
    arguments: args::SETEX,
    ..CommandMeta::EMPTY
};

pub const PSETEX: CommandMeta = CommandMeta {
    name: "psetex",
    arity: 4,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[KeySpec::range(&["OW", "update"], 1, 0, 1)],
    group: "string",
    since: "2.6.0",
    summary: "Stores a string at a key with an expiry in milliseconds.",
    complexity: "O(1)",
    arguments: args::PSETEX,
    ..CommandMeta::EMPTY
};

pub const MGET: CommandMeta = CommandMeta {
    name: "mget",
    arity: -2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@read", "@string", "@fast"],
    tips: &["request_policy:multi_shard"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, -1, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Reads the strings stored at several keys.",
    complexity: "O(N), N being the number of keys.",
    arguments: args::MGET,
    ..CommandMeta::EMPTY
};

pub const MSET: CommandMeta = CommandMeta {
    name: "mset",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: -1,
    step: 2,
    acl_categories: &["@write", "@string", "@slow"],
    tips: &[
        "request_policy:multi_shard",
        "response_policy:all_succeeded",
    ],
    key_specs: &[KeySpec::range(&["OW", "update"], 1, -1, 2)],
    group: "string",
    since: "1.0.1",
    summary: "Stores strings at several keys at once.",
    complexity: "O(N), N being the number of keys.",
    arguments: args::MSET,
    ..CommandMeta::EMPTY
};

pub const MSETNX: CommandMeta = CommandMeta {
    name: "msetnx",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: -1,
    step: 2,
    acl_categories: &["@write", "@string", "@slow"],
    tips: &["request_policy:multi_shard", "response_policy:agg_min"],
    key_specs: &[KeySpec::range(&["OW", "insert"], 1, -1, 2)],
    group: "string",
    since: "1.0.1",
    summary: "Stores strings at several keys at once, only when none of them exists.",
    complexity: "O(N), N being the number of keys.",
    arguments: args::MSETNX,
    ..CommandMeta::EMPTY
};

pub const GETSET: CommandMeta = CommandMeta {
    name: "getset",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Stores a string at a key and gives back the string it replaced.",
    complexity: "O(1)",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "SET with its GET option",
    arguments: args::GETSET,
    ..CommandMeta::EMPTY
};

pub const GETDEL: CommandMeta = CommandMeta {
    name: "getdel",
    arity: 2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "delete"], 1, 0, 1)],
    group: "string",
    since: "6.2.0",
    summary: "Reads the string at a key, then deletes the key.",
    complexity: "O(1)",
    arguments: args::GETDEL,
    ..CommandMeta::EMPTY
};

pub const GETEX: CommandMeta = CommandMeta {
    name: "getex",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec {
        notes: "RW and UPDATE because it changes the TTL",
        flags: &["RW", "access", "update"],
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Range {
            last_key: 0,
            key_step: 1,
            limit: 0,
        },
    }],
    group: "string",
    since: "6.2.0",
    summary: "Reads the string at a key and changes or removes its expiry.",
    complexity: "O(1)",
    arguments: args::GETEX,
    ..CommandMeta::EMPTY
};

pub const APPEND: CommandMeta = CommandMeta {
    name: "append",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "string",
    since: "2.0.0",
    summary: "Adds bytes to the end of a string, creating it when absent.",
    complexity: "O(1) amortized; appending is linear in the added length.",
    arguments: args::APPEND,
    ..CommandMeta::EMPTY
};

pub const STRLEN: CommandMeta = CommandMeta {
    name: "strlen",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "string",
    since: "2.2.0",
    summary: "Gives the length in bytes of the string at a key.",
    complexity: "O(1)",
    arguments: args::STRLEN,
    ..CommandMeta::EMPTY
};

pub const INCR: CommandMeta = CommandMeta {
    name: "incr",
    arity: 2,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Adds one to the integer stored at a key.",
    complexity: "O(1)",
    arguments: args::INCR,
    ..CommandMeta::EMPTY
};

pub const DECR: CommandMeta = CommandMeta {
    name: "decr",
    arity: 2,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Subtracts one from the integer stored at a key.",
    complexity: "O(1)",
    arguments: args::DECR,
    ..CommandMeta::EMPTY
};

pub const INCRBY: CommandMeta = CommandMeta {
    name: "incrby",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Adds an integer to the integer stored at a key.",
    complexity: "O(1)",
    arguments: args::INCRBY,
    ..CommandMeta::EMPTY
};

pub const DECRBY: CommandMeta = CommandMeta {
    name: "decrby",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Subtracts an integer from the integer stored at a key.",
    complexity: "O(1)",
    arguments: args::DECRBY,
    ..CommandMeta::EMPTY
};

pub const INCRBYFLOAT: CommandMeta = CommandMeta {
    name: "incrbyfloat",
    arity: 3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "string",
    since: "2.6.0",
    summary: "Adds a floating point number to the number stored at a key.",
    complexity: "O(1)",
    arguments: args::INCRBYFLOAT,
    ..CommandMeta::EMPTY
};

pub const GETRANGE: CommandMeta = CommandMeta {
    name: "getrange",
    arity: 4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@string", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "string",
    since: "2.4.0",
    summary: "Reads a byte range of the string at a key.",
    complexity: "O(N), N being the length of the range read.",
    arguments: args::GETRANGE,
    ..CommandMeta::EMPTY
};

pub const SETRANGE: CommandMeta = CommandMeta {
    name: "setrange",
    arity: 4,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@string", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "string",
    since: "2.2.0",
    summary: "Overwrites part of a string starting at an offset, padding with zero bytes.",
    complexity: "O(1) when no growth is needed, else O(M), M being the new length.",
    arguments: args::SETRANGE,
    ..CommandMeta::EMPTY
};

pub const SUBSTR: CommandMeta = CommandMeta {
    name: "substr",
    arity: 4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@string", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "string",
    since: "1.0.0",
    summary: "Reads a byte range of the string at a key (older name of GETRANGE).",
    complexity: "O(N), N being the length of the range read.",
    doc_flags: &["deprecated"],
    deprecated_since: "2.0.0",
    replaced_by: "GETRANGE",
    arguments: args::SUBSTR,
    ..CommandMeta::EMPTY
};

pub const LCS: CommandMeta = CommandMeta {
    name: "lcs",
    arity: -3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@read", "@string", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 1, 1)],
    group: "string",
    since: "7.0.0",
    summary: "Finds the longest common subsequence of two strings.",
    complexity: "O(N*M), N and M being the lengths of the two strings.",
    arguments: args::LCS,
    ..CommandMeta::EMPTY
};
