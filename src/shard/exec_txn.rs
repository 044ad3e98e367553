//! EXEC: runs a connection's queued MULTI commands as one atomic step.
//!
//! Runs on the connection's data core. The transaction takes the gates of every core that owns
//! a key of a queued command or a watched key (a [`Txn`], ascending core order), checks the
//! watched keys' marks there and unregisters them, then runs the commands in order: keyed
//! commands on the core owning their keys (several cores: through [`gather::run_in`]),
//! connection commands here, and releases the gates. No other client sees part of it. When
//! every key lives on this core the whole EXEC runs synchronously without a transaction.
//!
//! A transaction holding a server-wide command takes every core's gate. DBSIZE, FLUSHALL,
//! FLUSHDB and KEYS then run under it like the keyed commands. The others (INFO, CLIENT,
//! CONFIG, SCAN, RANDOMKEY, DEBUG, CLUSTER) fan out over the data links, which wait while a
//! gate is held: EXEC releases its gates around each of them and takes them again after, so a
//! transaction holding one of those is atomic only between them. PUBLISH, SPUBLISH and PUBSUB
//! are treated the same way; the other Pub/Sub commands only touch the connection.

use std::rc::Rc;

use crate::clock;
use crate::cluster::{self, view::Route};
use crate::cmd::keys::keys_part;
use crate::cmd::{self, CmdError, Exec, GlobalCmd, PubSubCmd, WRITE};
use crate::glob::glob_match;
use crate::net::multi::{Queued, WatchedKey};
use crate::net::session::{self, Flow, Session};
use crate::net::subscriber;
use crate::protocol::Reply;
use crate::storage::watch::WatchMark;

use super::core::CoreCtx;
use super::gather;
use super::global;
use super::txn::Txn;

/// Cluster mode: all keys of the queued commands must hash to one slot this node serves.
/// Returns the error EXEC answers (and discards the transaction with) otherwise.
pub async fn cluster_check(
    ctx: &Rc<CoreCtx>,
    sess: &Session,
    asking: bool,
    cmds: &[Queued],
) -> Option<String> {
    if !ctx.cluster.enabled() {
        return None;
    }
    let mut keys: Vec<&[u8]> = Vec::new();
    // Shard channels (SPUBLISH's) count for the slot, as redis-server's key specs make them,
    // but not as keys that exist or are missing.
    let mut channels: Vec<&[u8]> = Vec::new();
    let mut write = false;
    for q in cmds {
        let args = q.args.args();
        match q.cmd.exec {
            Exec::Keyed(..) | Exec::Script(_) => {
                write |= q.cmd.flags & WRITE != 0;
                cmd::for_each_key(q.cmd, args, |i| keys.push(args.get(i)));
            }
            // Only the shard commands have a key range (their channels).
            Exec::PubSub(_) => cmd::for_each_key(q.cmd, args, |i| channels.push(args.get(i))),
            _ => {}
        }
    }
    let query = cluster::view::Query {
        write,
        asking,
        readonly: sess.readonly,
    };
    let all = keys.iter().chain(channels.iter()).copied();
    let route = ctx.cluster.view().route(all, query);
    let slot = match route {
        Route::Redirect(r) => return Some(r.text()),
        Route::Here => return None,
        Route::NeedsKeys(slot) => slot,
    };
    // A migrating or importing slot: the answer depends on which keys exist here.
    let total = keys.len();
    if total == 0 {
        return match ctx.cluster.view().route_unstable(slot, 0, 0, query) {
            Route::Redirect(r) => Some(r.text()),
            Route::Here | Route::NeedsKeys(_) => None,
        };
    }
    let owned: Vec<Vec<u8>> = keys.iter().map(|k| k.to_vec()).collect();
    let core = ctx.core_of_key(&owned[0]);
    let existing = ctx
        .on_core(core, move |c| {
            let mut ks = c.keyspace();
            owned.iter().filter(|k| ks.contains(k)).count()
        })
        .await;
    let route = ctx
        .cluster
        .view()
        .route_unstable(slot, existing, total - existing, query);
    match route {
        Route::Redirect(r) => Some(r.text()),
        Route::Here | Route::NeedsKeys(_) => None,
    }
}

/// The cores a queued command's keys live on (empty for keyless commands).
fn cores_of(ctx: &CoreCtx, q: &Queued) -> Vec<usize> {
    let mut cores = Vec::new();
    if matches!(q.cmd.exec, Exec::Keyed(..)) {
        let args = q.args.args();
        cmd::for_each_key(q.cmd, args, |i| {
            let core = ctx.core_of_key(args.get(i));
            if !cores.contains(&core) {
                cores.push(core);
            }
        });
    }
    cores
}

