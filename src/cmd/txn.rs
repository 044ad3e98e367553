//! Table entries for the transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! They act on the connection's transaction state and, for EXEC and WATCH, on the cores that
//! own the keys involved, so their handlers live in `net::multi` and `shard::exec_txn`. What
//! lives here is synchronous: [`run_watched_write`], which tells the watched-key registry
//! about writes that change a value in place.

use super::{for_each_key, Args, Command, Exec, KeyRange, KeyedHandler};
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// The transaction commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxnCmd {
    Multi,
    Exec,
    Discard,
    Watch,
    Unwatch,
}

const fn txn(name: &'static str, arity: i32, keys: KeyRange, cmd: TxnCmd) -> Command {
    Command {
        name,
        arity,
        keys,
        flags: 0,
        exec: Exec::Txn(cmd),
    }
}

pub const COMMANDS: &[Command] = &[
    txn("multi", 1, KeyRange::NONE, TxnCmd::Multi),
    txn("exec", 1, KeyRange::NONE, TxnCmd::Exec),
    txn("discard", 1, KeyRange::NONE, TxnCmd::Discard),
    txn("watch", -2, KeyRange::ALL, TxnCmd::Watch),
    txn("unwatch", 1, KeyRange::NONE, TxnCmd::Unwatch),
];

/// A key's value and expiry time, compared before and after a write.
type Snapshot = (Value, i64);

/// Commands redis-server reports as a change of their key whenever they succeed, even when
/// the value stays the same (INCRBY 0, HSET of an equal value, ...), and that may leave the
/// entry as it was. (SET and its kin need no entry here: every store through
/// [`Keyspace::insert`] or [`Keyspace::insert_keep_ttl`] reports itself to WATCH.)
const ALWAYS_CHANGE: &[&str] = &[
    "append",
    "incr",
    "decr",
    "incrby",
    "decrby",
    "incrbyfloat",
    "hset",
    "hmset",
    "hincrby",
    "hincrbyfloat",
    "lset",
    "ltrim",
    "lmove",
    "rpoplpush",
    "setrange",
    "pfmerge",
];

/// Commands that change their destination whenever they report a non-zero count.
const CHANGE_UNLESS_ZERO: &[&str] = &[
    "sinterstore",
    "sunionstore",
    "sdiffstore",
    "copy",
    "zunionstore",
    "zinterstore",
    "zdiffstore",
    "zrangestore",
    "bitop",
];

/// Runs a write command on a core where some keys are watched, and reports each watched key
/// of the command that the command changed. Replacing or removing an entry is reported by the
/// keyspace itself; this catches changes made in place through [`Keyspace::get`] by comparing
/// the watched keys' entries before and after, plus the successful writes redis-server counts
/// as changes even when they leave the value as it was.
pub fn run_watched_write(
    ks: &mut Keyspace,
    cmd: &Command,
    handler: KeyedHandler,
    args: Args,
    reply: &mut Reply,
) {
    let mut watched: Vec<(&[u8], Option<Snapshot>)> = Vec::new();
    for_each_key(cmd, args, |i| {
        let key = args.get(i);
        if ks.watches.contains(key) && !watched.iter().any(|(k, _)| *k == key) {
            watched.push((key, ks.peek(key).map(|e| (e.value.clone(), e.expire_at()))));
        }
    });
    let start = reply.buf.len();
    handler(ks, args, reply);
    if watched.is_empty() {
        return;
    }
    let forced = forced_change(cmd, args, &reply.buf[start..]);
    for (key, before) in watched {
        let after = ks.peek(key).map(|e| (e.value.clone(), e.expire_at()));
        // A key absent before and after was not changed, whatever the command answered
        // (LTRIM of a missing key answers +OK).
        let existed = before.is_some() || after.is_some();
        if (forced == Some(key) && existed) || !same(&before, &after) {
            ks.watches.touch(key);
        }
    }
}

/// Whether a key's entry is unchanged. A string whose bytes stay the same is unchanged even
/// when an in-place edit (SETBIT, BITFIELD) changed its encoding, as redis-server sees it.
fn same(before: &Option<Snapshot>, after: &Option<Snapshot>) -> bool {
    match (before, after) {
        (Some((a, a_exp)), Some((b, b_exp))) => {
            a_exp == b_exp
                && match (a.str_bytes(), b.str_bytes()) {
                    (Some(x), Some(y)) => x.as_slice() == y.as_slice(),
                    _ => a == b,
                }
        }
        (None, None) => true,
        _ => false,
    }
}

