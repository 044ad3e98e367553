//! The cross-core mesh: bounded flume channels between every pair of data cores.
//!
//! Each ordered pair of cores has two links. The *data* link carries pipelined command batches
//! and fan-out calls; its receiver waits while the destination core is locked by a cross-core
//! transaction. The *control* link carries a transaction's lock, its steps and its unlock; its
//! receiver never waits, so a transaction can always finish and release the cores it holds.

use crate::cmd::Command;
use crate::protocol::{Proto, Span};

use super::core::CoreCtx;

/// Work to run on another core, with access to that core's state.
pub type CoreFn = Box<dyn FnOnce(&CoreCtx) + Send>;

/// Identifies one cross-core transaction.
pub type TxnId = u64;

/// A run of consecutive keyed commands from one connection's pipeline for one core.
pub struct RemoteBatch {
    pub proto: Proto,
    pub no_touch: bool,
    /// Argument bytes of every command in the batch.
    pub bytes: Vec<u8>,
    /// Argument spans into `bytes`.
    pub spans: Vec<Span>,
    /// For each command: its table id and entry, and its span range.
    pub cmds: Vec<BatchCmd>,
}

/// One command inside a [`RemoteBatch`].
pub struct BatchCmd {
    pub id: usize,
    pub cmd: &'static Command,
    pub first_span: u32,
    pub nspans: u32,
}

impl RemoteBatch {
    pub fn new(proto: Proto, no_touch: bool) -> Self {
        RemoteBatch {
            proto,
            no_touch,
            bytes: Vec::new(),
            spans: Vec::new(),
            cmds: Vec::new(),
        }
    }

    /// Copies one command's arguments into the batch.
    pub fn push<'a>(
        &mut self,
        id: usize,
        cmd: &'static Command,
        args: impl Iterator<Item = &'a [u8]>,
    ) {
        let first_span = self.spans.len() as u32;
        for arg in args {
            self.spans.push((self.bytes.len(), arg.len()));
            self.bytes.extend_from_slice(arg);
        }
        self.cmds.push(BatchCmd {
            id,
            cmd,
            first_span,
            nspans: self.spans.len() as u32 - first_span,
        });
    }
}

/// The replies to a [`RemoteBatch`], in command order.
pub struct BatchReply {
    pub buf: Vec<u8>,
    /// End offset in `buf` of each command's reply.
    pub ends: Vec<u32>,
}

/// Messages on a data link.
pub enum DataMsg {
    /// Every batch the sending core's connections queued in one scheduler round, each with
    /// the token its connection waits on.
    Batches {
        from: usize,
        batches: Vec<(usize, RemoteBatch)>,
    },
    /// The replies to one `Batches` message, by token.
    Replies(Vec<(usize, BatchReply)>),
    Call(CoreFn),
}

/// Messages on a control link.
pub enum CtlMsg {
    /// Asks for the destination core's gate; `granted` fires when the transaction holds it.
    Lock {
        txn: TxnId,
        granted: flume::Sender<()>,
    },
    /// A step of a transaction that holds the destination core's gate.
    Call {
        txn: TxnId,
        f: CoreFn,
    },
    /// Gives up the gate `txn` asked for: released if it was granted, or taken out of the
    /// queue (a transaction that stopped waiting, see `Txn::begin_or_busy`).
    Withdraw {
        txn: TxnId,
    },
    Unlock {
        txn: TxnId,
    },
}

/// Capacity of each link; a full link makes the sender wait (backpressure).
const LINK_CAPACITY: usize = 1024;

/// One core's sending ends, indexed by destination core (`None` for itself).
pub struct MeshSenders {
    pub data: Vec<Option<flume::Sender<DataMsg>>>,
    pub ctl: Vec<Option<flume::Sender<CtlMsg>>>,
}

/// One core's receiving ends, one per source core.
pub struct MeshReceivers {
    pub data: Vec<flume::Receiver<DataMsg>>,
    pub ctl: Vec<flume::Receiver<CtlMsg>>,
}

/// Builds the full mesh for `ncores` cores: element `i` holds core `i`'s ends.
pub fn build(ncores: usize) -> Vec<(MeshSenders, MeshReceivers)> {
    let mut senders: Vec<MeshSenders> = (0..ncores)
        .map(|_| MeshSenders {
            data: (0..ncores).map(|_| None).collect(),
            ctl: (0..ncores).map(|_| None).collect(),
        })
        .collect();
    let mut receivers: Vec<MeshReceivers> = (0..ncores)
        .map(|_| MeshReceivers {
            data: Vec::new(),
            ctl: Vec::new(),
        })
        .collect();
    for (src, from) in senders.iter_mut().enumerate() {
        for (dst, to) in receivers.iter_mut().enumerate() {
            if src == dst {
                continue;
            }
            let (tx, rx) = flume::bounded(LINK_CAPACITY);
            from.data[dst] = Some(tx);
            to.data.push(rx);
            let (tx, rx) = flume::bounded(LINK_CAPACITY);
            from.ctl[dst] = Some(tx);
            to.ctl.push(rx);
        }
    }
    senders.into_iter().zip(receivers).collect()
}
