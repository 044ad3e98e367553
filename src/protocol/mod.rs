//! The wire protocol: RESP request parsing and reply encoding.
//!
//! Pure and synchronous; knows nothing of sockets, executors or commands. Runs on every data
//! core, inside the connection loop.

pub mod number;
pub mod parse;
pub mod reply;

pub use parse::{Limits, Parsed, ProtoError, RequestParser, Span};
pub use reply::{Proto, Reply};
