//! SoliKV: a thread-per-core, shared-nothing server that speaks Redis and Redis Cluster.
//!
//! # Layout
//!
//! - [`protocol`]: RESP request parsing and reply encoding (pure).
//! - [`topology`]: slot hashing (pure).
//! - [`glob`]: redis-server glob matching for KEYS, SCAN MATCH and CONFIG GET (pure).
//! - [`config`]: directive table, command line and config file, CONFIG GET/SET/REWRITE (pure).

pub mod config;
pub mod glob;
pub mod protocol;
pub mod topology;
