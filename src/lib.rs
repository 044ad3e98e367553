//! SoliKV: a thread-per-core, shared-nothing server that speaks Redis and Redis Cluster.
//!
//! # Layout
//!
//! - [`protocol`]: RESP request parsing and reply encoding (pure).
//! - [`topology`]: slot hashing (pure).

pub mod protocol;
pub mod topology;
