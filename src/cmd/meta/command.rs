//! The `COMMAND` command and the encoders of `COMMAND INFO` / `COMMAND DOCS` entries.
//!
//! Pure: reads the static table and writes into a [`Reply`]. Entry layouts match
//! redis-server 7.0.15 byte for byte in RESP2 and RESP3 (flags, categories, tips and key specs
//! as sets, key specs as maps, subcommands as an array or, when there are none, an empty set).

use super::lookup_sub;
use super::{all, command_keys, for_each_key, has_keys, key_flags, lookup, lookup_full_name};
use super::{resolve, Arg, BeginSearch, CommandMeta, FindKeys, KeySpec, KeysError};
use crate::protocol::reply::Reply;

/// Longest argument echoed back in an unknown-subcommand error, as redis-server truncates it.
const MAX_ECHOED_ARG: usize = 128;

const HELP_LINES: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Describe every command this server knows.",
    "COUNT",
    "    Give the number of commands this server knows.",
    "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
    "    Give the names of the known commands, optionally only those matching a filter.",
    "INFO [<command-name> ...]",
    "    Describe the named commands (all of them when no name is given).",
    "DOCS [<command-name> ...]",
    "    Give the documentation of the named commands (all of them when no name is given).",
    "GETKEYS <full-command>",
    "    Give the keys a complete command line would access.",
    "GETKEYSANDFLAGS <full-command>",
    "    Give the keys a complete command line would access, with their access flags.",
    "HELP",
    "    Print this help.",
];

/// Runs `COMMAND ...`; `args[0]` is the command name itself.
pub fn command(args: &[&[u8]], reply: &mut Reply) {
    let Some(container) = lookup(b"command") else {
        unreachable!("COMMAND is in the table");
    };
    let Some(&sub_name) = args.get(1) else {
        write_all_info(reply);
        return;
    };
    let Some(sub) = lookup_sub(container, sub_name) else {
        let shown = &sub_name[..sub_name.len().min(MAX_ECHOED_ARG)];
        let mut text = b"ERR unknown subcommand '".to_vec();
        text.extend_from_slice(shown);
        text.extend_from_slice(b"'. Try COMMAND HELP.");
        error_bytes(reply, &text);
        return;
    };
    if !sub.arity_ok(args.len()) {
        reply.error(&format!(
            "ERR wrong number of arguments for '{}' command",
            sub.name
        ));
        return;
    }
    match &sub.name["command|".len()..] {
        "count" => reply.int(all().len() as i64),
        "info" => info(&args[2..], reply),
        "docs" => docs(&args[2..], reply),
        "list" => list(&args[2..], reply),
        "getkeys" => getkeys(&args[2..], false, reply),
        "getkeysandflags" => getkeys(&args[2..], true, reply),
        _ => help(reply),
    }
}

fn write_all_info(reply: &mut Reply) {
    reply.array(all().len());
    for meta in all() {
        write_info(meta, reply);
    }
}

fn info(names: &[&[u8]], reply: &mut Reply) {
    if names.is_empty() {
        write_all_info(reply);
        return;
    }
    reply.array(names.len());
    for name in names {
        match lookup_full_name(name) {
            Some(meta) => write_info(meta, reply),
            None => reply.null(),
        }
    }
}

fn docs(names: &[&[u8]], reply: &mut Reply) {
    if names.is_empty() {
        reply.map(all().len());
        for meta in all() {
            reply.bulk(meta.name.as_bytes());
            write_docs(meta, reply);
        }
        return;
    }
    let found = names.iter().filter_map(|n| lookup_full_name(n));
    reply.map(found.clone().count());
    for meta in found {
        reply.bulk(meta.name.as_bytes());
        write_docs(meta, reply);
    }
}

fn list(args: &[&[u8]], reply: &mut Reply) {
    let filter = match args {
        [] => Filter::All,
        [by, kind, value] if by.eq_ignore_ascii_case(b"filterby") => {
            if kind.eq_ignore_ascii_case(b"module") {
                Filter::Module
            } else if kind.eq_ignore_ascii_case(b"aclcat") {
                Filter::AclCategory(value)
            } else if kind.eq_ignore_ascii_case(b"pattern") {
                Filter::Pattern(value)
            } else {
                reply.error("ERR syntax error");
                return;
            }
        }
        _ => {
            reply.error("ERR syntax error");
            return;
        }
    };
    let mut names = Vec::new();
    for meta in all() {
        collect_names(meta, &filter, &mut names);
    }
    reply.array(names.len());
    for name in names {
        reply.bulk(name.as_bytes());
    }
}

