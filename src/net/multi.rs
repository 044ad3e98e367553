//! A connection's transaction state: the MULTI queue and the keys it WATCHes, and the
//! transaction commands (MULTI, EXEC, DISCARD, WATCH, UNWATCH).
//!
//! Runs on the connection's data core. Queueing is synchronous: while MULTI is open,
//! `net::conn::dispatch` hands every command that passed its checks to [`queue`], and
//! commands that failed them to [`TxnState::flag`]. EXEC hands the queue to
//! [`crate::shard::exec_txn`], which runs it atomically. Watching a key registers it with the
//! watched-key registry of the core that owns it (`storage::watch`); the registrations are
//! dropped on EXEC, DISCARD, UNWATCH, RESET and when the connection closes.

use std::rc::Rc;

use crate::cmd::txn::TxnCmd;
use crate::cmd::{self, Args, CmdError, Command, Exec, OwnedArgs, SessionCmd};
use crate::protocol::Reply;
use crate::shard::core::CoreCtx;
use crate::shard::{exec_txn, task};
use crate::storage::watch::WatchMark;

use super::session::{Flow, Session};

/// One command queued by MULTI.
pub struct Queued {
    pub id: usize,
    pub cmd: &'static Command,
    pub args: OwnedArgs,
}

/// The commands queued since MULTI.
#[derive(Default)]
struct Queue {
    /// A command was refused while queueing: EXEC answers EXECABORT.
    refused: bool,
    /// A watched key had changed when MULTI began (cluster mode only; see [`exec`]).
    changed: bool,
    cmds: Vec<Queued>,
}

/// One key this connection watches.
pub struct WatchedKey {
    pub key: Vec<u8>,
    pub core: usize,
    pub mark: WatchMark,
}

/// The keys a connection watches. Dropping it unregisters them.
#[derive(Default)]
pub struct WatchSet {
    ctx: Option<Rc<CoreCtx>>,
    keys: Vec<WatchedKey>,
}

impl WatchSet {
    /// Hands the watched keys over (to EXEC, which unregisters them itself).
    fn take(&mut self) -> Vec<WatchedKey> {
        std::mem::take(&mut self.keys)
    }

    /// Whether a watched key changed since WATCH (asked without unregistering anything).
    async fn changed(&self, ctx: &Rc<CoreCtx>) -> bool {
        let mut by_core: Vec<(usize, Vec<exec_txn::Marked>)> = Vec::new();
        for w in &self.keys {
            let marked = (w.key.clone(), w.mark);
            match by_core.iter_mut().find(|(c, _)| *c == w.core) {
                Some((_, keys)) => keys.push(marked),
                None => by_core.push((w.core, vec![marked])),
            }
        }
        for (core, keys) in by_core {
            let unchanged = ctx
                .on_core(core, move |c| exec_txn::check_watches(c, &keys, false))
                .await;
            if !unchanged {
                return true;
            }
        }
        false
    }

    /// Unregisters every watched key: at once on this core, by a message to the others.
    /// Registrations only count watchers, so the order of these messages does not matter.
    pub fn clear(&mut self) {
        let Some(ctx) = self.ctx.as_ref() else {
            return;
        };
        let mut remote: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
        for w in self.keys.drain(..) {
            if w.core == ctx.core {
                if let Ok(mut ks) = ctx.ks.try_borrow_mut() {
                    ks.watches.unwatch(&w.key);
                    continue;
                }
            }
            match remote.iter_mut().find(|(c, _)| *c == w.core) {
                Some((_, keys)) => keys.push(w.key),
                None => remote.push((w.core, vec![w.key])),
            }
        }
        for (core, keys) in remote {
            let ctx = ctx.clone();
            task::spawn(async move {
                ctx.on_core(core, move |c| {
                    let mut ks = c.ks.borrow_mut();
                    for key in &keys {
                        ks.watches.unwatch(key);
                    }
                })
                .await
            })
            .detach();
        }
    }
}

