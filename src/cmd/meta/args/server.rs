//! `COMMAND DOCS` argument trees of the server commands: COMMAND, INFO, CONFIG, whole-database operations, DEBUG.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const COMMAND_INFO: &[Arg] =
    &[Arg::new("command-name", "string").flags(&["optional", "multiple"])];

pub const COMMAND_DOCS: &[Arg] =
    &[Arg::new("command-name", "string").flags(&["optional", "multiple"])];

pub const COMMAND_LIST: &[Arg] = &[Arg::new("filterby", "oneof")
    .token("FILTERBY")
    .flags(&["optional"])
    .args(&[
        Arg::new("module-name", "string").token("MODULE"),
        Arg::new("category", "string").token("ACLCAT"),
        Arg::new("pattern", "pattern").token("PATTERN"),
    ])];

pub const INFO: &[Arg] = &[Arg::new("section", "string").flags(&["optional", "multiple"])];

pub const CONFIG_GET: &[Arg] = &[Arg::new("parameter", "block")
    .flags(&["multiple"])
    .args(&[Arg::new("parameter", "string")])];

pub const CONFIG_SET: &[Arg] = &[Arg::new("parameter_value", "block")
    .flags(&["multiple"])
    .args(&[Arg::new("parameter", "string"), Arg::new("value", "string")])];

pub const FLUSHALL: &[Arg] = &[Arg::new("async", "oneof").flags(&["optional"]).args(&[
    Arg::new("async", "pure-token")
        .token("ASYNC")
        .since("4.0.0"),
    Arg::new("sync", "pure-token").token("SYNC").since("6.2.0"),
])];

pub const FLUSHDB: &[Arg] = &[Arg::new("async", "oneof").flags(&["optional"]).args(&[
    Arg::new("async", "pure-token")
        .token("ASYNC")
        .since("4.0.0"),
    Arg::new("sync", "pure-token").token("SYNC").since("6.2.0"),
])];

pub const SHUTDOWN: &[Arg] = &[
    Arg::new("nosave_save", "oneof")
        .flags(&["optional"])
        .args(&[
            Arg::new("nosave", "pure-token").token("NOSAVE"),
            Arg::new("save", "pure-token").token("SAVE"),
        ]),
    Arg::new("now", "pure-token")
        .token("NOW")
        .since("7.0.0")
        .flags(&["optional"]),
    Arg::new("force", "pure-token")
        .token("FORCE")
        .since("7.0.0")
        .flags(&["optional"]),
    Arg::new("abort", "pure-token")
        .token("ABORT")
        .since("7.0.0")
        .flags(&["optional"]),
];
