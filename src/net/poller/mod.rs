//! Client and listening sockets of a data core, through one io_uring per core.
//!
//! Runs on every data core; owns the core's socket ring, a slot per registered socket and the
//! core's receive buffers ([`super::buffers`]). Each connection keeps a multishot receive
//! armed in the ring; the kernel fills a provided buffer whenever data arrives and the
//! completion wakes the connection, which copies the bytes out ([`Registration::recv`]). A
//! connection with [`QUEUED_CHUNKS`] chunks waiting has its receive cancelled until it has
//! taken them, so the kernel's socket buffer (and TCP) holds back a client that sends faster
//! than it is served; when no buffer is free, a connection waits for a one-shot poll and reads
//! with `recv`. Replies are sends in the same ring, each on a buffer the slot owns until the
//! send completes ([`Registration::send`]). Listening sockets and the core's [`Bell`] are
//! watched by multishot polls. Sockets are also entered in the ring's table of registered files
//! when it has room, so that an operation on them skips the kernel's per-call lookup of the
//! descriptor (`fget`/`fput`, about 1.5% of a pipeline-1 request's CPU).
//!
//! One driver task per core submits what the connections queued and takes the completions,
//! once per scheduler cycle, the way redis-server's event loop calls `epoll_wait`. The ring is
//! set up with `DEFER_TASKRUN`, so completions are only produced inside the driver's own
//! `io_uring_enter` (no interrupts on a busy core, `tuning/FINDINGS.md` sections 4 and 8), and
//! with `TASKRUN_FLAG`, so a cycle with nothing to submit and nothing completed makes no system
//! call at all. Receiving and sending therefore cost no system call of their own: one enter
//! per cycle carries them all, where epoll needed a `recv` and a `send` per request besides
//! the wait (`tuning/FINDINGS.md` section 10).
//!
//! The driver also stands in for the executor's park: when a whole cycle passes in which no
//! other task ran and no socket reported, it blocks in `io_uring_enter` itself. Wakes from
//! other threads ring the core's [`Bell`], whose eventfd is polled in the same ring; glommio
//! timers cannot interrupt the wait, so it is bounded ([`IDLE_WAIT_MS`]).

mod batch;
mod socket;

use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::RawFd;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Waker;
use std::time::{Duration, Instant};

use io_uring::{cqueue, opcode, squeue, types, IoUring};

use super::buffers::{self, Buffers};
use crate::shard::task::{self, Bell};
use batch::Batch;
pub use socket::{Flush, Ready, Recv, Registration, Send};

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
/// Submission queue entries of a core's ring; more queued in one cycle are submitted early.
const RING_ENTRIES: u32 = 1024;
/// Completion queue entries (the kernel keeps any overflow until the next harvest).
const COMPLETION_ENTRIES: u32 = 8192;
/// Slots are numbered in the low 24 bits of a completion's token.
const MAX_SLOTS: usize = 1 << 24;
/// Most entries of a ring's table of registered files (slots beyond use plain descriptors);
/// the kernel also caps it at the process's open-file limit.
const MOST_FIXED_FILES: u32 = 1 << 16;

/// How an operation names its socket: by descriptor, or by its slot's entry in the ring's
/// table of registered files.
#[derive(Clone, Copy)]
enum Target {
    Fd(RawFd),
    Fixed(u32),
}

/// Evaluates `$body` with `$target` bound to the io_uring type that names the socket (the
/// operation builders are generic over the two).
macro_rules! with_target {
    ($target:expr, |$name:ident| $body:expr) => {
        match $target {
            Target::Fd(fd) => {
                let $name = types::Fd(fd);
                $body
            }
            Target::Fixed(index) => {
                let $name = types::Fixed(index);
                $body
            }
        }
    };
}

thread_local! {
    /// How many socket tasks the core's latest harvest woke.
    static WOKEN: Cell<u32> = const { Cell::new(0) };
}

