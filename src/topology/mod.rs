//! Slot hashing and slot-to-shard mapping.
//!
//! Pure and synchronous; used by every data core's router. The cluster view (slot → node)
//! arrives with cluster mode.

pub mod slot;

pub use slot::{key_slot, SlotId, SLOT_COUNT};
