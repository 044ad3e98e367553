//! Metadata of the list commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::list as args;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

pub const LPUSH: CommandMeta = CommandMeta {
    name: "lpush",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Adds elements at the head of a list, creating it if needed.",
    complexity: "O(1) per element; O(N) for N elements.",
    arguments: args::LPUSH,
    ..CommandMeta::EMPTY
};

pub const RPUSH: CommandMeta = CommandMeta {
    name: "rpush",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Adds elements at the tail of a list, creating it if needed.",
    complexity: "O(1) per element; O(N) for N elements.",
    arguments: args::RPUSH,
    ..CommandMeta::EMPTY
};

pub const LPUSHX: CommandMeta = CommandMeta {
    name: "lpushx",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "list",
    since: "2.2.0",
    summary: "Adds elements at the head of a list only when the list exists.",
    complexity: "O(1) per element; O(N) for N elements.",
    arguments: args::LPUSHX,
    ..CommandMeta::EMPTY
};

pub const RPUSHX: CommandMeta = CommandMeta {
    name: "rpushx",
    arity: -3,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "list",
    since: "2.2.0",
    summary: "Adds elements at the tail of a list only when the list exists.",
    complexity: "O(1) per element; O(N) for N elements.",
    arguments: args::RPUSHX,
    ..CommandMeta::EMPTY
};

pub const LPOP: CommandMeta = CommandMeta {
    name: "lpop",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "delete"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Removes and returns elements from the head of a list.",
    complexity: "O(N), N being the number of elements removed.",
    arguments: args::LPOP,
    ..CommandMeta::EMPTY
};

pub const RPOP: CommandMeta = CommandMeta {
    name: "rpop",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "delete"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Removes and returns elements from the tail of a list.",
    complexity: "O(N), N being the number of elements removed.",
    arguments: args::RPOP,
    ..CommandMeta::EMPTY
};

pub const LLEN: CommandMeta = CommandMeta {
    name: "llen",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@list", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Gives the number of elements of a list.",
    complexity: "O(1)",
    arguments: args::LLEN,
    ..CommandMeta::EMPTY
};

pub const LRANGE: CommandMeta = CommandMeta {
name: "lrange",
arity: 4,
flags: &["readonly"],
first_key: 1,
last_key: 1,
step: 1,
acl_categories: &["@read", "@list", "@slow"],
key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
group: "list",
since: "1.0.0",
summary: "Gives the elements of a list between two indexes.",
complexity: "O(S+N), S being the distance of the start from the nearer end and N the number of elements returned.",
arguments: args::LRANGE,
..CommandMeta::EMPTY
};

pub const LINDEX: CommandMeta = CommandMeta {
    name: "lindex",
    arity: 3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@list", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Gives the element at an index of a list.",
    complexity: "O(N), N being the distance of the index from the nearer end.",
    arguments: args::LINDEX,
    ..CommandMeta::EMPTY
};

pub const LSET: CommandMeta = CommandMeta {
    name: "lset",
    arity: 4,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Replaces the element at an index of a list.",
    complexity: "O(N), N being the distance of the index from the nearer end.",
    arguments: args::LSET,
    ..CommandMeta::EMPTY
};

pub const LINSERT: CommandMeta = CommandMeta {
    name: "linsert",
    arity: 5,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "insert"], 1, 0, 1)],
    group: "list",
    since: "2.2.0",
    summary: "Inserts an element before or after the first occurrence of a pivot element.",
    complexity: "O(N), N being the number of elements walked to find the pivot.",
    arguments: args::LINSERT,
    ..CommandMeta::EMPTY
};

pub const LREM: CommandMeta = CommandMeta {
    name: "lrem",
    arity: 4,
    flags: &["write"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Removes occurrences of an element from a list.",
    complexity: "O(N+M), N being the length of the list and M the number removed.",
    arguments: args::LREM,
    ..CommandMeta::EMPTY
};

pub const LTRIM: CommandMeta = CommandMeta {
    name: "ltrim",
    arity: 4,
    flags: &["write"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "list",
    since: "1.0.0",
    summary: "Keeps only the elements of a list between two indexes.",
    complexity: "O(N), N being the number of elements removed.",
    arguments: args::LTRIM,
    ..CommandMeta::EMPTY
};

pub const LPOS: CommandMeta = CommandMeta {
    name: "lpos",
    arity: -3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@list", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "list",
    since: "6.0.6",
    summary: "Finds the positions of an element in a list.",
    complexity:
        "O(N) for a walk of the whole list; less with MAXLEN or a match near the end walked from.",
    arguments: args::LPOS,
    ..CommandMeta::EMPTY
};

pub const LMOVE: CommandMeta = CommandMeta {
    name: "lmove",
    arity: 5,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[
        KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
        KeySpec::range(&["RW", "insert"], 2, 0, 1),
    ],
    group: "list",
    since: "6.2.0",
    summary:
        "Pops an element from one end of a list and pushes it onto an end of another, atomically.",
    complexity: "O(1)",
    arguments: args::LMOVE,
    ..CommandMeta::EMPTY
};

pub const RPOPLPUSH: CommandMeta = CommandMeta {
    name: "rpoplpush",
    arity: 3,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[
        KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
        KeySpec::range(&["RW", "insert"], 2, 0, 1),
    ],
    group: "list",
    since: "1.2.0",
    summary: "Pops the tail of a list and pushes it at the head of another, atomically.",
    complexity: "O(1)",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "LMOVE with RIGHT LEFT",
    arguments: args::RPOPLPUSH,
    ..CommandMeta::EMPTY
};

pub const LMPOP: CommandMeta = CommandMeta {
    name: "lmpop",
    arity: -4,
    flags: &["write", "movablekeys"],
    acl_categories: &["@write", "@list", "@slow"],
    key_specs: &[KeySpec {
        notes: "",
        flags: &["RW", "access", "delete"],
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Keynum {
            keynum_idx: 0,
            first_key: 1,
            key_step: 1,
        },
    }],
    group: "list",
    since: "7.0.0",
    summary: "Pops elements from the first non-empty list among several keys.",
    complexity: "O(N+M), N being the number of keys and M the number of elements popped.",
    arguments: args::LMPOP,
    ..CommandMeta::EMPTY
};
