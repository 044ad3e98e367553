//! Metadata of the sorted set commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO` (generated from the oracle's replies);
//! summaries, complexity notes and replacements are our own words.

use super::args::zset as args;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

pub const ZADD: CommandMeta = CommandMeta {
    name: "zadd",
    arity: -4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "update"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Adds members with scores to a sorted set, or changes the scores of existing members.",
    complexity: "O(log(N)) per member given, N being the size of the set.",
    arguments: args::ZADD,
    ..CommandMeta::EMPTY
};

pub const ZINCRBY: CommandMeta = CommandMeta {
    name: "zincrby",
    arity: 4,
    flags: &["write", "denyoom", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "update"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Adds an increment to a member's score in a sorted set.",
    complexity: "O(log(N)), N being the size of the set.",
    arguments: args::ZINCRBY,
    ..CommandMeta::EMPTY
};

pub const ZREM: CommandMeta = CommandMeta {
    name: "zrem",
    arity: -3,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Removes members from a sorted set; the key goes when the set empties.",
    complexity: "O(M*log(N)), M members removed from a set of N.",
    arguments: args::ZREM,
    ..CommandMeta::EMPTY
};

pub const ZCARD: CommandMeta = CommandMeta {
    name: "zcard",
    arity: 2,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Counts the members of a sorted set.",
    complexity: "O(1)",
    arguments: args::ZCARD,
    ..CommandMeta::EMPTY
};

pub const ZSCORE: CommandMeta = CommandMeta {
    name: "zscore",
    arity: 3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Reads one member's score.",
    complexity: "O(1)",
    arguments: args::ZSCORE,
    ..CommandMeta::EMPTY
};

pub const ZMSCORE: CommandMeta = CommandMeta {
    name: "zmscore",
    arity: -3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Reads the scores of several members.",
    complexity: "O(N), N members asked for.",
    arguments: args::ZMSCORE,
    ..CommandMeta::EMPTY
};

pub const ZRANK: CommandMeta = CommandMeta {
    name: "zrank",
    arity: -3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Gives a member's position in ascending score order.",
    complexity: "O(log(N))",
    arguments: args::ZRANK,
    ..CommandMeta::EMPTY
};

pub const ZREVRANK: CommandMeta = CommandMeta {
    name: "zrevrank",
    arity: -3,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Gives a member's position in descending score order.",
    complexity: "O(log(N))",
    arguments: args::ZREVRANK,
    ..CommandMeta::EMPTY
};

pub const ZCOUNT: CommandMeta = CommandMeta {
    name: "zcount",
    arity: 4,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Counts the members whose score lies in a range.",
    complexity: "O(log(N)), N being the size of the set.",
    arguments: args::ZCOUNT,
    ..CommandMeta::EMPTY
};

pub const ZLEXCOUNT: CommandMeta = CommandMeta {
    name: "zlexcount",
    arity: 4,
    flags: &["readonly", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.8.9",
    summary:
        "Counts the members within a lexicographic range (for sets whose scores are all equal).",
    complexity: "O(log(N)), N being the size of the set.",
    arguments: args::ZLEXCOUNT,
    ..CommandMeta::EMPTY
};

pub const ZRANGE: CommandMeta = CommandMeta {
    name: "zrange",
    arity: -4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary:
        "Lists members of a sorted set by position, score or lexicographic range, either direction.",
    complexity: "O(log(N)+M), M members returned from a set of N.",
    arguments: args::ZRANGE,
    ..CommandMeta::EMPTY
};

pub const ZRANGESTORE: CommandMeta = CommandMeta {
    name: "zrangestore",
    arity: -5,
    flags: &["write", "denyoom"],
    first_key: 1,
    last_key: 2,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 1, 0, 1),
        KeySpec::range(&["RO", "access"], 2, 0, 1),
    ],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Copies a range of a sorted set (by position, score or member) into another key.",
    complexity: "O(log(N)+M), M members stored from a set of N.",
    arguments: args::ZRANGESTORE,
    ..CommandMeta::EMPTY
};

pub const ZRANGEBYSCORE: CommandMeta = CommandMeta {
    name: "zrangebyscore",
    arity: -4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.0.5",
    summary: "Lists members whose score lies in a range, lowest first.",
    complexity: "O(log(N)+M), M members returned from a set of N.",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "ZRANGE with its BYSCORE option",
    arguments: args::ZRANGEBYSCORE,
    ..CommandMeta::EMPTY
};

