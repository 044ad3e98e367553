//! Metadata of the key space commands (Redis's `generic` group), OBJECT included.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::keyspace as args;
use super::{CommandMeta, KeySpec};

pub const DEL: CommandMeta = CommandMeta {
    name: "del",
    arity: -2,
    flags: &["write"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@slow"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[KeySpec::range(&["RM", "delete"], 1, -1, 1)],
    group: "generic",
    since: "1.0.0",
    summary: "Deletes keys.",
    complexity: "O(N) in the number of keys, plus the size of each deleted value.",
    arguments: args::DEL,
    ..CommandMeta::EMPTY
};

pub const UNLINK: CommandMeta = CommandMeta {
    name: "unlink",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[KeySpec::range(&["RM", "delete"], 1, -1, 1)],
    group: "generic",
    since: "4.0.0",
    summary: "Deletes keys, reclaiming large values in the background.",
    complexity: "O(1) per key; memory is reclaimed later.",
    arguments: args::UNLINK,
    ..CommandMeta::EMPTY
};

pub const EXISTS: CommandMeta = CommandMeta {
    name: "exists",
    arity: -2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[KeySpec::range(&["RO"], 1, -1, 1)],
    group: "generic",
    since: "1.0.0",
    summary: "Counts how many of the given keys exist.",
    complexity: "O(N), N being the number of keys.",
    arguments: args::EXISTS,
    ..CommandMeta::EMPTY
};

pub const TYPE: CommandMeta = CommandMeta {
    name: "type",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "generic",
    since: "1.0.0",
    summary: "Names the type of the value stored at a key.",
    complexity: "O(1)",
    arguments: args::TYPE,
    ..CommandMeta::EMPTY
};

pub const EXPIRE: CommandMeta = CommandMeta {
    name: "expire",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "generic",
    since: "1.0.0",
    summary: "Sets a key's time to live in seconds.",
    complexity: "O(1)",
    arguments: args::EXPIRE,
    ..CommandMeta::EMPTY
};

pub const PEXPIRE: CommandMeta = CommandMeta {
    name: "pexpire",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "generic",
    since: "2.6.0",
    summary: "Sets a key's time to live in milliseconds.",
    complexity: "O(1)",
    arguments: args::PEXPIRE,
    ..CommandMeta::EMPTY
};

pub const EXPIREAT: CommandMeta = CommandMeta {
    name: "expireat",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "generic",
    since: "1.2.0",
    summary: "Sets the Unix time, in seconds, at which a key expires.",
    complexity: "O(1)",
    arguments: args::EXPIREAT,
    ..CommandMeta::EMPTY
};

pub const PEXPIREAT: CommandMeta = CommandMeta {
    name: "pexpireat",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "generic",
    since: "2.6.0",
    summary: "Sets the Unix time, in milliseconds, at which a key expires.",
    complexity: "O(1)",
    arguments: args::PEXPIREAT,
    ..CommandMeta::EMPTY
};

pub const TTL: CommandMeta = CommandMeta {
    name: "ttl",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "generic",
    since: "1.0.0",
    summary: "Gives a key's remaining time to live in seconds.",
    complexity: "O(1)",
    arguments: args::TTL,
    ..CommandMeta::EMPTY
};

pub const PTTL: CommandMeta = CommandMeta {
    name: "pttl",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "generic",
    since: "2.6.0",
    summary: "Gives a key's remaining time to live in milliseconds.",
    complexity: "O(1)",
    arguments: args::PTTL,
    ..CommandMeta::EMPTY
};

pub const EXPIRETIME: CommandMeta = CommandMeta {
    name: "expiretime",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "generic",
    since: "7.0.0",
    summary: "Gives the Unix time, in seconds, at which a key expires.",
    complexity: "O(1)",
    arguments: args::EXPIRETIME,
    ..CommandMeta::EMPTY
};

pub const PEXPIRETIME: CommandMeta = CommandMeta {
    name: "pexpiretime",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "generic",
    since: "7.0.0",
    summary: "Gives the Unix time, in milliseconds, at which a key expires.",
    complexity: "O(1)",
    arguments: args::PEXPIRETIME,
    ..CommandMeta::EMPTY
};

pub const PERSIST: CommandMeta = CommandMeta {
    name: "persist",
    arity: 2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "generic",
    since: "2.2.0",
    summary: "Removes a key's expiry so that it lives forever.",
    complexity: "O(1)",
    arguments: args::PERSIST,
    ..CommandMeta::EMPTY
};

pub const KEYS: CommandMeta = CommandMeta {
    name: "keys",
    arity: 2,
    flags: &["readonly"],
    acl_categories: &["@keyspace", "@read", "@slow", "@dangerous"],
    tips: &["request_policy:all_shards", "nondeterministic_output_order"],
    group: "generic",
    since: "1.0.0",
    summary: "Lists the keys whose names match a glob pattern.",
    complexity: "O(N), N being the number of keys in the database.",
    arguments: args::KEYS,
    ..CommandMeta::EMPTY
};

pub const SCAN: CommandMeta = CommandMeta {
    name: "scan",
    arity: -2,
    flags: &["readonly"],
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output", "request_policy:special"],
    group: "generic",
    since: "2.8.0",
    summary: "Walks the key space a batch at a time with a cursor.",
    complexity: "O(1) per call; O(N) to walk every key.",
    arguments: args::SCAN,
    ..CommandMeta::EMPTY
};

pub const RANDOMKEY: CommandMeta = CommandMeta {
    name: "randomkey",
    arity: 1,
    flags: &["readonly"],
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["request_policy:all_shards", "nondeterministic_output"],
    group: "generic",
    since: "1.0.0",
    summary: "Gives the name of a randomly chosen key.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const RENAME: CommandMeta = CommandMeta {
    name: "rename",
    arity: 3,
    flags: &["write"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@slow"],
    key_specs: &[
        KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
        KeySpec::range(&["OW", "update"], 2, 0, 1),
    ],
    group: "generic",
    since: "1.0.0",
    summary: "Gives a key a new name, replacing any key of that name.",
    complexity: "O(1)",
    arguments: args::RENAME,
    ..CommandMeta::EMPTY
};

pub const RENAMENX: CommandMeta = CommandMeta {
    name: "renamenx",
    arity: 3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@fast"],
    key_specs: &[
        KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
        KeySpec::range(&["OW", "insert"], 2, 0, 1),
    ],
    group: "generic",
    since: "1.0.0",
    summary: "Gives a key a new name only when the new name is free.",
    complexity: "O(1)",
    arguments: args::RENAMENX,
    ..CommandMeta::EMPTY
};

pub const COPY: CommandMeta = CommandMeta {
    name: "copy",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@write", "@slow"],
    key_specs: &[
        KeySpec::range(&["RO", "access"], 1, 0, 1),
        KeySpec::range(&["OW", "update"], 2, 0, 1),
    ],
    group: "generic",
    since: "6.2.0",
    summary: "Duplicates the value of a key under another name.",
    complexity: "O(N) in the size of the copied value.",
    arguments: args::COPY,
    ..CommandMeta::EMPTY
};

pub const TOUCH: CommandMeta = CommandMeta {
    name: "touch",
    arity: -2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    key_specs: &[KeySpec::range(&["RO"], 1, -1, 1)],
    group: "generic",
    since: "3.2.1",
    summary: "Updates the access time of keys and counts the existing ones.",
    complexity: "O(N), N being the number of keys.",
    arguments: args::TOUCH,
    ..CommandMeta::EMPTY
};

pub const OBJECT_ENCODING: CommandMeta = CommandMeta {
    name: "object|encoding",
    arity: 3,
    flags: &["readonly"],
    first_key: 2,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO"], 2, 0, 1)],
    group: "generic",
    since: "2.2.3",
    summary: "Names the internal representation of the value at a key.",
    complexity: "O(1)",
    arguments: args::OBJECT_ENCODING,
    ..CommandMeta::EMPTY
};

pub const OBJECT_FREQ: CommandMeta = CommandMeta {
    name: "object|freq",
    arity: 3,
    flags: &["readonly"],
    first_key: 2,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO"], 2, 0, 1)],
    group: "generic",
    since: "4.0.0",
    summary: "Gives the logarithmic access-frequency counter of a key.",
    complexity: "O(1)",
    arguments: args::OBJECT_FREQ,
    ..CommandMeta::EMPTY
};

pub const OBJECT_IDLETIME: CommandMeta = CommandMeta {
    name: "object|idletime",
    arity: 3,
    flags: &["readonly"],
    first_key: 2,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO"], 2, 0, 1)],
    group: "generic",
    since: "2.2.3",
    summary: "Gives the seconds since a key was last accessed.",
    complexity: "O(1)",
    arguments: args::OBJECT_IDLETIME,
    ..CommandMeta::EMPTY
};

pub const OBJECT_REFCOUNT: CommandMeta = CommandMeta {
    name: "object|refcount",
    arity: 3,
    flags: &["readonly"],
    first_key: 2,
    last_key: 2,
    step: 1,
    acl_categories: &["@keyspace", "@read", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO"], 2, 0, 1)],
    group: "generic",
    since: "2.2.3",
    summary: "Gives the reference count of the value at a key.",
    complexity: "O(1)",
    arguments: args::OBJECT_REFCOUNT,
    ..CommandMeta::EMPTY
};

pub const OBJECT_HELP: CommandMeta = CommandMeta {
    name: "object|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@keyspace", "@slow"],
    group: "generic",
    since: "6.2.0",
    summary: "Lists the OBJECT subcommands with a short description of each.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const OBJECT: CommandMeta = CommandMeta {
    name: "object",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        OBJECT_ENCODING,
        OBJECT_FREQ,
        OBJECT_IDLETIME,
        OBJECT_REFCOUNT,
        OBJECT_HELP,
    ],
    group: "generic",
    since: "2.2.3",
    summary: "Groups the commands that inspect how values are stored.",
    complexity: "Varies with the subcommand.",
    ..CommandMeta::EMPTY
};
