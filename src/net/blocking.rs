//! A connection waiting in a blocking command (BLPOP, BLMOVE, BZPOPMIN, ...).
//!
//! Runs on the connection's data core. The command first runs as its non-blocking form on
//! the core owning its keys; if no key was ready, the connection registers a waiter with the
//! blocking registry of every core owning one of its keys (`shard::blocking`) and waits for
//! the first of: a core serving it, CLIENT UNBLOCK (both arrive on the waiter's channel), the
//! timeout, the client going away (its socket reports a hang-up, or it was killed) or, in
//! cluster mode, the keys' slot leaving this node. Nothing polls while the client waits, but
//! that last check.
//!
//! When all keys (and BLMOVE's destination) live on one core, the attempt and the
//! registration are one synchronous step there, so no write can slip in between. Keys on
//! several cores (standalone mode) are first tried together under one cross-core
//! transaction, then each core registers the waiter unless one of its keys became ready
//! meanwhile, in which case it serves it on the spot. Whoever ends the wait takes the
//! waiter's claim first; a served reply that raced a timeout or a disconnect wins over it.

use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::session::{Flow, Session};
use crate::cluster::view::{Query, Redirect, Route};
use crate::cmd::blocking::{is_timeout_reply, Request};
use crate::cmd::{self, Args, Command, OwnedArgs, Spread};
use crate::protocol::Reply;
use crate::shard::blocking::{self, Claim, Outcome, Waiter};
use crate::shard::core::CoreCtx;
use crate::shard::{spread, task};

/// How often a blocked connection checks, in cluster mode, that its slot is still served
/// here (redis-server checks each client about once a second).
const CLUSTER_CHECK: Duration = Duration::from_millis(100);

/// Identifies one blocking wait across cores.
static NEXT_WAIT: AtomicU64 = AtomicU64::new(1);

/// How a wait ended, seen from the connection.
enum Ended {
    Served(Vec<u8>),
    Retry,
    TimedOut,
    /// CLIENT UNBLOCK: with `true` the client gets the UNBLOCKED error.
    Unblocked(bool),
    /// Cluster mode: the keys' slot is no longer served here (MOVED or CLUSTERDOWN).
    Redirected(String),
    Gone,
}

/// Runs the blocking command `cmd`, already parsed into `req`, appending its reply.
pub async fn run(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    id: usize,
    cmd: &'static Command,
    args: Args<'_>,
    req: Request,
    out: &mut Reply,
) -> Flow {
    let req = Arc::new(req);
    let deadline = req
        .timeout_ms
        .and_then(|ms| Instant::now().checked_add(Duration::from_millis(ms)));
    let no_touch = sess.handle.no_touch.get();
    let mut groups: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
    for key in &req.keys {
        let core = ctx.core_of_key(key);
        match groups.iter_mut().find(|(c, _)| *c == core) {
            Some((_, keys)) => {
                if !keys.contains(key) {
                    keys.push(key.clone())
                }
            }
            None => groups.push((core, vec![key.clone()])),
        }
    }
    let one_core = match (groups.as_slice(), req.dst()) {
        ([(core, _)], None) => Some(*core),
        ([(core, _)], Some(dst)) if ctx.core_of_key(dst) == *core => Some(*core),
        _ => None,
    };
    loop {
        let (tx, rx) = flume::bounded(1);
        let waiter = Waiter {
            id: NEXT_WAIT.fetch_add(1, Ordering::Relaxed),
            claim: Arc::new(Claim::new(tx)),
            req: req.clone(),
            proto: out.proto,
        };
        if let Some(core) = one_core {
            let owned = OwnedArgs::from_parts(args.iter());
            let (w, keys) = (waiter.clone(), groups[0].1.clone());
            let done = ctx
                .on_core(core, move |c| {
                    let mut reply = Reply::new(w.proto);
                    c.exec_keyed(id, cmd, owned.args(), &mut reply, no_touch);
                    if is_timeout_reply(&reply.buf) {
                        blocking::register(c, &w, &keys);
                        return None;
                    }
                    Some(reply.buf)
                })
                .await;
            if let Some(reply) = done {
                out.raw(&reply);
                return Flow::Continue;
            }
        } else {
            let mut reply = Reply::new(out.proto);
            spread::run(ctx, id, cmd, Spread::Atomic, args, no_touch, &mut reply).await;
            if !is_timeout_reply(&reply.buf) {
                out.raw(&reply.buf);
                return Flow::Continue;
            }
            for (core, keys) in &groups {
                let (w, keys) = (waiter.clone(), keys.clone());
                ctx.on_core(*core, move |c| blocking::register_or_serve(c, &w, &keys))
                    .await;
                if waiter.claim.is_taken() {
                    break;
                }
            }
        }
        let mut guard = Blocked::new(ctx, sess, &waiter, &groups, deadline.is_some());
        let ended = wait(ctx, sess, &req, &waiter.claim, &rx, deadline).await;
        if matches!(ended, Ended::Served(_) | Ended::Retry) && req.keys.len() == 1 {
            // The serving core removed the only registration (a queue of workers on one key
            // would otherwise pay a walk of the queue per served worker).
            guard.groups.clear();
        }
        drop(guard);
        match ended {
            Ended::Served(reply) => out.raw(&reply),
            Ended::Retry => continue,
            Ended::TimedOut | Ended::Unblocked(false) => req.timeout_reply(out),
            Ended::Unblocked(true) => {
                out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            }
            Ended::Redirected(text) => out.error(&text),
            Ended::Gone => return Flow::Close,
        }
        return Flow::Continue;
    }
}

