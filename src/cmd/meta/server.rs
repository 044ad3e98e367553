//! Metadata of the server commands: COMMAND, INFO, CONFIG, whole-database operations, DEBUG.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::server as args;
use super::CommandMeta;

pub const COMMAND_COUNT: CommandMeta = CommandMeta {
    name: "command|count",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "server",
    since: "2.8.13",
    summary: "Gives the number of commands this server knows.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const COMMAND_INFO: CommandMeta = CommandMeta {
    name: "command|info",
    arity: -2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    group: "server",
    since: "2.8.13",
    summary: "Gives the metadata of the named commands, or of all of them.",
    complexity: "O(N), N being the number of commands described.",
    arguments: args::COMMAND_INFO,
    ..CommandMeta::EMPTY
};

pub const COMMAND_DOCS: CommandMeta = CommandMeta {
    name: "command|docs",
    arity: -2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    group: "server",
    since: "7.0.0",
    summary: "Gives the documentation of the named commands, or of all of them.",
    complexity: "O(N), N being the number of commands described.",
    arguments: args::COMMAND_DOCS,
    ..CommandMeta::EMPTY
};

pub const COMMAND_LIST: CommandMeta = CommandMeta {
    name: "command|list",
    arity: -2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    group: "server",
    since: "7.0.0",
    summary: "Gives the names of the known commands, optionally filtered.",
    complexity: "O(N), N being the total number of commands.",
    arguments: args::COMMAND_LIST,
    ..CommandMeta::EMPTY
};

pub const COMMAND_GETKEYS: CommandMeta = CommandMeta {
    name: "command|getkeys",
    arity: -4,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "server",
    since: "2.8.13",
    summary: "Extracts the key names from a complete command line.",
    complexity: "O(N), N being the number of arguments of the command line.",
    ..CommandMeta::EMPTY
};

pub const COMMAND_GETKEYSANDFLAGS: CommandMeta = CommandMeta {
    name: "command|getkeysandflags",
    arity: -4,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "server",
    since: "7.0.0",
    summary: "Extracts the key names and their access flags from a complete command line.",
    complexity: "O(N), N being the number of arguments of the command line.",
    ..CommandMeta::EMPTY
};

pub const COMMAND_HELP: CommandMeta = CommandMeta {
    name: "command|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "server",
    since: "5.0.0",
    summary: "Lists the COMMAND subcommands with a short description of each.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const COMMAND: CommandMeta = CommandMeta {
    name: "command",
    arity: -1,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output_order"],
    subcommands: &[
        COMMAND_COUNT,
        COMMAND_INFO,
        COMMAND_DOCS,
        COMMAND_LIST,
        COMMAND_GETKEYS,
        COMMAND_GETKEYSANDFLAGS,
        COMMAND_HELP,
    ],
    group: "server",
    since: "2.8.13",
    summary: "Describes the commands this server knows.",
    complexity: "O(N), N being the total number of commands.",
    ..CommandMeta::EMPTY
};

pub const INFO: CommandMeta = CommandMeta {
    name: "info",
    arity: -1,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@dangerous"],
    tips: &[
        "nondeterministic_output",
        "request_policy:all_shards",
        "response_policy:special",
    ],
    group: "server",
    since: "1.0.0",
    summary: "Reports server state and statistics, section by section.",
    complexity: "O(1)",
    arguments: args::INFO,
    ..CommandMeta::EMPTY
};

pub const CONFIG_GET: CommandMeta = CommandMeta {
    name: "config|get",
    arity: -3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "server",
    since: "2.0.0",
    summary: "Reads configuration parameters whose names match the given patterns.",
    complexity: "O(N), N being the number of parameters examined.",
    arguments: args::CONFIG_GET,
    ..CommandMeta::EMPTY
};

pub const CONFIG_SET: CommandMeta = CommandMeta {
    name: "config|set",
    arity: -4,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    group: "server",
    since: "2.0.0",
    summary: "Changes configuration parameters while the server runs.",
    complexity: "O(N), N being the number of parameters changed.",
    arguments: args::CONFIG_SET,
    ..CommandMeta::EMPTY
};

pub const CONFIG_RESETSTAT: CommandMeta = CommandMeta {
    name: "config|resetstat",
    arity: 2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "server",
    since: "2.0.0",
    summary: "Zeroes the statistics reported by INFO.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CONFIG_REWRITE: CommandMeta = CommandMeta {
    name: "config|rewrite",
    arity: 2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "server",
    since: "2.8.0",
    summary: "Writes the running configuration back to the configuration file.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CONFIG_HELP: CommandMeta = CommandMeta {
    name: "config|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow"],
    group: "server",
    since: "5.0.0",
    summary: "Lists the CONFIG subcommands with a short description of each.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CONFIG: CommandMeta = CommandMeta {
    name: "config",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        CONFIG_GET,
        CONFIG_SET,
        CONFIG_RESETSTAT,
        CONFIG_REWRITE,
        CONFIG_HELP,
    ],
    group: "server",
    since: "2.0.0",
    summary: "Groups the commands that read and change the server configuration.",
    complexity: "Varies with the subcommand.",
    ..CommandMeta::EMPTY
};

pub const DBSIZE: CommandMeta = CommandMeta {
    name: "dbsize",
    arity: 1,
    flags: &["readonly", "fast"],
    acl_categories: &["@keyspace", "@read", "@fast"],
    tips: &["request_policy:all_shards", "response_policy:agg_sum"],
    group: "server",
    since: "1.0.0",
    summary: "Counts the keys in the selected database.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const FLUSHALL: CommandMeta = CommandMeta {
    name: "flushall",
    arity: -1,
    flags: &["write"],
    acl_categories: &["@keyspace", "@write", "@slow", "@dangerous"],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    group: "server",
    since: "1.0.0",
    summary: "Deletes every key of every database.",
    complexity: "O(N), N being the total number of keys.",
    arguments: args::FLUSHALL,
    ..CommandMeta::EMPTY
};

pub const FLUSHDB: CommandMeta = CommandMeta {
    name: "flushdb",
    arity: -1,
    flags: &["write"],
    acl_categories: &["@keyspace", "@write", "@slow", "@dangerous"],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    group: "server",
    since: "1.0.0",
    summary: "Deletes every key of the selected database.",
    complexity: "O(N), N being the number of keys in the database.",
    arguments: args::FLUSHDB,
    ..CommandMeta::EMPTY
};

pub const TIME: CommandMeta = CommandMeta {
    name: "time",
    arity: 1,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast"],
    tips: &["nondeterministic_output"],
    group: "server",
    since: "2.6.0",
    summary: "Gives the server clock as seconds and microseconds.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const DEBUG: CommandMeta = CommandMeta {
    name: "debug",
    arity: -2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Runs internal debugging and testing actions.",
    complexity: "Varies with the action.",
    doc_flags: &["syscmd"],
    ..CommandMeta::EMPTY
};

pub const SHUTDOWN: CommandMeta = CommandMeta {
    name: "shutdown",
    arity: -1,
    flags: &[
        "admin",
        "noscript",
        "loading",
        "stale",
        "no_multi",
        "allow_busy",
    ],
    acl_categories: &["@admin", "@slow", "@dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Stops the server, optionally saving data first.",
    complexity: "O(N) when saving, N being the number of keys; O(1) otherwise.",
    arguments: args::SHUTDOWN,
    ..CommandMeta::EMPTY
};