/// Whether the latest harvest on this core woke several socket tasks: a task that yields now
/// lets the others run before it resumes.
pub fn several_woken() -> bool {
    WOKEN.with(|w| w.get() > 1)
}

/// What an operation in the ring is, in bits 24..32 of its token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Op {
    /// A receive into a provided buffer.
    Recv = 1,
    /// A poll for input: multishot on listeners, one-shot on a connection when no buffer was
    /// free (the connection then reads with `recv`).
    PollIn = 2,
    /// A send of the slot's reply buffer.
    Send = 3,
    /// A one-shot poll for the peer closing or the socket failing.
    PollHup = 4,
    /// The multishot poll of the core's bell.
    Bell = 5,
    /// A cancellation; its completion carries nothing.
    Cancel = 6,
}

impl Op {
    fn from_bits(bits: u8) -> Option<Op> {
        [
            Op::Recv,
            Op::PollIn,
            Op::Send,
            Op::PollHup,
            Op::Bell,
            Op::Cancel,
        ]
        .into_iter()
        .find(|op| *op as u8 == bits)
    }
}

/// The token of `op` on slot `slot` in its generation `gen`: completions for a slot that was
/// reused meanwhile are recognized and dropped.
fn token(slot: u32, gen: u32, op: Op) -> u64 {
    (gen as u64) << 32 | (op as u64) << 24 | slot as u64
}

/// Received bytes the connection has not taken yet: `start..end` of provided buffer `id`.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Chunk {
    id: u16,
    start: u32,
    end: u32,
}

/// How a connection's input ended, after its queued chunks.
#[derive(Default, Clone, Copy, PartialEq, Debug)]
enum End {
    #[default]
    Open,
    /// The peer closed its side.
    Closed,
    /// Receiving failed with this errno.
    Failed(i32),
}

/// Chunks a connection may have waiting before its receive is cancelled (re-armed once it
/// has taken them): the kernel's socket buffer, not this core, holds what a client sends
/// faster than it is served.
const QUEUED_CHUNKS: usize = 4;

/// Largest reply buffer kept for reuse after its send.
const SPARE_CAPACITY: usize = 1 << 20;

/// One registered socket.
#[derive(Default)]
struct Slot {
    gen: u32,
    fd: RawFd,
    /// The socket is in the ring's table of registered files, at the slot's number.
    fixed: bool,
    queued: std::collections::VecDeque<Chunk>,
    end: End,
    /// A receive (or, without free buffers, a one-shot input poll) is in the ring.
    recv_armed: bool,
    /// Its cancellation was queued (too many chunks waiting).
    recv_cancelled: bool,
    /// The armed input report is a poll, not a receive.
    recv_is_poll: bool,
    /// Input was reported by a poll: listeners, or a connection that reads with `recv`.
    readable: bool,
    /// The reply buffer the kernel is sending (from offset `sent`), if any.
    sending: Option<Vec<u8>>,
    sent: usize,
    /// A task waits for `sending` to complete.
    send_waiting: bool,
    /// A send failed with this errno (sticky).
    send_failed: Option<i32>,
    /// An empty buffer with capacity, handed to the next sender.
    spare: Vec<u8>,
    hangup: bool,
    hup_armed: bool,
    /// A listening socket, watched by a multishot poll.
    listener: bool,
    /// Who to wake on any report (a task waits for one thing at a time).
    waker: Option<Waker>,
    /// The last window in which it received data ([`Batch::saw`]).
    seen_in: u32,
}

impl Slot {
    /// How operations on this slot name its socket; `slot` is its number.
    fn target(&self, slot: u32) -> Target {
        if self.fixed {
            Target::Fixed(slot)
        } else {
            Target::Fd(self.fd)
        }
    }
}

