//! Socket readiness for a data core's listeners and connections, from one edge-triggered epoll
//! set per core.
//!
//! Runs on every data core; owns the core's epoll fd and a slot per registered socket. Why not
//! glommio's own socket operations: each io_uring poll armed on a socket completes through
//! task work, and on a busy core the kernel forces that task work in with an interrupt (glommio
//! 0.9 sets up its rings without `COOP_TASKRUN`), then takes the socket lock from a second CPU;
//! on a VM that was a quarter of the server's CPU at pipeline 1 (`tuning/FINDINGS.md`). Here
//! sockets are read, written and accepted with non-blocking syscalls; a task that finds its
//! socket drained (or full) waits on its slot, and one driver task per core asks epoll which
//! sockets changed, once per scheduler cycle, the way redis-server's event loop does.
//!
//! The driver also stands in for the executor's park: when a whole cycle passes in which no
//! other task ran and no socket became ready, it blocks in `epoll_wait` itself. Wakes from
//! other threads ring the core's [`Bell`], which sits in the same epoll set; glommio timers
//! cannot interrupt the wait, so it is bounded ([`IDLE_WAIT_MS`]).

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::shard::task::{self, Bell};

/// Longest single idle wait, in milliseconds, right after the core was busy: the lateness a
/// glommio timer may see on a core that is otherwise idle.
pub const IDLE_WAIT_MS: i32 = 1;
/// Longest idle wait once the core has waited [`LONG_IDLE_CYCLES`] times in a row with no
/// socket event.
const LONG_IDLE_WAIT_MS: i32 = 25;
const LONG_IDLE_CYCLES: u32 = 100;
/// How far away the timer is that makes glommio run its reactor between two driver cycles.
const REACTOR_PASS: Duration = Duration::from_micros(1);
/// Longest time between two reactor passes on a busy core: the lateness a glommio timer may
/// see there.
const PASS_INTERVAL: Duration = Duration::from_millis(1);
/// Events taken from epoll per call.
const EVENTS: usize = 256;
/// The epoll token of the core's [`Bell`].
const BELL_TOKEN: u64 = u64::MAX;

thread_local! {
    /// How many socket tasks the core's latest harvest woke.
    static WOKEN: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Whether the latest harvest on this core woke several socket tasks: a task that yields now
/// lets the others run before it resumes.
pub fn several_woken() -> bool {
    WOKEN.with(|w| w.get() > 1)
}

/// One registered socket: whether it became readable or writable since its task last looked,
/// and who to wake when it does (a task waits for one of the two at a time).
#[derive(Default)]
struct Slot {
    readable: bool,
    writable: bool,
    waker: Option<Waker>,
}

/// The epoll set of one data core and the connections waiting on it.
pub struct Poller {
    epfd: OwnedFd,
    bell: Arc<Bell>,
    slots: RefCell<Vec<Slot>>,
    free: RefCell<Vec<u32>>,
}

impl Poller {
    /// The poller of the core whose `bell` is given (see [`task::install_bell`]).
    pub fn new(bell: Arc<Bell>) -> io::Result<Rc<Poller>> {
        // SAFETY: plain syscall; the result is checked before use.
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new descriptor that nothing else owns.
        let epfd = unsafe { OwnedFd::from_raw_fd(fd) };
        epoll_add(&epfd, bell.fd(), libc::EPOLLIN as u32, BELL_TOKEN)?;
        Ok(Rc::new(Poller {
            epfd,
            bell,
            slots: RefCell::new(Vec::new()),
            free: RefCell::new(Vec::new()),
        }))
    }

    /// Adds a socket to the set; readiness is reported until the registration is dropped.
    pub fn register(self: &Rc<Self>, fd: RawFd) -> io::Result<Registration> {
        let slot = match self.free.borrow_mut().pop() {
            Some(slot) => slot,
            None => {
                let mut slots = self.slots.borrow_mut();
                slots.push(Slot::default());
                (slots.len() - 1) as u32
            }
        };
        let events = libc::EPOLLIN | libc::EPOLLOUT | libc::EPOLLRDHUP | libc::EPOLLET;
        if let Err(e) = epoll_add(&self.epfd, fd, events as u32, slot as u64) {
            self.free.borrow_mut().push(slot);
            return Err(e);
        }
        Ok(Registration {
            poller: self.clone(),
            fd,
            slot,
        })
    }

    /// Takes ready sockets from epoll, waiting at most `timeout_ms`, and wakes their
    /// connections. Returns how many were reported.
    fn harvest(&self, events: &mut [libc::epoll_event], timeout_ms: i32) -> usize {
        // SAFETY: `events` is valid for writes of `events.len()` entries.
        let n = unsafe {
            libc::epoll_wait(
                self.epfd.as_raw_fd(),
                events.as_mut_ptr(),
                events.len() as i32,
                timeout_ms,
            )
        };
        if n <= 0 {
            return 0;
        }
        let mut slots = self.slots.borrow_mut();
        let mut woken = 0;
        for event in &events[..n as usize] {
            if event.u64 == BELL_TOKEN {
                self.bell.clear();
                continue;
            }
            if let Some(slot) = slots.get_mut(event.u64 as usize) {
                let hangup = (libc::EPOLLHUP | libc::EPOLLERR) as u32;
                let read = (libc::EPOLLIN | libc::EPOLLRDHUP) as u32 | hangup;
                slot.readable |= event.events & read != 0;
                slot.writable |= event.events & (libc::EPOLLOUT as u32 | hangup) != 0;
                if let Some(waker) = slot.waker.take() {
                    waker.wake();
                    woken += 1;
                }
            }
        }
        WOKEN.with(|w| w.set(woken));
        n as usize
    }

    /// The core's socket driver; never returns. Spawn it once per data core, uncounted (with
    /// `glommio::spawn_local`, not `shard::task::spawn`).
    ///
    /// Each cycle has two steps. First the driver takes what epoll reports and yields within
    /// the task queue, so that every task queued so far runs before the second step. Then:
    /// - if the core is *quiet* (since the previous cycle no counted task ran, no other thread
    ///   woke a task here; tasks the first step woke have run and count), nothing is runnable:
    ///   it **blocks**
    ///   in `epoll_wait`. Sockets never use io_uring here, so glommio holds no submission that
    ///   would wait for the block to end; only its timers may, hence the bounded wait;
    /// - it ends the cycle with a **reactor pass** (a timer one microsecond away: glommio only
    ///   runs its reactor, which fires timers, reaps io_uring completions and takes in wakes
    ///   from other threads, once no task is runnable) when another thread woke a task here,
    ///   when an idle wait timed out, or at least every [`PASS_INTERVAL`]. A pass costs
    ///   glommio several `io_uring_enter` calls, so a busy core makes one only now and then;
    /// - otherwise it yields within the task queue and starts the next cycle.
    pub async fn drive(self: Rc<Self>) {
        let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; EVENTS];
        let mut quiet_polls = task::polls();
        let mut quiet_wakes = self.bell.foreign_wakes();
        let mut passed_wakes = quiet_wakes;
        let mut last_pass = Instant::now();
        let mut idle_cycles = 0u32;
        loop {
            if self.harvest(&mut events, 0) > 0 {
                idle_cycles = 0;
            }
            futures_lite::future::yield_now().await;
            // A connection the first step woke has run by now, so it shows in the count.
            let quiet = task::polls() == quiet_polls;
            let mut timed_out = false;
            if quiet && self.bell.try_sleep(quiet_wakes) {
                let wait = if idle_cycles >= LONG_IDLE_CYCLES {
                    LONG_IDLE_WAIT_MS
                } else {
                    IDLE_WAIT_MS
                };
                let reported = self.harvest(&mut events, wait);
                self.bell.woke_up();
                timed_out = reported == 0;
                // Only socket events and rings end a long idle stretch; timer tasks (active
                // expiry, every 100 ms) do not.
                idle_cycles = if timed_out {
                    idle_cycles.saturating_add(1)
                } else {
                    0
                };
            }
            quiet_polls = task::polls();
            quiet_wakes = self.bell.foreign_wakes();
            if timed_out || quiet_wakes != passed_wakes || last_pass.elapsed() >= PASS_INTERVAL {
                passed_wakes = quiet_wakes;
                glommio::timer::sleep(REACTOR_PASS).await;
                last_pass = Instant::now();
            } else {
                futures_lite::future::yield_now().await;
            }
        }
    }
}

