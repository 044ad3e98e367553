//! `COMMAND DOCS` argument trees of the sorted set commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const ZADD: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("condition", "oneof")
        .since("3.0.2")
        .flags(&["optional"])
        .args(&[
            Arg::new("nx", "pure-token").token("NX"),
            Arg::new("xx", "pure-token").token("XX"),
        ]),
    Arg::new("comparison", "oneof")
        .since("6.2.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("gt", "pure-token").token("GT"),
            Arg::new("lt", "pure-token").token("LT"),
        ]),
    Arg::new("change", "pure-token")
        .token("CH")
        .since("3.0.2")
        .flags(&["optional"]),
    Arg::new("increment", "pure-token")
        .token("INCR")
        .since("3.0.2")
        .flags(&["optional"]),
    Arg::new("score_member", "block")
        .flags(&["multiple"])
        .args(&[Arg::new("score", "double"), Arg::new("member", "string")]),
];

pub const ZINCRBY: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("increment", "integer"),
    Arg::new("member", "string"),
];

pub const ZREM: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string").flags(&["multiple"]),
];

pub const ZCARD: &[Arg] = &[Arg::key("key", 0)];

pub const ZSCORE: &[Arg] = &[Arg::key("key", 0), Arg::new("member", "string")];

pub const ZMSCORE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string").flags(&["multiple"]),
];

pub const ZRANK: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string"),
    Arg::new("withscore", "pure-token")
        .token("WITHSCORE")
        .flags(&["optional"]),
];

pub const ZREVRANK: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("member", "string"),
    Arg::new("withscore", "pure-token")
        .token("WITHSCORE")
        .flags(&["optional"]),
];

pub const ZCOUNT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("min", "double"),
    Arg::new("max", "double"),
];

pub const ZLEXCOUNT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("min", "string"),
    Arg::new("max", "string"),
];

pub const ZRANGE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "string"),
    Arg::new("stop", "string"),
    Arg::new("sortby", "oneof")
        .since("6.2.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("byscore", "pure-token").token("BYSCORE"),
            Arg::new("bylex", "pure-token").token("BYLEX"),
        ]),
    Arg::new("rev", "pure-token")
        .token("REV")
        .since("6.2.0")
        .flags(&["optional"]),
    Arg::new("offset_count", "block")
        .token("LIMIT")
        .since("6.2.0")
        .flags(&["optional"])
        .args(&[Arg::new("offset", "integer"), Arg::new("count", "integer")]),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .flags(&["optional"]),
];

pub const ZRANGESTORE: &[Arg] = &[
    Arg::key("dst", 0),
    Arg::key("src", 1),
    Arg::new("min", "string"),
    Arg::new("max", "string"),
    Arg::new("sortby", "oneof").flags(&["optional"]).args(&[
        Arg::new("byscore", "pure-token").token("BYSCORE"),
        Arg::new("bylex", "pure-token").token("BYLEX"),
    ]),
    Arg::new("rev", "pure-token")
        .token("REV")
        .flags(&["optional"]),
    Arg::new("offset_count", "block")
        .token("LIMIT")
        .flags(&["optional"])
        .args(&[Arg::new("offset", "integer"), Arg::new("count", "integer")]),
];

pub const ZRANGEBYSCORE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("min", "double"),
    Arg::new("max", "double"),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .since("2.0.0")
        .flags(&["optional"]),
    Arg::new("offset_count", "block")
        .token("LIMIT")
        .flags(&["optional"])
        .args(&[Arg::new("offset", "integer"), Arg::new("count", "integer")]),
];

pub const ZREVRANGEBYSCORE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("max", "double"),
    Arg::new("min", "double"),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .flags(&["optional"]),
    Arg::new("offset_count", "block")
        .token("LIMIT")
        .flags(&["optional"])
        .args(&[Arg::new("offset", "integer"), Arg::new("count", "integer")]),
];

pub const ZRANGEBYLEX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("min", "string"),
    Arg::new("max", "string"),
    Arg::new("offset_count", "block")
        .token("LIMIT")
        .flags(&["optional"])
        .args(&[Arg::new("offset", "integer"), Arg::new("count", "integer")]),
];

