//! A data core's gate: held by at most one cross-core transaction at a time.
//!
//! Core-local (`Cell`/`RefCell`, never shared between threads). While a transaction holds the
//! gate, no other command runs on this core: connections and data-link receivers wait for it
//! to open; the holder's steps arrive on control links and run. Transactions take the gates of
//! the cores they need in ascending core order, so two transactions never wait on each other
//! in a cycle. Grants are FIFO.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::mesh::TxnId;

#[derive(Default)]
pub struct Gate {
    holder: Cell<Option<TxnId>>,
    queue: RefCell<VecDeque<(TxnId, flume::Sender<()>)>>,
    waiting_to_run: RefCell<Vec<Waker>>,
}

impl Gate {
    pub fn is_open(&self) -> bool {
        self.holder.get().is_none()
    }

    /// Takes the gate for `txn` if it is open; false (and nothing asked) otherwise.
    pub fn try_take(&self, txn: TxnId) -> bool {
        if self.holder.get().is_some() {
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

    /// Releases the gate held by `txn` and hands it to the next transaction in line, or opens
    /// it for ordinary commands.
    pub fn release(&self, txn: TxnId) {
        debug_assert_eq!(
            self.holder.get(),
            Some(txn),
            "gate released by a non-holder"
        );
        let next = self.queue.borrow_mut().pop_front();
        match next {
            Some((next_txn, granted)) => {
                self.holder.set(Some(next_txn));
                let _ = granted.try_send(());
            }
            None => {
                self.holder.set(None);
                for waker in self.waiting_to_run.borrow_mut().drain(..) {
                    waker.wake();
                }
            }
        }
    }

    /// Withdraws `txn`'s request: releases the gate if it was granted, or takes the request
    /// out of the queue.
    pub fn withdraw(&self, txn: TxnId) {
        if self.holder.get() == Some(txn) {
            self.release(txn);
        } else {
            self.queue.borrow_mut().retain(|(queued, _)| *queued != txn);
        }
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
        gate.withdraw(2);
        gate.release(1);
        assert!(second.try_recv().is_err());
        assert!(third.try_recv().is_ok());
        // A granted request withdrawn releases the gate.
        gate.withdraw(3);
        assert!(gate.is_open());
        assert!(gate.try_take(4));
        assert!(!gate.try_take(5));
    }
}