/// The socket ring of one data core and the sockets registered with it.
pub struct Poller {
    ring: RefCell<IoUring>,
    buffers: Buffers,
    bell: Arc<Bell>,
    batch: Batch,
    /// Entries of the ring's table of registered files (0 when the kernel refused one).
    fixed_files: u32,
    slots: RefCell<Vec<Slot>>,
    free: RefCell<Vec<u32>>,
    /// Reply buffers of dropped registrations whose sends are still in the kernel, by token.
    orphans: RefCell<Vec<(u64, Vec<u8>)>>,
}

/// Sets up (and drops) a ring like a data core's, with its receive buffers: the start-up
/// check that the kernel offers what [`Poller`] uses.
pub fn probe_ring() -> io::Result<()> {
    let ring = socket_ring()?;
    Buffers::new(&ring).map(drop)
}

/// Sets up the ring's table of registered files, empty, as large as the open-file limit allows
/// up to [`MOST_FIXED_FILES`]; returns its size, 0 when the kernel refuses it (sockets then use
/// their descriptors).
fn register_file_table(ring: &IoUring) -> u32 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only the struct it is given.
    let open_files = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
        limit.rlim_cur.min(MOST_FIXED_FILES as u64) as u32
    } else {
        0
    };
    if open_files == 0 {
        return 0;
    }
    match ring.submitter().register_files_sparse(open_files) {
        Ok(()) => open_files,
        Err(e) => {
            log::debug!("no registered files for the socket ring: {e}");
            0
        }
    }
}

fn socket_ring() -> io::Result<IoUring> {
    IoUring::builder()
        .setup_single_issuer()
        .setup_defer_taskrun()
        .setup_taskrun_flag()
        .setup_cqsize(COMPLETION_ENTRIES)
        .build(RING_ENTRIES)
}

impl Poller {
    /// The poller of the core whose `bell` is given (see [`task::install_bell`]); create it on
    /// the core's own thread, which is then the only one that may use it. An idle wait may
    /// hold out up to `gather_us` for several requests ([`batch`]).
    pub fn new(bell: Arc<Bell>, gather_us: u32) -> io::Result<Rc<Poller>> {
        let ring = socket_ring()?;
        let buffers = Buffers::new(&ring)?;
        let batch = Batch::new(gather_us, ring.params().is_feature_min_timeout());
        let fixed_files = register_file_table(&ring);
        let poller = Rc::new(Poller {
            ring: RefCell::new(ring),
            buffers,
            bell,
            batch,
            fixed_files,
            slots: RefCell::new(Vec::new()),
            free: RefCell::new(Vec::new()),
            orphans: RefCell::new(Vec::new()),
        });
        poller.arm_bell();
        Ok(poller)
    }

    /// Adds a client socket: a receive is armed at once and stays armed while the connection
    /// takes what arrives.
    pub fn register(self: &Rc<Self>, fd: RawFd) -> io::Result<Registration> {
        let registration = self.add_slot(fd)?;
        self.arm_recv(registration.slot);
        Ok(registration)
    }

    /// Adds a listening socket, watched for incoming connections ([`Registration::readable`]).
    pub fn register_listener(self: &Rc<Self>, fd: RawFd) -> io::Result<Registration> {
        let registration = self.add_slot(fd)?;
        self.slots.borrow_mut()[registration.slot as usize].listener = true;
        self.watch_listener(registration.slot);
        Ok(registration)
    }

    fn watch_listener(&self, slot: u32) {
        let (target, gen) = {
            let slots = self.slots.borrow();
            let entry = &slots[slot as usize];
            (entry.target(slot), entry.gen)
        };
        let poll = with_target!(target, |socket| opcode::PollAdd::new(
            socket,
            libc::POLLIN as u32
        )
        .multi(true)
        .build())
        .user_data(token(slot, gen, Op::PollIn));
        self.push(poll);
    }

