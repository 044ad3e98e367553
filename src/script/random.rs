//! The random numbers of Lua's `math.random` and `math.randomseed`, as redis-server makes them.
//!
//! redis-server gives scripts its own 48-bit linear congruential generator (the one POSIX
//! `lrand48` describes: x ← 0x5DEECE66D·x + 11 mod 2^48, result x >> 17), started from the
//! standard initial state when the server starts and reseeded only by `math.randomseed`; its
//! `math.random` is Lua 5.1's with `rand()` swapped for that generator. So the numbers scripts
//! draw are the same on every redis-server run, and clients' tests may depend on them.
//!
//! The vendored Lua 5.1 calls the C library's `rand()` and `srand()`, and glibc's `RAND_MAX`
//! equals redis-server's divisor (2^31 − 1). Defining `rand` and `srand` here makes the
//! binary's own definitions win over the C library's when it is linked, so Lua's unchanged
//! `math.random` (argument checks and error texts included) draws from this generator. Nothing
//! else in SoliKV calls `rand()`. Every data core has a Lua state, but scripts are serialized
//! server-wide (each holds every core's gate), so the one sequence is shared as in redis-server
//! and the state needs no ordering beyond a relaxed atomic.

use std::sync::atomic::{AtomicU64, Ordering};

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const INCREMENT: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;
/// The state before any seeding: 0x1234_ABCD_330E, as `lrand48` starts.
const INITIAL: u64 = 0x1234_ABCD_330E;

static STATE: AtomicU64 = AtomicU64::new(INITIAL);

/// The next 31-bit number of the sequence.
fn next() -> i32 {
    let x = STATE
        .load(Ordering::Relaxed)
        .wrapping_mul(MULTIPLIER)
        .wrapping_add(INCREMENT)
        & MASK;
    STATE.store(x, Ordering::Relaxed);
    (x >> 17) as i32
}

/// Restarts the sequence as `srand48(seed)` does: the seed's 32 bits above 0x330E.
fn seed(seed: u32) {
    STATE.store(((seed as u64) << 16) | 0x330E, Ordering::Relaxed);
}

/// The C library's `rand()`, replaced for Lua's `math.random` (see the module docs).
#[no_mangle]
pub extern "C" fn rand() -> libc::c_int {
    next()
}

/// The C library's `srand()`, replaced for Lua's `math.randomseed`.
#[no_mangle]
pub extern "C" fn srand(value: libc::c_uint) {
    seed(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values redis-server 7.0.15 gives for `math.randomseed(42)` then
    /// `math.random(1,1000000)` and `math.random()`, computed the way Lua does from `rand()`.
    #[test]
    fn seeded_sequence_matches_redis() {
        seed(42);
        let max = libc::RAND_MAX as f64;
        let r = (next() as f64 % max) / max;
        assert_eq!((r * 1_000_000.0).floor() as i64 + 1, 744_526);
        let r = (next() as f64 % max) / max;
        assert_eq!(format!("{:.14}", r), "0.34270147855519");
    }
}