/// A watched key and the mark WATCH took.
pub type Marked = (Vec<u8>, WatchMark);

/// Checks the watched keys owned by `c` against their marks, and with `unregister` drops
/// their registrations.
pub fn check_watches(c: &CoreCtx, keys: &[Marked], unregister: bool) -> bool {
    let mut ks = c.keyspace();
    let mut unchanged = true;
    for (key, mark) in keys {
        let expired_now = ks.stored_expired(key) == Some(true);
        unchanged &= ks.watches.unchanged(key, *mark, expired_now);
        if unregister {
            ks.watches.unwatch(key);
        }
    }
    unchanged
}

/// Runs the queued commands (EXEC after the queue-time checks), appending the reply.
pub async fn run(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    cmds: Vec<Queued>,
    watched: Vec<WatchedKey>,
    out: &mut Reply,
) -> Flow {
    let per_cmd: Vec<Vec<usize>> = cmds.iter().map(|q| cores_of(ctx, q)).collect();
    let mut cores: Vec<usize> = per_cmd.iter().flatten().copied().collect();
    cores.extend(watched.iter().map(|w| w.core));
    cores.sort_unstable();
    cores.dedup();
    let has_global = cmds
        .iter()
        .any(|q| matches!(q.cmd.exec, Exec::Global(_) | Exec::Script(_)));
    let has_pubsub = cmds.iter().any(|q| matches!(q.cmd.exec, Exec::PubSub(_)));
    let mut watch_groups: Vec<(usize, Vec<Marked>)> = Vec::new();
    for w in watched {
        match watch_groups.iter_mut().find(|(c, _)| *c == w.core) {
            Some((_, keys)) => keys.push((w.key, w.mark)),
            None => watch_groups.push((w.core, vec![(w.key, w.mark)])),
        }
    }

    if !has_global && !has_pubsub && cores.iter().all(|&c| c == ctx.core) {
        // Everything is here: one synchronous step after the gate opens is atomic.
        ctx.gate.opened().await;
        let unchanged = watch_groups
            .iter()
            .fold(true, |all, (_, keys)| check_watches(ctx, keys, true) && all);
        if !unchanged {
            out.null_array();
            return Flow::Continue;
        }
        out.array(cmds.len());
        let no_touch = sess.handle.no_touch.get();
        // Blocked clients are served after the whole transaction, as in redis-server.
        let _defer = super::blocking::Defer::new(ctx);
        for q in &cmds {
            match q.cmd.exec {
                Exec::Keyed(..) => ctx.exec_keyed(q.id, q.cmd, q.args.args(), out, no_touch),
                _ => run_connection_cmd(ctx, sess, q, out),
            }
        }
        return Flow::Continue;
    }

    // Keyed commands whose key count is malformed have no keys and answer their error here.
    cores.push(ctx.core);
    if has_global {
        cores = (0..ctx.ncores).collect();
    }
    let mut txn = Txn::begin(ctx, cores.clone()).await;
    let mut unchanged = true;
    for (core, keys) in watch_groups {
        unchanged &= txn.run(core, move |c| check_watches(c, &keys, true)).await;
    }
    if !unchanged {
        txn.end().await;
        out.null_array();
        return Flow::Continue;
    }
    out.array(cmds.len());
    for (q, keyed_cores) in cmds.iter().zip(&per_cmd) {
        let no_touch = sess.handle.no_touch.get();
        match q.cmd.exec {
            Exec::Keyed(..) if keyed_cores.len() > 1 => {
                gather::run_in(ctx, &txn, q.cmd, q.args.args(), no_touch, out).await;
            }
            Exec::Keyed(..) => {
                let core = keyed_cores.first().copied().unwrap_or(ctx.core);
                let (id, cmd, args, proto) = (q.id, q.cmd, q.args.clone(), out.proto);
                let reply = txn
                    .run(core, move |c| {
                        let mut r = Reply::new(proto);
                        c.exec_keyed(id, cmd, args.args(), &mut r, no_touch);
                        r.buf
                    })
                    .await;
                out.raw(&reply);
            }
            Exec::Global(which) if keyspace_global(ctx, &txn, which, q, out).await => {}
            Exec::Global(which) => {
                txn.end().await;
                let (start, began) = (out.len(), clock::ticks());
                global::exec(ctx, sess, which, q.args.args(), out).await;
                ctx.stats
                    .record(q.id, &q.args.args(), &out.buf[start..], began);
                txn = Txn::begin(ctx, cores.clone()).await;
            }
            Exec::PubSub(which) => {
                txn = pubsub_cmd(ctx, sess, txn, &cores, which, q, out).await;
            }
            Exec::Script(which) => {
                crate::script::exec_in(ctx, sess, &txn, which, q.id, q.args.args(), out).await;
            }
            _ => run_connection_cmd(ctx, sess, q, out),
        }
    }
    txn.end().await;
    Flow::Continue
}

