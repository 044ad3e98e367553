//! Lua scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, with redis-server 7.0's
//! semantics.
//!
//! # Design
//!
//! The interpreter is Lua 5.1 (the version Redis embeds), through the `mlua` crate with a
//! vendored Lua built from source. Every data core has its own Lua state (`engine`), and a
//! script runs on the core that received EVAL:
//!
//! * A script must be atomic across data cores and may touch any key, declared or not. The
//!   data core that receives EVAL takes the gates of **every** data core (a cross-core
//!   transaction, `shard::txn`, as EXEC does), so no other command runs anywhere until the
//!   script ends; each `redis.call` runs as a step of the transaction on the core owning the
//!   keys (on this core, in place).
//! * The script runs in a stackful coroutine on the core's own thread, which hands control
//!   back to the core's executor at each `redis.call` (the core runs the command, then
//!   resumes the script with its reply) and at each count hook. So a long script does not
//!   stop the core: its other connections wait for the gates asynchronously, after
//!   `busy-reply-threshold` they are answered `-BUSY`, and SCRIPT KILL (which never waits
//!   for a gate) reaches the script from any connection, on any core, even with a single
//!   data core.
//!
//! Until 2026-12 the interpreter lived on a thread of its own, and each `redis.call` was two
//! thread hand-offs: an EVAL cost about twice redis-server's CPU. Scripts are serialized
//! server-wide, as in redis-server. The script cache is the server's: SCRIPT LOAD, and EVAL
//! of a new body, hand the body to every core under the same transaction.
//!
//! Module map: `engine` (Lua state per core, coroutine runs, cache), `prelude.lua` (sandbox:
//! read-only globals, `redis.call`/`pcall` wrappers, error handler), `library` (`redis.*`
//! functions, `bit`), `cjson`, `cmsgpack` and `structlib` (the other bundled libraries;
//! `auxlib` gives them lauxlib's argument checks and errors), `random` (redis-server's
//! generator behind `math.random`), `convert` (RESP ↔ Lua), `shebang` (`#!lua flags=`),
//! `call` (runs called commands on the cores), `state` (running/busy/kill flags shared by all
//! cores). This file drives a run from the data core: argument checks, the transaction, the
//! loop that serves a run's calls and pauses, SCRIPT.

mod auxlib;
mod call;
mod cjson;
mod cmsgpack;
mod convert;
mod engine;
mod library;
mod random;
mod shebang;
pub mod state;
mod structlib;

use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::cmd::scripting::ScriptCmd;
use crate::cmd::{self, Args, CmdError};
use crate::net::session::{Flow, Session};
use crate::protocol::{number::parse_i64, Proto, Reply};
use crate::shard::core::CoreCtx;
use crate::shard::mesh::{BatchReply, RemoteBatch};
use crate::shard::txn::Txn;
use crate::topology::key_slot;

use engine::{EvalJob, Run, Source, Step, Suspend};

/// Runs EVAL and friends, or SCRIPT, for a connection outside MULTI.
pub async fn exec(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    which: ScriptCmd,
    id: usize,
    args: Args<'_>,
    out: &mut Reply,
) -> Flow {
    let (start, began) = (out.len(), crate::clock::ticks());
    if which == ScriptCmd::Script {
        script_cmd(ctx, None, args, out).await;
    } else if let Some(job) = prepare(ctx, which, args, out) {
        match Txn::begin_or_busy(ctx, (0..ctx.ncores).collect()).await {
            Some(txn) => {
                run(ctx, sess, &txn, job, out).await;
                txn.end().await;
            }
            None => out.error(state::BUSY_ERR),
        }
    }
    ctx.stats.record(id, &args, &out.buf[start..], began);
    Flow::Continue
}

/// Runs a queued EVAL or SCRIPT inside EXEC, whose transaction holds every core.
pub async fn exec_in(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    txn: &Txn,
    which: ScriptCmd,
    id: usize,
    args: Args<'_>,
    out: &mut Reply,
) {
    let (start, began) = (out.len(), crate::clock::ticks());
    if which == ScriptCmd::Script {
        script_cmd(ctx, Some(txn), args, out).await;
    } else if let Some(job) = prepare(ctx, which, args, out) {
        run(ctx, sess, txn, job, out).await;
    }
    ctx.stats.record(id, &args, &out.buf[start..], began);
}

/// A run, before its channels exist.
struct Prepared {
    source: Source,
    keys: Vec<Vec<u8>>,
    argv: Vec<Vec<u8>>,
    read_only: bool,
}

