//! Cross-core transactions: how a command Redis makes atomic (MSET, RENAME, ...) runs when
//! its keys live on several data cores.
//!
//! The coordinating connection takes the gate of every involved core in ascending core order
//! (strict two-phase locking, so transactions are serializable among themselves and never
//! deadlock), runs its steps on each core through the control links, then releases the gates.
//! While a core's gate is held no other command runs there, so no client observes a
//! half-applied transaction.

use std::rc::Rc;

use super::core::CoreCtx;
use super::mesh::{CoreFn, CtlMsg, TxnId};

/// A transaction holding the gates of `cores`.
pub struct Txn {
    ctx: Rc<CoreCtx>,
    id: TxnId,
    cores: Vec<usize>,
}

impl Txn {
    /// Takes the gates of `cores` (in ascending order) and returns once all are held.
    pub async fn begin(ctx: &Rc<CoreCtx>, mut cores: Vec<usize>) -> Txn {
        cores.sort_unstable();
        cores.dedup();
        let id = ctx
            .shared
            .next_txn
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for &core in &cores {
            let (granted, wait) = flume::bounded(1);
            if core == ctx.core {
                ctx.gate.request(id, granted);
            } else {
                ctx.mesh.ctl[core]
                    .as_ref()
                    .expect("link to another core")
                    .send_async(CtlMsg::Lock { txn: id, granted })
                    .await
                    .expect("mesh link closed");
            }
            wait.recv_async().await.expect("gate grant dropped");
        }
        Txn {
            ctx: ctx.clone(),
            id,
            cores,
        }
    }

    /// Runs one step on `core`, which this transaction holds.
    pub async fn run<R, F>(&self, core: usize, f: F) -> R
    where
        R: Send + 'static,
        F: FnOnce(&CoreCtx) -> R + Send + 'static,
    {
        debug_assert!(self.cores.contains(&core), "step on a core not locked");
        if core == self.ctx.core {
            return f(&self.ctx);
        }
        let (tx, rx) = flume::bounded(1);
        let call: CoreFn = Box::new(move |ctx: &CoreCtx| {
            let _ = tx.try_send(f(ctx));
        });
        self.ctx.mesh.ctl[core]
            .as_ref()
            .expect("link to another core")
            .send_async(CtlMsg::Call {
                txn: self.id,
                f: call,
            })
            .await
            .expect("mesh link closed");
        rx.recv_async().await.expect("core dropped a step")
    }

    /// Releases every gate.
    pub async fn end(self) {
        for &core in &self.cores {
            if core == self.ctx.core {
                self.ctx.gate.release(self.id);
            } else {
                self.ctx.mesh.ctl[core]
                    .as_ref()
                    .expect("link to another core")
                    .send_async(CtlMsg::Unlock { txn: self.id })
                    .await
                    .expect("mesh link closed");
            }
        }
    }
}
