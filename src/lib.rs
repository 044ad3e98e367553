//! SoliKV: a thread-per-core, shared-nothing server that speaks Redis and Redis Cluster.
//!
//! # Layout
//!
//! - [`protocol`]: RESP request parsing and reply encoding (pure).
//! - [`topology`]: slot hashing (pure).
//! - [`storage`]: one core's keyspace: per-slot tables, values, expiry (synchronous).
//! - [`cmd`]: the command table and synchronous handlers.

pub mod clock;
pub mod cmd;
pub mod protocol;
pub mod storage;
pub mod topology;
