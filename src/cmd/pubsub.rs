//! Table entries for the Pub/Sub commands.
//!
//! Their behaviour needs the connection's subscriptions and every core's registry, so the
//! handlers live in `net::subscriber` and `shard::pubsub`. The shard-channel commands list
//! their channels as keys, so cluster mode routes them by the channel's slot.

use super::{Command, Exec, KeyRange, PubSubCmd};

const fn entry(name: &'static str, arity: i32, keys: KeyRange, cmd: PubSubCmd) -> Command {
    Command {
        name,
        arity,
        keys,
        flags: 0,
        exec: Exec::PubSub(cmd),
    }
}

pub const COMMANDS: &[Command] = &[
    entry("subscribe", -2, KeyRange::NONE, PubSubCmd::Subscribe),
    entry("unsubscribe", -1, KeyRange::NONE, PubSubCmd::Unsubscribe),
    entry("psubscribe", -2, KeyRange::NONE, PubSubCmd::PSubscribe),
    entry("punsubscribe", -1, KeyRange::NONE, PubSubCmd::PUnsubscribe),
    entry("publish", 3, KeyRange::NONE, PubSubCmd::Publish),
    entry("pubsub", -2, KeyRange::NONE, PubSubCmd::PubSub),
    entry("ssubscribe", -2, KeyRange::ALL, PubSubCmd::SSubscribe),
    entry("sunsubscribe", -1, KeyRange::ALL, PubSubCmd::SUnsubscribe),
    entry("spublish", 3, KeyRange::FIRST, PubSubCmd::SPublish),
];