/// The key a write that answered `answer` changed in redis-server's eyes even when its value
/// stays the same (`None` when only a different value counts).
pub fn forced_change<'a>(cmd: &Command, args: Args<'a>, answer: &[u8]) -> Option<&'a [u8]> {
    let failed = matches!(answer.first(), Some(b'-') | Some(b'_'))
        || answer.starts_with(b"$-1")
        || answer.starts_with(b"*-1");
    if failed {
        None
    } else if CHANGE_UNLESS_ZERO.contains(&cmd.name) {
        let dst = if matches!(cmd.name, "copy" | "bitop") {
            2
        } else {
            1
        };
        (answer != b":0\r\n").then(|| args.get(dst))
    } else if matches!(cmd.name, "lmove" | "rpoplpush" | "blmove" | "brpoplpush") {
        Some(args.get(2))
    } else if cmd.name == "setrange" && args.get(3).is_empty() {
        None
    } else if ALWAYS_CHANGE.contains(&cmd.name) {
        Some(args.get(1))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::lookup;
    use crate::protocol::reply::Proto;
    use crate::storage::watch::WatchMark;

    /// Runs `line` as the command table would on a core where `watched` keys are watched, and
    /// returns which of them still carry their mark.
    fn unchanged_after(ks: &mut Keyspace, line: &str, watched: &[&str]) -> Vec<bool> {
        let marks: Vec<WatchMark> = watched
            .iter()
            .map(|k| ks.watches.watch(k.as_bytes(), false))
            .collect();
        let owned = crate::cmd::OwnedArgs::from_parts(line.split(' '));
        let args = owned.args();
        let (_, cmd) = lookup(args.get(0)).expect("known command");
        let Exec::Keyed(handler, _) = cmd.exec else {
            panic!("{line} is not keyed");
        };
        let mut reply = Reply::new(Proto::Resp2);
        run_watched_write(ks, cmd, handler, args, &mut reply);
        let result = watched
            .iter()
            .zip(marks)
            .map(|(k, m)| ks.watches.unchanged(k.as_bytes(), m, false))
            .collect();
        for k in watched {
            ks.watches.unwatch(k.as_bytes());
        }
        result
    }

    fn run(ks: &mut Keyspace, line: &str) {
        unchanged_after(ks, line, &[]);
    }

    #[test]
    fn in_place_writes_count_as_changes_as_in_redis() {
        let mut ks = Keyspace::new(0, 1, 1);
        run(&mut ks, "SADD s a");
        assert_eq!(unchanged_after(&mut ks, "SADD s a", &["s"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "SADD s b", &["s"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "SREM s zz", &["s"]), [true]);
        run(&mut ks, "HSET h f v");
        assert_eq!(unchanged_after(&mut ks, "HSET h f v", &["h"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "HDEL h zz", &["h"]), [true]);
        run(&mut ks, "SET n 1");
        assert_eq!(unchanged_after(&mut ks, "INCRBY n 0", &["n"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "SET n 2 NX", &["n"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "SET n 2 NX GET", &["n"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "SET n 1 XX GET", &["n"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "SET m 1 NX GET", &["m"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "SET m 1 KEEPTTL", &["m"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "GETSET m 1", &["m"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "SETEX m 100 1", &["m"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "SETRANGE n 0 ", &["n"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "GETEX n PERSIST", &["n"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "GETEX n EX 100", &["n"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "GETEX n PERSIST", &["n"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "APPEND n x", &["n"]), [false]);
        assert_eq!(
            unchanged_after(&mut ks, "SINTERSTORE d s s", &["s", "d"]),
            [true, false]
        );
        run(&mut ks, "RPUSH l a b");
        assert_eq!(unchanged_after(&mut ks, "LREM l 0 zz", &["l"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "LTRIM l 0 -1", &["l"]), [false]);
        assert_eq!(unchanged_after(&mut ks, "LTRIM nol 0 -1", &["nol"]), [true]);
        assert_eq!(unchanged_after(&mut ks, "RPOPLPUSH l l", &["l"]), [false]);
        run(&mut ks, "RPUSH one a");
        assert_eq!(
            unchanged_after(&mut ks, "BRPOPLPUSH one one 1", &["one"]),
            [false]
        );
        assert_eq!(
            unchanged_after(&mut ks, "BLMOVE one one LEFT LEFT 1", &["one"]),
            [false]
        );
        assert_eq!(unchanged_after(&mut ks, "RENAME l l", &["l"]), [true]);
        assert!(ks.watches.is_empty());
    }
}
