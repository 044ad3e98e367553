//! Spawning tasks on a data core, so that the core's socket driver knows when it may sleep.
//!
//! Runs on every data core. The core's driver (`net::poller`) blocks in its socket ring instead of
//! letting glommio park, so it must know two things glommio does not tell it:
//! - whether any other task ran since it last looked: every task is spawned through [`spawn`],
//!   which counts its polls ([`polls`]);
//! - whether another thread woke one of this core's tasks: glommio only signals a foreign wake
//!   to an executor that it believes is parked, and a core blocked in our own ring is not.
//!   [`spawn`] hands each task a waker that, when called from another thread, counts the wake
//!   on the core's [`Bell`] and rings the bell's eventfd if the core is asleep. The eventfd sits
//!   is polled in the core's socket ring.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

thread_local! {
    static POLLS: Cell<u64> = const { Cell::new(0) };
    static BELL: RefCell<Option<Arc<Bell>>> = const { RefCell::new(None) };
}

/// How one data core is woken from its idle wait by other threads.
pub struct Bell {
    /// Set while the core's driver is (about to be) blocked in its socket ring.
    sleeping: AtomicBool,
    /// Wakes of this core's tasks made by other threads, ever.
    foreign_wakes: AtomicU64,
    eventfd: OwnedFd,
}

impl Bell {
    fn new() -> io::Result<Bell> {
        // SAFETY: plain syscall; the result is checked before use.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Bell {
            sleeping: AtomicBool::new(false),
            foreign_wakes: AtomicU64::new(0),
            // SAFETY: `fd` is a new descriptor that nothing else owns.
            eventfd: unsafe { OwnedFd::from_raw_fd(fd) },
        })
    }

    /// The eventfd to watch for rings.
    pub fn fd(&self) -> RawFd {
        self.eventfd.as_raw_fd()
    }

    /// Clears a ring after the eventfd reported readable.
    pub fn clear(&self) {
        let mut count = 0u64;
        // SAFETY: reads 8 bytes into `count`; a failure (nothing to read) is harmless.
        unsafe { libc::read(self.fd(), (&mut count as *mut u64).cast(), 8) };
    }

    pub fn foreign_wakes(&self) -> u64 {
        self.foreign_wakes.load(Ordering::SeqCst)
    }

    /// Announces that the core is about to block; returns false (and stays awake) when a
    /// foreign wake arrived since `seen` (a [`Bell::foreign_wakes`] reading), whose task glommio
    /// may not have queued yet.
    pub fn try_sleep(&self, seen: u64) -> bool {
        self.sleeping.store(true, Ordering::SeqCst);
        if self.foreign_wakes.load(Ordering::SeqCst) != seen {
            self.sleeping.store(false, Ordering::SeqCst);
            return false;
        }
        true
    }

    pub fn woke_up(&self) {
        self.sleeping.store(false, Ordering::SeqCst);
    }

    /// Called by another thread after it woke one of this core's tasks.
    fn foreign_wake(&self) {
        self.foreign_wakes.fetch_add(1, Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst) {
            let one = 1u64;
            // SAFETY: writes 8 bytes from `one`; a full counter only means a ring is pending.
            unsafe { libc::write(self.fd(), (&one as *const u64).cast(), 8) };
        }
    }
}

/// Creates this data core's bell; call first thing on the core, before spawning anything.
pub fn install_bell() -> io::Result<Arc<Bell>> {
    let bell = Arc::new(Bell::new()?);
    BELL.with(|b| *b.borrow_mut() = Some(bell.clone()));
    Ok(bell)
}

/// This core's bell, if [`install_bell`] ran on this thread.
pub fn bell() -> Option<Arc<Bell>> {
    BELL.with(|b| b.borrow().clone())
}

/// How many task polls this thread has made through [`spawn`]ed tasks so far.
pub fn polls() -> u64 {
    POLLS.with(Cell::get)
}

/// Spawns `future` on the current glommio executor, counting its polls and reporting foreign
/// wakes to this core's bell.
pub fn spawn<T: 'static>(future: impl Future<Output = T> + 'static) -> glommio::Task<T> {
    glommio::spawn_local(Counted {
        future,
        bell: bell(),
        waker: None,
    })
}

/// A future whose polls are counted and whose waker reports foreign wakes.
struct Counted<F> {
    future: F,
    bell: Option<Arc<Bell>>,
    /// The task's own waker and our wrapper around it, made on the first poll.
    waker: Option<(Waker, Waker)>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        POLLS.with(|p| p.set(p.get() + 1));
        // SAFETY: `future` is structurally pinned (never moved out of `self`); the other
        // fields are not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        let Some(bell) = &this.bell else {
            return future.poll(cx);
        };
        let fresh = match &this.waker {
            Some((inner, _)) => !inner.will_wake(cx.waker()),
            None => true,
        };
        if fresh {
            let wrapper = Waker::from(Arc::new(BellWaker {
                inner: cx.waker().clone(),
                bell: bell.clone(),
            }));
            this.waker = Some((cx.waker().clone(), wrapper));
        }
        let (_, wrapper) = this.waker.as_ref().expect("waker set above");
        future.poll(&mut Context::from_waker(wrapper))
    }
}

/// A task's waker that tells the task's core about wakes from other threads.
struct BellWaker {
    inner: Waker,
    bell: Arc<Bell>,
}

impl BellWaker {
    fn on_own_core(&self) -> bool {
        BELL.with(|b| {
            b.borrow()
                .as_ref()
                .is_some_and(|own| Arc::ptr_eq(own, &self.bell))
        })
    }
}

impl Wake for BellWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.inner.wake_by_ref();
        if !self.on_own_core() {
            self.bell.foreign_wake();
        }
    }
}
