//! Bus links: the TCP connections of the cluster bus, on the control core's glommio executor.
//!
//! [`Bus`] owns the bus listener(s) and every link, inbound (a peer connected to our bus port)
//! and outbound ([`Bus::connect`]). Each link runs two tasks on the executor that created it:
//! a reader that cuts the stream into frames and hands decoded messages to the owner as
//! [`BusEvent`]s on a bounded flume channel (a slow owner slows the readers down, nothing
//! queues without bound), and a writer that sends everything queued by [`Bus::send`] since
//! its last write in one `write` (messages queued in one scheduler round go out together).
//!
//! A garbage, truncated or undecodable frame logs a warning and closes that link only; the
//! listener keeps accepting and other links are untouched. Every link ends with exactly one
//! [`BusEvent::Closed`]. The bus never reconnects, retries or interprets messages: those are
//! the cluster state's decisions.
//!
//! Not `Send`: create and use a `Bus` on one executor (the control core). Links keep no
//! borrow across an `.await`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::rc::Rc;
use std::time::Duration;

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use glommio::channels::local_channel::{self, LocalReceiver, LocalSender};
use glommio::net::{TcpListener, TcpStream};
use glommio::task::JoinHandle;

use super::claims::LinkClaims;
use super::frame::{FrameDecoder, FrameError};
use super::message::{self, Message, MessageError};
use crate::clock;

/// Identifies one link for the life of a [`Bus`]; never reused.
pub type LinkId = u64;

const READ_CHUNK: usize = 16 * 1024;

/// Who opened the link (Redis's CLUSTER LINKS `direction`: `to` / `from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// We connected to the peer's bus port.
    Outbound,
    /// The peer connected to ours.
    Inbound,
}

/// Why a link ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// The peer closed the connection cleanly between frames.
    Eof,
    /// [`Bus::close`] or [`Bus::shutdown`].
    ClosedByOwner,
    /// The byte stream is not valid frames (garbage, bad checksum, truncated at the end).
    Frame(FrameError),
    /// A frame's body did not decode.
    Message(MessageError),
    /// More than [`BusConfig::max_pending_out`] bytes were waiting to be sent.
    Backlog,
    /// A socket error.
    Io(io::ErrorKind),
    /// The event receiver was dropped.
    OwnerGone,
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseReason::Eof => f.write_str("closed by peer"),
            CloseReason::ClosedByOwner => f.write_str("closed"),
            CloseReason::Frame(e) => write!(f, "bad frame: {e}"),
            CloseReason::Message(e) => write!(f, "bad message: {e}"),
            CloseReason::Backlog => f.write_str("send backlog limit reached"),
            CloseReason::Io(kind) => write!(f, "socket error: {kind}"),
            CloseReason::OwnerGone => f.write_str("event receiver dropped"),
        }
    }
}

/// What the bus reports to its owner.
#[derive(Debug)]
pub enum BusEvent {
    /// A peer connected to our bus port. Its first message says who it is.
    Accepted { link: LinkId, peer: SocketAddr },
    /// A decoded, validated message arrived on `link`.
    Message { link: LinkId, msg: Message },
    /// `link` is gone; it is the last event for that link.
    Closed { link: LinkId, reason: CloseReason },
}

/// Why [`Bus::send`] did not queue a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// No such link (never existed, or already closed).
    NoLink,
    /// The message cannot be encoded (invalid slot claims, too large).
    Encode(MessageError),
    /// The link's send backlog passed the limit; the link is being closed.
    Backlog,
}

/// Limits of a [`Bus`].
#[derive(Clone, Debug)]
pub struct BusConfig {
    /// Bytes that may wait in one link's send queue before the link is closed (Redis's
    /// `cluster-link-sendbuf-limit`, which is unlimited by default; a bound is kept here).
    pub max_pending_out: usize,
    /// Capacity of the event channel.
    pub event_capacity: usize,
}

impl Default for BusConfig {
    fn default() -> Self {
        BusConfig {
            max_pending_out: 64 * 1024 * 1024,
            event_capacity: 1024,
        }
    }
}

