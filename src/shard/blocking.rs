//! The clients blocked on one data core's keys (BLPOP, BLMOVE, BZPOPMIN, ...), and serving
//! them when their keys become ready.
//!
//! Runs on the data core that owns the keys. A blocked connection (`net::blocking`, on any
//! core) registers a [`Waiter`] here under each of its keys owned by this core, in arrival
//! order, so clients blocked on one key are served first come, first served. The keyspace
//! records waited keys that receive a list or sorted set (`storage::ready`); once the
//! current command, EXEC or cross-core transaction has finished on this core (the gate is
//! open), [`serve_ready`] pops for the waiters in order, while the key holds something for
//! them: at the end of the command when it ran here directly, otherwise from this core's
//! serving task ([`serve_task`]), which waits for the gate.
//!
//! A client blocked on keys of several cores is registered on each of them with one shared
//! [`Claim`]: whoever takes the claim first (a core serving it, or the connection giving up
//! on timeout, disconnect or CLIENT UNBLOCK) is the only one to act, so it is served exactly
//! once and never has an element popped after it gave up. Registrations left on the other
//! cores are removed by the connection ([`cancel`]) and skipped meanwhile. Nothing here
//! locks: the claim is one atomic swap.

use std::cell::Cell;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Poll;

use hashbrown::HashMap;

use crate::cmd::blocking::{ready_kind, serve_key, Request};
use crate::protocol::{Proto, Reply};
use crate::storage::key::Key;

use super::core::CoreCtx;

/// How a blocked client's wait ended on the core that served it.
#[derive(Debug)]
pub enum Outcome {
    /// The reply to send.
    Reply(Vec<u8>),
    /// A key is ready but BLMOVE's destination lives on another core: the connection runs
    /// the move again as one cross-core transaction.
    Retry,
    /// CLIENT UNBLOCK: as on timeout, or with `true` the UNBLOCKED error.
    Unblocked(bool),
}

/// The one-shot right to end a blocked client's wait, shared by all its registrations.
pub struct Claim {
    taken: AtomicBool,
    tx: flume::Sender<Outcome>,
}

impl Claim {
    pub fn new(tx: flume::Sender<Outcome>) -> Claim {
        Claim {
            taken: AtomicBool::new(false),
            tx,
        }
    }

    /// Takes the claim; false when someone else already has.
    pub fn take(&self) -> bool {
        !self.taken.swap(true, Ordering::AcqRel)
    }

    pub fn is_taken(&self) -> bool {
        self.taken.load(Ordering::Acquire)
    }

    /// Ends the wait for CLIENT UNBLOCK; false when it was already ending.
    pub fn unblock(&self, error: bool) -> bool {
        let took = self.take();
        if took {
            self.send(Outcome::Unblocked(error));
        }
        took
    }

    fn send(&self, outcome: Outcome) {
        let _ = self.tx.try_send(outcome);
    }
}

/// One blocked client, as registered under each of its keys.
#[derive(Clone)]
pub struct Waiter {
    /// Unique per blocking wait.
    pub id: u64,
    pub claim: Arc<Claim>,
    pub req: Arc<Request>,
    /// The client's protocol, for the reply.
    pub proto: Proto,
}

/// The waiters of one core, per key, in arrival order.
#[derive(Default)]
pub struct Registry {
    queues: HashMap<Key, VecDeque<Waiter>>,
    /// Set while a command sequence that must finish first (a local EXEC) runs.
    deferred: Cell<bool>,
}

/// Registers `waiter` under each of `keys` (distinct, all owned by this core).
pub fn register(ctx: &CoreCtx, waiter: &Waiter, keys: &[Vec<u8>]) {
    let mut reg = ctx.blocking.borrow_mut();
    let mut ks = ctx.ks.borrow_mut();
    for key in keys {
        let queue = match reg.queues.get_mut(key.as_slice()) {
            Some(q) => q,
            None => reg.queues.entry(Key::from(key.as_slice())).or_default(),
        };
        queue.push_back(waiter.clone());
        ks.ready.wait(key);
    }
}

/// Serves `waiter` at once from the first of `keys` that can serve it, or registers it
/// under all of them: a client blocked on several cores registers this way, since a key
/// here may have become ready after its first attempt.
pub fn register_or_serve(ctx: &CoreCtx, waiter: &Waiter, keys: &[Vec<u8>]) {
    if waiter.claim.is_taken() {
        return;
    }
    for key in keys {
        let ready = ready_kind(&mut ctx.keyspace(), key) == Some(waiter.req.kind());
        if ready && waiter.claim.take() {
            serve_one(ctx, waiter, key);
            return;
        }
    }
    register(ctx, waiter, keys);
}

