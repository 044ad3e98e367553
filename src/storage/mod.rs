//! Data owned by one data core: values, the per-slot keyspace, expiry.
//!
//! Synchronous; never awaits and knows nothing of executors or sockets. Each core owns one
//! [`Keyspace`] holding its shards.

pub mod dense;
pub mod hash;
pub mod hll;
pub mod key;
pub mod keyspace;
pub mod limits;
pub mod list;
pub mod ready;
pub mod set;
pub mod value;
pub mod watch;
pub mod zset;

pub use keyspace::{Entry, ExpireAt, Keyspace};
pub use value::{Kind, Value};
