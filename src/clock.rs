//! Wall-clock helpers shared by every core.

use std::time::{SystemTime, UNIX_EPOCH};

/// Current Unix time in milliseconds.
pub fn unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Current Unix time in microseconds.
pub fn unix_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// A cheap monotonic counter for timing commands (INFO commandstats `usec`): the CPU's
/// time-stamp counter on x86-64 (a few nanoseconds to read, where `clock_gettime` costs
/// tens), a nanosecond count elsewhere. Only differences of two readings mean anything; turn
/// them into time with [`ticks_to_us`].
#[inline]
pub fn ticks() -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: RDTSC has no preconditions and is available on every x86-64 CPU.
        unsafe { std::arch::x86_64::_rdtsc() }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        monotonic_origin().elapsed().as_nanos() as u64
    }
}

/// Converts a difference of [`ticks`] readings to microseconds.
pub fn ticks_to_us(ticks: u64) -> u64 {
    (ticks as f64 / ticks_per_us()) as u64
}

/// Converts a duration in microseconds to [`ticks`].
pub fn us_to_ticks(us: u64) -> u64 {
    (us as f64 * ticks_per_us()) as u64
}

/// Measures how many ticks make a microsecond, once per process (about 10 ms, the first time
/// INFO needs it or when [`calibrate`] is called at start-up).
fn ticks_per_us() -> f64 {
    static RATE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *RATE.get_or_init(|| {
        let (t0, i0) = (ticks(), std::time::Instant::now());
        std::thread::sleep(std::time::Duration::from_millis(10));
        let (t1, i1) = (ticks(), std::time::Instant::now());
        let us = (i1 - i0).as_secs_f64() * 1e6;
        let rate = t1.wrapping_sub(t0) as f64 / us;
        if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            1.0
        }
    })
}

/// Measures the tick rate now, so that the first INFO does not wait for it.
pub fn calibrate() {
    ticks_per_us();
}

#[cfg(not(target_arch = "x86_64"))]
fn monotonic_origin() -> std::time::Instant {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *ORIGIN.get_or_init(std::time::Instant::now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_measure_elapsed_time() {
        let t0 = ticks();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let us = ticks_to_us(ticks().wrapping_sub(t0));
        assert!((15_000..200_000).contains(&us), "{us} us for a 20 ms sleep");
    }
}
