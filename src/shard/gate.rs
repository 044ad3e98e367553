//! A data core's gate: held by at most one cross-core transaction at a time.
//!
//! Core-local (`Cell`/`RefCell`, never shared between threads). While a transaction holds the
//! gate, no other command runs on this core: connections and data-link receivers wait for it
//! to open; the holder's steps arrive on control links and run. Transactions take the gates of
//! the cores they need in ascending core order, so two transactions never wait on each other
//! in a cycle. Grants are FIFO, and after at most [`MAX_STREAK`] transactions in a row a
//! released gate lets the commands waiting for it run before the next transaction gets it: a
//! steady stream of transactions (cross-core MSET from many clients) never starves a command
//! of this core alone.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::mesh::TxnId;

/// Most transactions handed the gate one after the other while commands wait for it.
pub const MAX_STREAK: u32 = 8;

#[derive(Default)]
pub struct Gate {
    holder: Cell<Option<TxnId>>,
    /// Released to let waiting commands run; no transaction takes the gate until
    /// [`Gate::grant_next`].
    letting_in: Cell<bool>,
    /// Transactions handed the gate in a row while commands waited for it.
    streak: Cell<u32>,
    queue: RefCell<VecDeque<(TxnId, flume::Sender<()>)>>,
    waiting_to_run: RefCell<Vec<Waker>>,
}

impl Gate {
    pub fn is_open(&self) -> bool {
        self.holder.get().is_none()
    }

    /// Takes the gate for `txn` if it is open to transactions and none waits for it; false
    /// (and nothing asked) otherwise.
    pub fn try_take(&self, txn: TxnId) -> bool {
        if self.holder.get().is_some() || self.letting_in.get() || !self.queue.borrow().is_empty() {
            return false;
        }
        self.holder.set(Some(txn));
        true
    }

    /// Asks for the gate on behalf of `txn`; `granted` receives one message when it holds it.
    pub fn request(&self, txn: TxnId, granted: flume::Sender<()>) {
        if self.try_take(txn) {
            let _ = granted.try_send(());
        } else {
            self.queue.borrow_mut().push_back((txn, granted));
        }
    }

    /// Releases the gate held by `txn`. With no command waiting for it, or fewer than
    /// [`MAX_STREAK`] transactions handed it in a row while they wait, the next transaction in
    /// line gets it at once. Otherwise the gate opens to the waiting commands only, which are
    /// woken, and the result is true: the caller must call [`Gate::grant_next`] once they have
    /// run.
    #[must_use]
    pub fn release(&self, txn: TxnId) -> bool {
        debug_assert_eq!(
            self.holder.get(),
            Some(txn),
            "gate released by a non-holder"
        );
        self.holder.set(None);
        let commands_wait = !self.waiting_to_run.borrow().is_empty();
        let transactions_wait = !self.queue.borrow().is_empty();
        if !commands_wait || (transactions_wait && self.streak.get() < MAX_STREAK) {
            self.streak.set(if commands_wait {
                self.streak.get() + 1
            } else {
                0
            });
            self.grant_next();
            return false;
        }
        self.streak.set(0);
        let waiting: Vec<Waker> = self.waiting_to_run.borrow_mut().drain(..).collect();
        for waker in waiting {
            waker.wake();
        }
        self.letting_in.set(true);
        true
    }

    /// Opens the gate to transactions again and hands it to the next one in line, if any.
    pub fn grant_next(&self) {
        self.letting_in.set(false);
        if self.holder.get().is_some() {
            return;
        }
        let next = self.queue.borrow_mut().pop_front();
        if let Some((next_txn, granted)) = next {
            self.holder.set(Some(next_txn));
            let _ = granted.try_send(());
        }
    }

    /// Withdraws `txn`'s request: releases the gate if it was granted (the result is then
    /// [`Gate::release`]'s), or takes the request out of the queue.
    #[must_use]
    pub fn withdraw(&self, txn: TxnId) -> bool {
        if self.holder.get() == Some(txn) {
            return self.release(txn);
        }
        self.queue.borrow_mut().retain(|(queued, _)| *queued != txn);
        false
    }

    /// Resolves once no transaction holds the gate.
    pub fn opened(&self) -> Opened<'_> {
        Opened { gate: self }
    }
}

/// Future returned by [`Gate::opened`].
pub struct Opened<'a> {
    gate: &'a Gate,
}

impl Future for Opened<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.gate.is_open() {
            Poll::Ready(())
        } else {
            self.gate
                .waiting_to_run
                .borrow_mut()
                .push(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withdraw_releases_a_grant_or_leaves_the_queue() {
        let gate = Gate::default();
        let (first_tx, first) = flume::bounded(1);
        let (second_tx, second) = flume::bounded(1);
        let (third_tx, third) = flume::bounded(1);
        gate.request(1, first_tx);
        gate.request(2, second_tx);
        gate.request(3, third_tx);
        assert!(first.try_recv().is_ok(), "the open gate is granted at once");
        // A queued request withdrawn is never granted; the others keep their order.
        assert!(!gate.withdraw(2));
        assert!(!gate.release(1));
        assert!(second.try_recv().is_err());
        assert!(third.try_recv().is_ok());
        // A granted request withdrawn releases the gate.
        assert!(!gate.withdraw(3));
        assert!(gate.is_open());
        assert!(gate.try_take(4));
        assert!(!gate.try_take(5));
    }

    /// Polls the gate's `opened` future once with a waker that counts its wakes.
    fn wait_open(gate: &Gate, wakes: &std::sync::Arc<WakeCount>) -> Poll<()> {
        let waker = Waker::from(wakes.clone());
        let mut cx = Context::from_waker(&waker);
        let mut opened = gate.opened();
        Pin::new(&mut opened).poll(&mut cx)
    }

    #[derive(Default)]
    struct WakeCount(std::sync::atomic::AtomicUsize);

    impl std::task::Wake for WakeCount {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    #[test]
    fn waiting_commands_run_between_two_transactions() {
        let gate = Gate::default();
        let (first_tx, first) = flume::bounded(1);
        let (second_tx, second) = flume::bounded(1);
        gate.request(1, first_tx);
        assert!(first.try_recv().is_ok());
        let wakes = std::sync::Arc::new(WakeCount::default());
        assert!(wait_open(&gate, &wakes).is_pending());
        // Up to MAX_STREAK transactions in a row go first.
        let mut holder = 1;
        for next in 100..100 + MAX_STREAK as u64 {
            let (tx, rx) = flume::bounded(1);
            gate.request(next, tx);
            assert!(!gate.release(holder));
            assert!(rx.try_recv().is_ok(), "transaction {next} is granted");
            holder = next;
        }
        assert_eq!(wakes.0.load(std::sync::atomic::Ordering::Relaxed), 0);
        gate.request(2, second_tx);
        // Then the release opens the gate for the waiting command, not for transaction 2.
        assert!(gate.release(holder), "a command waits: grant later");
        assert_eq!(wakes.0.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert!(gate.is_open());
        assert!(second.try_recv().is_err());
        // Nor may a new transaction jump the line while the gate is open.
        assert!(!gate.try_take(3));
        gate.grant_next();
        assert!(second.try_recv().is_ok());
        assert!(!gate.is_open());
        // With nobody waiting to run, the release is the grant.
        let (third_tx, third) = flume::bounded(1);
        gate.request(3, third_tx);
        assert!(!gate.release(2));
        assert!(third.try_recv().is_ok());
    }
}