/// Checks EVAL's arguments; answers the error and returns `None` when they are wrong.
fn prepare(ctx: &CoreCtx, which: ScriptCmd, args: Args, out: &mut Reply) -> Option<Prepared> {
    let Some(numkeys) = parse_i64(args.get(2)) else {
        out.error_bytes(&CmdError::NotInteger.bytes());
        return None;
    };
    let available = args.len() as i64 - 3;
    if numkeys > available {
        out.error("ERR Number of keys can't be greater than number of args");
        return None;
    }
    if numkeys < 0 {
        out.error("ERR Number of keys can't be negative");
        return None;
    }
    let _ = ctx;
    let split = 3 + numkeys as usize;
    let copy = |range: std::ops::Range<usize>| range.map(|i| args.get(i).to_vec()).collect();
    let source = match which {
        ScriptCmd::Eval | ScriptCmd::EvalRo => Source::Body(args.get(1).to_vec()),
        _ => Source::Sha(args.get(1).to_vec()),
    };
    Some(Prepared {
        source,
        keys: copy(3..split),
        argv: copy(split..args.len()),
        read_only: matches!(which, ScriptCmd::EvalRo | ScriptCmd::EvalShaRo),
    })
}

/// Runs a script under `txn` (holding every core) on this core's Lua state, serving its
/// calls as steps of the transaction.
async fn run(ctx: &Rc<CoreCtx>, sess: &mut Session, txn: &Txn, job: Prepared, out: &mut Reply) {
    let busy_ms = ctx.opts.borrow().busy_reply_ms;
    let mut calls = call::RunState {
        slot: job.keys.first().map(|k| key_slot(k).0),
    };
    let mut script = Run::start(EvalJob {
        source: job.source,
        keys: job.keys,
        argv: job.argv,
        client_resp3: out.proto == Proto::Resp3,
        read_only: job.read_only,
        cluster: ctx.cluster.enabled(),
        busy_ms,
    });
    let mut input = Vec::new();
    let mut slice = crate::clock::ticks();
    let finished = loop {
        match script.resume(std::mem::take(&mut input)) {
            Step::Suspended(Suspend::Call { args, opts }) => {
                input = call::execute(ctx, sess, txn, &args, opts, &mut calls).await;
                // A call-heavy script runs few Lua instructions, so its hooks are rare: let
                // this core's other tasks run now and then, or the connections it owns could
                // get neither `-BUSY` nor their SCRIPT KILL through.
                if crate::clock::ticks_to_us(crate::clock::ticks().saturating_sub(slice))
                    >= SLICE_US
                {
                    futures_lite::future::yield_now().await;
                    slice = crate::clock::ticks();
                }
            }
            Step::Suspended(Suspend::Pause) => {
                futures_lite::future::yield_now().await;
                slice = crate::clock::ticks();
            }
            Step::Done(finished) => break finished,
        }
    };
    drop(script);
    if let Some((sha, body)) = finished.learned {
        teach_others(ctx, txn, &sha, &body).await;
    }
    out.raw(&finished.reply);
}

/// How long (µs) a script runs its calls before the core's other tasks get a turn.
const SLICE_US: u64 = 1000;

/// Hands a body this core added to the script cache to every other core, under `txn`.
async fn teach_others(ctx: &Rc<CoreCtx>, txn: &Txn, sha: &str, body: &[u8]) {
    for core in (0..ctx.ncores).filter(|&c| c != ctx.core) {
        let (sha, body) = (sha.to_string(), body.to_vec());
        txn.run(core, move |_| engine::learn(sha, body)).await;
    }
}

