//! Client networking: listeners and the connection loop. The only place with client sockets.
//!
//! Runs on every data core's executor.

pub mod blocking;
mod buffers;
pub mod conn;
pub mod listener;
pub mod multi;
pub mod poller;
mod prefetch;
pub mod session;
pub mod subscriber;