impl Drop for WatchSet {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A connection's MULTI queue and watched keys.
#[derive(Default)]
pub struct TxnState {
    queue: Option<Queue>,
    pub watching: WatchSet,
}

impl TxnState {
    pub fn in_multi(&self) -> bool {
        self.queue.is_some()
    }

    /// Records that a command was refused while MULTI is open (unknown command, wrong arity,
    /// redirect, ...), so EXEC will answer EXECABORT.
    pub fn flag(&mut self) {
        if let Some(q) = self.queue.as_mut() {
            q.refused = true;
        }
    }

    /// Leaves MULTI and forgets the watched keys (DISCARD, RESET, an aborted EXEC).
    pub fn reset(&mut self) {
        self.queue = None;
        self.watching.clear();
    }
}

/// Whether an ASKING flag survives `cmd`: redis-server keeps it from MULTI until the
/// transaction ends.
pub fn keeps_asking(sess: &Session, cmd: &Command) -> bool {
    match cmd.exec {
        Exec::Txn(TxnCmd::Multi) => true,
        Exec::Txn(TxnCmd::Exec | TxnCmd::Discard) => false,
        _ => sess.txn.in_multi(),
    }
}

/// Records that `cmd` was refused with `err` (while MULTI is open, EXEC will answer
/// EXECABORT) and returns the error to reply. A refused EXEC itself discards the transaction
/// at once and says why, as redis-server does.
pub fn refused(sess: &mut Session, cmd: &Command, err: CmdError) -> CmdError {
    if !matches!(cmd.exec, Exec::Txn(TxnCmd::Exec)) {
        sess.txn.flag();
        return err;
    }
    // A refused EXEC aborts whether or not MULTI is open (its watches go too), as in
    // redis-server's rejectCommand.
    sess.txn.reset();
    let bytes = err.bytes();
    let why = bytes.strip_prefix(b"ERR ").unwrap_or(&bytes);
    CmdError::other(format!(
        "EXECABORT Transaction discarded because of: {}",
        String::from_utf8_lossy(why)
    ))
}

/// While MULTI is open, queues a command that passed its checks and answers `+QUEUED` (or
/// refuses a command redis-server does not allow in a transaction). Returns false for the
/// commands that run at once even inside MULTI (QUIT, RESET and the transaction commands
/// other than UNWATCH).
pub fn queue(
    sess: &mut Session,
    id: usize,
    cmd: &'static Command,
    args: Args,
    out: &mut Reply,
) -> bool {
    match cmd.exec {
        Exec::Session(SessionCmd::Quit | SessionCmd::Reset) => return false,
        Exec::Txn(which) if which != TxnCmd::Unwatch => return false,
        _ => {}
    }
    let Some(q) = sess.txn.queue.as_mut() else {
        return false;
    };
    if let Some(err) = queue_time_error(cmd, args) {
        q.refused = true;
        out.error_bytes(&err.bytes());
        return true;
    }
    // Once refused or invalidated, the transaction can only fail: redis-server stops keeping
    // commands (which decides whether EXEC answers CROSSSLOT in cluster mode).
    if !q.refused && !q.changed {
        q.cmds.push(Queued {
            id,
            cmd,
            args: OwnedArgs::from_parts(args.iter()),
        });
    }
    out.simple("QUEUED");
    true
}

/// What redis-server refuses before queueing, beyond the unknown-command and arity checks
/// every command gets: unknown container subcommands, subcommand arity, and commands not
/// allowed in a transaction.
fn queue_time_error(cmd: &Command, args: Args) -> Option<CmdError> {
    let meta = cmd::meta::lookup(cmd.name.as_bytes())?;
    if meta.is_container() && args.len() >= 2 {
        match cmd::meta::lookup_sub(meta, args.get(1)) {
            None => return Some(CmdError::unknown_subcommand(args.get(1), args.get(0))),
            Some(sub) if !sub.arity_ok(args.len()) => {
                return Some(CmdError::WrongArity(sub.name.to_string()))
            }
            Some(_) => {}
        }
    }
    meta.has_flag("no_multi")
        .then(|| CmdError::other("ERR Command not allowed inside a transaction"))
}

/// Runs MULTI, EXEC, DISCARD, WATCH or UNWATCH (outside MULTI; inside, UNWATCH is queued).
/// `asking`: ASKING came right before (cluster mode).
pub async fn exec(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    which: TxnCmd,
    asking: bool,
    args: Args<'_>,
    out: &mut Reply,
) -> Flow {
    match which {
        TxnCmd::Multi => {
            if sess.txn.in_multi() {
                out.error("ERR MULTI calls can not be nested");
            } else {
                // In cluster mode the commands kept decide EXEC's routing; a watch invalidated
                // before MULTI keeps none. Later invalidations are only seen at EXEC.
                let changed = ctx.cluster.enabled()
                    && !sess.txn.watching.keys.is_empty()
                    && sess.txn.watching.changed(ctx).await;
                sess.txn.queue = Some(Queue {
                    changed,
                    ..Queue::default()
                });
                out.ok();
            }
        }
        TxnCmd::Discard => {
            if sess.txn.in_multi() {
                sess.txn.reset();
                out.ok();
            } else {
                out.error("ERR DISCARD without MULTI");
            }
        }
        TxnCmd::Unwatch => {
            sess.txn.watching.clear();
            out.ok();
        }
        TxnCmd::Watch => {
            if sess.txn.in_multi() {
                out.error("ERR WATCH inside MULTI is not allowed");
            } else {
                watch(ctx, sess, args).await;
                out.ok();
            }
        }
        TxnCmd::Exec => return run_exec(ctx, sess, asking, out).await,
    }
    Flow::Continue
}

/// Registers the keys not yet watched with the cores that own them.
async fn watch(ctx: &Rc<CoreCtx>, sess: &mut Session, args: Args<'_>) {
    let set = &mut sess.txn.watching;
    set.ctx.get_or_insert_with(|| ctx.clone());
    let mut by_core: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
    for key in args.iter().skip(1) {
        let seen = set.keys.iter().any(|w| w.key == key)
            || by_core
                .iter()
                .any(|(_, keys)| keys.iter().any(|k| k == key));
        if seen {
            continue;
        }
        let core = ctx.core_of_key(key);
        match by_core.iter_mut().find(|(c, _)| *c == core) {
            Some((_, keys)) => keys.push(key.to_vec()),
            None => by_core.push((core, vec![key.to_vec()])),
        }
    }
    for (core, keys) in by_core {
        let (keys, marks) = ctx
            .on_core(core, move |c| {
                let mut ks = c.keyspace();
                let marks: Vec<WatchMark> = keys
                    .iter()
                    .map(|key| {
                        let expired = ks.stored_expired(key) == Some(true);
                        ks.watches.watch(key, expired)
                    })
                    .collect();
                (keys, marks)
            })
            .await;
        for (key, mark) in keys.into_iter().zip(marks) {
            set.keys.push(WatchedKey { key, core, mark });
        }
    }
}

async fn run_exec(ctx: &Rc<CoreCtx>, sess: &mut Session, asking: bool, out: &mut Reply) -> Flow {
    let Some(queue) = sess.txn.queue.take() else {
        out.error("ERR EXEC without MULTI");
        return Flow::Continue;
    };
    // redis-server routes EXEC (the keys of every command queued before the first refusal,
    // together) before it looks at the refusal.
    if let Some(err) = exec_txn::cluster_check(ctx, sess, asking, &queue.cmds).await {
        sess.txn.reset();
        out.error_bytes(err.as_bytes());
        return Flow::Continue;
    }
    if queue.refused {
        sess.txn.reset();
        out.error("EXECABORT Transaction discarded because of previous errors.");
        return Flow::Continue;
    }
    let watched = sess.txn.watching.take();
    let flow = exec_txn::run(ctx, sess, queue.cmds, watched, out).await;
    // An ASKING run inside the transaction ends with it.
    sess.asking = false;
    flow
}
