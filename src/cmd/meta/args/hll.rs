//! `COMMAND DOCS` argument trees of the HyperLogLog commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const PFADD: &[Arg] = &[
    Arg::key("key", 0),
    Arg::new("element", "string").flags(&["optional", "multiple"]),
];

pub const PFCOUNT: &[Arg] = &[Arg::key("key", 0).flags(&["multiple"])];

pub const PFMERGE: &[Arg] = &[
    Arg::key("destkey", 0),
    Arg::key("sourcekey", 1).flags(&["multiple"]),
];
