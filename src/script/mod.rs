//! Lua scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, with redis-server 7.0's
//! semantics.
//!
//! # Design
//!
//! The interpreter is Lua 5.1 (the version Redis embeds), through the `mlua` crate with a
//! vendored Lua built from source. It lives on one *script thread* (`engine`), not on the
//! data cores, for two reasons:
//!
//! * A script must be atomic across data cores and may touch any key, declared or not. The
//!   data core that receives EVAL takes the gates of **every** data core (a cross-core
//!   transaction, `shard::txn`, as EXEC does), so no other command runs anywhere until the
//!   script ends; each `redis.call` is sent to that core as an event, run there as a step of
//!   the transaction on the core owning the keys, and answered with its reply bytes.
//! * While the script runs, the data cores' executors stay free: their connections wait for
//!   the gates asynchronously, so after `busy-reply-threshold` they can answer `-BUSY`, and
//!   SCRIPT KILL (which never waits for a gate) reaches the script from any connection, on
//!   any core, even with a single data core. A script running on a data core's own thread
//!   would block every connection of that core.
//!
//! The price is two thread hops per `redis.call` (tens of microseconds on a small VM) and a
//! server-wide serialization of scripts, which Redis has anyway. The script cache lives with
//! the interpreter, so SCRIPT LOAD on any connection serves EVALSHA on every core.
//!
//! Module map: `engine` (script thread, cache, runs), `prelude.lua` (sandbox: read-only
//! globals, `redis.call`/`pcall` wrappers, error handler), `library` (`redis.*` functions,
//! `bit`), `cjson`, `cmsgpack` and `structlib` (the other bundled libraries; `auxlib` gives
//! them lauxlib's argument checks and errors), `random` (redis-server's generator behind
//! `math.random`), `convert` (RESP ↔ Lua), `shebang` (`#!lua flags=`), `call` (runs called
//! commands on the cores), `state` (running/busy/kill flags shared by all threads). This
//! file is the data-core side: argument checks, the transaction, the event loop of a run,
//! SCRIPT.

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

use engine::{EvalJob, Event, Request, Source};

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
        script_cmd(args, out).await;
    } else if let Some(job) = prepare(ctx, which, args, out) {
        let txn = Txn::begin(ctx, (0..ctx.ncores).collect()).await;
        run(ctx, sess, &txn, job, out).await;
        txn.end().await;
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
        script_cmd(args, out).await;
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
    let all: Vec<Vec<u8>> = args.iter().map(<[u8]>::to_vec).collect();
    let source = match which {
        ScriptCmd::Eval | ScriptCmd::EvalRo => Source::Body(all[1].clone()),
        _ => Source::Sha(all[1].clone()),
    };
    Some(Prepared {
        source,
        keys: all[3..split].to_vec(),
        argv: all[split..].to_vec(),
        read_only: matches!(which, ScriptCmd::EvalRo | ScriptCmd::EvalShaRo),
    })
}

/// Runs a script under `txn` (holding every core): hands it to the script thread and
/// serves its calls until it answers.
async fn run(ctx: &Rc<CoreCtx>, sess: &mut Session, txn: &Txn, job: Prepared, out: &mut Reply) {
    let busy_ms = ctx
        .config
        .borrow()
        .get("busy-reply-threshold")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let mut run = call::RunState {
        slot: job.keys.first().map(|k| key_slot(k).0),
    };
    let (events_tx, events) = flume::unbounded();
    let (calls, calls_rx) = flume::bounded(1);
    state::start();
    engine::submit(Request::Eval(Box::new(EvalJob {
        source: job.source,
        keys: job.keys,
        argv: job.argv,
        client_resp3: out.proto == Proto::Resp3,
        read_only: job.read_only,
        cluster: ctx.cluster.enabled(),
        busy_ms,
        events: events_tx,
        calls: calls_rx,
    })));
    loop {
        let event = match events.try_recv() {
            Ok(event) => Ok(event),
            Err(_) => match spin_try_recv(&events) {
                Some(event) => Ok(event),
                None => events.recv_async().await,
            },
        };
        match event {
            Ok(Event::Call { args, opts }) => {
                let reply = call::execute(ctx, sess, txn, &args, opts, &mut run).await;
                let _ = calls.send(reply);
                // Let this core's other tasks run between calls: a call-heavy script would
                // otherwise keep the core in the polling loop above, and the connections it
                // owns could get neither `-BUSY` nor their SCRIPT KILL through.
                futures_lite::future::yield_now().await;
            }
            Ok(Event::Done(reply)) => {
                out.raw(&reply);
                break;
            }
            Err(_) => {
                out.error("ERR the script thread stopped");
                break;
            }
        }
    }
    state::finish();
}

