//! `COMMAND DOCS` argument trees of the list commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const LPUSH: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("element", "string").flags(&["multiple"]),
];

pub const RPUSH: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("element", "string").flags(&["multiple"]),
];

pub const LPUSHX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("element", "string").flags(&["multiple"]),
];

pub const RPUSHX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("element", "string").flags(&["multiple"]),
];

pub const LPOP: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer")
        .since("6.2.0")
        .flags(&["optional"]),
];

pub const RPOP: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer")
        .since("6.2.0")
        .flags(&["optional"]),
];

pub const LLEN: &[Arg] = &[Arg::key("key", 0)];

pub const LRANGE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "integer"),
    Arg::new("stop", "integer"),
];

pub const LINDEX: &[Arg] = &[Arg::key("key", 0), Arg::new("index", "integer")];

pub const LSET: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("index", "integer"),
    Arg::new("element", "string"),
];

pub const LINSERT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("where", "oneof").args(&[
        Arg::new("before", "pure-token").token("BEFORE"),
        Arg::new("after", "pure-token").token("AFTER"),
    ]),
    Arg::new("pivot", "string"),
    Arg::new("element", "string"),
];

pub const LREM: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer"),
    Arg::new("element", "string"),
];

pub const LTRIM: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "integer"),
    Arg::new("stop", "integer"),
];

pub const LPOS: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("element", "string"),
    Arg::new("rank", "integer")
        .token("RANK")
        .flags(&["optional"]),
    Arg::new("num-matches", "integer")
        .token("COUNT")
        .flags(&["optional"]),
    Arg::new("len", "integer")
        .token("MAXLEN")
        .flags(&["optional"]),
];

pub const LMOVE: &[Arg] = &[
    Arg::key("source", 0),
    Arg::key("destination", 1),
    Arg::new("wherefrom", "oneof").args(&[
        Arg::new("left", "pure-token").token("LEFT"),
        Arg::new("right", "pure-token").token("RIGHT"),
    ]),
    Arg::new("whereto", "oneof").args(&[
        Arg::new("left", "pure-token").token("LEFT"),
        Arg::new("right", "pure-token").token("RIGHT"),
    ]),
];

pub const RPOPLPUSH: &[Arg] = &[Arg::key("source", 0), Arg::key("destination", 1)];

pub const LMPOP: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("where", "oneof").args(&[
        Arg::new("left", "pure-token").token("LEFT"),
        Arg::new("right", "pure-token").token("RIGHT"),
    ]),
    Arg::new("count", "integer")
        .token("COUNT")
        .flags(&["optional"]),
];
