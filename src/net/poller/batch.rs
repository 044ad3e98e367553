//! How many completions a data core's idle wait asks for.
//!
//! A core serving many clients at pipeline 1 runs out of work after nearly every request:
//! the next one is still on its way from one of the clients. Waking up for each arrival costs
//! a context switch, an `io_uring_enter` and a scheduler cycle per request. When many
//! connections have been sending lately, the idle wait instead asks the kernel for several
//! completions, waiting at most `io-gather-usec` (50 µs by default) for them before it
//! settles for one (the ring's `min_wait_usec`, kernel 6.13 and later). Receive completions
//! from multishot receives use the kernel's lazy wake, so the sleeping core is not woken
//! until the batch is there.
//!
//! The batch is a quarter of the connections seen sending in the last window
//! ([`WINDOW_US`]), so clients that wait for their replies always keep most of their work:
//! one client, or a few, never wait at all. What a request can lose is `io-gather-usec`, only
//! while that many connections are active; the throughput of clients that wait for their
//! replies is unchanged, since the core holds a few requests while their clients are busy
//! with the others (`tuning/FINDINGS.md` section 14).

use std::cell::Cell;

use crate::clock;

/// The window over which sending connections are counted, in microseconds.
const WINDOW_US: u64 = 1000;
/// Active connections per completion asked for.
const CONNECTIONS_PER_COMPLETION: u32 = 4;
/// Largest batch asked for.
const MOST: u32 = 8;

/// Counts the connections that send, window by window.
pub struct Batch {
    /// Longest time an idle wait holds out for a whole batch, in microseconds; 0 when
    /// gathering is off or the kernel lacks `min_wait_usec`.
    gather_us: u32,
    window_ticks: u64,
    started: Cell<u64>,
    /// Number of the current window; connections stamp it when seen (never 0).
    window: Cell<u32>,
    seen: Cell<u32>,
    seen_before: Cell<u32>,
}

impl Batch {
    /// Gathers for up to `gather_us` if `kernel_waits` (the ring honours `min_wait_usec`).
    pub fn new(gather_us: u32, kernel_waits: bool) -> Batch {
        Batch {
            gather_us: if kernel_waits { gather_us } else { 0 },
            window_ticks: clock::us_to_ticks(WINDOW_US),
            started: Cell::new(clock::ticks()),
            window: Cell::new(1),
            seen: Cell::new(0),
            seen_before: Cell::new(0),
        }
    }

    /// Notes that a connection received data; `stamp` is its record of the window it was last
    /// seen in.
    #[inline]
    pub fn saw(&self, stamp: &mut u32) {
        let window = self.window.get();
        if *stamp != window {
            *stamp = window;
            self.seen.set(self.seen.get() + 1);
        }
    }

    /// The completions the next idle wait asks for, and the microseconds it may wait for them
    /// before one is enough (0: no gathering).
    pub fn want(&self) -> (usize, u32) {
        let now = clock::ticks();
        if now.wrapping_sub(self.started.get()) >= self.window_ticks {
            self.started.set(now);
            self.seen_before.set(self.seen.get());
            self.seen.set(0);
            let next = self.window.get().wrapping_add(1);
            self.window.set(next.max(1));
        }
        let active = self.seen.get().max(self.seen_before.get());
        let batch = (active / CONNECTIONS_PER_COMPLETION).min(MOST);
        if self.gather_us > 0 && batch > 1 {
            (batch as usize, self.gather_us)
        } else {
            (1, 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GATHER: u32 = 50;

    /// Connections with these stamps each receive data once.
    fn receive_on(batch: &Batch, stamps: &mut [u32]) {
        for stamp in stamps.iter_mut() {
            batch.saw(stamp);
        }
    }

    #[test]
    fn few_connections_ask_for_one_completion() {
        let batch = Batch::new(GATHER, true);
        receive_on(&batch, &mut [0u32; 7]);
        assert_eq!(batch.want(), (1, 0));
    }

    #[test]
    fn many_connections_ask_for_a_quarter_of_them() {
        let batch = Batch::new(GATHER, true);
        let mut stamps = [0u32; 24];
        for _ in 0..3 {
            // Seen again in the same window: counted once.
            receive_on(&batch, &mut stamps);
        }
        assert_eq!(batch.want(), (6, GATHER));
        receive_on(&batch, &mut [0u32; 200]);
        assert_eq!(batch.want(), (MOST as usize, GATHER));
    }

    #[test]
    fn gathering_off_or_a_kernel_without_min_wait_never_gathers() {
        for batch in [Batch::new(GATHER, false), Batch::new(0, true)] {
            receive_on(&batch, &mut [0u32; 100]);
            assert_eq!(batch.want(), (1, 0));
        }
    }

    #[test]
    fn quiet_windows_end_the_gathering() {
        let batch = Batch::new(GATHER, true);
        receive_on(&batch, &mut [0u32; 100]);
        std::thread::sleep(std::time::Duration::from_micros(2 * WINDOW_US + 500));
        batch.want();
        std::thread::sleep(std::time::Duration::from_micros(WINDOW_US + 500));
        assert_eq!(batch.want(), (1, 0));
    }
}