    fn add_slot(self: &Rc<Self>, fd: RawFd) -> io::Result<Registration> {
        let slot = match self.free.borrow_mut().pop() {
            Some(slot) => slot,
            None => {
                let mut slots = self.slots.borrow_mut();
                if slots.len() >= MAX_SLOTS {
                    return Err(io::Error::other("too many sockets on one core"));
                }
                slots.push(Slot::default());
                (slots.len() - 1) as u32
            }
        };
        let fixed = slot < self.fixed_files
            && matches!(
                self.ring
                    .borrow()
                    .submitter()
                    .register_files_update(slot, &[fd]),
                Ok(1)
            );
        let mut slots = self.slots.borrow_mut();
        let entry = &mut slots[slot as usize];
        let gen = entry.gen;
        *entry = Slot {
            gen,
            fd,
            fixed,
            ..Slot::default()
        };
        Ok(Registration {
            poller: self.clone(),
            slot,
        })
    }

    /// Queues `entry` for the driver's next submission (or submits now when the queue is full).
    fn push(&self, entry: squeue::Entry) {
        let mut ring = self.ring.borrow_mut();
        loop {
            // SAFETY: no entry refers to memory a connection owns: receives take provided
            // buffers (owned by this poller, which outlives its ring's operations), a send
            // reads a reply buffer its slot owns until the send's completion (in `orphans`
            // once the registration is gone), and polls and cancellations carry no pointer.
            if unsafe { ring.submission().push(&entry) }.is_ok() {
                return;
            }
            if let Err(e) = ring.submit() {
                log::warn!("io_uring submit: {e}");
                std::thread::yield_now();
            }
        }
    }

    /// Hands queued entries to the kernel now, without waiting or taking completions.
    fn submit_queued(&self) {
        let mut ring = self.ring.borrow_mut();
        if ring.submission().is_empty() {
            return;
        }
        if let Err(e) = ring.submit() {
            log::warn!("io_uring submit: {e}");
        }
    }

    fn arm_bell(&self) {
        let poll = opcode::PollAdd::new(types::Fd(self.bell.fd()), libc::POLLIN as u32)
            .multi(true)
            .build()
            .user_data(token(0, 0, Op::Bell));
        self.push(poll);
    }

    /// Arms the next input report of a connection: a receive when the ring has a free buffer,
    /// else a one-shot poll after which the connection reads with `recv`.
    fn arm_recv(&self, slot: u32) {
        let (target, gen, poll) = {
            let mut slots = self.slots.borrow_mut();
            let entry = &mut slots[slot as usize];
            if entry.recv_armed || entry.end != End::Open || entry.queued.len() >= QUEUED_CHUNKS {
                return;
            }
            entry.recv_armed = true;
            entry.recv_cancelled = false;
            entry.recv_is_poll = !self.buffers.any_available();
            (entry.target(slot), entry.gen, entry.recv_is_poll)
        };
        let entry = if poll {
            with_target!(target, |socket| opcode::PollAdd::new(
                socket,
                libc::POLLIN as u32
            )
            .build())
            .user_data(token(slot, gen, Op::PollIn))
        } else {
            with_target!(target, |socket| opcode::RecvMulti::new(
                socket,
                buffers::GROUP
            )
            .build())
            .user_data(token(slot, gen, Op::Recv))
        };
        self.push(entry);
    }

    /// Queues a send of what is left of the slot's reply buffer.
    fn submit_send(&self, slot: u32) {
        let entry = {
            let slots = self.slots.borrow();
            let entry = &slots[slot as usize];
            let Some(buf) = entry.sending.as_ref() else {
                return;
            };
            let rest = &buf[entry.sent..];
            let len = rest.len().min(1 << 30) as u32;
            with_target!(entry.target(slot), |socket| opcode::Send::new(
                socket,
                rest.as_ptr(),
                len
            )
            .flags(libc::MSG_NOSIGNAL)
            .build())
            .user_data(token(slot, entry.gen, Op::Send))
        };
        self.push(entry);
    }

    /// Arms a one-shot poll for the peer closing or the socket failing.
    fn arm_hangup(&self, slot: u32) {
        let (target, gen) = {
            let slots = self.slots.borrow();
            let entry = &slots[slot as usize];
            (entry.target(slot), entry.gen)
        };
        let mask = libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR;
        let poll = with_target!(target, |socket| opcode::PollAdd::new(socket, mask as u32)
            .build())
        .user_data(token(slot, gen, Op::PollHup));
        self.push(poll);
    }

