//! The cluster bus: SoliKV-to-SoliKV messages on `port + 10000`, run by the control core.
//!
//! - [`frame`]: the fixed header and the incremental frame decoder (pure).

pub mod frame;
