//! Metadata of the scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT.
//!
//! Pure data, read by every core. Arity, flags, key positions, ACL categories, tips and key
//! specs match redis-server 7.0.15's `COMMAND INFO` (SCRIPT's subcommands in the order it
//! reports them); summaries and complexity notes are our own.

use super::args::Arg;
use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

const EVAL_FLAGS: &[&str] = &[
    "noscript",
    "stale",
    "skip_monitor",
    "no_mandatory_keys",
    "movablekeys",
];
const EVAL_RO_FLAGS: &[&str] = &[
    "readonly",
    "noscript",
    "stale",
    "skip_monitor",
    "no_mandatory_keys",
    "movablekeys",
];
const ACL: &[&str] = &["@slow", "@scripting"];

const fn keynum_spec(notes: &'static str, flags: &'static [&'static str]) -> KeySpec {
    KeySpec {
        notes,
        flags,
        begin_search: BeginSearch::Index(2),
        find_keys: FindKeys::Keynum {
            keynum_idx: 0,
            first_key: 1,
            key_step: 1,
        },
    }
}

const RW_NOTES: &str =
    "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE";
const RO_NOTES: &str =
    "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS";

const EVAL_ARGS: &[Arg] = &[
    Arg::new("script", "string"),
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["optional", "multiple"]),
    Arg::new("arg", "string").flags(&["optional", "multiple"]),
];

const EVALSHA_ARGS: &[Arg] = &[
    Arg::new("sha1", "string"),
    Arg::new("numkeys", "integer"),
    Arg::key("key", 0).flags(&["optional", "multiple"]),
    Arg::new("arg", "string").flags(&["optional", "multiple"]),
];

pub const EVAL: CommandMeta = CommandMeta {
    name: "eval",
    arity: -3,
    flags: EVAL_FLAGS,
    acl_categories: ACL,
    key_specs: &[keynum_spec(RW_NOTES, &["RW", "access", "update"])],
    group: "scripting",
    since: "2.6.0",
    summary: "Runs a Lua script on the server with the given keys and arguments.",
    complexity: "That of the commands the script runs.",
    arguments: EVAL_ARGS,
    ..CommandMeta::EMPTY
};

pub const EVALSHA: CommandMeta = CommandMeta {
    name: "evalsha",
    arity: -3,
    flags: EVAL_FLAGS,
    acl_categories: ACL,
    key_specs: &[keynum_spec("", &["RW", "access", "update"])],
    group: "scripting",
    since: "2.6.0",
    summary: "Runs a cached Lua script, named by the SHA1 digest of its body.",
    complexity: "That of the commands the script runs.",
    arguments: EVALSHA_ARGS,
    ..CommandMeta::EMPTY
};

pub const EVAL_RO: CommandMeta = CommandMeta {
    name: "eval_ro",
    arity: -3,
    flags: EVAL_RO_FLAGS,
    acl_categories: ACL,
    key_specs: &[keynum_spec(RO_NOTES, &["RO", "access"])],
    group: "scripting",
    since: "7.0.0",
    summary: "Runs a Lua script that may only read, never write.",
    complexity: "That of the commands the script runs.",
    arguments: EVAL_ARGS,
    ..CommandMeta::EMPTY
};

pub const EVALSHA_RO: CommandMeta = CommandMeta {
    name: "evalsha_ro",
    arity: -3,
    flags: EVAL_RO_FLAGS,
    acl_categories: ACL,
    key_specs: &[keynum_spec("", &["RO", "access"])],
    group: "scripting",
    since: "7.0.0",
    summary: "Runs a cached Lua script, by SHA1 digest, that may only read.",
    complexity: "That of the commands the script runs.",
    arguments: EVALSHA_ARGS,
    ..CommandMeta::EMPTY
};

const SCRIPT_LOAD: CommandMeta = CommandMeta {
    name: "script|load",
    arity: 3,
    flags: &["noscript", "stale"],
    acl_categories: ACL,
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    group: "scripting",
    since: "2.6.0",
    summary: "Compiles a script and keeps it in the cache without running it.",
    complexity: "O(N), N being the length of the script in bytes.",
    arguments: &[Arg::new("script", "string")],
    ..CommandMeta::EMPTY
};

const SCRIPT_HELP: CommandMeta = CommandMeta {
    name: "script|help",
    arity: 2,
    flags: &["loading", "stale"],
    acl_categories: ACL,
    group: "scripting",
    since: "5.0.0",
    summary: "Lists the SCRIPT subcommands.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

const SCRIPT_KILL: CommandMeta = CommandMeta {
    name: "script|kill",
    arity: 2,
    flags: &["noscript", "allow_busy"],
    acl_categories: ACL,
    tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
    group: "scripting",
    since: "2.6.0",
    summary: "Stops the running script, if it has not written anything yet.",
    complexity: "O(1)",
    ..CommandMeta::EMPTY
};

const SCRIPT_FLUSH: CommandMeta = CommandMeta {
    name: "script|flush",
    arity: -2,
    flags: &["noscript"],
    acl_categories: ACL,
    tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
    group: "scripting",
    since: "2.6.0",
    summary: "Empties the script cache.",
    complexity: "O(N), N being the number of cached scripts.",
    arguments: &[Arg::new("async", "oneof")
        .since("6.2.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("async", "pure-token").token("ASYNC"),
            Arg::new("sync", "pure-token").token("SYNC"),
        ])],
    ..CommandMeta::EMPTY
};

const SCRIPT_DEBUG: CommandMeta = CommandMeta {
    name: "script|debug",
    arity: 3,
    flags: &["noscript"],
    acl_categories: ACL,
    group: "scripting",
    since: "3.2.0",
    summary: "Chooses the debug mode of later scripts (only NO is supported).",
    complexity: "O(1)",
    arguments: &[Arg::new("mode", "oneof").args(&[
        Arg::new("yes", "pure-token").token("YES"),
        Arg::new("sync", "pure-token").token("SYNC"),
        Arg::new("no", "pure-token").token("NO"),
    ])],
    ..CommandMeta::EMPTY
};

const SCRIPT_EXISTS: CommandMeta = CommandMeta {
    name: "script|exists",
    arity: -3,
    flags: &["noscript"],
    acl_categories: ACL,
    tips: &[
        "request_policy:all_shards",
        "response_policy:agg_logical_and",
    ],
    group: "scripting",
    since: "2.6.0",
    summary: "Tells, for each SHA1 digest, whether the cache holds that script.",
    complexity: "O(N), N being the number of digests asked about.",
    arguments: &[Arg::new("sha1", "string").flags(&["multiple"])],
    ..CommandMeta::EMPTY
};

pub const SCRIPT: CommandMeta = CommandMeta {
    name: "script",
    arity: -2,
    acl_categories: &["@slow"],
    subcommands: &[
        SCRIPT_LOAD,
        SCRIPT_HELP,
        SCRIPT_KILL,
        SCRIPT_FLUSH,
        SCRIPT_DEBUG,
        SCRIPT_EXISTS,
    ],
    group: "scripting",
    since: "2.6.0",
    summary: "Groups the commands that manage the script cache.",
    complexity: "Varies with the subcommand.",
    ..CommandMeta::EMPTY
};

/// Position of a scripting command among these entries, which `table::ALL` lists after the
/// transaction commands.
pub fn index_of(lower: &[u8]) -> Option<usize> {
    Some(match lower {
        b"eval" => 0,
        b"evalsha" => 1,
        b"eval_ro" => 2,
        b"evalsha_ro" => 3,
        b"script" => 4,
        _ => return None,
    })
}
