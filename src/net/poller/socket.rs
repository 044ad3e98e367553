//! A data core's registered sockets as their connections see them: receiving, sending
//! and waiting for readiness, over the slots of the core's [`Poller`].
//!
//! Runs on every data core, called by connection and listener tasks. Replies are handed to the
//! ring with [`Registration::send`], which takes the connection's buffer and gives back an
//! empty one, so that a connection never waits for its send unless the previous one has not
//! completed yet; the buffer stays with the slot (or, once the registration is dropped, with
//! the poller) until the kernel is done with it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use io_uring::opcode;

use super::{token, End, Op, Poller, Slot};

/// A socket in its core's ring; its operations are cancelled on drop.
pub struct Registration {
    pub(super) poller: Rc<Poller>,
    pub(super) slot: u32,
}

impl Registration {
    /// Resolves once a listening socket has reported incoming connections since the last call
    /// that resolved.
    pub fn readable(&self) -> Ready<'_> {
        Ready {
            reg: self,
            what: Wait::Input,
        }
    }

    /// Hands the bytes of `buf` to the kernel to send after anything sent before, leaving an
    /// empty buffer in its place; waits only while the previous send is still in the kernel
    /// (a full socket). Fails once a send failed.
    pub fn send<'a>(&'a self, buf: &'a mut Vec<u8>) -> Send<'a> {
        Send { reg: self, buf }
    }

    /// Resolves once everything handed to [`Registration::send`] has been sent (or a send
    /// failed): before a connection closes its socket.
    pub fn flush(&self) -> Flush<'_> {
        Flush { reg: self }
    }

    /// Resolves once the peer has closed its side or the socket failed (or was shut down),
    /// possibly spuriously: for a task that is not reading, such as a blocked client's watch.
    pub fn hangup(&self) -> Ready<'_> {
        Ready {
            reg: self,
            what: Wait::Hangup,
        }
    }

    /// Reads what the socket received into `buf`, waiting until something arrived: the
    /// number of bytes, 0 once the peer closed its side.
    pub fn recv<'a>(&'a self, buf: &'a mut [u8]) -> Recv<'a> {
        Recv { reg: self, buf }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let poller = &self.poller;
        let (gen, fixed, armed, held, sending) = {
            let mut slots = poller.slots.borrow_mut();
            let entry = &mut slots[self.slot as usize];
            let gen = entry.gen;
            let fixed = entry.fixed;
            let sending = entry.sending.take();
            let armed = [
                (
                    entry.recv_armed && !entry.recv_is_poll && !entry.recv_cancelled,
                    Op::Recv,
                ),
                (entry.recv_armed && entry.recv_is_poll, Op::PollIn),
                (entry.listener, Op::PollIn),
                (sending.is_some(), Op::Send),
                (entry.hup_armed, Op::PollHup),
            ];
            let held = std::mem::take(&mut entry.queued);
            // A new generation: completions still on their way for this one are dropped.
            *entry = Slot {
                gen: gen.wrapping_add(1),
                ..Slot::default()
            };
            (gen, fixed, armed, held, sending)
        };
        for chunk in held {
            poller.buffers.give_back(chunk.id);
        }
        if let Some(buf) = sending {
            // The kernel may still read it: kept until the send's completion.
            let send = token(self.slot, gen, Op::Send);
            poller.orphans.borrow_mut().push((send, buf));
        }
        // An operation in flight keeps the socket open in the kernel: without the cancel, the
        // peer would not see the close.
        for (is_armed, op) in armed {
            if is_armed {
                let cancel = opcode::AsyncCancel::new(token(self.slot, gen, op))
                    .build()
                    .user_data(token(self.slot, gen, Op::Cancel));
                poller.push(cancel);
            }
        }
        // Queued entries name the socket by its descriptor number, which the owner closes
        // next and a new connection may get at once: they must reach the kernel (which then
        // holds the socket itself) before that, or a receive meant for this socket would
        // take a new connection's input.
        poller.submit_queued();
        if fixed {
            // The table's reference to the socket goes; operations still in flight hold
            // their own until they complete.
            let cleared = poller
                .ring
                .borrow()
                .submitter()
                .register_files_update(self.slot, &[-1]);
            if let Err(e) = cleared {
                log::warn!("io_uring: removing a registered file: {e}");
            }
        }
        poller.free.borrow_mut().push(self.slot);
    }
}

/// What a [`Ready`] waits for.
#[derive(Clone, Copy)]
enum Wait {
    Input,
    Hangup,
}

/// The future of [`Registration::readable`] and [`Registration::hangup`].
pub struct Ready<'a> {
    reg: &'a Registration,
    what: Wait,
}

impl Future for Ready<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let poller = &self.reg.poller;
        let slot = self.reg.slot;
        let arm = {
            let mut slots = poller.slots.borrow_mut();
            let entry = &mut slots[slot as usize];
            let (flag, armed) = match self.what {
                Wait::Input => (&mut entry.readable, None),
                Wait::Hangup => (&mut entry.hangup, Some(&mut entry.hup_armed)),
            };
            if *flag {
                *flag = false;
                entry.waker = None;
                return Poll::Ready(());
            }
            let arm = match armed {
                Some(armed) if !*armed => {
                    *armed = true;
                    true
                }
                _ => false,
            };
            entry.waker = Some(cx.waker().clone());
            arm
        };
        if arm {
            poller.arm_hangup(slot);
        }
        Poll::Pending
    }
}