/// A snapshot of one link, for CLUSTER LINKS and INFO.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkInfo {
    pub id: LinkId,
    pub direction: Direction,
    pub peer: SocketAddr,
    /// Our end of the connection: the address the peer reaches us at (Redis learns its own
    /// IP from it when no `cluster-announce-ip` is set).
    pub local: SocketAddr,
    /// Unix milliseconds when the link was set up.
    pub created_ms: u64,
    /// Bytes queued and not yet written.
    pub pending_out: usize,
    /// Capacity of the send queue's buffer.
    pub out_capacity: usize,
    pub sent_bytes: u64,
    pub received_bytes: u64,
}

/// One link's shared state: its send queue, counters and how it ended.
struct LinkState {
    direction: Direction,
    peer: SocketAddr,
    local: SocketAddr,
    created_ms: u64,
    /// The reader's socket, for `shutdown(2)`; valid while the link is in the table.
    fd: RawFd,
    out: RefCell<Vec<u8>>,
    doorbell: LocalSender<()>,
    sent: Cell<u64>,
    received: Cell<u64>,
    /// Set by whoever decided to end the link first; the reader reports it.
    ended: RefCell<Option<CloseReason>>,
    /// Which slot claims crossed this link (decides when ranges are sent).
    claims: LinkClaims,
}

impl LinkState {
    /// Records why the link ends (first reason wins) and wakes both tasks: `shutdown(2)`
    /// ends a pending read or write, the doorbell an idle writer.
    fn end(&self, reason: CloseReason) {
        self.ended.borrow_mut().get_or_insert(reason);
        // SAFETY: `fd` stays open while the link is in the table (the reader removes it
        // before dropping its socket); shutdown on a socket has no memory effects.
        unsafe { libc::shutdown(self.fd, libc::SHUT_RDWR) };
        let _ = self.doorbell.try_send(());
    }

    fn is_ended(&self) -> bool {
        self.ended.borrow().is_some()
    }
}

struct Inner {
    config: BusConfig,
    events: flume::Sender<BusEvent>,
    links: RefCell<HashMap<LinkId, Rc<LinkState>>>,
    next_id: Cell<LinkId>,
    listeners: RefCell<Vec<JoinHandle<()>>>,
}

/// The cluster bus endpoint of one node. Cheap to clone (one shared state per executor).
#[derive(Clone)]
pub struct Bus {
    inner: Rc<Inner>,
}

impl Bus {
    /// A bus with no listener and no links, and the receiver of its events.
    pub fn new(config: BusConfig) -> (Bus, flume::Receiver<BusEvent>) {
        let (events, rx) = flume::bounded(config.event_capacity.max(1));
        let inner = Inner {
            config,
            events,
            links: RefCell::new(HashMap::new()),
            next_id: Cell::new(1),
            listeners: RefCell::new(Vec::new()),
        };
        (
            Bus {
                inner: Rc::new(inner),
            },
            rx,
        )
    }

    /// Binds the bus port on `addr` and accepts peers until [`Bus::shutdown`]. Returns the
    /// bound address (useful with port 0).
    pub fn listen(&self, addr: SocketAddr) -> io::Result<SocketAddr> {
        let listener = TcpListener::bind(addr)?;
        let local = listener.local_addr()?;
        let bus = self.clone();
        let task = glommio::spawn_local(async move { bus.accept_loop(listener).await }).detach();
        self.inner.listeners.borrow_mut().push(task);
        Ok(local)
    }

