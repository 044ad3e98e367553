//! Metadata of the connection commands: handshake, AUTH, SELECT, cluster read modes, CLIENT.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO`; summaries and complexity notes are our own.

use super::args::connection as args;
use super::CommandMeta;

pub const PING: CommandMeta = CommandMeta {
    name: "ping",
    arity: -1,
    flags: &["fast"],
    acl_categories: &["@fast", "@connection"],
    tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
    group: "connection",
    since: "1.0.0",
    summary: "Checks that the server answers; echoes an optional message.",
    complexity: "O(1)",
    arguments: args::PING,
    ..CommandMeta::EMPTY
};

pub const ECHO: CommandMeta = CommandMeta {
    name: "echo",
    arity: 2,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast", "@connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Sends the given message back to the client.",
    complexity: "O(1)",
    arguments: args::ECHO,
    ..CommandMeta::EMPTY
};

pub const HELLO: CommandMeta = CommandMeta {
    name: "hello",
    arity: -1,
    flags: &[
        "noscript",
        "loading",
        "stale",
        "fast",
        "no_auth",
        "allow_busy",
    ],
    acl_categories: &["@fast", "@connection"],
    group: "connection",
    since: "6.0.0",
    summary:
        "Negotiates the protocol version and optionally authenticates and names the connection.",
    complexity: "O(1)",
    arguments: args::HELLO,
    ..CommandMeta::EMPTY
};

