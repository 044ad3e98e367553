//! `COMMAND DOCS` argument trees of the bitmap commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const SETBIT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("offset", "integer"),
    Arg::new("value", "integer"),
];

pub const GETBIT: &[Arg] = &[Arg::key("key", 0), Arg::new("offset", "integer")];

pub const BITCOUNT: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("index", "block").flags(&["optional"]).args(&[
        Arg::new("start", "integer"),
        Arg::new("end", "integer"),
        Arg::new("index_unit", "oneof")
            .since("7.0.0")
            .flags(&["optional"])
            .args(&[
                Arg::new("byte", "pure-token").token("BYTE"),
                Arg::new("bit", "pure-token").token("BIT"),
            ]),
    ]),
];

pub const BITPOS: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("bit", "integer"),
    Arg::new("index", "block").flags(&["optional"]).args(&[
        Arg::new("start", "integer"),
        Arg::new("end_index", "block").flags(&["optional"]).args(&[
            Arg::new("end", "integer"),
            Arg::new("index_unit", "oneof")
                .since("7.0.0")
                .flags(&["optional"])
                .args(&[
                    Arg::new("byte", "pure-token").token("BYTE"),
                    Arg::new("bit", "pure-token").token("BIT"),
                ]),
        ]),
    ]),
];

pub const BITOP: &[Arg] = &[
    Arg::new("operation", "string"),
    Arg::key("destkey", 0),
    Arg::key("key", 1).flags(&["multiple"]),
];

pub const BITFIELD: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("operation", "oneof")
        .flags(&["optional", "multiple"])
        .args(&[
            Arg::new("encoding_offset", "block").token("GET").args(&[
                Arg::new("encoding", "string"),
                Arg::new("offset", "integer"),
            ]),
            Arg::new("write", "block").args(&[
                Arg::new("wrap_sat_fail", "oneof")
                    .token("OVERFLOW")
                    .flags(&["optional"])
                    .args(&[
                        Arg::new("wrap", "pure-token").token("WRAP"),
                        Arg::new("sat", "pure-token").token("SAT"),
                        Arg::new("fail", "pure-token").token("FAIL"),
                    ]),
                Arg::new("write_operation", "oneof").args(&[
                    Arg::new("encoding_offset_value", "block")
                        .token("SET")
                        .args(&[
                            Arg::new("encoding", "string"),
                            Arg::new("offset", "integer"),
                            Arg::new("value", "integer"),
                        ]),
                    Arg::new("encoding_offset_increment", "block")
                        .token("INCRBY")
                        .args(&[
                            Arg::new("encoding", "string"),
                            Arg::new("offset", "integer"),
                            Arg::new("increment", "integer"),
                        ]),
                ]),
            ]),
        ]),
];

pub const BITFIELD_RO: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("encoding_offset", "block")
        .token("GET")
        .flags(&["optional", "multiple", "multiple_token"])
        .args(&[
            Arg::new("encoding", "string"),
            Arg::new("offset", "integer"),
        ]),
];