enum Filter<'a> {
    All,
    /// SoliKV loads no modules, so this filter matches nothing.
    Module,
    AclCategory(&'a [u8]),
    Pattern(&'a [u8]),
}

impl Filter<'_> {
    fn matches(&self, meta: &CommandMeta) -> bool {
        match self {
            Filter::All => true,
            Filter::Module => false,
            Filter::AclCategory(cat) => meta
                .acl_categories
                .iter()
                .any(|c| c.as_bytes()[1..].eq_ignore_ascii_case(cat)),
            Filter::Pattern(pattern) => {
                crate::glob::glob_match(pattern, meta.name.as_bytes(), true)
            }
        }
    }
}

/// Adds the names of `meta` and of its subcommands that pass `filter`, parent first.
fn collect_names(meta: &'static CommandMeta, filter: &Filter, out: &mut Vec<&'static str>) {
    if filter.matches(meta) {
        out.push(meta.name);
    }
    for sub in meta.subcommands {
        collect_names(sub, filter, out);
    }
}

fn getkeys(line: &[&[u8]], with_flags: bool, reply: &mut Reply) {
    let Some(meta) = resolve(line) else {
        reply.error("ERR Invalid command specified");
        return;
    };
    if !has_keys(meta) {
        reply.error("ERR The command has no key arguments");
        return;
    }
    let keys = match command_keys(meta, line) {
        Ok(keys) if !keys.is_empty() => keys,
        Err(KeysError::WrongArity) => {
            reply.error(KeysError::WrongArity.message());
            return;
        }
        // No key found: fine for a command whose keys are optional (EVAL with numkeys 0).
        _ if meta.flags.contains(&"no_mandatory_keys") => {
            reply.array(0);
            return;
        }
        _ => {
            reply.error(KeysError::InvalidArguments.message());
            return;
        }
    };
    reply.array(keys.len());
    if !with_flags {
        for i in keys {
            reply.bulk(line[i]);
        }
        return;
    }
    // A second walk pairs each key with its spec without storing the pairs.
    let _ = for_each_key(meta, line, |i, spec| {
        reply.array(2);
        reply.bulk(line[i]);
        simple_set(reply, key_flags(meta, spec, line));
    });
}

fn help(reply: &mut Reply) {
    reply.array(HELP_LINES.len());
    for line in HELP_LINES {
        reply.simple(line);
    }
}

/// Writes one `COMMAND INFO` entry.
pub fn write_info(meta: &CommandMeta, reply: &mut Reply) {
    reply.array(10);
    reply.bulk(meta.name.as_bytes());
    reply.int(meta.arity as i64);
    simple_set(reply, meta.flags);
    reply.int(meta.first_key as i64);
    reply.int(meta.last_key as i64);
    reply.int(meta.step as i64);
    simple_set(reply, meta.acl_categories);
    reply.set(meta.tips.len());
    for tip in meta.tips {
        reply.bulk(tip.as_bytes());
    }
    reply.set(meta.key_specs.len());
    for spec in meta.key_specs {
        write_key_spec(spec, reply);
    }
    if meta.subcommands.is_empty() {
        reply.set(0);
    } else {
        reply.array(meta.subcommands.len());
        for sub in meta.subcommands {
            write_info(sub, reply);
        }
    }
}

fn write_key_spec(spec: &KeySpec, reply: &mut Reply) {
    reply.map(if spec.notes.is_empty() { 3 } else { 4 });
    if !spec.notes.is_empty() {
        reply.bulk(b"notes");
        reply.bulk(spec.notes.as_bytes());
    }
    reply.bulk(b"flags");
    simple_set(reply, spec.flags);

    reply.bulk(b"begin_search");
    reply.map(2);
    reply.bulk(b"type");
    match spec.begin_search {
        BeginSearch::Index(index) => {
            reply.bulk(b"index");
            reply.bulk(b"spec");
            reply.map(1);
            int_field(reply, b"index", index);
        }
        BeginSearch::Keyword {
            keyword,
            start_from,
        } => {
            reply.bulk(b"keyword");
            reply.bulk(b"spec");
            reply.map(2);
            reply.bulk(b"keyword");
            reply.bulk(keyword.as_bytes());
            int_field(reply, b"startfrom", start_from);
        }
        BeginSearch::Unknown => {
            reply.bulk(b"unknown");
            reply.bulk(b"spec");
            reply.map(0);
        }
    }

    reply.bulk(b"find_keys");
    reply.map(2);
    reply.bulk(b"type");
    match spec.find_keys {
        FindKeys::Range {
            last_key,
            key_step,
            limit,
        } => {
            reply.bulk(b"range");
            reply.bulk(b"spec");
            reply.map(3);
            int_field(reply, b"lastkey", last_key);
            int_field(reply, b"keystep", key_step);
            int_field(reply, b"limit", limit);
        }
        FindKeys::Keynum {
            keynum_idx,
            first_key,
            key_step,
        } => {
            reply.bulk(b"keynum");
            reply.bulk(b"spec");
            reply.map(3);
            int_field(reply, b"keynumidx", keynum_idx);
            int_field(reply, b"firstkey", first_key);
            int_field(reply, b"keystep", key_step);
        }
        FindKeys::Unknown => {
            reply.bulk(b"unknown");
            reply.bulk(b"spec");
            reply.map(0);
        }
    }
}