/// Waits until the wait ends. Whatever ends it other than the claim's channel (a core
/// serving it, CLIENT UNBLOCK) must take the claim first; when someone took it already,
/// their outcome is on its way and wins, except over a client that went away.
async fn wait(
    ctx: &CoreCtx,
    sess: &Session,
    req: &Request,
    claim: &Claim,
    rx: &flume::Receiver<Outcome>,
    deadline: Option<Instant>,
) -> Ended {
    let served = |outcome| match outcome {
        Ok(Outcome::Reply(reply)) => Ended::Served(reply),
        Ok(Outcome::Retry) => Ended::Retry,
        Ok(Outcome::Unblocked(error)) => Ended::Unblocked(error),
        Err(_) => Ended::Gone,
    };
    let outcome = async { served(rx.recv_async().await) };
    let timeout = async {
        match deadline {
            Some(d) => {
                glommio::timer::sleep(d.saturating_duration_since(Instant::now())).await;
                Ended::TimedOut
            }
            None => std::future::pending().await,
        }
    };
    let gone = async {
        let Some(socket) = sess.socket.as_ref() else {
            return std::future::pending().await;
        };
        loop {
            socket.hangup().await;
            if sess.handle.killed.get() || peer_closed(sess.handle.fd) {
                return Ended::Gone;
            }
        }
    };
    let moved = async {
        if !ctx.cluster.enabled() {
            return std::future::pending().await;
        }
        loop {
            glommio::timer::sleep(CLUSTER_CHECK).await;
            if let Some(text) = moved_away(ctx, sess, req) {
                return Ended::Redirected(text);
            }
        }
    };
    use futures_lite::future::or;
    let ended = or(outcome, or(timeout, or(gone, moved))).await;
    match ended {
        Ended::Served(_) | Ended::Retry | Ended::Unblocked(_) => ended,
        _ if claim.take() => ended,
        Ended::Gone => Ended::Gone,
        _ => served(rx.recv_async().await),
    }
}

/// Cluster mode: the redirect for a waiter whose slot this node no longer serves, as
/// redis-server's `clusterRedirectBlockedClientIfNeeded` (a migrating or importing slot keeps
/// it waiting).
fn moved_away(ctx: &CoreCtx, sess: &Session, req: &Request) -> Option<String> {
    if !ctx.cluster.enabled() {
        return None;
    }
    let query = Query {
        write: true,
        asking: false,
        readonly: sess.readonly,
    };
    let view = ctx.cluster.view();
    if !view.ok {
        // Even with cluster-allow-reads-when-down: only a write could unblock it.
        return Some(Redirect::Down.text());
    }
    let first = req.keys.first().map(Vec::as_slice);
    match view.route(first.into_iter(), query) {
        Route::Redirect(r) => Some(r.text()),
        Route::Here | Route::NeedsKeys(_) => None,
    }
}

