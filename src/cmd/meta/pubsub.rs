//! Metadata of the Pub/Sub commands.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO` (the shard-channel commands declare their
//! channels as `not_key` key specs so that cluster mode routes them by slot); PUBSUB's
//! subcommands are listed in the order redis-server reports them. Summaries and complexity
//! notes are our own.

use super::args::pubsub as args;
use super::{CommandMeta, KeySpec};

const SUBSCRIBE_FLAGS: &[&str] = &["pubsub", "noscript", "loading", "stale"];
const SLOW: &[&str] = &["@pubsub", "@slow"];
const FAST: &[&str] = &["@pubsub", "@fast"];
const INTROSPECT_FLAGS: &[&str] = &["pubsub", "loading", "stale"];

pub const SUBSCRIBE: CommandMeta = CommandMeta {
    name: "subscribe",
    arity: -2,
    flags: SUBSCRIBE_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.0.0",
    summary: "Starts receiving the messages published to each named channel.",
    complexity: "O(N), N being the number of channels named.",
    arguments: args::SUBSCRIBE,
    ..CommandMeta::EMPTY
};

pub const UNSUBSCRIBE: CommandMeta = CommandMeta {
    name: "unsubscribe",
    arity: -1,
    flags: SUBSCRIBE_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.0.0",
    summary: "Stops receiving messages from the named channels, or from every channel.",
    complexity: "O(N), N being the number of subscribers of the channels left.",
    arguments: args::UNSUBSCRIBE,
    ..CommandMeta::EMPTY
};

pub const PSUBSCRIBE: CommandMeta = CommandMeta {
    name: "psubscribe",
    arity: -2,
    flags: SUBSCRIBE_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.0.0",
    summary: "Starts receiving the messages published to channels that match each pattern.",
    complexity: "O(N), N being the number of patterns the connection already follows.",
    arguments: args::PSUBSCRIBE,
    ..CommandMeta::EMPTY
};

pub const PUNSUBSCRIBE: CommandMeta = CommandMeta {
    name: "punsubscribe",
    arity: -1,
    flags: SUBSCRIBE_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.0.0",
    summary: "Stops following the named patterns, or every pattern.",
    complexity: "O(N+M), N the patterns this connection follows, M all pattern subscriptions.",
    arguments: args::PUNSUBSCRIBE,
    ..CommandMeta::EMPTY
};

pub const PUBLISH: CommandMeta = CommandMeta {
    name: "publish",
    arity: 3,
    flags: &["pubsub", "loading", "stale", "fast"],
    acl_categories: FAST,
    group: "pubsub",
    since: "2.0.0",
    summary: "Sends a message to the subscribers of a channel and of matching patterns.",
    complexity: "O(N+M), N the channel's subscribers, M the pattern subscriptions.",
    arguments: args::PUBLISH,
    ..CommandMeta::EMPTY
};

const PUBSUB_NUMPAT: CommandMeta = CommandMeta {
    name: "pubsub|numpat",
    arity: 2,
    flags: INTROSPECT_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.8.0",
    summary: "Counts the distinct patterns that have subscribers.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

const PUBSUB_NUMSUB: CommandMeta = CommandMeta {
    name: "pubsub|numsub",
    arity: -2,
    flags: INTROSPECT_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.8.0",
    summary: "Counts the subscribers of each named channel (patterns not included).",
    complexity: "O(N), N being the number of channels named.",
    arguments: args::PUBSUB_NUMSUB,
    ..CommandMeta::EMPTY
};

const PUBSUB_HELP: CommandMeta = CommandMeta {
    name: "pubsub|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    group: "pubsub",
    since: "6.2.0",
    summary: "Lists the PUBSUB subcommands.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

const PUBSUB_SHARDNUMSUB: CommandMeta = CommandMeta {
    name: "pubsub|shardnumsub",
    arity: -2,
    flags: INTROSPECT_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "7.0.0",
    summary: "Counts the subscribers of each named shard channel.",
    complexity: "O(N), N being the number of shard channels named.",
    arguments: args::PUBSUB_SHARDNUMSUB,
    ..CommandMeta::EMPTY
};

const PUBSUB_CHANNELS: CommandMeta = CommandMeta {
    name: "pubsub|channels",
    arity: -2,
    flags: INTROSPECT_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "2.8.0",
    summary: "Lists the channels that have subscribers, optionally only those matching a pattern.",
    complexity: "O(N), N being the number of channels with subscribers.",
    arguments: args::PUBSUB_CHANNELS,
    ..CommandMeta::EMPTY
};

const PUBSUB_SHARDCHANNELS: CommandMeta = CommandMeta {
    name: "pubsub|shardchannels",
    arity: -2,
    flags: INTROSPECT_FLAGS,
    acl_categories: SLOW,
    group: "pubsub",
    since: "7.0.0",
    summary: "Lists the shard channels that have subscribers, optionally matching a pattern.",
    complexity: "O(N), N being the number of shard channels with subscribers.",
    arguments: args::PUBSUB_CHANNELS,
    ..CommandMeta::EMPTY
};

pub const PUBSUB: CommandMeta = CommandMeta {
    name: "pubsub",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        PUBSUB_NUMPAT,
        PUBSUB_NUMSUB,
        PUBSUB_HELP,
        PUBSUB_SHARDNUMSUB,
        PUBSUB_CHANNELS,
        PUBSUB_SHARDCHANNELS,
    ],
    group: "pubsub",
    since: "2.8.0",
    summary: "Groups the commands that describe the server's Pub/Sub state.",
    complexity: "Varies with the subcommand.",
    ..CommandMeta::EMPTY
};

pub const SSUBSCRIBE: CommandMeta = CommandMeta {
    name: "ssubscribe",
    arity: -2,
    flags: SUBSCRIBE_FLAGS,
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: SLOW,
    key_specs: &[KeySpec::range(&["not_key"], 1, -1, 1)],
    group: "pubsub",
    since: "7.0.0",
    summary: "Starts receiving the messages published to each named shard channel.",
    complexity: "O(N), N being the number of shard channels named.",
    arguments: args::SSUBSCRIBE,
    ..CommandMeta::EMPTY
};

pub const SUNSUBSCRIBE: CommandMeta = CommandMeta {
    name: "sunsubscribe",
    arity: -1,
    flags: SUBSCRIBE_FLAGS,
    first_key: 1,
    last_key: -1,
    step: 1,
    acl_categories: SLOW,
    key_specs: &[KeySpec::range(&["not_key"], 1, -1, 1)],
    group: "pubsub",
    since: "7.0.0",
    summary: "Stops receiving messages from the named shard channels, or from all of them.",
    complexity: "O(N), N being the number of subscribers of the shard channels left.",
    arguments: args::SUNSUBSCRIBE,
    ..CommandMeta::EMPTY
};

pub const SPUBLISH: CommandMeta = CommandMeta {
    name: "spublish",
    arity: 3,
    flags: &["pubsub", "loading", "stale", "fast"],
    first_key: 1,
    last_key: 1,
    step: 1,
    acl_categories: FAST,
    key_specs: &[KeySpec::range(&["not_key"], 1, 0, 1)],
    group: "pubsub",
    since: "7.0.0",
    summary: "Sends a message to the subscribers of a shard channel.",
    complexity: "O(N), N being the shard channel's subscribers.",
    arguments: args::SPUBLISH,
    ..CommandMeta::EMPTY
};