/// Writes one `COMMAND DOCS` value (the map that follows the command's name).
pub fn write_docs(meta: &CommandMeta, reply: &mut Reply) {
    let optional = [
        !meta.doc_flags.is_empty(),
        !meta.deprecated_since.is_empty(),
        !meta.replaced_by.is_empty(),
        !meta.arguments.is_empty(),
        !meta.subcommands.is_empty(),
    ];
    reply.map(4 + optional.iter().filter(|present| **present).count());
    bulk_field(reply, b"summary", meta.summary);
    bulk_field(reply, b"since", meta.since);
    bulk_field(reply, b"group", meta.group);
    bulk_field(reply, b"complexity", meta.complexity);
    if !meta.doc_flags.is_empty() {
        reply.bulk(b"doc_flags");
        simple_set(reply, meta.doc_flags);
    }
    if !meta.deprecated_since.is_empty() {
        bulk_field(reply, b"deprecated_since", meta.deprecated_since);
    }
    if !meta.replaced_by.is_empty() {
        bulk_field(reply, b"replaced_by", meta.replaced_by);
    }
    if !meta.arguments.is_empty() {
        reply.bulk(b"arguments");
        write_args(meta.arguments, reply);
    }
    if !meta.subcommands.is_empty() {
        reply.bulk(b"subcommands");
        reply.map(meta.subcommands.len());
        for sub in meta.subcommands {
            reply.bulk(sub.name.as_bytes());
            write_docs(sub, reply);
        }
    }
}

/// Writes an argument list: an array of maps, groups nesting their members.
fn write_args(args: &[Arg], reply: &mut Reply) {
    reply.array(args.len());
    for arg in args {
        let optional = [
            arg.key_spec_index >= 0,
            !arg.token.is_empty(),
            !arg.since.is_empty(),
            !arg.deprecated_since.is_empty(),
            !arg.flags.is_empty(),
            !arg.args.is_empty(),
        ];
        reply.map(2 + optional.iter().filter(|present| **present).count());
        bulk_field(reply, b"name", arg.name);
        bulk_field(reply, b"type", arg.kind);
        if arg.key_spec_index >= 0 {
            int_field(reply, b"key_spec_index", arg.key_spec_index);
        }
        if !arg.token.is_empty() {
            bulk_field(reply, b"token", arg.token);
        }
        if !arg.since.is_empty() {
            bulk_field(reply, b"since", arg.since);
        }
        if !arg.deprecated_since.is_empty() {
            bulk_field(reply, b"deprecated_since", arg.deprecated_since);
        }
        if !arg.flags.is_empty() {
            reply.bulk(b"flags");
            simple_set(reply, arg.flags);
        }
        if !arg.args.is_empty() {
            reply.bulk(b"arguments");
            write_args(arg.args, reply);
        }
    }
}

fn simple_set(reply: &mut Reply, items: &[&str]) {
    reply.set(items.len());
    for item in items {
        reply.simple(item);
    }
}

fn int_field(reply: &mut Reply, name: &[u8], value: i32) {
    reply.bulk(name);
    reply.int(value as i64);
}

fn bulk_field(reply: &mut Reply, name: &[u8], value: &str) {
    reply.bulk(name);
    reply.bulk(value.as_bytes());
}

/// An error reply whose text may hold arbitrary client bytes; CR and LF become spaces.
fn error_bytes(reply: &mut Reply, text: &[u8]) {
    let mut line = Vec::with_capacity(text.len() + 3);
    line.push(b'-');
    line.extend(
        text.iter()
            .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
    );
    line.extend_from_slice(b"\r\n");
    reply.raw(&line);
}