/// How long one side of a running script waits for the other by polling before it sleeps.
/// A `redis.call` is two hand-offs between the script thread and the data core; sleeping
/// and being woken costs each one a context switch (tens of microseconds on a small VM),
/// while the answer usually comes within a few microseconds. Both sides spend at most this
/// long per hand-off, yielding the CPU between polls.
const SPIN: Duration = Duration::from_micros(50);

/// Polls `rx` for up to [`SPIN`]; `None` when nothing came (the channel may be closed).
fn spin_try_recv<T>(rx: &flume::Receiver<T>) -> Option<T> {
    let deadline = std::time::Instant::now() + SPIN;
    loop {
        match rx.try_recv() {
            Ok(value) => return Some(value),
            Err(flume::TryRecvError::Disconnected) => return None,
            Err(flume::TryRecvError::Empty) => {}
        }
        if std::time::Instant::now() >= deadline {
            return None;
        }
        // Yielding, not busy-polling: on a 2-CPU machine the other side may need this CPU.
        std::thread::yield_now();
    }
}

/// Receives from `rx` on the script thread: polls for up to [`SPIN`], then blocks.
fn spin_recv<T>(rx: &flume::Receiver<T>) -> Option<T> {
    spin_try_recv(rx).or_else(|| rx.recv().ok())
}

/// SCRIPT LOAD | EXISTS | FLUSH | KILL | DEBUG | HELP.
async fn script_cmd(args: Args<'_>, out: &mut Reply) {
    let sub = args.get(1).to_ascii_lowercase();
    let argc = args.len();
    let arity_error = |out: &mut Reply, name: &str| {
        out.error_bytes(&CmdError::WrongArity(format!("script|{name}")).bytes())
    };
    match sub.as_slice() {
        b"load" if argc != 3 => arity_error(out, "load"),
        b"load" => {
            let (tx, rx) = flume::bounded(1);
            engine::submit(Request::Load(args.get(2).to_vec(), tx));
            match rx.recv_async().await {
                Ok(Ok(sha)) => out.bulk(sha.as_bytes()),
                Ok(Err(reply)) => out.raw(&reply),
                Err(_) => out.error("ERR the script thread stopped"),
            }
        }
        b"exists" if argc < 3 => arity_error(out, "exists"),
        b"exists" => {
            let (tx, rx) = flume::bounded(1);
            engine::submit(Request::Exists(
                args.iter().skip(2).map(<[u8]>::to_vec).collect(),
                tx,
            ));
            let found = rx.recv_async().await.unwrap_or_default();
            out.array(found.len());
            for f in found {
                out.int(f as i64);
            }
        }
        b"flush" if argc > 3 || (argc == 3 && !args.is(2, "sync") && !args.is(2, "async")) => {
            out.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
        }
        b"flush" => {
            let (tx, rx) = flume::bounded(1);
            engine::submit(Request::Flush(tx));
            let _ = rx.recv_async().await;
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
    loop {
        if ctx.gate.is_open() {
            return false;
        }
        if state::busy() {
            return true;
        }
        let opened = async {
            ctx.gate.opened().await;
            true
        };
        let tick = async {
            glommio::timer::sleep(Duration::from_millis(20)).await;
            false
        };
        if futures_lite::future::or(opened, tick).await {
            return false;
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