/// Removes the registrations of the wait `id` under `keys`.
pub fn cancel(ctx: &CoreCtx, id: u64, keys: &[Vec<u8>]) {
    let mut reg = ctx.blocking.borrow_mut();
    for key in keys {
        let Some(queue) = reg.queues.get_mut(key.as_slice()) else {
            continue;
        };
        queue.retain(|w| w.id != id);
        if queue.is_empty() {
            reg.queues.remove(key.as_slice());
            ctx.ks.borrow_mut().ready.unwait(key);
        }
    }
}

/// Pops for a waiter whose claim was just taken, from `key`, which can serve it.
fn serve_one(ctx: &CoreCtx, waiter: &Waiter, key: &[u8]) {
    if let Some(dst) = waiter.req.dst() {
        if ctx.core_of_key(dst) != ctx.core {
            return waiter.claim.send(Outcome::Retry);
        }
    }
    let mut reply = Reply::new(waiter.proto);
    let mut ks = ctx.keyspace();
    let served = serve_key(&mut ks, &waiter.req, key, &mut reply);
    if served && !ks.watches.is_empty() {
        // The pop (and BLMOVE's push) changed the keys in place: WATCH must see it, as
        // redis-server signals both keys when it serves a blocked client.
        ks.watches.touch(key);
        if let Some(dst) = waiter.req.dst() {
            ks.watches.touch(dst);
        }
    }
    drop(ks);
    debug_assert!(served, "a ready key serves its waiter");
    if !served {
        // Unreachable (the key was found ready in this same step); answer validly anyway.
        waiter.req.timeout_reply(&mut reply);
    }
    waiter.claim.send(Outcome::Reply(reply.buf));
}

/// Serves the waiters of every key that became ready, in order, until no ready key holds
/// anything for the waiter at the head of its queue. Serving may make further keys ready
/// (BLMOVE pushes onto its destination); those are served in the same call.
pub fn serve_ready(ctx: &CoreCtx) {
    loop {
        let keys = ctx.ks.borrow_mut().ready.take();
        if keys.is_empty() {
            return;
        }
        for key in keys {
            serve_waiters(ctx, key.as_bytes());
        }
    }
}

/// Serves the waiters of `key` in arrival order while it holds something for them.
fn serve_waiters(ctx: &CoreCtx, key: &[u8]) {
    loop {
        let Some(kind) = ready_kind(&mut ctx.keyspace(), key) else {
            return;
        };
        let next = {
            let mut reg = ctx.blocking.borrow_mut();
            let Some(queue) = reg.queues.get_mut(key) else {
                return;
            };
            queue.retain(|w| !w.claim.is_taken());
            let next = queue
                .iter()
                .position(|w| w.req.kind() == kind)
                .and_then(|i| queue.remove(i));
            if queue.is_empty() {
                reg.queues.remove(key);
                ctx.ks.borrow_mut().ready.unwait(key);
            }
            next
        };
        let Some(waiter) = next else {
            return;
        };
        if waiter.claim.take() {
            serve_one(ctx, &waiter, key);
        }
    }
}

/// Called after a keyed command ran on this core: serves the waiters of keys it made ready,
/// unless a transaction holds the gate or a local EXEC is still running (then the serving
/// task or the EXEC does it once they finish).
pub fn after_command(ctx: &CoreCtx) {
    let ready = ctx.ks.borrow().ready.has_ready();
    if ready && ctx.gate.is_open() && !ctx.blocking.borrow().deferred.get() {
        serve_ready(ctx);
    }
}

/// Holds back serving while a local EXEC runs its commands; serves when dropped.
pub struct Defer<'a> {
    ctx: &'a CoreCtx,
}

impl<'a> Defer<'a> {
    pub fn new(ctx: &'a CoreCtx) -> Defer<'a> {
        ctx.blocking.borrow().deferred.set(true);
        Defer { ctx }
    }
}

impl Drop for Defer<'_> {
    fn drop(&mut self) {
        self.ctx.blocking.borrow().deferred.set(false);
        after_command(self.ctx);
    }
}