/// Whether the client closed its end: a peek at the socket reads end-of-file or fails, or
/// the connection is in CLOSE_WAIT behind data the client sent meanwhile (which otherwise
/// stays queued for after the reply).
fn peer_closed(fd: std::os::fd::RawFd) -> bool {
    let mut byte = 0u8;
    // SAFETY: reads at most one byte into `byte`, which outlives the call.
    let n = unsafe {
        libc::recv(
            fd,
            (&mut byte as *mut u8).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    if n == 0 {
        return true;
    }
    if n > 0 {
        // Commands sent after the blocking one wait unread; a FIN behind them still shows
        // in the connection's state, and redis-server would have read up to it and closed.
        return tcp_state(fd) == Some(TCP_CLOSE_WAIT);
    }
    let err = std::io::Error::last_os_error().kind();
    !matches!(
        err,
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
    )
}

/// Linux's `TCP_CLOSE_WAIT`: the peer has closed its side.
const TCP_CLOSE_WAIT: u8 = 8;

/// The kernel's state of the TCP connection on `fd`.
fn tcp_state(fd: std::os::fd::RawFd) -> Option<u8> {
    // SAFETY: an all-zero `tcp_info` is a valid value of this plain C struct.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: `info` and `len` are valid for writes and `len` holds the buffer's size.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(info.tcpi_state)
}

/// A connection counted as blocked; dropping it ends the wait: the claim is taken (so no
/// core serves a client that stopped waiting) and the registrations are removed.
struct Blocked {
    ctx: Rc<CoreCtx>,
    handle: Rc<crate::shard::clients::ClientHandle>,
    id: u64,
    claim: Arc<Claim>,
    groups: Vec<(usize, Vec<Vec<u8>>)>,
    timed: bool,
}

impl Blocked {
    fn new(
        ctx: &Rc<CoreCtx>,
        sess: &Session,
        waiter: &Waiter,
        groups: &[(usize, Vec<Vec<u8>>)],
        timed: bool,
    ) -> Blocked {
        ctx.shared.blocked_clients.fetch_add(1, Ordering::Relaxed);
        if timed {
            ctx.shared
                .blocked_with_timeout
                .fetch_add(1, Ordering::Relaxed);
        }
        *sess.handle.waiting.borrow_mut() = Some(waiter.claim.clone());
        Blocked {
            ctx: ctx.clone(),
            handle: sess.handle.clone(),
            id: waiter.id,
            claim: waiter.claim.clone(),
            groups: groups.to_vec(),
            timed,
        }
    }
}

impl Drop for Blocked {
    fn drop(&mut self) {
        self.claim.take();
        let shared = &self.ctx.shared;
        shared.blocked_clients.fetch_sub(1, Ordering::Relaxed);
        if self.timed {
            shared.blocked_with_timeout.fetch_sub(1, Ordering::Relaxed);
        }
        *self.handle.waiting.borrow_mut() = None;
        let id = self.id;
        for (core, keys) in std::mem::take(&mut self.groups) {
            if core == self.ctx.core {
                blocking::cancel(&self.ctx, id, &keys);
                continue;
            }
            let ctx = self.ctx.clone();
            task::spawn(async move {
                ctx.on_core(core, move |c| blocking::cancel(c, id, &keys))
                    .await
            })
            .detach();
        }
    }
}

/// Whether `cmd` waits when run outside MULTI; its parsed arguments if so (a command
/// with bad arguments runs as usual and answers its error).
pub fn prepare(cmd: &Command, args: Args<'_>) -> Option<Request> {
    if cmd.flags & cmd::BLOCKING == 0 {
        return None;
    }
    cmd::blocking::parse(args).ok()
}
