//! Cluster mode, run by the control core.
//!
//! - [`bus`]: the cluster bus wire layer: framing, rkyv messages, TCP links on the bus port.
//!   It carries what the cluster state needs (epochs, slot claims, flags, gossip, failure
//!   reports) and decides nothing itself.

pub mod bus;