/// This core's serving task: serves ready keys whose writes ran under a cross-core
/// transaction, once its gate opens.
pub async fn serve_task(ctx: Rc<CoreCtx>) {
    loop {
        poll_fn(|cx| {
            let mut ks = ctx.ks.borrow_mut();
            if ks.ready.has_ready() {
                Poll::Ready(())
            } else {
                ks.ready.wake_on_ready(cx.waker());
                Poll::Pending
            }
        })
        .await;
        ctx.gate.opened().await;
        // A local EXEC defers serving, but it runs in one synchronous step: never seen here.
        serve_ready(&ctx);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::cmd::{Args, OwnedArgs};
    use crate::config::Config;
    use crate::shard::core::Shared;
    use crate::shard::mesh;

    fn ctx() -> CoreCtx {
        let shared = Arc::new(Shared::new(1, 1, "test".into()));
        let (senders, _receivers) = mesh::build(1).remove(0);
        CoreCtx::new(0, senders, shared, Config::defaults())
    }

    fn waiter(id: u64, line: &[&str]) -> (Waiter, flume::Receiver<Outcome>) {
        let owned = OwnedArgs::from_parts(line.iter());
        let args: Args = owned.args();
        let req = crate::cmd::blocking::parse(args).expect("valid command");
        let (tx, rx) = flume::bounded(1);
        let w = Waiter {
            id,
            claim: Arc::new(Claim::new(tx)),
            req: Arc::new(req),
            proto: Proto::Resp2,
        };
        (w, rx)
    }

    fn run(ctx: &CoreCtx, line: &[&str]) -> Vec<u8> {
        let owned = OwnedArgs::from_parts(line.iter());
        let (id, cmd) = crate::cmd::lookup(line[0].as_bytes()).expect("known command");
        let mut reply = Reply::new(Proto::Resp2);
        ctx.exec_keyed(id, cmd, owned.args(), &mut reply, false);
        reply.buf
    }

    fn served(rx: &flume::Receiver<Outcome>) -> Option<Vec<u8>> {
        match rx.try_recv() {
            Ok(Outcome::Reply(r)) => Some(r),
            Ok(other) => panic!("unexpected {other:?}"),
            Err(_) => None,
        }
    }

    #[test]
    fn waiters_are_served_in_order_while_the_key_holds_elements() {
        let ctx = ctx();
        let (a, ra) = waiter(1, &["blpop", "k", "0"]);
        let (b, rb) = waiter(2, &["bzpopmin", "k", "0"]);
        let (c, rc) = waiter(3, &["brpop", "other", "k", "0"]);
        let (d, rd) = waiter(4, &["blpop", "k", "0"]);
        register(&ctx, &a, &a.req.keys);
        register(&ctx, &b, &b.req.keys);
        register(&ctx, &c, &c.req.keys);
        register(&ctx, &d, &d.req.keys);
        assert_eq!(run(&ctx, &["rpush", "k", "x", "y"]), b":2\r\n");
        assert_eq!(served(&ra).unwrap(), b"*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
        assert_eq!(served(&rc).unwrap(), b"*2\r\n$1\r\nk\r\n$1\r\ny\r\n");
        assert!(served(&rb).is_none(), "a sorted-set waiter ignores lists");
        assert!(served(&rd).is_none(), "two elements serve two waiters");
        assert_eq!(run(&ctx, &["exists", "k"]), b":0\r\n");
        // A waiter that gave up (claim taken) is skipped; the next one is served.
        assert!(d.claim.take());
        let (e, re) = waiter(5, &["blpop", "k", "0"]);
        register(&ctx, &e, &e.req.keys);
        run(&ctx, &["lpush", "k", "z"]);
        assert!(served(&rd).is_none());
        assert_eq!(served(&re).unwrap(), b"*2\r\n$1\r\nk\r\n$1\r\nz\r\n");
        run(&ctx, &["zadd", "k", "1", "m"]);
        assert_eq!(
            served(&rb).unwrap(),
            b"*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n1\r\n"
        );
        cancel(&ctx, c.id, &c.req.keys);
        assert!(ctx.blocking.borrow().queues.is_empty());
        assert!(ctx.ks.borrow().ready.is_idle());
    }

    #[test]
    fn exec_defers_serving_until_it_ends() {
        let ctx = ctx();
        let (a, ra) = waiter(1, &["blmove", "src", "dst", "LEFT", "RIGHT", "0"]);
        let (b, rb) = waiter(2, &["blpop", "dst", "0"]);
        register(&ctx, &a, &a.req.keys);
        register(&ctx, &b, &b.req.keys);
        {
            let _defer = Defer::new(&ctx);
            run(&ctx, &["rpush", "src", "1"]);
            assert!(served(&ra).is_none(), "nothing is served inside EXEC");
        }
        assert_eq!(served(&ra).unwrap(), b"$1\r\n1\r\n");
        assert_eq!(
            served(&rb).unwrap(),
            b"*2\r\n$3\r\ndst\r\n$1\r\n1\r\n",
            "the moved element serves the destination's waiter in the same pass"
        );
        // A key ready when registering serves at once.
        run(&ctx, &["rpush", "now", "v"]);
        let (c, rc) = waiter(3, &["blpop", "none", "now", "0"]);
        register_or_serve(&ctx, &c, &c.req.keys);
        assert_eq!(served(&rc).unwrap(), b"*2\r\n$3\r\nnow\r\n$1\r\nv\r\n");
        assert!(ctx.blocking.borrow().queues.is_empty());
    }
}
