//! SoliKV: a thread-per-core, shared-nothing server that speaks Redis and Redis Cluster.
//!
//! # Layout
//!
//! - [`cmd`]: command metadata (the table behind routing and `COMMAND`) and handlers.
//! - [`protocol`]: RESP request parsing and reply encoding (pure).
//! - [`topology`]: slot hashing (pure).

pub mod cmd;
pub mod protocol;
pub mod topology;