pub const ZREVRANGEBYLEX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("max", "string"),
    Arg::new("min", "string"),
    Arg::new("offset_count", "block")
        .token("LIMIT")
        .flags(&["optional"])
        .args(&[Arg::new("offset", "integer"), Arg::new("count", "integer")]),
];

pub const ZREVRANGE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "integer"),
    Arg::new("stop", "integer"),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .flags(&["optional"]),
];

pub const ZREMRANGEBYRANK: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("start", "integer"),
    Arg::new("stop", "integer"),
];

pub const ZREMRANGEBYSCORE: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("min", "double"),
    Arg::new("max", "double"),
];

pub const ZREMRANGEBYLEX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("min", "string"),
    Arg::new("max", "string"),
];

pub const ZPOPMIN: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer").flags(&["optional"]),
];

pub const ZPOPMAX: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("count", "integer").flags(&["optional"]),
];

pub const ZMPOP: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("where", "oneof").args(&[
        Arg::new("min", "pure-token").token("MIN"),
        Arg::new("max", "pure-token").token("MAX"),
    ]),
    Arg::new("count", "integer")
        .token("COUNT")
        .flags(&["optional"]),
];

pub const ZRANDMEMBER: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("options", "block").flags(&["optional"]).args(&[
        Arg::new("count", "integer"),
        Arg::new("withscores", "pure-token")
            .token("WITHSCORES")
            .flags(&["optional"]),
    ]),
];

pub const ZSCAN: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("cursor", "integer"),
    Arg::new("pattern", "pattern")
        .token("MATCH")
        .flags(&["optional"]),
    Arg::new("count", "integer")
        .token("COUNT")
        .flags(&["optional"]),
];

pub const ZUNION: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("weight", "integer")
        .token("WEIGHTS")
        .flags(&["optional", "multiple"]),
    Arg::new("aggregate", "oneof")
        .token("AGGREGATE")
        .flags(&["optional"])
        .args(&[
            Arg::new("sum", "pure-token").token("SUM"),
            Arg::new("min", "pure-token").token("MIN"),
            Arg::new("max", "pure-token").token("MAX"),
        ]),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .flags(&["optional"]),
];

pub const ZINTER: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("weight", "integer")
        .token("WEIGHTS")
        .flags(&["optional", "multiple"]),
    Arg::new("aggregate", "oneof")
        .token("AGGREGATE")
        .flags(&["optional"])
        .args(&[
            Arg::new("sum", "pure-token").token("SUM"),
            Arg::new("min", "pure-token").token("MIN"),
            Arg::new("max", "pure-token").token("MAX"),
        ]),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .flags(&["optional"]),
];

pub const ZDIFF: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("withscores", "pure-token")
        .token("WITHSCORES")
        .flags(&["optional"]),
];

pub const ZINTERCARD: &[Arg] = &[
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["multiple"]),
    Arg::new("limit", "integer")
        .token("LIMIT")
        .flags(&["optional"]),
];

pub const ZUNIONSTORE: &[Arg] = &[
    Arg::key("destination", 0),
    Arg::new("numkeys", "integer"),
    Arg::key("key", 1).flags(&["multiple"]),
    Arg::new("weight", "integer")
        .token("WEIGHTS")
        .flags(&["optional", "multiple"]),
    Arg::new("aggregate", "oneof")
        .token("AGGREGATE")
        .flags(&["optional"])
        .args(&[
            Arg::new("sum", "pure-token").token("SUM"),
            Arg::new("min", "pure-token").token("MIN"),
            Arg::new("max", "pure-token").token("MAX"),
        ]),
];

pub const ZINTERSTORE: &[Arg] = &[
    Arg::key("destination", 0),
    Arg::new("numkeys", "integer"),
    Arg::key("key", 1).flags(&["multiple"]),
    Arg::new("weight", "integer")
        .token("WEIGHTS")
        .flags(&["optional", "multiple"]),
    Arg::new("aggregate", "oneof")
        .token("AGGREGATE")
        .flags(&["optional"])
        .args(&[
            Arg::new("sum", "pure-token").token("SUM"),
            Arg::new("min", "pure-token").token("MIN"),
            Arg::new("max", "pure-token").token("MAX"),
        ]),
];

pub const ZDIFFSTORE: &[Arg] = &[
    Arg::key("destination", 0),
    Arg::new("numkeys", "integer"),
    Arg::key("key", 1).flags(&["multiple"]),
];
