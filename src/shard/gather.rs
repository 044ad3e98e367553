//! Multi-key commands (SINTER, SUNIONSTORE, SMOVE, LMOVE, LMPOP, ZUNIONSTORE, ZMPOP, BITOP,
//! PFMERGE, ...) whose keys live on several data cores (standalone mode).
//!
//! Runs on the core of the connection that received the command. Under one cross-core
//! transaction ([`Txn`]) it copies the entries of every key into this core's scratch keyspace
//! (private to the core, emptied after each command), runs the command's ordinary synchronous
//! handler there, and writes back each key whose entry changed (stored, replaced or deleted)
//! to the core that owns it. Keys the command only reads (by its key specs) are not written
//! back, so their copy moves into the scratch keyspace; strings that a set, sorted-set or list
//! command can only refuse travel as empty strings ([`STRINGS_UNREAD`]). Because the gates of
//! all involved cores are held throughout, no client sees a half-applied SMOVE or *STORE, and
//! reads see one consistent snapshot. Each handler exists once, whatever the key placement.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use crate::clock;
use crate::cmd::{self, Args, Command, Exec};
use crate::protocol::Reply;
use crate::storage::{Keyspace, Kind, Value};

use super::core::CoreCtx;
use super::txn::Txn;

/// A key's entry as moved between cores: value and expiry time.
type Snapshot = Option<(Value, i64)>;

/// Gathered commands whose handlers never read a string's bytes: a string key is only
/// type-checked (WRONGTYPE) or overwritten. Their string keys travel as an empty string of the
/// same type, so a 512 MB string next to a set is not copied across cores to be refused. An
/// unchanged stub is never written back (see [`run_in`]); a handler that stores the key
/// replaces it whole.
const STRINGS_UNREAD: &[&str] = &[
    "sinter",
    "sinterstore",
    "sunion",
    "sunionstore",
    "sdiff",
    "sdiffstore",
    "sintercard",
    "smove",
    "zunion",
    "zunionstore",
    "zinter",
    "zinterstore",
    "zdiff",
    "zdiffstore",
    "zintercard",
    "zrangestore",
    "zmpop",
    "lmove",
    "rpoplpush",
    "lmpop",
];

thread_local! {
    /// This core's scratch keyspace, kept empty between commands (building one allocates a
    /// table per slot).
    static SCRATCH: RefCell<Option<Keyspace>> = const { RefCell::new(None) };
}

/// The keys `cmd` may change: those with an occurrence whose key spec (redis-server's, as
/// COMMAND INFO shows it) is not read-only. `None` when the command has no key specs.
fn written_keys(cmd: &Command, args: Args) -> Option<Vec<Vec<u8>>> {
    let meta = cmd::meta::lookup(cmd.name.as_bytes())?;
    let line: Vec<&[u8]> = args.iter().collect();
    let mut written = Vec::new();
    cmd::meta::for_each_key(meta, &line, |i, spec| {
        if !cmd::meta::key_flags(meta, spec, &line).contains(&"RO") {
            written.push(line[i].to_vec());
        }
    })
    .ok()?;
    Some(written)
}

/// Runs `cmd` over keys spread across cores, appending its reply to `out`.
pub async fn run(
    ctx: &Rc<CoreCtx>,
    cmd: &'static Command,
    args: Args<'_>,
    no_touch: bool,
    out: &mut Reply,
) {
    let mut cores: Vec<usize> = Vec::new();
    cmd::for_each_key(cmd, args, |i| cores.push(ctx.core_of_key(args.get(i))));
    let Some(txn) = Txn::begin_or_busy(ctx, cores).await else {
        return out.error(crate::script::state::BUSY_ERR);
    };
    run_in(ctx, &txn, cmd, args, no_touch, out).await;
    txn.end().await;
}

