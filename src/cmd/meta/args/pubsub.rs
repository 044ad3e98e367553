//! `COMMAND DOCS` argument trees of the Pub/Sub commands.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const SUBSCRIBE: &[Arg] = &[Arg::new("channel", "string").flags(&["multiple"])];

pub const UNSUBSCRIBE: &[Arg] = &[Arg::new("channel", "string").flags(&["optional", "multiple"])];

pub const PSUBSCRIBE: &[Arg] = &[Arg::new("pattern", "block")
    .flags(&["multiple"])
    .args(&[Arg::new("pattern", "pattern")])];

pub const PUNSUBSCRIBE: &[Arg] = &[Arg::new("pattern", "pattern").flags(&["optional", "multiple"])];

pub const PUBLISH: &[Arg] = &[Arg::new("channel", "string"), Arg::new("message", "string")];

pub const SSUBSCRIBE: &[Arg] = &[Arg::new("shardchannel", "string").flags(&["multiple"])];

pub const SUNSUBSCRIBE: &[Arg] =
    &[Arg::new("shardchannel", "string").flags(&["optional", "multiple"])];

pub const SPUBLISH: &[Arg] = &[
    Arg::new("shardchannel", "string"),
    Arg::new("message", "string"),
];

pub const PUBSUB_NUMSUB: &[Arg] = &[Arg::new("channel", "string").flags(&["optional", "multiple"])];

pub const PUBSUB_SHARDNUMSUB: &[Arg] =
    &[Arg::new("shardchannel", "string").flags(&["optional", "multiple"])];

pub const PUBSUB_CHANNELS: &[Arg] = &[Arg::new("pattern", "pattern").flags(&["optional"])];
