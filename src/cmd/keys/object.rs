//! OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP.
//!
//! Runs on the data core owning the key (argument 2); OBJECT HELP has no key and runs on
//! whichever core received it. Synchronous. Lookups never update the key's access time.

use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError};
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// Integers redis-server keeps as shared objects (0 up to this, exclusive).
const SHARED_INTEGERS: i64 = 10_000;

/// The reference count redis-server reports for a shared object.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

#[derive(Clone, Copy)]
enum Sub {
    Help,
    Encoding,
    Freq,
    IdleTime,
    RefCount,
}

/// Subcommands with their name and exact argument count (command name included).
const SUBCOMMANDS: &[(&str, Sub, usize)] = &[
    ("help", Sub::Help, 2),
    ("encoding", Sub::Encoding, 3),
    ("freq", Sub::Freq, 3),
    ("idletime", Sub::IdleTime, 3),
    ("refcount", Sub::RefCount, 3),
];

/// OBJECT HELP, one status line each.
const HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
];

pub(super) fn object(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let name = args.get(1);
    let Some(&(sub_name, sub, argc)) = SUBCOMMANDS
        .iter()
        .find(|(n, _, _)| name.eq_ignore_ascii_case(n.as_bytes()))
    else {
        let err = CmdError::unknown_subcommand(name, args.get(0));
        return reply_error(reply, &err);
    };
    if args.len() != argc {
        let err = CmdError::WrongArity(format!("object|{sub_name}"));
        return reply_error(reply, &err);
    }
    if let Sub::Help = sub {
        reply.array(HELP.len());
        for line in HELP {
            reply.simple(line);
        }
        return;
    }
    let now = ks.now_ms;
    let Some(entry) = ks.get_no_touch(args.get(2)) else {
        return reply.null();
    };
    match sub {
        Sub::Encoding => reply.bulk(entry.value.encoding().as_bytes()),
        Sub::RefCount => reply.int(refcount(&entry.value)),
        Sub::IdleTime => reply.int(entry.idle_seconds(now) as i64),
        Sub::Freq | Sub::Help => reply_error(reply, &CmdError::LfuNotSelected),
    }
}

/// Small non-negative integers are shared objects in redis-server; everything else has
/// exactly one reference.
fn refcount(value: &Value) -> i64 {
    match value {
        Value::Int(n) if (0..SHARED_INTEGERS).contains(n) => SHARED_REFCOUNT,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{keyspace, run};

    #[test]
    fn encodings_and_refcounts() {
        let mut ks = keyspace(1_000_000);
        let long = "a".repeat(57);
        for (key, value) in [
            ("a", "1"),
            ("big", "10000"),
            ("neg", "-1"),
            ("s", "hello"),
            ("l", long.as_str()),
            ("z", "0"),
            ("e", "9999"),
            ("m", "-0"),
        ] {
            run(&mut ks, &["set", key, value]);
        }
        for (key, encoding) in [
            ("a", "int"),
            ("s", "embstr"),
            ("l", "raw"),
            ("big", "int"),
            ("m", "embstr"),
        ] {
            let want = format!("${}\r\n{encoding}\r\n", encoding.len());
            assert_eq!(run(&mut ks, &["object", "encoding", key]), want);
        }
        assert_eq!(run(&mut ks, &["OBJECT", "ENCODING", "a"]), "$3\r\nint\r\n");
        for (key, refs) in [
            ("a", 2147483647),
            ("z", 2147483647),
            ("e", 2147483647),
            ("big", 1),
            ("neg", 1),
            ("s", 1),
        ] {
            let want = format!(":{refs}\r\n");
            assert_eq!(run(&mut ks, &["object", "refcount", key]), want, "{key}");
        }
    }

    #[test]
    fn missing_keys_are_null() {
        let mut ks = keyspace(1_000_000);
        for sub in ["encoding", "refcount", "idletime", "freq"] {
            assert_eq!(run(&mut ks, &["object", sub, "nokey"]), "$-1\r\n");
        }
    }

    #[test]
    fn idletime_and_freq() {
        let mut ks = keyspace(1_000_000);
        run(&mut ks, &["set", "a", "1"]);
        ks.now_ms += 24_000;
        assert_eq!(run(&mut ks, &["object", "idletime", "a"]), ":24\r\n");
        // OBJECT itself does not count as an access.
        assert_eq!(run(&mut ks, &["object", "idletime", "a"]), ":24\r\n");
        assert_eq!(run(&mut ks, &["touch", "a"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["object", "idletime", "a"]), ":0\r\n");
        assert_eq!(
            run(&mut ks, &["object", "freq", "a"]),
            "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. \
             Please note that when switching between policies at runtime LRU and LFU data \
             will take some time to adjust.\r\n"
        );
    }

    #[test]
    fn subcommand_errors() {
        let mut ks = keyspace(1_000_000);
        let unknown = "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n";
        assert_eq!(run(&mut ks, &["object", "foo"]), unknown);
        assert_eq!(run(&mut ks, &["object", "foo", "a"]), unknown);
        assert_eq!(run(&mut ks, &["Object", "foo"]), unknown);
        assert_eq!(
            run(&mut ks, &["object", "FOO"]),
            "-ERR unknown subcommand 'FOO'. Try OBJECT HELP.\r\n"
        );
        let encoding = "-ERR wrong number of arguments for 'object|encoding' command\r\n";
        assert_eq!(run(&mut ks, &["object", "encoDING"]), encoding);
        assert_eq!(run(&mut ks, &["object", "encoding", "a", "b"]), encoding);
        assert_eq!(
            run(&mut ks, &["object", "help", "x"]),
            "-ERR wrong number of arguments for 'object|help' command\r\n"
        );
        assert_eq!(
            run(&mut ks, &["object"]),
            "-ERR wrong number of arguments for 'object' command\r\n"
        );
    }

    #[test]
    fn help_matches_redis() {
        let mut ks = keyspace(1_000_000);
        let want = "*15\r\n\
            +OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n\
            +ENCODING <key>\r\n\
            +    Return the kind of internal representation used in order to store the value\r\n\
            +    associated with a <key>.\r\n\
            +FREQ <key>\r\n\
            +    Return the access frequency index of the <key>. The returned integer is\r\n\
            +    proportional to the logarithm of the recent access frequency of the key.\r\n\
            +IDLETIME <key>\r\n\
            +    Return the idle time of the <key>, that is the approximated number of\r\n\
            +    seconds elapsed since the last access to the key.\r\n\
            +REFCOUNT <key>\r\n\
            +    Return the number of references of the value associated with the specified\r\n\
            +    <key>.\r\n\
            +HELP\r\n\
            +    Prints this help.\r\n";
        assert_eq!(run(&mut ks, &["object", "Help"]), want);
    }
}