    /// Submits what is queued and takes completions, waiting at most `timeout_ms` for the
    /// first (and, when many connections are active, a little for several: [`batch`]); wakes
    /// the sockets' tasks. Returns how many completions there were.
    ///
    /// With nothing to submit, no completion pending and no timeout, it makes no system call.
    fn harvest(&self, timeout_ms: i32) -> usize {
        {
            let mut ring = self.ring.borrow_mut();
            let (queued, work) = {
                let sq = ring.submission();
                (sq.len(), sq.taskrun() || sq.cq_overflow())
            };
            let result = if timeout_ms > 0 {
                let wait = types::Timespec::new().nsec(timeout_ms as u32 * 1_000_000);
                let (want, gather_us) = self.batch.want();
                let args = types::SubmitArgs::new()
                    .timespec(&wait)
                    .min_wait_usec(gather_us);
                ring.submitter().submit_with_args(want, &args).map(drop)
            } else if queued > 0 || work {
                const GETEVENTS: u32 = 1; // IORING_ENTER_GETEVENTS
                let flags = GETEVENTS;
                // SAFETY: a plain enter with no argument structure.
                unsafe {
                    ring.submitter()
                        .enter::<libc::sigset_t>(queued as u32, 0, flags, None)
                        .map(drop)
                }
            } else {
                Ok(())
            };
            if let Err(e) = result {
                let quiet = [libc::ETIME, libc::EINTR, libc::EBUSY, libc::EAGAIN];
                if !quiet.contains(&e.raw_os_error().unwrap_or(0)) {
                    log::warn!("io_uring enter: {e}");
                }
            }
        }
        let mut total = 0;
        let mut woken = 0;
        loop {
            // One completion at a time: completing may queue entries, which borrows the ring.
            let next = self.ring.borrow_mut().completion().next();
            let Some(cqe) = next else {
                break;
            };
            woken += self.complete(cqe.user_data(), cqe.result(), cqe.flags()) as u32;
            total += 1;
        }
        WOKEN.with(|w| w.set(woken));
        total
    }

