//! Metadata of the cluster commands: ASKING and the CLUSTER container with its subcommands.
//!
//! Pure data, read by every core. Arity, flags, ACL categories and tips match redis-server
//! 7.0.15's `COMMAND INFO` (none of these commands has keys); summaries and complexity notes
//! are our own. READONLY and READWRITE live with the connection commands.

use super::args::cluster as args;
use super::CommandMeta;

pub const ASKING: CommandMeta = CommandMeta {
    name: "asking",
    arity: 1,
    flags: &["fast"],
    acl_categories: &["@fast", "@connection"],
    group: "cluster",
    since: "3.0.0",
    summary: "Marks the next command of this connection as allowed on an importing slot.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_ADDSLOTS: CommandMeta = CommandMeta {
    name: "cluster|addslots",
    arity: -3,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Makes this node the owner of the given hash slots.",
    complexity: "O(N), N being the number of slots given.",
    arguments: args::CLUSTER_ADDSLOTS,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_ADDSLOTSRANGE: CommandMeta = CommandMeta {
    name: "cluster|addslotsrange",
    arity: -4,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "7.0.0",
    summary: "Makes this node the owner of every slot in the given ranges.",
    complexity: "O(N), N being the number of slots in the ranges.",
    arguments: args::CLUSTER_ADDSLOTSRANGE,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_BUMPEPOCH: CommandMeta = CommandMeta {
    name: "cluster|bumpepoch",
    arity: 2,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Gives this node a new, higher config epoch unless it already has the highest.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_COUNT_FAILURE_REPORTS: CommandMeta = CommandMeta {
    name: "cluster|count-failure-reports",
    arity: 3,
    flags: &["admin", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Counts the live failure reports about a node.",
    complexity: "O(N), N being the number of reports.",
    arguments: args::CLUSTER_COUNT_FAILURE_REPORTS,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_COUNTKEYSINSLOT: CommandMeta = CommandMeta {
    name: "cluster|countkeysinslot",
    arity: 3,
    flags: &["stale"],
    acl_categories: &["@slow"],
    group: "cluster",
    since: "3.0.0",
    summary: "Counts the keys this node stores in a hash slot.",
    complexity: "O(1)",
    arguments: args::CLUSTER_COUNTKEYSINSLOT,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_DELSLOTS: CommandMeta = CommandMeta {
    name: "cluster|delslots",
    arity: -3,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Unassigns the given hash slots in this node's view.",
    complexity: "O(N), N being the number of slots given.",
    arguments: args::CLUSTER_DELSLOTS,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_DELSLOTSRANGE: CommandMeta = CommandMeta {
    name: "cluster|delslotsrange",
    arity: -4,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "7.0.0",
    summary: "Unassigns every slot in the given ranges in this node's view.",
    complexity: "O(N), N being the number of slots in the ranges.",
    arguments: args::CLUSTER_DELSLOTSRANGE,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_FAILOVER: CommandMeta = CommandMeta {
    name: "cluster|failover",
    arity: -2,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Asks a replica to take over from its master.",
    complexity: "O(1)",
    arguments: args::CLUSTER_FAILOVER,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_FLUSHSLOTS: CommandMeta = CommandMeta {
    name: "cluster|flushslots",
    arity: 2,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Unassigns every slot this node owns.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_FORGET: CommandMeta = CommandMeta {
    name: "cluster|forget",
    arity: 3,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Drops a node from this node's table and bans it for a minute.",
    complexity: "O(1)",
    arguments: args::CLUSTER_FORGET,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_GETKEYSINSLOT: CommandMeta = CommandMeta {
    name: "cluster|getkeysinslot",
    arity: 4,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Lists up to a given number of key names stored in a hash slot.",
    complexity: "O(N), N being the number of keys returned.",
    arguments: args::CLUSTER_GETKEYSINSLOT,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_HELP: CommandMeta = CommandMeta {
    name: "cluster|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    group: "cluster",
    since: "5.0.0",
    summary: "Lists the CLUSTER subcommands with a short description of each.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_INFO: CommandMeta = CommandMeta {
    name: "cluster|info",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Reports the cluster state, slot coverage, epochs and bus message counts.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_KEYSLOT: CommandMeta = CommandMeta {
    name: "cluster|keyslot",
    arity: 3,
    flags: &["stale"],
    acl_categories: &["@slow"],
    group: "cluster",
    since: "3.0.0",
    summary: "Computes the hash slot of a key.",
    complexity: "O(N), N being the length of the key.",
    arguments: args::CLUSTER_KEYSLOT,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_LINKS: CommandMeta = CommandMeta {
    name: "cluster|links",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "7.0.0",
    summary: "Lists this node's cluster bus links with their buffers.",
    complexity: "O(N), N being the number of links.",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_MEET: CommandMeta = CommandMeta {
    name: "cluster|meet",
    arity: -4,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Starts a handshake with another node so that it joins the cluster.",
    complexity: "O(1)",
    arguments: args::CLUSTER_MEET,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_MYID: CommandMeta = CommandMeta {
    name: "cluster|myid",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    group: "cluster",
    since: "3.0.0",
    summary: "Returns this node's id.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

/// Redis 7.2 (7.0.15 lacks it): the shard id, which SoliKV takes from the shard's primary.
pub const CLUSTER_MYSHARDID: CommandMeta = CommandMeta {
    name: "cluster|myshardid",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "7.2.0",
    summary: "Returns the id of this node's shard.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_NODES: CommandMeta = CommandMeta {
    name: "cluster|nodes",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Describes every known node in nodes.conf's line format.",
    complexity: "O(N), N being the number of nodes.",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_REPLICAS: CommandMeta = CommandMeta {
    name: "cluster|replicas",
    arity: 3,
    flags: &["admin", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "5.0.0",
    summary: "Lists the replicas of a master in CLUSTER NODES format.",
    complexity: "O(N), N being the number of replicas.",
    arguments: args::CLUSTER_REPLICAS,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_REPLICATE: CommandMeta = CommandMeta {
    name: "cluster|replicate",
    arity: 3,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Makes this node a replica of the given master.",
    complexity: "O(1)",
    arguments: args::CLUSTER_REPLICATE,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_RESET: CommandMeta = CommandMeta {
    name: "cluster|reset",
    arity: -2,
    flags: &["admin", "noscript", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary:
        "Forgets the other nodes and the slots; HARD also takes a new id and zeroes the epochs.",
    complexity: "O(N), N being the number of known nodes.",
    arguments: args::CLUSTER_RESET,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_SAVECONFIG: CommandMeta = CommandMeta {
    name: "cluster|saveconfig",
    arity: 2,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Writes nodes.conf to disk now.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_SET_CONFIG_EPOCH: CommandMeta = CommandMeta {
    name: "cluster|set-config-epoch",
    arity: 3,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Sets the config epoch of a fresh node.",
    complexity: "O(1)",
    arguments: args::CLUSTER_SET_CONFIG_EPOCH,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_SETSLOT: CommandMeta = CommandMeta {
    name: "cluster|setslot",
    arity: -4,
    flags: &["admin", "stale", "no_async_loading"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "cluster",
    since: "3.0.0",
    summary: "Changes the state of a hash slot: importing, migrating, stable or owned by a node.",
    complexity: "O(1)",
    arguments: args::CLUSTER_SETSLOT,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_SHARDS: CommandMeta = CommandMeta {
    name: "cluster|shards",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "7.0.0",
    summary: "Describes each shard: its slot ranges and its nodes.",
    complexity: "O(N), N being the number of nodes.",
    ..CommandMeta::EMPTY
};

pub const CLUSTER_SLAVES: CommandMeta = CommandMeta {
    name: "cluster|slaves",
    arity: 3,
    flags: &["admin", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Lists the replicas of a master (older name of CLUSTER REPLICAS).",
    complexity: "O(N), N being the number of replicas.",
    doc_flags: &["deprecated"],
    deprecated_since: "5.0.0",
    replaced_by: "CLUSTER REPLICAS",
    arguments: args::CLUSTER_SLAVES,
    ..CommandMeta::EMPTY
};

pub const CLUSTER_SLOTS: CommandMeta = CommandMeta {
    name: "cluster|slots",
    arity: 2,
    flags: &["stale"],
    acl_categories: &["@slow"],
    tips: &["nondeterministic_output"],
    group: "cluster",
    since: "3.0.0",
    summary: "Maps slot ranges to the nodes serving them.",
    complexity: "O(N), N being the number of nodes.",
    doc_flags: &["deprecated"],
    deprecated_since: "7.0.0",
    replaced_by: "CLUSTER SHARDS",
    ..CommandMeta::EMPTY
};

pub const CLUSTER: CommandMeta = CommandMeta {
    name: "cluster",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        CLUSTER_ADDSLOTS,
        CLUSTER_ADDSLOTSRANGE,
        CLUSTER_BUMPEPOCH,
        CLUSTER_COUNT_FAILURE_REPORTS,
        CLUSTER_COUNTKEYSINSLOT,
        CLUSTER_DELSLOTS,
        CLUSTER_DELSLOTSRANGE,
        CLUSTER_FAILOVER,
        CLUSTER_FLUSHSLOTS,
        CLUSTER_FORGET,
        CLUSTER_GETKEYSINSLOT,
        CLUSTER_HELP,
        CLUSTER_INFO,
        CLUSTER_KEYSLOT,
        CLUSTER_LINKS,
        CLUSTER_MEET,
        CLUSTER_MYID,
        CLUSTER_MYSHARDID,
        CLUSTER_NODES,
        CLUSTER_REPLICAS,
        CLUSTER_REPLICATE,
        CLUSTER_RESET,
        CLUSTER_SAVECONFIG,
        CLUSTER_SET_CONFIG_EPOCH,
        CLUSTER_SETSLOT,
        CLUSTER_SHARDS,
        CLUSTER_SLAVES,
        CLUSTER_SLOTS,
    ],
    group: "cluster",
    since: "3.0.0",
    summary: "Groups the commands that inspect and change the cluster configuration.",
    complexity: "Varies with the subcommand.",
    ..CommandMeta::EMPTY
};