/// Adds `fd` to the epoll set `epfd` for `events`, reported with `token`.
fn epoll_add(epfd: &OwnedFd, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
    let mut event = libc::epoll_event { events, u64: token };
    // SAFETY: `event` is a valid epoll_event for the duration of the call.
    if unsafe { libc::epoll_ctl(epfd.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut event) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A socket in its core's epoll set; removed from it on drop.
pub struct Registration {
    poller: Rc<Poller>,
    fd: RawFd,
    slot: u32,
}

impl Registration {
    /// Resolves once the socket has reported new data (or a hang-up) since the last call that
    /// resolved.
    pub fn readable(&self) -> Ready<'_> {
        Ready {
            reg: self,
            write: false,
        }
    }

    /// Makes the next [`Registration::readable`] resolve at once: for a task that consumed a
    /// readiness report without reading the socket (a blocked client's disconnect watch),
    /// so that data which arrived meanwhile is not left waiting for another report.
    pub fn rearm_readable(&self) {
        self.poller.slots.borrow_mut()[self.slot as usize].readable = true;
    }

    /// Resolves once the socket has reported room to write (or a hang-up) since the last call
    /// that resolved.
    pub fn writable(&self) -> Ready<'_> {
        Ready {
            reg: self,
            write: true,
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: plain syscall on descriptors this core still owns; a failure only means
        // the socket already left the set.
        unsafe {
            libc::epoll_ctl(
                self.poller.epfd.as_raw_fd(),
                libc::EPOLL_CTL_DEL,
                self.fd,
                std::ptr::null_mut(),
            );
        }
        self.poller.slots.borrow_mut()[self.slot as usize] = Slot::default();
        self.poller.free.borrow_mut().push(self.slot);
    }
}

/// The future of [`Registration::readable`] and [`Registration::writable`].
pub struct Ready<'a> {
    reg: &'a Registration,
    write: bool,
}

impl Future for Ready<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut slots = self.reg.poller.slots.borrow_mut();
        let slot = &mut slots[self.reg.slot as usize];
        let flag = if self.write {
            &mut slot.writable
        } else {
            &mut slot.readable
        };
        if *flag {
            *flag = false;
            slot.waker = None;
            Poll::Ready(())
        } else {
            slot.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