/// Runs DBSIZE, FLUSHALL, FLUSHDB, KEYS, SCAN, RANDOMKEY or INFO under `txn`, which holds every core;
/// false for the other server-wide commands.
pub(crate) async fn keyspace_global(
    ctx: &CoreCtx,
    txn: &Txn,
    which: GlobalCmd,
    q: &Queued,
    out: &mut Reply,
) -> bool {
    let args = q.args.args();
    let (start, began) = (out.len(), clock::ticks());
    match which {
        GlobalCmd::DbSize => {
            let mut total = 0;
            for core in 0..ctx.ncores {
                total += txn.run(core, |c| c.ks.borrow().len()).await;
            }
            out.int(total as i64);
        }
        GlobalCmd::FlushAll | GlobalCmd::FlushDb => {
            let mode_ok = args.len() == 1 || args.is(1, "sync") || args.is(1, "async");
            if args.len() > 2 || !mode_ok {
                out.error_bytes(&CmdError::Syntax.bytes());
            } else {
                for core in 0..ctx.ncores {
                    txn.run(core, |c| c.ks.borrow_mut().clear()).await;
                }
                out.ok();
            }
        }
        GlobalCmd::Keys => {
            let mut found = Vec::new();
            for core in 0..ctx.ncores {
                let pattern = args.get(1).to_vec();
                found.extend(
                    txn.run(core, move |c| {
                        let mut part = Vec::new();
                        let ks = c.keyspace();
                        keys_part(&ks, &|k| glob_match(&pattern, k, false), &mut part);
                        part
                    })
                    .await,
                );
            }
            out.array(found.len());
            for key in &found {
                out.bulk(key);
            }
        }
        GlobalCmd::RandomKey => {
            let seed = clock::unix_us() as u64;
            let mut sizes = Vec::with_capacity(ctx.ncores);
            for core in 0..ctx.ncores {
                sizes.push(txn.run(core, |c| c.ks.borrow().len()).await);
            }
            let key = match global::random_core(&sizes, seed) {
                Some(core) => txn.run(core, move |c| c.keyspace().random_key(seed)).await,
                None => None,
            };
            match key {
                Some(k) => out.bulk(&k),
                None => out.null(),
            }
        }
        GlobalCmd::Info => super::info::info_in(ctx, txn, args, out).await,
        GlobalCmd::Scan => match global::ScanStep::plan(ctx, args) {
            Err(e) => out.error_bytes(&e.bytes()),
            Ok(None) => global::write_scan(out, 0, &[]),
            Ok(Some((core, step))) => {
                let (keys, cursor) = txn.run(core, move |c| step.run(c)).await;
                global::write_scan(out, cursor, &keys);
            }
        },
        _ => return false,
    }
    ctx.stats
        .record(q.id, &q.args.args(), &out.buf[start..], began);
    true
}

/// A queued Pub/Sub command. PUBLISH, SPUBLISH and PUBSUB reach the other cores over the data
/// links, so the gates are released around them as for the fan-out server-wide commands.
/// SSUBSCRIBE is refused, as redis-server refuses it to a client in a transaction.
async fn pubsub_cmd(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    mut txn: Txn,
    cores: &[usize],
    which: PubSubCmd,
    q: &Queued,
    out: &mut Reply,
) -> Txn {
    let (start, began) = (out.len(), clock::ticks());
    match which {
        PubSubCmd::SSubscribe => out.error_bytes(
            &CmdError::other("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client").bytes(),
        ),
        PubSubCmd::Publish | PubSubCmd::SPublish | PubSubCmd::PubSub => {
            txn.end().await;
            subscriber::exec(ctx, sess, which, q.cmd, q.args.args(), false, out).await;
            txn = Txn::begin(ctx, cores.to_vec()).await;
        }
        _ => {
            subscriber::exec(ctx, sess, which, q.cmd, q.args.args(), false, out).await;
        }
    }
    ctx.stats
        .record(q.id, &q.args.args(), &out.buf[start..], began);
    txn
}

/// A queued connection command (PING, ECHO, HELLO, UNWATCH, ...), run in place.
fn run_connection_cmd(ctx: &CoreCtx, sess: &mut Session, q: &Queued, out: &mut Reply) {
    let (start, began) = (out.len(), clock::ticks());
    match q.cmd.exec {
        Exec::Session(which) => {
            session::exec(ctx, sess, which, q.args.args(), out);
        }
        // UNWATCH is the one transaction command that is queued; EXEC unwatches anyway.
        _ => out.ok(),
    }
    ctx.stats
        .record(q.id, &q.args.args(), &out.buf[start..], began);
}
