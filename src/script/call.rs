//! Runs the commands a script calls (`redis.call` / `redis.pcall`) on the data cores.
//!
//! Runs on the data core that runs the script, under its transaction holding every core's
//! gate: a keyed command runs as a step on the core owning its keys (several cores: on
//! gathered copies), the keyspace-wide commands DBSIZE, KEYS, SCAN, FLUSHALL, FLUSHDB and INFO
//! run over every core (SCAN over the one its cursor names), PUBLISH delivers through the
//! transaction, and connection commands (PING, ECHO, TIME, SELECT) run in place. Checks come
//! first, in redis-server's order, with its texts.

use std::rc::Rc;
use std::sync::atomic::Ordering;

use crate::cluster::view::{Query, Redirect, Route};
use crate::cmd::{self, meta, Exec, GlobalCmd, OwnedArgs, PubSubCmd};
use crate::net::multi::Queued;
use crate::net::session::{self, Session};
use crate::protocol::Reply;
use crate::shard::core::CoreCtx;
use crate::shard::pubsub::{self, Space};
use crate::shard::txn::Txn;
use crate::shard::{exec_txn, gather};
use crate::topology::key_slot;

use super::state;

/// Commands redis-server flags `may_replicate` that a script may call (the others, such as
/// EVAL and FCALL, are `noscript`). COMMAND INFO does not show the flag, so the command table
/// does not carry it: read-only scripts refuse these as they refuse writes.
const MAY_REPLICATE: &[&str] = &["publish", "spublish", "pfcount"];

/// What one script run remembers between its calls.
pub struct RunState {
    /// Cluster mode: the slot of the keys the script declared or first touched.
    pub slot: Option<u16>,
}

/// A call's reply or the error that stopped it, as RESP bytes.
type Outcome = Vec<u8>;

fn error(text: &str) -> Outcome {
    let mut r = Reply::small(crate::protocol::Proto::Resp2);
    r.error(text);
    r.buf
}

/// Options of one call, as the running script passes them.
pub struct CallOpts {
    pub resp3: bool,
    pub read_only: bool,
    pub cross_slot: bool,
}

/// Runs one command for the script and returns its reply bytes.
pub async fn execute(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    txn: &Txn,
    argv: &[Vec<u8>],
    opts: CallOpts,
    run: &mut RunState,
) -> Outcome {
    let Some((id, cmd)) = cmd::lookup(&argv[0]) else {
        return error("ERR Unknown Redis command called from script");
    };
    let line: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
    let meta = meta::resolve(&line);
    let arity_ok = cmd.arity_ok(argv.len()) && meta.is_none_or(|m| m.arity_ok(argv.len()));
    if !arity_ok {
        return error("ERR Wrong number of args calling Redis command from script");
    }
    let Some(meta) = meta else {
        return error("ERR Unknown Redis command called from script");
    };
    if meta.has_flag("noscript") {
        return error("ERR This Redis command is not allowed from script");
    }
    let write = meta.has_flag("write");
    if opts.read_only && (write || MAY_REPLICATE.contains(&meta.name)) {
        return error("ERR Write commands are not allowed from read-only scripts.");
    }
    if write {
        state::WROTE.store(true, Ordering::Relaxed);
    }
    let owned = OwnedArgs::from_parts(argv);
    let args = owned.args();
    if ctx.cluster.enabled() {
        if let Some(err) = cluster_check(ctx, sess, cmd, &args, write, opts.cross_slot, run) {
            return error(err);
        }
    }
    let proto = if opts.resp3 {
        crate::protocol::Proto::Resp3
    } else {
        crate::protocol::Proto::Resp2
    };
    let mut out = Reply::small(proto);
    let no_touch = sess.handle.no_touch.get();
    match cmd.exec {
        Exec::Keyed(..) => {
            let mut cores: Vec<usize> = Vec::new();
            cmd::for_each_key(cmd, args, |i| {
                let core = ctx.core_of_key(args.get(i));
                if !cores.contains(&core) {
                    cores.push(core);
                }
            });
            if cores.len() > 1 {
                gather::run_in(ctx, txn, cmd, args, no_touch, &mut out).await;
            } else {
                let core = cores.first().copied().unwrap_or(ctx.core);
                return txn
                    .run(core, move |c| {
                        let mut r = Reply::small(proto);
                        c.exec_keyed(id, cmd, owned.args(), &mut r, no_touch);
                        r.buf
                    })
                    .await;
            }
        }
        Exec::Session(which) => {
            session::exec(ctx, sess, which, args, &mut out);
        }
        Exec::Global(
            which @ (GlobalCmd::DbSize
            | GlobalCmd::Keys
            | GlobalCmd::Scan
            | GlobalCmd::RandomKey
            | GlobalCmd::Info
            | GlobalCmd::FlushAll
            | GlobalCmd::FlushDb),
        ) => {
            let q = Queued {
                id,
                cmd,
                args: owned.clone(),
            };
            exec_txn::keyspace_global(ctx, txn, which, &q, &mut out).await;
        }
        Exec::PubSub(which @ (PubSubCmd::Publish | PubSubCmd::SPublish)) => {
            let space = if which == PubSubCmd::Publish {
                Space::Global
            } else {
                Space::Shard
            };
            let began = crate::clock::ticks();
            let n = pubsub::publish_in(ctx, txn, space, args.get(1), args.get(2)).await;
            out.int(n as i64);
            ctx.stats.record(id, &args, &out.buf, began);
        }
        Exec::Global(GlobalCmd::Cluster)
            if crate::cluster::command::exec_in_script(ctx, args, &mut out) => {}
        _ => {
            return error("ERR This Redis command is not supported from scripts by SoliKV");
        }
    }
    out.buf
}

/// Cluster mode: the keys of a call must be served here and share the script's slot.
fn cluster_check(
    ctx: &CoreCtx,
    sess: &Session,
    cmd: &cmd::Command,
    args: &cmd::Args,
    write: bool,
    cross_slot: bool,
    run: &mut RunState,
) -> Option<&'static str> {
    let mut keys: Vec<&[u8]> = Vec::new();
    cmd::for_each_key(cmd, *args, |i| keys.push(args.get(i)));
    let first = keys.first()?;
    let q = Query {
        write,
        asking: false,
        readonly: sess.readonly,
    };
    match ctx.cluster.view().route(keys.iter().copied(), q) {
        Route::Redirect(Redirect::Down) => {
            return Some("ERR Script attempted to execute a command while the cluster is down")
        }
        Route::Redirect(Redirect::DownReadOnly) => {
            return Some(
                "ERR Script attempted to execute a write command while the cluster is down and readonly",
            )
        }
        Route::Redirect(_) => return Some("ERR Script attempted to access a non local key in a cluster node"),
        Route::Here | Route::NeedsKeys(_) => {}
    }
    let slot = key_slot(first).0;
    match run.slot {
        None => run.slot = Some(slot),
        Some(s) if s != slot && !cross_slot => {
            return Some("ERR Script attempted to access keys that do not hash to the same slot")
        }
        Some(_) => {}
    }
    None
}