pub const ZREVRANGEBYSCORE: CommandMeta = CommandMeta {
    name: "zrevrangebyscore",
    arity: -4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.2.0",
    summary: "Lists members whose score lies in a range, highest first.",
    complexity: "O(log(N)+M), M members returned from a set of N.",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "ZRANGE with its BYSCORE and REV options",
    arguments: args::ZREVRANGEBYSCORE,
    ..CommandMeta::EMPTY
};

pub const ZRANGEBYLEX: CommandMeta = CommandMeta {
    name: "zrangebylex",
    arity: -4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Lists members within a lexicographic range, in ascending order.",
    complexity: "O(log(N)+M), M members returned from a set of N.",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "ZRANGE with its BYLEX option",
    arguments: args::ZRANGEBYLEX,
    ..CommandMeta::EMPTY
};

pub const ZREVRANGEBYLEX: CommandMeta = CommandMeta {
    name: "zrevrangebylex",
    arity: -4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Lists members within a lexicographic range, in descending order.",
    complexity: "O(log(N)+M), M members returned from a set of N.",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "ZRANGE with its BYLEX and REV options",
    arguments: args::ZREVRANGEBYLEX,
    ..CommandMeta::EMPTY
};

pub const ZREVRANGE: CommandMeta = CommandMeta {
    name: "zrevrange",
    arity: -4,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Lists members by position counted from the highest score.",
    complexity: "O(log(N)+M), M members returned from a set of N.",
    doc_flags: &["deprecated"],
    deprecated_since: "6.2.0",
    replaced_by: "ZRANGE with its REV option",
    arguments: args::ZREVRANGE,
    ..CommandMeta::EMPTY
};

