//! Metadata of the blocking pops: BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN,
//! BZPOPMAX, BZMPOP.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories and key specs
//! match redis-server 7.0.15's `COMMAND INFO`; summaries, complexity notes and the
//! replacement note are our own.

use super::args::Arg;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

const POP_SPEC: &[KeySpec] = &[KeySpec::range(&["RW", "access", "delete"], 1, -2, 1)];
const MOVE_SPECS: &[KeySpec] = &[
    KeySpec::range(&["RW", "access", "delete"], 1, 0, 1),
    KeySpec::range(&["RW", "insert"], 2, 0, 1),
];
const MPOP_SPEC: &[KeySpec] = &[KeySpec {
    notes: "",
    flags: &["RW", "access", "delete"],
    begin_search: BeginSearch::Index(2),
    find_keys: FindKeys::Keynum {
        keynum_idx: 0,
        first_key: 1,
        key_step: 1,
    },
}];

const KEYS_TIMEOUT: &[Arg] = &[
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("timeout", "double"),
];
const LEFT_RIGHT: &[Arg] = &[
    Arg::new("left", "pure-token").token("LEFT"),
    Arg::new("right", "pure-token").token("RIGHT"),
];
const MIN_MAX: &[Arg] = &[
    Arg::new("min", "pure-token").token("MIN"),
    Arg::new("max", "pure-token").token("MAX"),
];

pub const BLPOP: CommandMeta = CommandMeta {
    name: "blpop",
    arity: -3,
    flags: &["write", "noscript", "blocking"],
    first_key: 1,
    last_key: -2,
    step: 1,
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: POP_SPEC,
    group: "list",
    since: "2.0.0",
    summary: "Pops the head of the first non-empty list, waiting for one when all are empty.",
    complexity: "O(N) for N keys.",
    arguments: KEYS_TIMEOUT,
    ..CommandMeta::EMPTY
};

pub const BRPOP: CommandMeta = CommandMeta {
    name: "brpop",
    summary: "Pops the tail of the first non-empty list, waiting for one when all are empty.",
    ..BLPOP
};

pub const BRPOPLPUSH: CommandMeta = CommandMeta {
    name: "brpoplpush",
    arity: 4,
    flags: &["write", "denyoom", "noscript", "blocking"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: MOVE_SPECS,
    group: "list",
    since: "2.2.0",
    summary: "Moves the tail of a list to the head of another, waiting while the source is empty.",
    complexity: "O(1)",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "BLMOVE with RIGHT LEFT",
    arguments: &[
        Arg::key("source", 0),
        Arg::key("destination", 1),
        Arg::new("timeout", "double"),
    ],
    ..CommandMeta::EMPTY
};

pub const BLMOVE: CommandMeta = CommandMeta {
    name: "blmove",
    arity: 6,
    since: "6.2.0",
    summary: "Moves an element between ends of two lists, waiting while the source is empty.",
    doc_flags: &[],
    deprecated_since: "",
    replaced_by: "",
    arguments: &[
        Arg::key("source", 0),
        Arg::key("destination", 1),
        Arg::new("wherefrom", "oneof").args(LEFT_RIGHT),
        Arg::new("whereto", "oneof").args(LEFT_RIGHT),
        Arg::new("timeout", "double"),
    ],
    ..BRPOPLPUSH
};

pub const BLMPOP: CommandMeta = CommandMeta {
    name: "blmpop",
    arity: -5,
    flags: &["write", "blocking", "movablekeys"],
    acl_categories: &["@write", "@list", "@slow", "@blocking"],
    key_specs: MPOP_SPEC,
    group: "list",
    since: "7.0.0",
    summary: "Pops elements from the first non-empty list of several, waiting when all are empty.",
    complexity: "O(N+M): N keys tried, M elements popped.",
    arguments: &[
        Arg::new("timeout", "double"),
        Arg::new("numkeys", "integer"),
        Arg::key("key", 0).flags(&["multiple"]),
        Arg::new("where", "oneof").args(LEFT_RIGHT),
        Arg::new("count", "integer")
            .token("COUNT")
            .flags(&["optional"]),
    ],
    ..CommandMeta::EMPTY
};

pub const BZPOPMIN: CommandMeta = CommandMeta {
    name: "bzpopmin",
    arity: -3,
    flags: &["write", "noscript", "blocking", "fast"],
    first_key: 1,
    last_key: -2,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@fast", "@blocking"],
    key_specs: POP_SPEC,
    group: "sorted-set",
    since: "5.0.0",
    summary: "Pops the lowest-scored member of the first non-empty sorted set, waiting for one.",
    complexity: "O(log(N)) for a set of N members.",
    arguments: KEYS_TIMEOUT,
    ..CommandMeta::EMPTY
};

pub const BZPOPMAX: CommandMeta = CommandMeta {
    name: "bzpopmax",
    summary: "Pops the highest-scored member of the first non-empty sorted set, waiting for one.",
    ..BZPOPMIN
};

pub const BZMPOP: CommandMeta = CommandMeta {
    name: "bzmpop",
    arity: -5,
    flags: &["write", "blocking", "movablekeys"],
    acl_categories: &["@write", "@sortedset", "@slow", "@blocking"],
    key_specs: MPOP_SPEC,
    group: "sorted-set",
    since: "7.0.0",
    summary:
        "Pops the lowest or highest members of the first non-empty sorted set, waiting for one.",
    complexity: "O(K)+O(M*log(N)): K keys tried, M members popped from a set of N.",
    arguments: &[
        Arg::new("timeout", "double"),
        Arg::new("numkeys", "integer"),
        Arg::key("key", 0).flags(&["multiple"]),
        Arg::new("where", "oneof").args(MIN_MAX),
        Arg::new("count", "integer")
            .token("COUNT")
            .flags(&["optional"]),
    ],
    ..CommandMeta::EMPTY
};

/// Position of the command named `lower` among this file's entries, in table order.
pub fn index_of(lower: &[u8]) -> Option<usize> {
    Some(match lower {
        b"blpop" => 0,
        b"brpop" => 1,
        b"brpoplpush" => 2,
        b"blmove" => 3,
        b"blmpop" => 4,
        b"bzpopmin" => 5,
        b"bzpopmax" => 6,
        b"bzmpop" => 7,
        _ => return None,
    })
}
