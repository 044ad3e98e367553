//! Command table and handlers.

pub mod meta;
