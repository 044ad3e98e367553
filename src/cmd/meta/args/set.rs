//! `COMMAND DOCS` argument trees of the set commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const SADD: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string").flags(&["multiple"]),
];

pub const SREM: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string").flags(&["multiple"]),
];

pub const SISMEMBER: &[Arg] = &[Arg::key("key", 0), Arg::new("member", "string")];

pub const SMISMEMBER: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string").flags(&["multiple"]),
];

pub const SMEMBERS: &[Arg] = &[Arg::key("key", 0)];

pub const SCARD: &[Arg] = &[Arg::key("key", 0)];

pub const SPOP: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer")
        .since("3.2.0")
        .flags(&["optional"]),
];

pub const SRANDMEMBER: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer")
        .since("2.6.0")
        .flags(&["optional"]),
];

pub const SMOVE: &[Arg] = &[
    Arg::key("source", 0),
    Arg::key("destination", 1),
    Arg::new("member", "string"),
];

pub const SINTER: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const SINTERCARD: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("limit", "integer")
        .token("LIMIT")
        .flags(&["optional"]),
];

pub const SUNION: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const SDIFF: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const SINTERSTORE: &[Arg] = &[
    Arg::key("destination", 0),
    Arg::key("key", 1).flags(&["multiple"]),
];

pub const SUNIONSTORE: &[Arg] = &[
    Arg::key("destination", 0),
    Arg::key("key", 1).flags(&["multiple"]),
];

pub const SDIFFSTORE: &[Arg] = &[
    Arg::key("destination", 0),
    Arg::key("key", 1).flags(&["multiple"]),
];

pub const SSCAN: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("cursor", "integer"),
    Arg::new("pattern", "pattern")
        .token("MATCH")
        .flags(&["optional"]),
    Arg::new("count", "integer")
        .token("COUNT")
        .flags(&["optional"]),
];