    async fn accept_loop(self, listener: TcpListener) {
        while !self.inner.events.is_disconnected() {
            match listener.accept().await {
                Ok(stream) => {
                    if let Ok(peer) = stream.peer_addr() {
                        // On failure (no descriptor left for the writer) the stream is
                        // dropped, which closes it.
                        let _ = self.start_link(stream, Direction::Inbound, peer);
                    }
                }
                Err(e) => {
                    // Out of descriptors or memory: keep the listener, try again shortly.
                    log::warn!("cluster bus: accept failed: {e}");
                    glommio::timer::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }

    /// Connects to a peer's bus port. The link exists (and may be sent to) once this returns.
    pub async fn connect(&self, addr: SocketAddr, timeout: Duration) -> io::Result<LinkId> {
        let stream = TcpStream::connect_timeout(addr, timeout).await?;
        self.start_link(stream, Direction::Outbound, addr)
    }

    fn start_link(
        &self,
        stream: TcpStream,
        direction: Direction,
        peer: SocketAddr,
    ) -> io::Result<LinkId> {
        stream.set_nodelay(true)?;
        let local = stream.local_addr()?;
        let fd = stream.as_raw_fd();
        // SAFETY: `dup` of a descriptor we own; the result is checked before use and owned
        // by the writer's stream from here on.
        let dup = unsafe { libc::dup(fd) };
        if dup < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `dup` is a fresh descriptor of the same connected TCP socket, owned by no
        // one else.
        let writer = unsafe { TcpStream::from_raw_fd(dup) };
        let (doorbell, bell_rx) = local_channel::new_bounded(1);
        let link = self.inner.next_id.get();
        self.inner.next_id.set(link + 1);
        let state = Rc::new(LinkState {
            direction,
            peer,
            local,
            created_ms: u64::try_from(clock::unix_ms()).unwrap_or(0),
            fd,
            out: RefCell::new(Vec::new()),
            doorbell,
            sent: Cell::new(0),
            received: Cell::new(0),
            ended: RefCell::new(None),
            claims: LinkClaims::default(),
        });
        self.inner.links.borrow_mut().insert(link, state.clone());
        glommio::spawn_local(write_loop(writer, state.clone(), bell_rx)).detach();
        let bus = self.clone();
        glommio::spawn_local(async move { bus.read_loop(link, stream, state).await }).detach();
        Ok(link)
    }

    /// The link's reader task: announces an inbound link (so its `Accepted` always precedes
    /// its messages), reads until the link ends, then reports why.
    async fn read_loop(self, link: LinkId, mut stream: TcpStream, state: Rc<LinkState>) {
        let reason = if state.direction == Direction::Inbound {
            let peer = state.peer;
            let accepted = BusEvent::Accepted { link, peer };
            match self.inner.events.send_async(accepted).await {
                Ok(()) => self.read_frames(link, &mut stream, &state).await,
                Err(_) => CloseReason::OwnerGone,
            }
        } else {
            self.read_frames(link, &mut stream, &state).await
        };
        self.inner.links.borrow_mut().remove(&link);
        state.end(reason);
        let reason = state.ended.borrow().clone().unwrap_or(CloseReason::Eof);
        if matches!(reason, CloseReason::Frame(_) | CloseReason::Message(_)) {
            log::warn!(
                "cluster bus: link {link} with {}: {reason}; closing the link",
                state.peer
            );
        }
        drop(stream);
        let _ = self
            .inner
            .events
            .send_async(BusEvent::Closed { link, reason })
            .await;
    }

    /// Reads until the link must end; returns why.
    async fn read_frames(
        &self,
        link: LinkId,
        stream: &mut TcpStream,
        state: &LinkState,
    ) -> CloseReason {
        let mut decoder = FrameDecoder::new();
        let mut chunk = vec![0u8; READ_CHUNK];
        let mut decoded = Vec::new();
        loop {
            let n = match stream.read(&mut chunk).await {
                Ok(0) => {
                    return match decoder.finish() {
                        Ok(()) => CloseReason::Eof,
                        Err(e) => CloseReason::Frame(e),
                    }
                }
                Ok(n) => n,
                Err(e) => return CloseReason::Io(e.kind()),
            };
            if state.is_ended() {
                return CloseReason::ClosedByOwner;
            }
            state.received.set(state.received.get() + n as u64);
            let mut failure = decoder.feed(&chunk[..n]).err().map(CloseReason::Frame);
            while failure.is_none() {
                match decoder.next_frame() {
                    Ok(Some(frame)) => match message::decode(&frame) {
                        Ok(mut msg) => {
                            state.claims.incoming(&mut msg);
                            decoded.push(msg);
                        }
                        Err(e) => failure = Some(CloseReason::Message(e)),
                    },
                    Ok(None) => break,
                    Err(e) => failure = Some(CloseReason::Frame(e)),
                }
            }
            for msg in decoded.drain(..) {
                let event = BusEvent::Message { link, msg };
                if self.inner.events.send_async(event).await.is_err() {
                    return CloseReason::OwnerGone;
                }
            }
            if let Some(reason) = failure {
                return reason;
            }
        }
    }

    /// Queues `msg` on `link`; the link's writer sends it with whatever else is queued.
    /// Build `msg` with full slot claims ([`SlotClaims::full`](super::message::SlotClaims));
    /// the link sends the ranges only when the peer does not have them yet.
    pub fn send(&self, link: LinkId, msg: &Message) -> Result<(), SendError> {
        let state = self.link(link).ok_or(SendError::NoLink)?;
        let outgoing = state.claims.outgoing(msg);
        let pending = {
            let mut out = state.out.borrow_mut();
            message::encode(&outgoing.msg, &mut out).map_err(SendError::Encode)?;
            out.len()
        };
        state.claims.commit(&outgoing);
        if pending > self.inner.config.max_pending_out {
            state.end(CloseReason::Backlog);
            return Err(SendError::Backlog);
        }
        let _ = state.doorbell.try_send(());
        Ok(())
    }

    /// Queues `msg` on every open link; returns how many links it was queued on.
    pub fn broadcast(&self, msg: &Message) -> Result<usize, SendError> {
        message::encode(msg, &mut Vec::new()).map_err(SendError::Encode)?;
        let links: Vec<LinkId> = self.inner.links.borrow().keys().copied().collect();
        Ok(links
            .into_iter()
            .filter(|&link| self.send(link, msg).is_ok())
            .count())
    }

    /// Closes `link`; its [`BusEvent::Closed`] follows. Queued output is dropped.
    pub fn close(&self, link: LinkId) {
        if let Some(state) = self.inner.links.borrow().get(&link) {
            state.end(CloseReason::ClosedByOwner);
        }
    }

    /// Stops the listeners and closes every link.
    pub fn shutdown(&self) {
        for task in self.inner.listeners.borrow_mut().drain(..) {
            task.cancel();
        }
        for state in self.inner.links.borrow().values() {
            state.end(CloseReason::ClosedByOwner);
        }
    }

    fn link(&self, link: LinkId) -> Option<Rc<LinkState>> {
        let state = self.inner.links.borrow().get(&link).cloned()?;
        (!state.is_ended()).then_some(state)
    }

    /// A snapshot of `link`, if it is open.
    pub fn link_info(&self, link: LinkId) -> Option<LinkInfo> {
        let state = self.link(link)?;
        let out = state.out.borrow();
        Some(LinkInfo {
            id: link,
            direction: state.direction,
            peer: state.peer,
            local: state.local,
            created_ms: state.created_ms,
            pending_out: out.len(),
            out_capacity: out.capacity(),
            sent_bytes: state.sent.get(),
            received_bytes: state.received.get(),
        })
    }

    /// Ids of the open links, ascending.
    pub fn link_ids(&self) -> Vec<LinkId> {
        let mut ids: Vec<LinkId> = self.inner.links.borrow().keys().copied().collect();
        ids.sort_unstable();
        ids
    }
}

/// Sends the link's queued bytes until the link ends. Each wake-up writes everything queued
/// so far in one go, so a burst of messages costs one syscall.
async fn write_loop(mut stream: TcpStream, state: Rc<LinkState>, doorbell: LocalReceiver<()>) {
    let mut batch = Vec::new();
    loop {
        if state.is_ended() {
            break;
        }
        if state.out.borrow().is_empty() {
            if doorbell.recv().await.is_none() {
                break;
            }
            continue;
        }
        std::mem::swap(&mut *state.out.borrow_mut(), &mut batch);
        if let Err(e) = stream.write_all(&batch).await {
            state.end(CloseReason::Io(e.kind()));
            break;
        }
        state.sent.set(state.sent.get() + batch.len() as u64);
        batch.clear();
    }
}

#[cfg(test)]
#[path = "link_tests.rs"]
mod tests;
