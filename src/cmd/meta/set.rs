//! Metadata of the set commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::set as args;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

pub const SADD: CommandMeta = CommandMeta {
    name: "sadd",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@set", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Adds members to a set, creating it if needed.",
    complexity: "O(1) per member; O(N) for N members.",
    arguments: args::SADD,
    ..CommandMeta::EMPTY
};

pub const SREM: CommandMeta = CommandMeta {
    name: "srem",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@set", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Removes members from a set; an emptied set is deleted.",
    complexity: "O(N), N being the number of members removed.",
    arguments: args::SREM,
    ..CommandMeta::EMPTY
};

pub const SISMEMBER: CommandMeta = CommandMeta {
    name: "sismember",
    arity: 3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@set", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Tells whether a value is a member of a set.",
    complexity: "O(1)",
    arguments: args::SISMEMBER,
    ..CommandMeta::EMPTY
};

pub const SMISMEMBER: CommandMeta = CommandMeta {
    name: "smismember",
    arity: -3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@set", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "set",
    since: "6.2.0",
    summary: "Tells for each of several values whether it is a member of a set.",
    complexity: "O(N), N being the number of values checked.",
    arguments: args::SMISMEMBER,
    ..CommandMeta::EMPTY
};

pub const SMEMBERS: CommandMeta = CommandMeta {
    name: "smembers",
    arity: 2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Lists every member of a set.",
    complexity: "O(N), N being the size of the set.",
    arguments: args::SMEMBERS,
    ..CommandMeta::EMPTY
};

pub const SCARD: CommandMeta = CommandMeta {
    name: "scard",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@set", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Counts the members of a set.",
    complexity: "O(1)",
    arguments: args::SCARD,
    ..CommandMeta::EMPTY
};

pub const SPOP: CommandMeta = CommandMeta {
    name: "spop",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@set", "@fast"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RW", "access", "delete"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Removes and returns random members of a set.",
    complexity: "O(1) for one member; O(N) for N members.",
    arguments: args::SPOP,
    ..CommandMeta::EMPTY
};

pub const SRANDMEMBER: CommandMeta = CommandMeta {
    name: "srandmember",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "set",
    since: "1.0.0",
    summary:
        "Picks random members of a set without removing them; a negative count allows repeats.",
    complexity: "O(1) for one member; O(N) for N members.",
    arguments: args::SRANDMEMBER,
    ..CommandMeta::EMPTY
};

pub const SMOVE: CommandMeta = CommandMeta {
    name: "smove",
    arity: 4,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@write", "@set", "@fast"],
    key_specs: &[
        KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
        KeySpec::range(&["RW", "insert"], 2, 0, 1),
    ],
    group: "set",
    since: "1.0.0",
    summary: "Moves a member from one set to another, atomically.",
    complexity: "O(1)",
    arguments: args::SMOVE,
    ..CommandMeta::EMPTY
};

pub const SINTER: CommandMeta = CommandMeta {
    name: "sinter",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, -1, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Gives the members common to every given set.",
    complexity: "O(N*M) at worst, N being the smallest set's size and M the number of sets.",
    arguments: args::SINTER,
    ..CommandMeta::EMPTY
};

pub const SINTERCARD: CommandMeta = CommandMeta {
    name: "sintercard",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    acl_categories: &["@read", "@set", "@slow"],
    key_specs: &[KeySpec {
        notes: "",
        flags: &["RO", "access"],
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Keynum {
            keynum_idx: 0,
            first_key: 1,
            key_step: 1,
        },
    }],
    group: "set",
    since: "7.0.0",
    summary: "Counts the members common to every given set, stopping early at an optional limit.",
    complexity: "O(N*M) at worst, N being the smallest set's size and M the number of sets.",
    arguments: args::SINTERCARD,
    ..CommandMeta::EMPTY
};

pub const SUNION: CommandMeta = CommandMeta {
    name: "sunion",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, -1, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Gives the members found in any of the given sets.",
    complexity: "O(N), N being the total size of the sets.",
    arguments: args::SUNION,
    ..CommandMeta::EMPTY
};

pub const SDIFF: CommandMeta = CommandMeta {
    name: "sdiff",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output_order"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, -1, 1)],
    group: "set",
    since: "1.0.0",
    summary: "Gives the members of the first set that no other given set holds.",
    complexity: "O(N), N being the total size of the sets.",
    arguments: args::SDIFF,
    ..CommandMeta::EMPTY
};

pub const SINTERSTORE: CommandMeta = CommandMeta {
    name: "sinterstore",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@write", "@set", "@slow"],
    key_specs: &[
        KeySpec::range(&["RW", "update"], 1, 0, 1),
        KeySpec::range(&["RO", "access"], 2, -1, 1),
    ],
    group: "set",
    since: "1.0.0",
    summary: "Stores the intersection of the given sets under a key.",
    complexity: "O(N*M) at worst, N being the smallest set's size and M the number of sets.",
    arguments: args::SINTERSTORE,
    ..CommandMeta::EMPTY
};

pub const SUNIONSTORE: CommandMeta = CommandMeta {
    name: "sunionstore",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@write", "@set", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 1, 0, 1),
        KeySpec::range(&["RO", "access"], 2, -1, 1),
    ],
    group: "set",
    since: "1.0.0",
    summary: "Stores the union of the given sets under a key.",
    complexity: "O(N), N being the total size of the sets.",
    arguments: args::SUNIONSTORE,
    ..CommandMeta::EMPTY
};

pub const SDIFFSTORE: CommandMeta = CommandMeta {
    name: "sdiffstore",
    arity: -3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: &["@write", "@set", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 1, 0, 1),
        KeySpec::range(&["RO", "access"], 2, -1, 1),
    ],
    group: "set",
    since: "1.0.0",
    summary: "Stores the difference of the first set and the others under a key.",
    complexity: "O(N), N being the total size of the sets.",
    arguments: args::SDIFFSTORE,
    ..CommandMeta::EMPTY
};

pub const SSCAN: CommandMeta = CommandMeta {
    name: "sscan",
    arity: -3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@set", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "set",
    since: "2.8.0",
    summary: "Walks the members of a set a batch at a time with a cursor.",
    complexity: "O(1) per call; O(N) to walk the whole set.",
    arguments: args::SSCAN,
    ..CommandMeta::EMPTY
};