pub const ZREMRANGEBYRANK: CommandMeta = CommandMeta {
    name: "zremrangebyrank",
    arity: 4,
    flags: &["write"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Removes the members at a range of positions.",
    complexity: "O(log(N)+M), M members removed from a set of N.",
    arguments: args::ZREMRANGEBYRANK,
    ..CommandMeta::EMPTY
};

pub const ZREMRANGEBYSCORE: CommandMeta = CommandMeta {
    name: "zremrangebyscore",
    arity: 4,
    flags: &["write"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Removes the members whose score lies in a range.",
    complexity: "O(log(N)+M), M members removed from a set of N.",
    arguments: args::ZREMRANGEBYSCORE,
    ..CommandMeta::EMPTY
};

pub const ZREMRANGEBYLEX: CommandMeta = CommandMeta {
    name: "zremrangebylex",
    arity: 4,
    flags: &["write"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[KeySpec::range(&["RW", "delete"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Removes the members within a lexicographic range.",
    complexity: "O(log(N)+M), M members removed from a set of N.",
    arguments: args::ZREMRANGEBYLEX,
    ..CommandMeta::EMPTY
};

pub const ZPOPMIN: CommandMeta = CommandMeta {
    name: "zpopmin",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "delete"], 1, 0, 1)],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Takes the lowest-scored members out of a sorted set and returns them.",
    complexity: "O(log(N)*M), M members popped from a set of N.",
    arguments: args::ZPOPMIN,
    ..CommandMeta::EMPTY
};

pub const ZPOPMAX: CommandMeta = CommandMeta {
    name: "zpopmax",
    arity: -2,
    flags: &["write", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@fast"],
    key_specs: &[KeySpec::range(&["RW", "access", "delete"], 1, 0, 1)],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Takes the highest-scored members out of a sorted set and returns them.",
    complexity: "O(log(N)*M), M members popped from a set of N.",
    arguments: args::ZPOPMAX,
    ..CommandMeta::EMPTY
};

pub const ZMPOP: CommandMeta = CommandMeta {
    name: "zmpop",
    arity: -4,
    flags: &["write", "movablekeys"],
    first_key: 0,
    last_key: 0,
    step: 0,
    acl_categories: &["@write", "@sortedset", "@slow"],
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
    group: "sorted-set",
    since: "7.0.0",
    summary:
        "Pops the lowest or highest members from the first non-empty sorted set of several keys.",
    complexity: "O(K)+O(M*log(N)): K keys tried, M members popped from a set of N.",
    arguments: args::ZMPOP,
    ..CommandMeta::EMPTY
};

pub const ZRANDMEMBER: CommandMeta = CommandMeta {
    name: "zrandmember",
    arity: -2,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Picks random members of a sorted set, distinct or with repeats.",
    complexity: "O(N), N members returned.",
    arguments: args::ZRANDMEMBER,
    ..CommandMeta::EMPTY
};

pub const ZSCAN: CommandMeta = CommandMeta {
    name: "zscan",
    arity: -3,
    flags: &["readonly"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@read", "@sortedset", "@slow"],
    tips: &["nondeterministic_output"],
    key_specs: &[KeySpec::range(&["RO", "access"], 1, 0, 1)],
    group: "sorted-set",
    since: "2.8.0",
    summary: "Walks the members and scores of a sorted set with a cursor.",
    complexity: "O(1) per call; O(N) for a whole walk.",
    arguments: args::ZSCAN,
    ..CommandMeta::EMPTY
};

pub const ZUNION: CommandMeta = CommandMeta {
    name: "zunion",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    first_key: 0,
    last_key: 0,
    step: 0,
    acl_categories: &["@read", "@sortedset", "@slow"],
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
    group: "sorted-set",
    since: "6.2.0",
    summary: "Returns the union of sorted sets, combining scores.",
    complexity: "O(N)+O(M*log(M)): N input members, M result members.",
    arguments: args::ZUNION,
    ..CommandMeta::EMPTY
};

pub const ZINTER: CommandMeta = CommandMeta {
    name: "zinter",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    first_key: 0,
    last_key: 0,
    step: 0,
    acl_categories: &["@read", "@sortedset", "@slow"],
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
    group: "sorted-set",
    since: "6.2.0",
    summary: "Returns the intersection of sorted sets, combining scores.",
    complexity: "O(N*K)+O(M*log(M)): smallest input N, K inputs, M result members.",
    arguments: args::ZINTER,
    ..CommandMeta::EMPTY
};

pub const ZDIFF: CommandMeta = CommandMeta {
    name: "zdiff",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    first_key: 0,
    last_key: 0,
    step: 0,
    acl_categories: &["@read", "@sortedset", "@slow"],
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
    group: "sorted-set",
    since: "6.2.0",
    summary: "Returns the members of the first sorted set that are in none of the others.",
    complexity: "O(L+(N-K)log(N)) in the worst case, L input members, N result size.",
    arguments: args::ZDIFF,
    ..CommandMeta::EMPTY
};

pub const ZINTERCARD: CommandMeta = CommandMeta {
    name: "zintercard",
    arity: -3,
    flags: &["readonly", "movablekeys"],
    first_key: 0,
    last_key: 0,
    step: 0,
    acl_categories: &["@read", "@sortedset", "@slow"],
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
    group: "sorted-set",
    since: "7.0.0",
    summary: "Counts the members common to several sorted sets, optionally stopping at a limit.",
    complexity: "O(N*K) in the worst case: smallest input N, K inputs.",
    arguments: args::ZINTERCARD,
    ..CommandMeta::EMPTY
};

pub const ZUNIONSTORE: CommandMeta = CommandMeta {
    name: "zunionstore",
    arity: -4,
    flags: &["write", "denyoom", "movablekeys"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 1, 0, 1),
        KeySpec {
            notes: "",
            flags: &["RO", "access"],
            begin_search: BeginSearch::Index(2),
            find_keys: FindKeys::Keynum {
                keynum_idx: 0,
                first_key: 1,
                key_step: 1,
            },
        },
    ],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Stores the union of sorted sets in a key.",
    complexity: "O(N)+O(M*log(M)): N input members, M result members.",
    arguments: args::ZUNIONSTORE,
    ..CommandMeta::EMPTY
};

pub const ZINTERSTORE: CommandMeta = CommandMeta {
    name: "zinterstore",
    arity: -4,
    flags: &["write", "denyoom", "movablekeys"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 1, 0, 1),
        KeySpec {
            notes: "",
            flags: &["RO", "access"],
            begin_search: BeginSearch::Index(2),
            find_keys: FindKeys::Keynum {
                keynum_idx: 0,
                first_key: 1,
                key_step: 1,
            },
        },
    ],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Stores the intersection of sorted sets in a key.",
    complexity: "O(N*K)+O(M*log(M)): smallest input N, K inputs, M result members.",
    arguments: args::ZINTERSTORE,
    ..CommandMeta::EMPTY
};

pub const ZDIFFSTORE: CommandMeta = CommandMeta {
    name: "zdiffstore",
    arity: -4,
    flags: &["write", "denyoom", "movablekeys"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: &["@write", "@sortedset", "@slow"],
    key_specs: &[
        KeySpec::range(&["OW", "update"], 1, 0, 1),
        KeySpec {
            notes: "",
            flags: &["RO", "access"],
            begin_search: BeginSearch::Index(2),
            find_keys: FindKeys::Keynum {
                keynum_idx: 0,
                first_key: 1,
                key_step: 1,
            },
        },
    ],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Stores in a key the members of the first sorted set that are in none of the others.",
    complexity: "O(L+(N-K)log(N)) in the worst case, L input members, N result size.",
    arguments: args::ZDIFFSTORE,
    ..CommandMeta::EMPTY
};