/// SCRIPT LOAD | EXISTS | FLUSH | KILL | DEBUG | HELP. LOAD and FLUSH change the cache of
/// every core, under `txn` (EXEC's, holding every core) or a transaction of their own.
async fn script_cmd(ctx: &Rc<CoreCtx>, txn: Option<&Txn>, args: Args<'_>, out: &mut Reply) {
    let sub = args.get(1).to_ascii_lowercase();
    let argc = args.len();
    let arity_error = |out: &mut Reply, name: &str| {
        out.error_bytes(&CmdError::WrongArity(format!("script|{name}")).bytes())
    };
    match sub.as_slice() {
        b"load" if argc != 3 => arity_error(out, "load"),
        b"load" => {
            let Some(own) = own_txn(ctx, txn).await else {
                return out.error(state::BUSY_ERR);
            };
            let held = txn.or(own.as_ref()).expect("a transaction");
            match engine::load(args.get(2)) {
                Ok((sha, new)) => {
                    if new {
                        teach_others(ctx, held, &sha, args.get(2)).await;
                    }
                    out.bulk(sha.as_bytes());
                }
                Err(reply) => out.raw(&reply),
            }
            if let Some(own) = own {
                own.end().await;
            }
        }
        b"exists" if argc < 3 => arity_error(out, "exists"),
        b"exists" => {
            out.array(argc - 2);
            for sha in args.iter().skip(2) {
                out.int(engine::known(sha) as i64);
            }
        }
        b"flush" if argc > 3 || (argc == 3 && !args.is(2, "sync") && !args.is(2, "async")) => {
            out.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
        }
        b"flush" => {
            let Some(own) = own_txn(ctx, txn).await else {
                return out.error(state::BUSY_ERR);
            };
            let held = txn.or(own.as_ref()).expect("a transaction");
            for core in 0..ctx.ncores {
                held.run(core, |_| engine::forget_all()).await;
            }
            if let Some(own) = own {
                own.end().await;
            }
            out.ok();
        }
        b"kill" if argc != 2 => arity_error(out, "kill"),
        b"kill" => kill(out),
        b"debug" if argc != 3 => arity_error(out, "debug"),
        b"debug" if args.is(2, "no") => out.ok(),
        b"debug" if args.is(2, "yes") || args.is(2, "sync") => {
            out.error("ERR SCRIPT DEBUG is not supported by SoliKV")
        }
        b"debug" => out.error("ERR Use SCRIPT DEBUG YES/SYNC/NO"),
        b"help" if argc != 2 => arity_error(out, "help"),
        b"help" => out.simple_lines(HELP),
        _ => out.error_bytes(&CmdError::unknown_subcommand(args.get(1), b"SCRIPT").bytes()),
    }
}

/// The transaction over every core SCRIPT LOAD or FLUSH needs when not inside EXEC (`txn`
/// is then EXEC's): `Some(None)` inside EXEC, `None` when a busy script stopped the wait.
async fn own_txn(ctx: &Rc<CoreCtx>, txn: Option<&Txn>) -> Option<Option<Txn>> {
    match txn {
        Some(_) => Some(None),
        None => Txn::begin_or_busy(ctx, (0..ctx.ncores).collect())
            .await
            .map(Some),
    }
}

/// SCRIPT KILL: stops the running script unless it has written. As in redis-server, only a
/// script past busy-reply-threshold counts as running (before that, redis-server serves no
/// other client at all).
fn kill(out: &mut Reply) {
    if !state::busy() {
        out.error("NOTBUSY No scripts in execution right now.");
    } else if state::WROTE.load(Ordering::Relaxed) {
        out.error(
            "UNKILLABLE Sorry the script already executed write commands against the dataset. \
             You can either wait the script termination or kill the server in a hard way using \
             the SHUTDOWN NOSAVE command.",
        );
    } else {
        state::KILL.store(true, Ordering::Relaxed);
        out.ok();
    }
}

/// Whether a command may run while a script is busy (its `allow_busy` flag).
pub fn allowed_when_busy(args: &Args) -> bool {
    let line: Vec<&[u8]> = args.iter().collect();
    cmd::meta::resolve(&line).is_some_and(|m| m.has_flag("allow_busy"))
}

/// Waits for this core's gate to open; true when, meanwhile, a script became busy and the
/// waiting command should be answered `-BUSY` instead.
pub async fn wait_gate_or_busy(ctx: &CoreCtx) -> bool {
    unless_busy(ctx.gate.opened()).await.is_none()
}

/// Waits for `fut`, or gives up (`None`) once a running script is past busy-reply-threshold:
/// the flag is checked when `fut` is not ready at once, then every 20 ms.
pub async fn unless_busy<F: std::future::Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    loop {
        if let Some(done) = futures_lite::future::poll_once(fut.as_mut()).await {
            return Some(done);
        }
        if state::busy() {
            return None;
        }
        let waited = async { Some(fut.as_mut().await) };
        let tick = async {
            glommio::timer::sleep(Duration::from_millis(20)).await;
            None
        };
        if let Some(done) = futures_lite::future::or(waited, tick).await {
            return Some(done);
        }
    }
}

/// The replies to a batch of commands that arrived while a script is busy.
pub fn busy_batch(batch: &RemoteBatch) -> BatchReply {
    let mut reply = Reply::new(batch.proto);
    let mut ends = Vec::with_capacity(batch.cmds.len());
    for _ in &batch.cmds {
        reply.error(state::BUSY_ERR);
        ends.push(reply.buf.len() as u32);
    }
    BatchReply {
        buf: reply.buf,
        ends,
    }
}

const HELP: &[&str] = &[
    "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
    "HELP",
    "    Prints this help.",
];
