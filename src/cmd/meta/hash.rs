//! Metadata of the hash commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::hash as args;
use super::{CommandMeta, KeySpec};

pub const HSET: CommandMeta = CommandMeta {
    name: "hset",
    arity: -4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Stores one or more field-value pairs in a hash, creating it if needed.",
    complexity: "O(1) per pair; O(N) for N pairs.",
    arguments: args::HSET,
    ..CommandMeta::EMPTY
};

pub const HSETNX: CommandMeta = CommandMeta {
    name: "hsetnx",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Stores a field in a hash only when the field is absent.",
    complexity: "O(1)",
    arguments: args::HSETNX,
    ..CommandMeta::EMPTY
};

pub const HGET: CommandMeta = CommandMeta {
    name: "hget",
    arity: 3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Reads one field of a hash.",
    complexity: "O(1)",
    arguments: args::HGET,
    ..CommandMeta::EMPTY
};

pub const HMGET: CommandMeta = CommandMeta {
    name: "hmget",
    arity: -3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Reads several fields of a hash.",
    complexity: "O(N), N being the number of fields asked for.",
    arguments: args::HMGET,
    ..CommandMeta::EMPTY
};

pub const HMSET: CommandMeta = CommandMeta {
    name: "hmset",
    arity: -4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Stores several field-value pairs in a hash.",
    complexity: "O(N), N being the number of pairs.",
    doc_flags: &["deprecated"],
    deprecated_since: "4.0.0",
    replaced_by: "HSET with several field-value pairs",
    arguments: args::HMSET,
    ..CommandMeta::EMPTY
};

pub const HDEL: CommandMeta = CommandMeta {
    name: "hdel",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Removes fields from a hash; an emptied hash is deleted.",
    complexity: "O(N), N being the number of fields removed.",
    arguments: args::HDEL,
    ..CommandMeta::EMPTY
};

pub const HEXISTS: CommandMeta = CommandMeta {
    name: "hexists",
    arity: 3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Tells whether a hash has a field.",
    complexity: "O(1)",
    arguments: args::HEXISTS,
    ..CommandMeta::EMPTY
};

pub const HLEN: CommandMeta = CommandMeta {
    name: "hlen",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Counts the fields of a hash.",
    complexity: "O(1)",
    arguments: args::HLEN,
    ..CommandMeta::EMPTY
};

pub const HSTRLEN: CommandMeta = CommandMeta {
    name: "hstrlen",
    arity: 3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "hash",
    since: "3.2.0",
    summary: "Gives the length of the value of a hash field.",
    complexity: "O(1)",
    arguments: args::HSTRLEN,
    ..CommandMeta::EMPTY
};

pub const HKEYS: CommandMeta = CommandMeta {
    name: "hkeys",
    arity: 2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Lists the field names of a hash.",
    complexity: "O(N), N being the size of the hash.",
    arguments: args::HKEYS,
    ..CommandMeta::EMPTY
};

pub const HVALS: CommandMeta = CommandMeta {
    name: "hvals",
    arity: 2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Lists the values of a hash.",
    complexity: "O(N), N being the size of the hash.",
    arguments: args::HVALS,
    ..CommandMeta::EMPTY
};

pub const HGETALL: CommandMeta = CommandMeta {
    name: "hgetall",
    arity: 2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Lists every field and value of a hash.",
    complexity: "O(N), N being the size of the hash.",
    arguments: args::HGETALL,
    ..CommandMeta::EMPTY
};

pub const HINCRBY: CommandMeta = CommandMeta {
    name: "hincrby",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "hash",
    since: "2.0.0",
    summary: "Adds an integer to the integer held in a hash field.",
    complexity: "O(1)",
    arguments: args::HINCRBY,
    ..CommandMeta::EMPTY
};

pub const HINCRBYFLOAT: CommandMeta = CommandMeta {
    name: "hincrbyfloat",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@hash", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "hash",
    since: "2.6.0",
    summary: "Adds a floating point number to the number held in a hash field.",
    complexity: "O(1)",
    arguments: args::HINCRBYFLOAT,
    ..CommandMeta::EMPTY
};

pub const HRANDFIELD: CommandMeta = CommandMeta {
    name: "hrandfield",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "6.2.0",
    summary: "Picks random fields of a hash, optionally with their values.",
    complexity: "O(N), N being the number of fields picked.",
    arguments: args::HRANDFIELD,
    ..CommandMeta::EMPTY
};

pub const HSCAN: CommandMeta = CommandMeta {
    name: "hscan",
    arity: -3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@hash", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "hash",
    since: "2.8.0",
    summary: "Walks the fields and values of a hash a batch at a time with a cursor.",
    complexity: "O(1) per call; O(N) to walk the whole hash.",
    arguments: args::HSCAN,
    ..CommandMeta::EMPTY
};
