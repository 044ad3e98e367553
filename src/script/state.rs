//! Server-wide state of the running script, shared by every data core.
//!
//! Scripts are serialized (each holds every core's gate), so at most one runs at a time and
//! a few atomics describe it. Written by the core that runs the script (RUNNING, WROTE), the
//! script's count hook and calls (BUSY) and SCRIPT KILL on any core (KILL).

use std::sync::atomic::{AtomicBool, Ordering};

/// A script is running.
pub static RUNNING: AtomicBool = AtomicBool::new(false);
/// The running script passed busy-reply-threshold: other clients get `-BUSY`.
pub static BUSY: AtomicBool = AtomicBool::new(false);
/// SCRIPT KILL asked the running script to stop.
pub static KILL: AtomicBool = AtomicBool::new(false);
/// The running script has written, so SCRIPT KILL answers `-UNKILLABLE`.
pub static WROTE: AtomicBool = AtomicBool::new(false);

/// Marks a script as started.
pub fn start() {
    KILL.store(false, Ordering::Relaxed);
    WROTE.store(false, Ordering::Relaxed);
    BUSY.store(false, Ordering::Relaxed);
    RUNNING.store(true, Ordering::Release);
}

/// Marks the script as finished.
pub fn finish() {
    RUNNING.store(false, Ordering::Release);
    BUSY.store(false, Ordering::Relaxed);
    KILL.store(false, Ordering::Relaxed);
}

/// Whether other clients must be answered `-BUSY`.
pub fn busy() -> bool {
    BUSY.load(Ordering::Relaxed)
}

pub const BUSY_ERR: &str =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
