//! A counting global allocator, so `INFO memory` reports the bytes the server really holds.
//!
//! Each thread adds to its own counter (no cache line shared between data cores on the hot
//! path); the total is the sum over counters. Memory freed on another thread than the one
//! that allocated it makes individual counters drift, never the sum.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

const COUNTERS: usize = 128;

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicIsize = AtomicIsize::new(0);
static ALLOCATED: [AtomicIsize; COUNTERS] = [ZERO; COUNTERS];
static NEXT_COUNTER: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTER: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn counter() -> &'static AtomicIsize {
    let index = COUNTER
        .try_with(|c| {
            if c.get() == usize::MAX {
                c.set(NEXT_COUNTER.fetch_add(1, Ordering::Relaxed) % COUNTERS);
            }
            c.get()
        })
        .unwrap_or(0);
    &ALLOCATED[index]
}

/// The system allocator, counting live bytes.
pub struct CountingAlloc;

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            counter().fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            counter().fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        counter().fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            counter().fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

/// Bytes currently allocated through [`CountingAlloc`] by the whole process.
pub fn allocated_bytes() -> usize {
    ALLOCATED
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum::<isize>()
        .max(0) as usize
}
