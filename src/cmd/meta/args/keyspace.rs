//! `COMMAND DOCS` argument trees of the key space commands (Redis's `generic` group), OBJECT included.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const DEL: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const UNLINK: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const EXISTS: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const TYPE: &[Arg] = &[Arg::key("key", 0)];

pub const EXPIRE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("seconds", "integer"),
    Arg::new("condition", "oneof")
        .since("7.0.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("nx", "pure-token").token("NX"),
            Arg::new("xx", "pure-token").token("XX"),
            Arg::new("gt", "pure-token").token("GT"),
            Arg::new("lt", "pure-token").token("LT"),
        ]),
];

pub const PEXPIRE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("milliseconds", "integer"),
    Arg::new("condition", "oneof")
        .since("7.0.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("nx", "pure-token").token("NX"),
            Arg::new("xx", "pure-token").token("XX"),
            Arg::new("gt", "pure-token").token("GT"),
            Arg::new("lt", "pure-token").token("LT"),
        ]),
];

pub const EXPIREAT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("unix-time-seconds", "unix-time"),
    Arg::new("condition", "oneof")
        .since("7.0.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("nx", "pure-token").token("NX"),
            Arg::new("xx", "pure-token").token("XX"),
            Arg::new("gt", "pure-token").token("GT"),
            Arg::new("lt", "pure-token").token("LT"),
        ]),
];

pub const PEXPIREAT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("unix-time-milliseconds", "unix-time"),
    Arg::new("condition", "oneof")
        .since("7.0.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("nx", "pure-token").token("NX"),
            Arg::new("xx", "pure-token").token("XX"),
            Arg::new("gt", "pure-token").token("GT"),
            Arg::new("lt", "pure-token").token("LT"),
        ]),
];

pub const TTL: &[Arg] = &[Arg::key("key", 0)];

pub const PTTL: &[Arg] = &[Arg::key("key", 0)];

pub const EXPIRETIME: &[Arg] = &[Arg::key("key", 0)];

pub const PEXPIRETIME: &[Arg] = &[Arg::key("key", 0)];

pub const PERSIST: &[Arg] = &[Arg::key("key", 0)];

pub const KEYS: &[Arg] = &[Arg::new("pattern", "pattern")];

pub const SCAN: &[Arg] = &[
    Arg::new("cursor", "integer"),
    Arg::new("pattern", "pattern")
        .token("MATCH")
        .flags(&["optional"]),
    Arg::new("count", "integer")
        .token("COUNT")
        .flags(&["optional"]),
    Arg::new("type", "string")
        .token("TYPE")
        .since("6.0.0")
        .flags(&["optional"]),
];

pub const RENAME: &[Arg] = &[Arg::key("key", 0), Arg::key("newkey", 1)];

pub const RENAMENX: &[Arg] = &[Arg::key("key", 0), Arg::key("newkey", 1)];

pub const COPY: &[Arg] = &[
    Arg::key("source", 0),
    Arg::key("destination", 1),
    Arg::new("destination-db", "integer")
        .token("DB")
        .flags(&["optional"]),
    Arg::new("replace", "pure-token")
        .token("REPLACE")
        .flags(&["optional"]),
];

pub const TOUCH: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const OBJECT_ENCODING: &[Arg] = &[Arg::key("key", 0)];

pub const OBJECT_FREQ: &[Arg] = &[Arg::key("key", 0)];

pub const OBJECT_IDLETIME: &[Arg] = &[Arg::key("key", 0)];

pub const OBJECT_REFCOUNT: &[Arg] = &[Arg::key("key", 0)];
