//! One core's outbox: remote command batches from all of its connections, sent as one mesh
//! message per destination core per scheduler round, with replies handed back locally.
//!
//! Core-local. A cross-core message wakes a parked executor, which on virtual machines costs
//! tens of microseconds (`cargo bench --bench micro`); sending one message per destination per
//! round instead of one per connection divides that cost by the number of connections served
//! in the round. Replies come back the same way, one message per round, and are distributed
//! to the waiting connections with local (cheap) wakes.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::core::CoreCtx;
use super::mesh::{BatchReply, DataMsg, RemoteBatch};

#[derive(Default)]
struct Slot {
    reply: Option<BatchReply>,
    waker: Option<Waker>,
}

/// Pending outgoing batches and the connections waiting for their replies.
pub struct Outbox {
    queues: RefCell<Vec<Vec<(usize, RemoteBatch)>>>,
    slots: RefCell<Vec<Slot>>,
    free: RefCell<Vec<usize>>,
    queued: Cell<bool>,
    flusher: RefCell<Option<Waker>>,
}

impl Outbox {
    pub fn new(ncores: usize) -> Self {
        Outbox {
            queues: RefCell::new((0..ncores).map(|_| Vec::new()).collect()),
            slots: RefCell::new(Vec::new()),
            free: RefCell::new(Vec::new()),
            queued: Cell::new(false),
            flusher: RefCell::new(None),
        }
    }

    /// Queues `batch` for `core`; returns the token to wait on.
    pub fn submit(&self, core: usize, batch: RemoteBatch) -> usize {
        let token = match self.free.borrow_mut().pop() {
            Some(t) => t,
            None => {
                let mut slots = self.slots.borrow_mut();
                slots.push(Slot::default());
                slots.len() - 1
            }
        };
        self.queues.borrow_mut()[core].push((token, batch));
        self.queued.set(true);
        if let Some(w) = self.flusher.borrow_mut().take() {
            w.wake();
        }
        token
    }

    /// Resolves with the reply for `token`.
    pub fn wait(&self, token: usize) -> WaitReply<'_> {
        WaitReply {
            outbox: self,
            token,
        }
    }

    /// Hands a reply to the connection waiting on `token`.
    pub fn deliver(&self, token: usize, reply: BatchReply) {
        let mut slots = self.slots.borrow_mut();
        let slot = &mut slots[token];
        slot.reply = Some(reply);
        if let Some(w) = slot.waker.take() {
            w.wake();
        }
    }

    /// Sends what is queued, one message per destination, once per scheduler round.
    pub async fn run_flusher(ctx: Rc<CoreCtx>) {
        loop {
            WaitQueued {
                outbox: &ctx.outbox,
            }
            .await;
            // Let every connection that is ready this round add its batch first.
            futures_lite::future::yield_now().await;
            ctx.outbox.queued.set(false);
            let queues: Vec<Vec<(usize, RemoteBatch)>> = ctx
                .outbox
                .queues
                .borrow_mut()
                .iter_mut()
                .map(std::mem::take)
                .collect();
            for (core, batches) in queues.into_iter().enumerate() {
                if batches.is_empty() {
                    continue;
                }
                ctx.mesh.data[core]
                    .as_ref()
                    .expect("link to another core")
                    .send_async(DataMsg::Batches {
                        from: ctx.core,
                        batches,
                    })
                    .await
                    .expect("mesh link closed");
            }
        }
    }
}

/// Future of [`Outbox::wait`].
pub struct WaitReply<'a> {
    outbox: &'a Outbox,
    token: usize,
}

impl Future for WaitReply<'_> {
    type Output = BatchReply;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<BatchReply> {
        let mut slots = self.outbox.slots.borrow_mut();
        let slot = &mut slots[self.token];
        match slot.reply.take() {
            Some(reply) => {
                slot.waker = None;
                drop(slots);
                self.outbox.free.borrow_mut().push(self.token);
                Poll::Ready(reply)
            }
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

struct WaitQueued<'a> {
    outbox: &'a Outbox,
}

impl Future for WaitQueued<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.outbox.queued.get() {
            Poll::Ready(())
        } else {
            *self.outbox.flusher.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
