//! A counting global allocator, so `INFO memory` reports the bytes the server really holds.
//!
//! Each thread adds to its own counter, on a cache line of its own, so no line is shared
//! between data cores on the hot path; the total is the sum over counters. A thread that owns
//! its counter updates it with a plain load and store, not a locked read-modify-write (an
//! allocation and a free each paid one, several per cent of a Lua call at pipeline 16). Threads
//! beyond the owned counters, and threads being torn down, share one last counter and update it
//! atomically. Memory freed on another thread than the one that allocated it makes individual
//! counters drift, never the sum.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

const COUNTERS: usize = 128;
/// The counter of threads that own none.
const SHARED: usize = COUNTERS - 1;

/// One thread's count, alone on its cache lines (two, for the adjacent-line prefetcher).
#[repr(align(128))]
struct Counter(AtomicIsize);

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: Counter = Counter(AtomicIsize::new(0));
static ALLOCATED: [Counter; COUNTERS] = [ZERO; COUNTERS];
static NEXT_COUNTER: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTER: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Adds `delta` to the calling thread's counter.
#[inline]
fn count(delta: isize) {
    let index = COUNTER
        .try_with(|c| {
            if c.get() == usize::MAX {
                let next = NEXT_COUNTER.fetch_add(1, Ordering::Relaxed);
                c.set(next.min(SHARED));
            }
            c.get()
        })
        .unwrap_or(SHARED);
    let counter = &ALLOCATED[index].0;
    if index == SHARED {
        counter.fetch_add(delta, Ordering::Relaxed);
    } else {
        // Only this thread ever writes this counter; readers sum with relaxed loads.
        counter.store(
            counter.load(Ordering::Relaxed).wrapping_add(delta),
            Ordering::Relaxed,
        );
    }
}

/// The system allocator, counting live bytes.
pub struct CountingAlloc;

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Bytes currently allocated through [`CountingAlloc`] by the whole process.
pub fn allocated_bytes() -> usize {
    ALLOCATED
        .iter()
        .map(|c| c.0.load(Ordering::Relaxed))
        .sum::<isize>()
        .max(0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_counted_on_any_thread_add_up_and_frees_anywhere_take_them_back() {
        let layout = Layout::from_size_align(1 << 20, 8).expect("valid layout");
        let before = allocated_bytes();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                // SAFETY: a non-zero size; the block is freed below with the same layout.
                std::thread::spawn(move || unsafe { CountingAlloc.alloc(layout) } as usize)
            })
            .collect();
        let blocks: Vec<usize> = threads
            .into_iter()
            .map(|t| t.join().expect("allocating thread"))
            .collect();
        assert!(blocks.iter().all(|&p| p != 0));
        assert_eq!(allocated_bytes(), before + (4 << 20));
        for p in blocks {
            // SAFETY: allocated above with this layout, freed once.
            unsafe { CountingAlloc.dealloc(p as *mut u8, layout) };
        }
        assert_eq!(allocated_bytes(), before);
    }
}
