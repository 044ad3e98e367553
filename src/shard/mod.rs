//! Data cores: executors, pinning, the flume mesh between cores, cross-core transactions and
//! server-wide commands.
//!
//! Everything here runs on a data core's glommio executor and may `.await`; the keyspace is
//! only borrowed inside synchronous steps.

pub mod blocking;
pub mod client_cmd;
pub mod clients;
pub mod config_cmd;
pub mod core;
pub mod exec_txn;
pub mod gate;
pub mod gather;
pub mod global;
pub mod info;
pub mod mesh;
pub mod options;
pub mod outbox;
pub mod pubsub;
pub mod runtime;
pub mod spread;
pub mod task;
pub mod txn;
