//! `COMMAND DOCS` argument trees of the hash commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const HSET: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field_value", "block")
        .flags(&["multiple"])
        .args(&[Arg::new("field", "string"), Arg::new("value", "string")]),
];

pub const HSETNX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field", "string"),
    Arg::new("value", "string"),
];

pub const HGET: &[Arg] = &[Arg::key("key", 0), Arg::new("field", "string")];

pub const HMGET: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field", "string").flags(&["multiple"]),
];

pub const HMSET: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field_value", "block")
        .flags(&["multiple"])
        .args(&[Arg::new("field", "string"), Arg::new("value", "string")]),
];

pub const HDEL: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field", "string").flags(&["multiple"]),
];

pub const HEXISTS: &[Arg] = &[Arg::key("key", 0), Arg::new("field", "string")];

pub const HLEN: &[Arg] = &[Arg::key("key", 0)];

pub const HSTRLEN: &[Arg] = &[Arg::key("key", 0), Arg::new("field", "string")];

pub const HKEYS: &[Arg] = &[Arg::key("key", 0)];

pub const HVALS: &[Arg] = &[Arg::key("key", 0)];

pub const HGETALL: &[Arg] = &[Arg::key("key", 0)];

pub const HINCRBY: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field", "string"),
    Arg::new("increment", "integer"),
];

pub const HINCRBYFLOAT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("field", "string"),
    Arg::new("increment", "double"),
];

pub const HRANDFIELD: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("options", "block").flags(&["optional"]).args(&[
        Arg::new("count", "integer"),
        Arg::new("withvalues", "pure-token")
            .token("WITHVALUES")
            .flags(&["optional"]),
    ]),
];

pub const HSCAN: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("cursor", "integer"),
    Arg::new("pattern", "pattern")
        .token("MATCH")
        .flags(&["optional"]),
    Arg::new("count", "integer")
        .token("COUNT")
        .flags(&["optional"]),
];