pub const AUTH: CommandMeta = CommandMeta {
    name: "auth",
    arity: -2,
    flags: &[
        "noscript",
        "loading",
        "stale",
        "fast",
        "no_auth",
        "allow_busy",
    ],
    acl_categories: &["@fast", "@connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Authenticates the connection as a user.",
    complexity: "O(N), N being the number of passwords configured for the user.",
    arguments: args::AUTH,
    ..CommandMeta::EMPTY
};

pub const SELECT: CommandMeta = CommandMeta {
    name: "select",
    arity: 2,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast", "@connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Switches the connection to another logical database.",
    complexity: "O(1)",
    arguments: args::SELECT,
    ..CommandMeta::EMPTY
};

pub const QUIT: CommandMeta = CommandMeta {
    name: "quit",
    arity: -1,
    flags: &[
        "noscript",
        "loading",
        "stale",
        "fast",
        "no_auth",
        "allow_busy",
    ],
    acl_categories: &["@fast", "@connection"],
    group: "connection",
    since: "1.0.0",
    summary: "Asks the server to close this connection.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const RESET: CommandMeta = CommandMeta {
    name: "reset",
    arity: 1,
    flags: &[
        "noscript",
        "loading",
        "stale",
        "fast",
        "no_auth",
        "allow_busy",
    ],
    acl_categories: &["@fast", "@connection"],
    group: "connection",
    since: "6.2.0",
    summary: "Returns the connection to its initial state.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const READONLY: CommandMeta = CommandMeta {
    name: "readonly",
    arity: 1,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast", "@connection"],
    group: "cluster",
    since: "3.0.0",
    summary: "Lets a cluster replica serve read commands on this connection.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const READWRITE: CommandMeta = CommandMeta {
    name: "readwrite",
    arity: 1,
    flags: &["loading", "stale", "fast"],
    acl_categories: &["@fast", "@connection"],
    group: "cluster",
    since: "3.0.0",
    summary: "Turns off read-only mode for a cluster replica connection.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLIENT_ID: CommandMeta = CommandMeta {
    name: "client|id",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "connection",
    since: "5.0.0",
    summary: "Gives the unique ID of this connection.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLIENT_SETNAME: CommandMeta = CommandMeta {
    name: "client|setname",
    arity: 3,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "connection",
    since: "2.6.9",
    summary: "Gives this connection a name.",
    complexity: "O(1)",
    arguments: args::CLIENT_SETNAME,
    ..CommandMeta::EMPTY
};

pub const CLIENT_GETNAME: CommandMeta = CommandMeta {
    name: "client|getname",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "connection",
    since: "2.6.9",
    summary: "Gives the name of this connection, if one was set.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLIENT_SETINFO: CommandMeta = CommandMeta {
    name: "client|setinfo",
    arity: 4,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    group: "connection",
    since: "7.2.0",
    summary: "Records the client library name or version for this connection.",
    complexity: "O(1)",
    arguments: args::CLIENT_SETINFO,
    ..CommandMeta::EMPTY
};

pub const CLIENT_LIST: CommandMeta = CommandMeta {
    name: "client|list",
    arity: -2,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous", "@connection"],
    tips: &["nondeterministic_output"],
    group: "connection",
    since: "2.4.0",
    summary: "Describes every connected client, one line each.",
    complexity: "O(N), N being the number of client connections.",
    arguments: args::CLIENT_LIST,
    ..CommandMeta::EMPTY
};

pub const CLIENT_INFO: CommandMeta = CommandMeta {
    name: "client|info",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    tips: &["nondeterministic_output"],
    group: "connection",
    since: "6.2.0",
    summary: "Describes this connection in the CLIENT LIST line format.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLIENT_KILL: CommandMeta = CommandMeta {
    name: "client|kill",
    arity: -3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous", "@connection"],
    group: "connection",
    since: "2.4.0",
    summary: "Closes client connections that match the given filters.",
    complexity: "O(N), N being the number of client connections.",
    arguments: args::CLIENT_KILL,
    ..CommandMeta::EMPTY
};

pub const CLIENT_UNBLOCK: CommandMeta = CommandMeta {
    name: "client|unblock",
    arity: -3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous", "@connection"],
    group: "connection",
    since: "5.0.0",
    summary: "Ends the blocking command another client is waiting in.",
    complexity: "O(log(N)), N being the number of client connections.",
    arguments: args::CLIENT_UNBLOCK,
    ..CommandMeta::EMPTY
};

pub const CLIENT_GETREDIR: CommandMeta = CommandMeta {
    name: "client|getredir",
    arity: 2,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "connection",
    since: "6.0.0",
    summary: "Gives the client receiving this connection's tracking redirects: always -1.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLIENT_NO_EVICT: CommandMeta = CommandMeta {
    name: "client|no-evict",
    arity: 3,
    flags: &["admin", "noscript", "loading", "stale"],
    acl_categories: &["@admin", "@slow", "@dangerous", "@connection"],
    group: "connection",
    since: "7.0.0",
    summary: "Controls whether this connection may be evicted under memory pressure.",
    complexity: "O(1)",
    arguments: args::CLIENT_NO_EVICT,
    ..CommandMeta::EMPTY
};

pub const CLIENT_NO_TOUCH: CommandMeta = CommandMeta {
    name: "client|no-touch",
    arity: 3,
    flags: &["noscript", "loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "connection",
    since: "7.2.0",
    summary: "Controls whether this connection's commands update key access times.",
    complexity: "O(1)",
    arguments: args::CLIENT_NO_TOUCH,
    ..CommandMeta::EMPTY
};

pub const CLIENT_HELP: CommandMeta = CommandMeta {
    name: "client|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: &["@slow", "@connection"],
    group: "connection",
    since: "5.0.0",
    summary: "Lists the CLIENT subcommands with a short description of each.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

pub const CLIENT: CommandMeta = CommandMeta {
    name: "client",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        CLIENT_ID,
        CLIENT_SETNAME,
        CLIENT_GETNAME,
        CLIENT_SETINFO,
        CLIENT_LIST,
        CLIENT_INFO,
        CLIENT_KILL,
        CLIENT_UNBLOCK,
        CLIENT_GETREDIR,
        CLIENT_NO_EVICT,
        CLIENT_NO_TOUCH,
        CLIENT_HELP,
    ],
    group: "connection",
    since: "2.4.0",
    summary: "Groups the commands that inspect and manage client connections.",
    complexity: "Varies with the subcommand.",
    ..CommandMeta::EMPTY
};