/// [`run`] under a transaction that already holds the gates of every core owning a key of
/// the command (EXEC runs its queued commands this way).
pub async fn run_in(
    ctx: &Rc<CoreCtx>,
    txn: &Txn,
    cmd: &'static Command,
    args: Args<'_>,
    no_touch: bool,
    out: &mut Reply,
) {
    let Exec::Keyed(handler, _) = cmd.exec else {
        unreachable!("only keyed commands are gathered");
    };
    let mut keys: Vec<Vec<u8>> = Vec::new();
    cmd::for_each_key(cmd, args, |i| keys.push(args.get(i).to_vec()));
    keys.sort_unstable();
    keys.dedup();
    let cores: Vec<usize> = keys.iter().map(|k| ctx.core_of_key(k)).collect();
    let written: Vec<bool> = match written_keys(cmd, args) {
        Some(mut w) => {
            w.sort_unstable();
            keys.iter().map(|k| w.binary_search(k).is_ok()).collect()
        }
        None => vec![true; keys.len()],
    };

    let stub_strings = STRINGS_UNREAD.contains(&cmd.name);
    let mut before: Vec<Snapshot> = Vec::with_capacity(keys.len());
    for (key, &core) in keys.iter().zip(&cores) {
        let k = key.clone();
        let entry = txn
            .run(core, move |c| {
                let mut ks = c.keyspace();
                ks.no_touch = no_touch;
                ks.get(&k).map(|e| {
                    let value = if stub_strings && e.value.kind() == Kind::String {
                        Value::Raw(Vec::new())
                    } else {
                        e.value.clone()
                    };
                    (value, e.expire_at())
                })
            })
            .await;
        before.push(entry);
    }
    let after = SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        let scratch = slot.get_or_insert_with(|| Keyspace::new(0, 1, 1));
        scratch.now_ms = clock::unix_ms();
        scratch.no_touch = no_touch;
        scratch.limits = ctx.ks.borrow().limits;
        // A key the command only reads moves into the scratch keyspace and is never written
        // back; debug builds keep a copy and check that it indeed did not change.
        for ((key, entry), &w) in keys.iter().zip(before.iter_mut()).zip(&written) {
            let value = if w || cfg!(debug_assertions) {
                entry.clone()
            } else {
                entry.take()
            };
            if let Some((value, expire_at)) = value {
                scratch.insert(key, value, expire_at);
            }
        }
        let start = out.buf.len();
        let ran = catch_unwind(AssertUnwindSafe(|| handler(scratch, args, out)));
        // Taking the entries out empties the scratch keyspace without copying them again.
        let entries: Vec<Snapshot> = keys
            .iter()
            .map(|key| {
                scratch.remove(key).map(|e| {
                    let at = e.expire_at();
                    (e.value, at)
                })
            })
            .collect();
        let after: Option<(Vec<Snapshot>, Option<Vec<u8>>)> = ran.is_ok().then(|| {
            let forced = cmd::txn::forced_change(cmd, args, &out.buf[start..]);
            (entries, forced.map(<[u8]>::to_vec))
        });
        if after.is_none() {
            out.buf.truncate(start);
            out.error("ERR internal error while executing the command");
        }
        after
    });
    if let Some((after, forced)) = after {
        let all = keys
            .into_iter()
            .zip(&cores)
            .zip(before)
            .zip(after)
            .zip(written);
        for ((((key, &core), old), new), w) in all {
            if !w {
                debug_assert!(
                    old == new,
                    "{} changed its read-only key {:?}",
                    cmd.name,
                    String::from_utf8_lossy(&key)
                );
                continue;
            }
            if new == old {
                // A write redis-server counts as a change even though the value is the same:
                // only WATCH sees it. A key absent before and after did not change.
                if forced.as_ref() == Some(&key) && old.is_some() {
                    txn.run(core, move |c| c.keyspace().watches.touch(&key))
                        .await;
                }
                continue;
            }
            txn.run(core, move |c| {
                let mut ks = c.keyspace();
                match new {
                    Some((value, expire_at)) => {
                        ks.insert(&key, value, expire_at);
                    }
                    None => {
                        ks.remove(&key);
                    }
                }
            })
            .await;
        }
    }
}
