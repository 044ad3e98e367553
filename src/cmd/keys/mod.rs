//! Keyspace commands (DEL, EXISTS, TYPE, EXPIRE, TTL, RENAME, COPY, OBJECT, ...): table
//! entries and handlers, plus the per-core parts of KEYS and SCAN.
//!
//! Runs on the data core owning the keys; synchronous. Handlers only see that core's
//! [`Keyspace`]; commands spread over several cores (DEL, RENAME, ...) are split or made
//! atomic by the dispatcher according to their [`Spread`]. KEYS, SCAN and RANDOMKEY need
//! every core, so this family exports pure building blocks ([`scan`]) that the server-wide
//! code runs on each core and merges.
//!
//! - `mod.rs`: the table, existence, deletion, TYPE, TOUCH, RENAME and COPY.
//! - [`expire`]: EXPIRE and friends, TTL and friends, PERSIST.
//! - [`object`]: OBJECT and its subcommands.
//! - [`scan`]: KEYS and SCAN per-core parts, SCAN option parsing and cursors.

mod expire;
mod object;
pub mod scan;

use super::error::reply_error;
use super::{Args, CmdError, CmdResult, Command, KeyRange, Spread, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::Keyspace;

pub use scan::{decode_cursor, keys_part, next_cursor, scan_part, ScanOptions};

/// Source and destination (RENAME, RENAMENX, COPY).
const PAIR: KeyRange = KeyRange {
    first: 1,
    last: 2,
    step: 1,
};

/// OBJECT's key follows the subcommand.
const SECOND: KeyRange = KeyRange {
    first: 2,
    last: 2,
    step: 1,
};

use super::keyed;

pub const COMMANDS: &[Command] = &[
    keyed("del", -2, KeyRange::ALL, WRITE, del, Spread::SumInt),
    keyed("unlink", -2, KeyRange::ALL, WRITE, del, Spread::SumInt),
    keyed("exists", -2, KeyRange::ALL, 0, exists, Spread::SumInt),
    keyed("touch", -2, KeyRange::ALL, 0, touch, Spread::SumInt),
    keyed("type", 2, KeyRange::FIRST, 0, type_of, Spread::Single),
    keyed(
        "expire",
        -3,
        KeyRange::FIRST,
        WRITE,
        expire::expire,
        Spread::Single,
    ),
    keyed(
        "pexpire",
        -3,
        KeyRange::FIRST,
        WRITE,
        expire::pexpire,
        Spread::Single,
    ),
    keyed(
        "expireat",
        -3,
        KeyRange::FIRST,
        WRITE,
        expire::expireat,
        Spread::Single,
    ),
    keyed(
        "pexpireat",
        -3,
        KeyRange::FIRST,
        WRITE,
        expire::pexpireat,
        Spread::Single,
    ),
    keyed("ttl", 2, KeyRange::FIRST, 0, expire::ttl, Spread::Single),
    keyed("pttl", 2, KeyRange::FIRST, 0, expire::pttl, Spread::Single),
    keyed(
        "expiretime",
        2,
        KeyRange::FIRST,
        0,
        expire::expiretime,
        Spread::Single,
    ),
    keyed(
        "pexpiretime",
        2,
        KeyRange::FIRST,
        0,
        expire::pexpiretime,
        Spread::Single,
    ),
    keyed(
        "persist",
        2,
        KeyRange::FIRST,
        WRITE,
        expire::persist,
        Spread::Single,
    ),
    keyed("rename", 3, PAIR, WRITE, rename, Spread::Atomic),
    keyed("renamenx", 3, PAIR, WRITE, renamenx, Spread::Atomic),
    keyed("copy", -3, PAIR, WRITE, copy, Spread::Atomic),
    keyed("object", -2, SECOND, 0, object::object, Spread::Single),
];

/// Writes `result` as an integer reply or as its error.
fn reply_int(reply: &mut Reply, result: CmdResult<i64>) {
    match result {
        Ok(n) => reply.int(n),
        Err(err) => reply_error(reply, &err),
    }
}

/// DEL and UNLINK: the number of keys removed (a repeated key counts once).
fn del(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let removed = args
        .iter()
        .skip(1)
        .filter(|k| ks.remove(k).is_some())
        .count();
    reply.int(removed as i64);
}

/// The number of arguments naming a live key; repeated keys count each time.
fn exists(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let found = args.iter().skip(1).filter(|k| ks.contains(k)).count();
    reply.int(found as i64);
}

/// Like EXISTS, but records an access to each key found.
fn touch(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let found = args.iter().skip(1).filter(|k| ks.touch(k)).count();
    reply.int(found as i64);
}

fn type_of(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match ks.get_no_touch(args.get(1)) {
        Some(entry) => reply.simple(entry.value.kind().name()),
        None => reply.simple("none"),
    }
}

fn rename(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match move_key(ks, args.get(1), args.get(2), false) {
        Ok(_) => reply.ok(),
        Err(err) => reply_error(reply, &err),
    }
}

fn renamenx(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let result = move_key(ks, args.get(1), args.get(2), true);
    reply_int(reply, result.map(i64::from));
}

/// Moves `src` to `dst` with its TTL; with `nx` only when `dst` is absent. Returns whether
/// the key moved; renaming a live key onto itself succeeds without moving (RENAME) or
/// reports that nothing moved (RENAMENX).
fn move_key(ks: &mut Keyspace, src: &[u8], dst: &[u8], nx: bool) -> CmdResult<bool> {
    if ks.get(src).is_none() {
        return Err(CmdError::NoSuchKey);
    }
    if src == dst {
        return Ok(!nx);
    }
    if nx && ks.contains(dst) {
        return Ok(false);
    }
    let entry = ks.remove(src).ok_or(CmdError::NoSuchKey)?;
    let expire_at = entry.expire_at();
    ks.insert(dst, entry.value, expire_at);
    Ok(true)
}

/// COPY src dst [DB n] [REPLACE]. Only database 0 exists; any other number is out of range.
fn copy(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let result = copy_key(ks, args);
    reply_int(reply, result.map(i64::from));
}

/// Parses COPY's options (`DB 0`, `REPLACE`) and rejects copying a key onto itself;
/// returns whether REPLACE was given. Shared with the cross-core COPY.
pub fn copy_options(args: Args) -> CmdResult<bool> {
    let mut replace = false;
    let mut i = 3;
    while i < args.len() {
        if args.is(i, "replace") {
            replace = true;
        } else if args.is(i, "db") && i + 1 < args.len() {
            let db = parse_i64(args.get(i + 1)).ok_or(CmdError::NotInteger)?;
            if i32::try_from(db).is_err() {
                return Err(CmdError::IntOutOfRange);
            }
            if db != 0 {
                return Err(CmdError::DbIndexOutOfRange);
            }
            i += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if args.get(1) == args.get(2) {
        return Err(CmdError::SameObject);
    }
    Ok(replace)
}

fn copy_key(ks: &mut Keyspace, args: Args) -> CmdResult<bool> {
    let replace = copy_options(args)?;
    let (src, dst) = (args.get(1), args.get(2));
    let Some(entry) = ks.get(src) else {
        return Ok(false);
    };
    let (value, expire_at) = (entry.value.copied(), entry.expire_at());
    if ks.contains(dst) && !replace {
        return Ok(false);
    }
    ks.insert(dst, value, expire_at);
    Ok(true)
}

/// Test helpers: run a command through its table entry and return the reply bytes.
#[cfg(test)]
pub(crate) mod testing {
    use crate::cmd::{lookup, Exec, OwnedArgs};
    use crate::protocol::reply::Proto;
    use crate::protocol::Reply;
    use crate::storage::Keyspace;

    /// A single-core, single-shard keyspace whose clock reads `now_ms`.
    pub fn keyspace(now_ms: i64) -> Keyspace {
        let mut ks = Keyspace::new(0, 1, 1);
        ks.now_ms = now_ms;
        ks
    }

    /// Runs `parts` as a RESP2 client would send them, arity check included.
    pub fn run(ks: &mut Keyspace, parts: &[&str]) -> String {
        let (_, cmd) = lookup(parts[0].as_bytes()).expect("command in the table");
        let mut reply = Reply::new(Proto::Resp2);
        if !cmd.arity_ok(parts.len()) {
            return format!(
                "-ERR wrong number of arguments for '{}' command\r\n",
                cmd.name
            );
        }
        let args = OwnedArgs::from_parts(parts);
        match cmd.exec {
            Exec::Keyed(handler, _) => handler(ks, args.args(), &mut reply),
            _ => panic!("{} is not keyed", cmd.name),
        }
        String::from_utf8(reply.buf).expect("utf-8 reply")
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{keyspace, run};
    use crate::cmd::lookup;

    #[test]
    fn table_matches_command_info() {
        let (_, rename) = lookup(b"RENAME").unwrap();
        assert_eq!(
            (rename.keys.first, rename.keys.last, rename.keys.step),
            (1, 2, 1)
        );
        let (_, object) = lookup(b"object").unwrap();
        assert_eq!(
            (object.arity, object.keys.first, object.keys.last),
            (-2, 2, 2)
        );
        let mut keys = Vec::new();
        object.keys.for_each(2, |i| keys.push(i));
        assert!(keys.is_empty(), "OBJECT HELP has no key");
    }

    #[test]
    fn del_exists_touch_count_like_redis() {
        let mut ks = keyspace(1_000_000);
        run(&mut ks, &["set", "a", "1"]);
        run(&mut ks, &["set", "b", "2"]);
        assert_eq!(run(&mut ks, &["exists", "b", "b", "nokey"]), ":2\r\n");
        assert_eq!(run(&mut ks, &["touch", "b", "b", "nokey", "c"]), ":2\r\n");
        assert_eq!(run(&mut ks, &["del", "b", "b"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["unlink", "nokey"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["unlink", "a", "b"]), ":1\r\n");
        assert_eq!(
            run(&mut ks, &["del"]),
            "-ERR wrong number of arguments for 'del' command\r\n"
        );
    }

    #[test]
    fn type_names() {
        let mut ks = keyspace(1_000_000);
        run(&mut ks, &["set", "b", "2"]);
        assert_eq!(run(&mut ks, &["type", "b"]), "+string\r\n");
        assert_eq!(run(&mut ks, &["type", "nokey"]), "+none\r\n");
    }

    #[test]
    fn rename_and_renamenx() {
        let mut ks = keyspace(1_000_000);
        run(&mut ks, &["set", "a", "1"]);
        assert_eq!(run(&mut ks, &["rename", "a", "a"]), "+OK\r\n");
        assert_eq!(
            run(&mut ks, &["rename", "nokey", "nokey"]),
            "-ERR no such key\r\n"
        );
        assert_eq!(
            run(&mut ks, &["rename", "nokey", "b"]),
            "-ERR no such key\r\n"
        );
        assert_eq!(run(&mut ks, &["renamenx", "a", "a"]), ":0\r\n");
        assert_eq!(
            run(&mut ks, &["renamenx", "nokey", "nokey"]),
            "-ERR no such key\r\n"
        );
        assert_eq!(run(&mut ks, &["expire", "a", "100"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["rename", "a", "b"]), "+OK\r\n");
        assert_eq!(run(&mut ks, &["ttl", "b"]), ":100\r\n");
        assert_eq!(run(&mut ks, &["exists", "a"]), ":0\r\n");
        run(&mut ks, &["set", "a", "2"]);
        assert_eq!(run(&mut ks, &["renamenx", "a", "b"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["renamenx", "a", "c"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["ttl", "c"]), ":-1\r\n");
        // Overwriting drops the destination's TTL along with its value.
        assert_eq!(run(&mut ks, &["rename", "c", "b"]), "+OK\r\n");
        assert_eq!(run(&mut ks, &["ttl", "b"]), ":-1\r\n");
        assert_eq!(run(&mut ks, &["get", "b"]), "$1\r\n2\r\n");
    }

    #[test]
    fn rename_of_expired_key_is_no_such_key() {
        let mut ks = keyspace(1_000_000);
        run(&mut ks, &["set", "a", "1"]);
        run(&mut ks, &["pexpire", "a", "10"]);
        ks.now_ms += 10;
        assert_eq!(run(&mut ks, &["rename", "a", "b"]), "-ERR no such key\r\n");
    }

    #[test]
    fn copy_options_and_errors() {
        let mut ks = keyspace(1_000_000);
        let same = "-ERR source and destination objects are the same\r\n";
        let db_range = "-ERR DB index is out of range\r\n";
        assert_eq!(run(&mut ks, &["copy", "a", "a"]), same);
        assert_eq!(run(&mut ks, &["copy", "nokey", "nokey"]), same);
        assert_eq!(run(&mut ks, &["copy", "nokey", "b"]), ":0\r\n");
        run(&mut ks, &["set", "a", "5"]);
        run(&mut ks, &["pexpire", "a", "100000"]);
        assert_eq!(run(&mut ks, &["copy", "a", "b"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["pttl", "b"]), ":100000\r\n");
        assert_eq!(run(&mut ks, &["copy", "a", "b"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["copy", "a", "b", "replace"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["copy", "a", "b", "db", "0"]), ":0\r\n");
        assert_eq!(
            run(&mut ks, &["copy", "a", "b", "DB", "0", "REPLACE"]),
            ":1\r\n"
        );
        assert_eq!(run(&mut ks, &["copy", "a", "b", "db", "16"]), db_range);
        assert_eq!(
            run(&mut ks, &["copy", "a", "b", "db", "-2147483648"]),
            db_range
        );
        assert_eq!(run(&mut ks, &["copy", "nokey", "b", "db", "16"]), db_range);
        assert_eq!(run(&mut ks, &["copy", "a", "a", "db", "16"]), db_range);
        assert_eq!(run(&mut ks, &["copy", "a", "a", "db", "0"]), same);
        assert_eq!(
            run(&mut ks, &["copy", "a", "b", "db", "abc"]),
            "-ERR value is not an integer or out of range\r\n"
        );
        assert_eq!(
            run(&mut ks, &["copy", "a", "b", "db", "-2147483649"]),
            "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"
        );
        for extra in [
            &["db"][..],
            &["foo"],
            &["replace", "foo"],
            &["db", "0", "db"],
        ] {
            let mut cmd = vec!["copy", "a", "b"];
            cmd.extend_from_slice(extra);
            assert_eq!(run(&mut ks, &cmd), "-ERR syntax error\r\n", "{cmd:?}");
        }
    }

    #[test]
    fn copy_is_independent_of_the_source() {
        let mut ks = keyspace(1_000_000);
        run(&mut ks, &["set", "a", "hello"]);
        assert_eq!(run(&mut ks, &["copy", "a", "b"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["del", "a"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["get", "b"]), "$5\r\nhello\r\n");
        assert_eq!(run(&mut ks, &["ttl", "b"]), ":-1\r\n");
    }
}
