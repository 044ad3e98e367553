//! The connected clients of one data core, for CLIENT LIST / INFO / KILL.
//!
//! Core-local. Each connection shares an [`ClientHandle`] with the registry; the fields other
//! connections read are cells, borrowed only briefly, never across an `.await`.

use std::cell::{Cell, RefCell};
use std::fmt::Write;
use std::net::SocketAddr;
use std::os::fd::{BorrowedFd, RawFd};
use std::rc::Rc;

use hashbrown::HashMap;

/// What other connections may see or change about one connection.
pub struct ClientHandle {
    pub id: u64,
    pub addr: SocketAddr,
    pub laddr: SocketAddr,
    pub fd: RawFd,
    pub created_ms: i64,
    pub name: RefCell<Vec<u8>>,
    pub lib_name: RefCell<Vec<u8>>,
    pub lib_ver: RefCell<Vec<u8>>,
    pub last_cmd: Cell<&'static str>,
    pub last_active_ms: Cell<i64>,
    pub resp: Cell<u8>,
    pub no_evict: Cell<bool>,
    pub no_touch: Cell<bool>,
    pub killed: Cell<bool>,
    pub qbuf: Cell<usize>,
    /// Pub/Sub subscriptions: channels, patterns, shard channels.
    pub subs: Cell<[usize; 3]>,
    /// The claim of the blocking command the connection waits in (`net::blocking`), for
    /// CLIENT UNBLOCK and the `b` flag.
    pub waiting: RefCell<Option<std::sync::Arc<super::blocking::Claim>>>,
}

impl ClientHandle {
    pub fn new(id: u64, addr: SocketAddr, laddr: SocketAddr, fd: RawFd, now_ms: i64) -> Self {
        ClientHandle {
            id,
            addr,
            laddr,
            fd,
            created_ms: now_ms,
            name: RefCell::new(Vec::new()),
            lib_name: RefCell::new(Vec::new()),
            lib_ver: RefCell::new(Vec::new()),
            last_cmd: Cell::new("NULL"),
            last_active_ms: Cell::new(now_ms),
            resp: Cell::new(2),
            no_evict: Cell::new(false),
            no_touch: Cell::new(false),
            killed: Cell::new(false),
            qbuf: Cell::new(0),
            subs: Cell::new([0; 3]),
            waiting: RefCell::new(None),
        }
    }

    /// One `CLIENT LIST` line (without the trailing newline), in redis-server 7's field order.
    pub fn info_line(&self, now_ms: i64) -> String {
        let mut flags = String::new();
        let [sub, psub, ssub] = self.subs.get();
        if sub + psub + ssub > 0 {
            flags.push('P');
        }
        if self.waiting.borrow().is_some() {
            flags.push('b');
        }
        if self.no_evict.get() {
            flags.push('e');
        }
        if self.no_touch.get() {
            flags.push('T');
        }
        if flags.is_empty() {
            flags.push('N');
        }
        let mut line = String::with_capacity(256);
        let _ = write!(
            line,
            "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db=0 sub={sub} psub={psub} \
             ssub={ssub} multi=-1 qbuf={} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 \
             omem=0 tot-mem=0 events=r cmd={} user=default redir=-1 resp={} lib-name={} \
             lib-ver={}",
            self.id,
            self.addr,
            self.laddr,
            self.fd,
            String::from_utf8_lossy(&self.name.borrow()),
            (now_ms - self.created_ms) / 1000,
            (now_ms - self.last_active_ms.get()) / 1000,
            flags,
            self.qbuf.get(),
            self.last_cmd.get(),
            self.resp.get(),
            String::from_utf8_lossy(&self.lib_name.borrow()),
            String::from_utf8_lossy(&self.lib_ver.borrow()),
        );
        line
    }

    /// Marks the client killed and shuts its socket down so its pending read returns.
    pub fn kill(&self) {
        self.killed.set(true);
        // SAFETY: the fd stays open while the handle is registered: the connection removes
        // its handle before its socket is dropped, and both happen on this core.
        let fd = unsafe { BorrowedFd::borrow_raw(self.fd) };
        let _ = socket2::SockRef::from(&fd).shutdown(std::net::Shutdown::Both);
    }
}

/// The clients connected to one core.
#[derive(Default)]
pub struct ClientRegistry {
    clients: HashMap<u64, Rc<ClientHandle>>,
}

impl ClientRegistry {
    pub fn add(&mut self, handle: Rc<ClientHandle>) {
        self.clients.insert(handle.id, handle);
    }

    pub fn remove(&mut self, id: u64) {
        self.clients.remove(&id);
    }

    pub fn len(&self) -> usize {
        self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rc<ClientHandle>> {
        self.clients.values()
    }
}
