//! The cluster bus: SoliKV-to-SoliKV messages on `port + 10000`, run by the control core.
//!
//! - [`frame`]: the fixed header and the incremental frame decoder (pure).
//! - [`slots`]: slot claims as ranges and digests (pure).
//! - [`message`]: the rkyv message types, `encode` and `decode` (pure).
//! - [`link`]: the bus listener and TCP links (glommio, control core).

mod claims;
pub mod frame;
pub mod link;
pub mod message;
pub mod slots;
