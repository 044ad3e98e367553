//! `COMMAND DOCS` argument trees of the string commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const GET: &[Arg] = &[Arg::key("key", 0)];

pub const SET: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("value", "string"),
    Arg::new("condition", "oneof")
        .since("2.6.12")
        .flags(&["optional"])
        .args(&[
            Arg::new("nx", "pure-token").token("NX"),
            Arg::new("xx", "pure-token").token("XX"),
        ]),
    Arg::new("get", "pure-token")
        .token("GET")
        .since("6.2.0")
        .flags(&["optional"]),
    Arg::new("expiration", "oneof").flags(&["optional"]).args(&[
        Arg::new("seconds", "integer").token("EX").since("2.6.12"),
        Arg::new("milliseconds", "integer")
            .token("PX")
            .since("2.6.12"),
        Arg::new("unix-time-seconds", "unix-time")
            .token("EXAT")
            .since("6.2.0"),
        Arg::new("unix-time-milliseconds", "unix-time")
            .token("PXAT")
            .since("6.2.0"),
        Arg::new("keepttl", "pure-token")
            .token("KEEPTTL")
            .since("6.0.0"),
    ]),
];

pub const SETNX: &[Arg] = &[Arg::key("key", 0), Arg::new("value", "string")];

pub const SETEX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("seconds", "integer"),
    Arg::new("value", "string"),
];

pub const PSETEX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("milliseconds", "integer"),
    Arg::new("value", "string"),
];

pub const MGET: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const MSET: &[Arg] = &[Arg::new("key_value", "block")
    .flags(&["multiple"])
    .args(&[Arg::key("key", 0), Arg::new("value", "string")])];

pub const MSETNX: &[Arg] = &[Arg::new("key_value", "block")
    .flags(&["multiple"])
    .args(&[Arg::key("key", 0), Arg::new("value", "string")])];

pub const GETSET: &[Arg] = &[Arg::key("key", 0), Arg::new("value", "string")];

pub const GETDEL: &[Arg] = &[Arg::key("key", 0)];

pub const GETEX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("expiration", "oneof").flags(&["optional"]).args(&[
        Arg::new("seconds", "integer").token("EX"),
        Arg::new("milliseconds", "integer").token("PX"),
        Arg::new("unix-time-seconds", "unix-time").token("EXAT"),
        Arg::new("unix-time-milliseconds", "unix-time").token("PXAT"),
        Arg::new("persist", "pure-token").token("PERSIST"),
    ]),
];

pub const APPEND: &[Arg] = &[Arg::key("key", 0), Arg::new("value", "string")];

pub const STRLEN: &[Arg] = &[Arg::key("key", 0)];

pub const INCR: &[Arg] = &[Arg::key("key", 0)];

pub const DECR: &[Arg] = &[Arg::key("key", 0)];

pub const INCRBY: &[Arg] = &[Arg::key("key", 0), Arg::new("increment", "integer")];

pub const DECRBY: &[Arg] = &[Arg::key("key", 0), Arg::new("decrement", "integer")];

pub const INCRBYFLOAT: &[Arg] = &[Arg::key("key", 0), Arg::new("increment", "double")];

pub const GETRANGE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "integer"),
    Arg::new("end", "integer"),
];

pub const SETRANGE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("offset", "integer"),
    Arg::new("value", "string"),
];

pub const SUBSTR: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "integer"),
    Arg::new("end", "integer"),
];

pub const LCS: &[Arg] = &[
    Arg::key("key1", 0),
    Arg::key("key2", 0),
    Arg::new("len", "pure-token")
        .token("LEN")
        .flags(&["optional"]),
    Arg::new("idx", "pure-token")
        .token("IDX")
        .flags(&["optional"]),
    Arg::new("len", "integer")
        .token("MINMATCHLEN")
        .flags(&["optional"]),
    Arg::new("withmatchlen", "pure-token")
        .token("WITHMATCHLEN")
        .flags(&["optional"]),
];
