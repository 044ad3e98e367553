//! SoliKV: a thread-per-core, shared-nothing server that speaks Redis and Redis Cluster.
//!
//! # Layout
//!
//! - [`protocol`]: RESP request parsing and reply encoding (pure).
//! - [`topology`]: slot hashing (pure).
//! - [`glob`]: redis-server glob matching for KEYS, SCAN MATCH and CONFIG GET (pure).
//! - [`config`]: directive table, command line and config file, CONFIG GET/SET/REWRITE (pure).
//! - [`storage`]: one core's keyspace: per-slot tables, values, expiry (synchronous).
//! - [`cmd`]: the command table and synchronous handlers.
//! - [`shard`]: data-core executors, the cross-core mesh, cross-core transactions,
//!   server-wide commands.
//! - [`net`]: listeners and the connection loop.
//! - [`cluster`]: cluster mode: the cluster state on the control core, nodes.conf, CLUSTER
//!   commands, the routing view every data core checks keyed commands against, the
//!   cluster bus wire layer and its driver (gossip, failure detection).
//! - [`script`]: Lua scripting (EVAL, SCRIPT): a Lua 5.1 interpreter per data core, running
//!   a script in a coroutine on that core under an all-core transaction, its calls as steps
//!   of that transaction.
//! - [`alloc`]: the counting allocator behind `INFO memory`.
//!
//! See `ARCHITECTURE.md` for the threads and the life of a command.

pub mod alloc;
pub mod clock;
pub mod cluster;
pub mod cmd;
pub mod config;
pub mod glob;
pub mod net;
pub mod protocol;
pub mod script;
pub mod shard;
pub mod storage;
pub mod topology;
