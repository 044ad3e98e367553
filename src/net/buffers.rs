//! The receive buffers a data core lends to the kernel: an io_uring provided-buffer ring.
//!
//! Runs on every data core, owned by its [`super::poller::Poller`]. A receive armed on a client
//! socket names no memory of its own; when data arrives the kernel picks the next buffer of
//! this ring, fills it and reports the buffer's id with the completion. The connection copies
//! the bytes out and the buffer goes back to the ring ([`Buffers::give_back`]). So no buffer
//! handed to the kernel ever belongs to a connection that may be dropped meanwhile.

use std::alloc::{self, Layout};
use std::cell::Cell;
use std::io;
use std::sync::atomic::{AtomicU16, Ordering};

use io_uring::types::BufRingEntry;
use io_uring::IoUring;

/// The buffer group id receives name.
pub const GROUP: u16 = 1;
/// Buffers in a core's ring (a power of two).
const COUNT: u16 = 256;
/// Bytes per buffer: one receive takes at most this much.
pub const SIZE: u32 = 16 * 1024;

/// A provided-buffer ring and the memory of its buffers.
pub struct Buffers {
    /// `COUNT` ring entries, page-aligned; the ring's tail is a field of the first entry.
    entries: *mut BufRingEntry,
    entries_layout: Layout,
    /// `COUNT * SIZE` bytes of buffer memory.
    memory: *mut u8,
    memory_layout: Layout,
    /// The next tail the kernel will see.
    tail: Cell<u16>,
    /// Buffers now in the ring (not lent out and not held by a connection).
    available: Cell<u32>,
}

impl Buffers {
    /// Allocates the ring and its buffers, registers them with `ring` and fills the ring.
    pub fn new(ring: &IoUring) -> io::Result<Buffers> {
        let entries_layout =
            Layout::from_size_align(COUNT as usize * size_of::<BufRingEntry>(), 4096)
                .map_err(io::Error::other)?;
        let memory_layout = Layout::from_size_align(COUNT as usize * SIZE as usize, 4096)
            .map_err(io::Error::other)?;
        // SAFETY: both layouts have a non-zero size; null results are checked.
        let (entries, memory) = unsafe {
            (
                alloc::alloc_zeroed(entries_layout).cast::<BufRingEntry>(),
                alloc::alloc(memory_layout),
            )
        };
        if entries.is_null() || memory.is_null() {
            alloc::handle_alloc_error(memory_layout);
        }
        let buffers = Buffers {
            entries,
            entries_layout,
            memory,
            memory_layout,
            tail: Cell::new(0),
            available: Cell::new(0),
        };
        // SAFETY: `entries` is a page-aligned array of COUNT entries that lives as long as the
        // registration (both end when the core's poller is dropped, the ring first).
        unsafe {
            ring.submitter()
                .register_buf_ring_with_flags(entries as u64, COUNT, GROUP, 0)?;
        }
        for id in 0..COUNT {
            buffers.give_back(id);
        }
        Ok(buffers)
    }

    /// Whether the ring holds a buffer for the next receive.
    pub fn any_available(&self) -> bool {
        self.available.get() > 0
    }

    /// Notes that a completion took buffer `id` out of the ring.
    pub fn taken(&self) {
        self.available.set(self.available.get().saturating_sub(1));
    }

    /// Bytes `start..end` of buffer `id`, which a completion reported filled and which is not
    /// in the ring.
    pub fn bytes(&self, id: u16, start: u32, end: u32) -> &[u8] {
        debug_assert!(id < COUNT && start <= end && end <= SIZE);
        // SAFETY: the range lies inside buffer `id`; the kernel does not write to a buffer
        // that is out of the ring, and it goes back only through `give_back`.
        unsafe {
            std::slice::from_raw_parts(
                self.memory
                    .add(id as usize * SIZE as usize + start as usize),
                (end - start) as usize,
            )
        }
    }

    /// Returns buffer `id` to the ring for the kernel to fill again.
    pub fn give_back(&self, id: u16) {
        let tail = self.tail.get();
        // SAFETY: the index is masked into the ring; the entry's address, length and id are
        // written before the tail that publishes it.
        unsafe {
            let entry = &mut *self.entries.add((tail & (COUNT - 1)) as usize);
            entry.set_addr(self.memory.add(id as usize * SIZE as usize) as u64);
            entry.set_len(SIZE);
            entry.set_bid(id);
            let tail_field = BufRingEntry::tail(self.entries).cast_mut();
            (*tail_field.cast::<AtomicU16>()).store(tail.wrapping_add(1), Ordering::Release);
        }
        self.tail.set(tail.wrapping_add(1));
        self.available.set(self.available.get() + 1);
    }
}

impl Drop for Buffers {
    fn drop(&mut self) {
        // SAFETY: both blocks were allocated in `new` with these layouts.
        unsafe {
            alloc::dealloc(self.entries.cast(), self.entries_layout);
            alloc::dealloc(self.memory, self.memory_layout);
        }
    }
}