/// The future of [`Registration::recv`].
pub struct Recv<'a> {
    reg: &'a Registration,
    buf: &'a mut [u8],
}

impl Future for Recv<'_> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poller = &this.reg.poller;
        let slot = this.reg.slot;
        loop {
            let mut slots = poller.slots.borrow_mut();
            let entry = &mut slots[slot as usize];
            if !entry.queued.is_empty() {
                let mut n = 0;
                let mut returned = 0;
                while let Some(chunk) = entry.queued.front_mut() {
                    let bytes = poller.buffers.bytes(chunk.id, chunk.start, chunk.end);
                    let take = bytes.len().min(this.buf.len() - n);
                    this.buf[n..n + take].copy_from_slice(&bytes[..take]);
                    n += take;
                    chunk.start += take as u32;
                    if chunk.start < chunk.end {
                        break;
                    }
                    let id = chunk.id;
                    entry.queued.pop_front();
                    poller.buffers.give_back(id);
                    returned += 1;
                }
                entry.waker = None;
                drop(slots);
                if returned > 0 {
                    poller.arm_recv(slot);
                }
                return Poll::Ready(Ok(n));
            }
            match entry.end {
                End::Closed => return Poll::Ready(Ok(0)),
                End::Failed(errno) => return Poll::Ready(Err(io::Error::from_raw_os_error(errno))),
                End::Open => {}
            }
            if entry.readable {
                // A poll reported input while no buffer was free: read it directly.
                entry.readable = false;
                let fd = entry.fd;
                drop(slots);
                match try_recv(fd, this.buf) {
                    Ok(Some(n)) => {
                        if n == 0 {
                            poller.slots.borrow_mut()[slot as usize].end = End::Closed;
                        } else {
                            poller.arm_recv(slot);
                        }
                        return Poll::Ready(Ok(n));
                    }
                    Ok(None) => continue,
                    Err(e) => return Poll::Ready(Err(e)),
                }
            }
            let armed = entry.recv_armed;
            entry.waker = Some(cx.waker().clone());
            drop(slots);
            if !armed {
                poller.arm_recv(slot);
            }
            return Poll::Pending;
        }
    }
}

/// The future of [`Registration::send`].
pub struct Send<'a> {
    reg: &'a Registration,
    buf: &'a mut Vec<u8>,
}

impl Future for Send<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poller = &this.reg.poller;
        let slot = this.reg.slot;
        {
            let mut slots = poller.slots.borrow_mut();
            let entry = &mut slots[slot as usize];
            if let pending_or_failed @ (Poll::Pending | Poll::Ready(Err(_))) = entry.poll_sent(cx) {
                return pending_or_failed;
            }
            let spare = std::mem::take(&mut entry.spare);
            entry.sending = Some(std::mem::replace(this.buf, spare));
            entry.sent = 0;
        }
        poller.submit_send(slot);
        Poll::Ready(Ok(()))
    }
}

/// The future of [`Registration::flush`].
pub struct Flush<'a> {
    reg: &'a Registration,
}

impl Future for Flush<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.reg.poller.slots.borrow_mut()[self.reg.slot as usize].poll_sent(cx)
    }
}

impl Slot {
    /// Ready once no send is in the kernel (an error once one failed); otherwise the task
    /// waits for the send's completion.
    fn poll_sent(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(errno) = self.send_failed {
            return Poll::Ready(Err(io::Error::from_raw_os_error(errno)));
        }
        if self.sending.is_some() {
            self.send_waiting = true;
            self.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        Poll::Ready(Ok(()))
    }
}

/// A non-blocking `recv`, retried on `EINTR`: `None` when the socket has nothing queued. Used
/// only when the core's receive buffers were all taken.
///
/// It goes straight to the kernel through `syscall`: glibc's `recv` wrapper is a thread
/// cancellation point and switches the cancellation state around every call
/// (`tuning/FINDINGS.md` section 8).
fn try_recv(fd: std::os::fd::RawFd, buf: &mut [u8]) -> io::Result<Option<usize>> {
    loop {
        let no_addr = std::ptr::null_mut::<libc::sockaddr>();
        let no_len = std::ptr::null_mut::<libc::socklen_t>();
        // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the whole call;
        // recvfrom without an address buffer is recv.
        let received = unsafe {
            libc::syscall(
                libc::SYS_recvfrom,
                fd,
                buf.as_mut_ptr(),
                buf.len(),
                libc::MSG_DONTWAIT,
                no_addr,
                no_len,
            )
        };
        if received >= 0 {
            return Ok(Some(received as usize));
        }
        let err = io::Error::last_os_error();
        match err.kind() {
            io::ErrorKind::WouldBlock => return Ok(None),
            io::ErrorKind::Interrupted => continue,
            _ => return Err(err),
        }
    }
}