    /// Applies one completion; returns whether it woke a task.
    fn complete(&self, user_data: u64, result: i32, flags: u32) -> bool {
        let slot = (user_data & 0xff_ffff) as u32;
        let gen = (user_data >> 32) as u32;
        let Some(op) = Op::from_bits((user_data >> 24) as u8) else {
            return false;
        };
        let buffer = cqueue::buffer_select(flags);
        if buffer.is_some() {
            self.buffers.taken();
        }
        match op {
            Op::Cancel => return false,
            Op::Bell => {
                self.bell.clear();
                if !cqueue::more(flags) {
                    self.arm_bell();
                }
                return false;
            }
            _ => {}
        }
        let mut slots = self.slots.borrow_mut();
        let Some(entry) = slots.get_mut(slot as usize).filter(|e| e.gen == gen) else {
            // The registration is gone: a late receive's buffer goes straight back, a late
            // send's reply buffer is freed.
            drop(slots);
            if let Some(id) = buffer {
                self.buffers.give_back(id);
            }
            if op == Op::Send && !cqueue::more(flags) {
                self.orphans.borrow_mut().retain(|(t, _)| *t != user_data);
            }
            return false;
        };
        let mut relisten = false;
        let mut cancel = None;
        let mut send_more = false;
        match op {
            Op::Recv => {
                if !cqueue::more(flags) {
                    entry.recv_armed = false;
                }
                match (result, buffer) {
                    (n, Some(id)) if n > 0 => {
                        self.batch.saw(&mut entry.seen_in);
                        entry.queued.push_back(Chunk {
                            id,
                            start: 0,
                            end: n as u32,
                        });
                        if entry.queued.len() >= QUEUED_CHUNKS
                            && entry.recv_armed
                            && !entry.recv_cancelled
                        {
                            entry.recv_cancelled = true;
                            cancel = Some(token(slot, gen, Op::Recv));
                        }
                    }
                    (0, _) => entry.end = End::Closed,
                    // No buffer was free, the receive found nothing on a socket the kernel
                    // would not wait on, or it was cancelled: the connection arms again.
                    (n, _) if [libc::ENOBUFS, libc::EAGAIN, libc::ECANCELED].contains(&-n) => {}
                    (n, _) => entry.end = End::Failed(-n),
                }
                if let (Some(id), false) = (buffer, result > 0) {
                    self.buffers.give_back(id);
                }
            }
            Op::PollIn => {
                entry.readable = true;
                if entry.listener {
                    relisten = !cqueue::more(flags);
                } else {
                    entry.recv_armed = false;
                }
            }
            Op::Send => {
                let len = entry.sending.as_ref().map_or(0, Vec::len);
                if result == -libc::EAGAIN || result == -libc::EINTR {
                    send_more = true;
                } else if result < 0 {
                    entry.send_failed = Some(-result);
                } else {
                    entry.sent += result as usize;
                    send_more = entry.sent < len;
                }
                if !send_more {
                    if let Some(mut done) = entry.sending.take() {
                        done.clear();
                        if done.capacity() <= SPARE_CAPACITY {
                            entry.spare = done;
                        }
                    }
                    entry.sent = 0;
                }
                if !std::mem::take(&mut entry.send_waiting) {
                    // Nobody waits for this send: the connection is reading; leave its waker.
                    drop(slots);
                    if send_more {
                        self.submit_send(slot);
                    }
                    return false;
                }
            }
            Op::PollHup => {
                entry.hangup = true;
                entry.hup_armed = false;
            }
            Op::Bell | Op::Cancel => {}
        }
        let waker = entry.waker.take();
        drop(slots);
        if relisten {
            self.watch_listener(slot);
        }
        if send_more {
            self.submit_send(slot);
        }
        if let Some(target) = cancel {
            self.push(opcode::AsyncCancel::new(target).build().user_data(token(
                slot,
                gen,
                Op::Cancel,
            )));
        }
        match waker {
            Some(waker) => {
                waker.wake();
                true
            }
            None => false,
        }
    }

    /// The core's socket driver; never returns. Spawn it once per data core, uncounted (with
    /// `glommio::spawn_local`, not `shard::task::spawn`).
    ///
    /// Each cycle has two steps. First the driver submits and takes completions and yields within
    /// the task queue, so that every task queued so far runs before the second step. Then:
    /// - if the core is *quiet* (since the previous cycle no counted task ran, no other thread
    ///   woke a task here; tasks the first step woke have run and count), nothing is runnable:
    ///   it **blocks**
    ///   in `io_uring_enter` on the socket ring. Sockets never use glommio's rings, so glommio
    ///   holds no submission that would wait for the block to end; only its timers may, hence
    ///   the bounded wait;
    /// - it ends the cycle with a **reactor pass** (a timer one microsecond away: glommio only
    ///   runs its reactor, which fires timers, reaps io_uring completions and takes in wakes
    ///   from other threads, once no task is runnable) when another thread woke a task here,
    ///   when an idle wait timed out, or at least every [`PASS_INTERVAL`]. A pass costs
    ///   glommio several `io_uring_enter` calls, so a busy core makes one only now and then;
    /// - otherwise it yields within the task queue and starts the next cycle.
    pub async fn drive(self: Rc<Self>) {
        let mut quiet_polls = task::polls();
        let mut quiet_wakes = self.bell.foreign_wakes();
        let mut passed_wakes = quiet_wakes;
        let mut last_pass = Instant::now();
        let mut idle_cycles = 0u32;
        loop {
            if self.harvest(0) > 0 {
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
                let reported = self.harvest(wait);
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
