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
    pub async fn begin(ctx: &Rc<CoreCtx>, cores: Vec<usize>) -> Txn {
        Self::take_gates(ctx, cores, false)
            .await
            .expect("a transaction that never gives up gets its gates")
    }

    /// As [`Txn::begin`] for a client's command, but gives up (and returns `None`, so that the
    /// command is answered `-BUSY`) when a script passes busy-reply-threshold while this
    /// transaction waits for a gate: a script holds every gate, possibly for ever.
    pub async fn begin_or_busy(ctx: &Rc<CoreCtx>, cores: Vec<usize>) -> Option<Txn> {
        Self::take_gates(ctx, cores, true).await
    }

    async fn take_gates(
        ctx: &Rc<CoreCtx>,
        mut cores: Vec<usize>,
        give_up_when_busy: bool,
    ) -> Option<Txn> {
        cores.sort_unstable();
        cores.dedup();
        let id = ctx
            .shared
            .next_txn
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for (i, &core) in cores.iter().enumerate() {
            if core == ctx.core && ctx.gate.try_take(id) {
                continue;
            }
            let (granted, wait) = flume::bounded(1);
            if core == ctx.core {
                ctx.gate.request(id, granted);
            } else {
                send_ctl(ctx, core, CtlMsg::Lock { txn: id, granted }).await;
            }
            if !give_up_when_busy {
                wait.recv_async().await.expect("gate grant dropped");
            } else if crate::script::unless_busy(wait.recv_async())
                .await
                .map(|grant| grant.expect("gate grant dropped"))
                .is_none()
            {
                for &asked in &cores[..=i] {
                    if asked == ctx.core {
                        ctx.withdraw_gate(id);
                    } else {
                        send_ctl(ctx, asked, CtlMsg::Withdraw { txn: id }).await;
                    }
                }
                return None;
            }
        }
        Some(Txn {
            ctx: ctx.clone(),
            id,
            cores,
        })
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
        let step = CtlMsg::Call {
            txn: self.id,
            f: call,
        };
        send_ctl(&self.ctx, core, step).await;
        rx.recv_async().await.expect("core dropped a step")
    }

    /// Releases every gate.
    pub async fn end(self) {
        for &core in &self.cores {
            if core == self.ctx.core {
                self.ctx.release_gate(self.id);
            } else {
                send_ctl(&self.ctx, core, CtlMsg::Unlock { txn: self.id }).await;
            }
        }
    }
}

/// Sends a control message to another core.
async fn send_ctl(ctx: &CoreCtx, core: usize, msg: CtlMsg) {
    ctx.mesh.ctl[core]
        .as_ref()
        .expect("link to another core")
        .send_async(msg)
        .await
        .expect("mesh link closed");
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use glommio::{LocalExecutorBuilder, Placement};

    use super::*;
    use crate::config::Config;
    use crate::shard::core::{spawn_mesh_receivers, Shared};
    use crate::shard::mesh;
    use crate::shard::task;

    /// While a transaction holds core 1's gate, ordinary work sent to core 1 waits, the
    /// transaction's own steps still run there, and the waiting work runs once it ends.
    #[test]
    fn held_gate_holds_back_other_work_until_the_transaction_ends() {
        let shared = Arc::new(Shared::new(2, 2, "test".into()));
        let mut ends = mesh::build(2).into_iter();
        let (senders0, receivers0) = ends.next().expect("core 0");
        let (senders1, receivers1) = ends.next().expect("core 1");
        let (stop_tx, stop_rx) = flume::bounded::<()>(1);
        let shared1 = shared.clone();
        let core1 = LocalExecutorBuilder::new(Placement::Unbound)
            .spawn(move || async move {
                let ctx = Rc::new(CoreCtx::new(1, senders1, shared1, Config::defaults()));
                spawn_mesh_receivers(&ctx, receivers1);
                let _ = stop_rx.recv_async().await;
            })
            .expect("core 1 starts");
        let core0 = LocalExecutorBuilder::new(Placement::Unbound)
            .spawn(move || async move {
                let ctx = Rc::new(CoreCtx::new(0, senders0, shared, Config::defaults()));
                spawn_mesh_receivers(&ctx, receivers0);
                let txn = Txn::begin(&ctx, vec![1, 0]).await;
                let waiting = task::spawn({
                    let ctx = ctx.clone();
                    async move { ctx.on_core(1, |_| Instant::now()).await }
                });
                glommio::timer::sleep(Duration::from_millis(50)).await;
                let step_core = txn.run(1, |c| c.core).await;
                let released = Instant::now();
                txn.end().await;
                let ran_at = waiting.await;
                (step_core, released, ran_at)
            })
            .expect("core 0 starts");
        let (step_core, released, ran_at) = core0.join().expect("core 0 finishes");
        stop_tx.send(()).expect("core 1 still running");
        core1.join().expect("core 1 finishes");
        assert_eq!(
            step_core, 1,
            "the transaction's step ran on core 1 while it held the gate"
        );
        assert!(
            ran_at >= released,
            "work sent to a locked core ran before the transaction released it"
        );
    }
}
