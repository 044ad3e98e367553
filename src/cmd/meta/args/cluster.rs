//! `COMMAND DOCS` argument trees of the cluster commands (CLUSTER subcommands).
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const CLUSTER_ADDSLOTS: &[Arg] = &[Arg::new("slot", "integer").flags(&["multiple"])];

pub const CLUSTER_ADDSLOTSRANGE: &[Arg] = &[Arg::new("start-slot_end-slot", "block")
    .flags(&["multiple"])
    .args(&[
        Arg::new("start-slot", "integer"),
        Arg::new("end-slot", "integer"),
    ])];

pub const CLUSTER_COUNT_FAILURE_REPORTS: &[Arg] = &[Arg::new("node-id", "string")];

pub const CLUSTER_COUNTKEYSINSLOT: &[Arg] = &[Arg::new("slot", "integer")];

pub const CLUSTER_DELSLOTS: &[Arg] = &[Arg::new("slot", "integer").flags(&["multiple"])];

pub const CLUSTER_DELSLOTSRANGE: &[Arg] = &[Arg::new("start-slot_end-slot", "block")
    .flags(&["multiple"])
    .args(&[
        Arg::new("start-slot", "integer"),
        Arg::new("end-slot", "integer"),
    ])];

pub const CLUSTER_FAILOVER: &[Arg] = &[Arg::new("options", "oneof").flags(&["optional"]).args(&[
    Arg::new("force", "pure-token").token("FORCE"),
    Arg::new("takeover", "pure-token").token("TAKEOVER"),
])];

pub const CLUSTER_FORGET: &[Arg] = &[Arg::new("node-id", "string")];

pub const CLUSTER_GETKEYSINSLOT: &[Arg] =
    &[Arg::new("slot", "integer"), Arg::new("count", "integer")];

pub const CLUSTER_KEYSLOT: &[Arg] = &[Arg::new("key", "string")];

pub const CLUSTER_MEET: &[Arg] = &[
    Arg::new("ip", "string"),
    Arg::new("port", "integer"),
    Arg::new("cluster_bus_port", "integer")
        .since("4.0.0")
        .flags(&["optional"]),
];

pub const CLUSTER_REPLICAS: &[Arg] = &[Arg::new("node-id", "string")];

pub const CLUSTER_REPLICATE: &[Arg] = &[Arg::new("node-id", "string")];

pub const CLUSTER_RESET: &[Arg] = &[Arg::new("hard_soft", "oneof").flags(&["optional"]).args(&[
    Arg::new("hard", "pure-token").token("HARD"),
    Arg::new("soft", "pure-token").token("SOFT"),
])];

pub const CLUSTER_SET_CONFIG_EPOCH: &[Arg] = &[Arg::new("config-epoch", "integer")];

pub const CLUSTER_SETSLOT: &[Arg] = &[
    Arg::new("slot", "integer"),
    Arg::new("subcommand", "oneof").args(&[
        Arg::new("node-id", "string").token("IMPORTING"),
        Arg::new("node-id", "string").token("MIGRATING"),
        Arg::new("node-id", "string").token("NODE"),
        Arg::new("stable", "pure-token").token("STABLE"),
    ]),
];

pub const CLUSTER_SLAVES: &[Arg] = &[Arg::new("node-id", "string")];
