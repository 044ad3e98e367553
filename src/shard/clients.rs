//! The connected clients of one data core, for CLIENT LIST / INFO / KILL, and the filters
//! those commands select clients with.
//!
//! Core-local. Each connection shares an [`ClientHandle`] with the registry; the fields other
//! connections read are cells, borrowed only briefly, never across an `.await`. The filter
//! parsers are pure (arguments in, filter or redis-server's error out).

use std::cell::{Cell, RefCell};
use std::fmt::Write;
use std::net::SocketAddr;
use std::os::fd::{BorrowedFd, RawFd};
use std::rc::Rc;

use hashbrown::HashMap;

use crate::cmd::error::c_string;
use crate::cmd::{Args, CmdError};
use crate::protocol::number::parse_i64;

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
    /// The full name of the last command (`get`, `config|get`), `NULL` after an unknown one.
    pub last_cmd: Cell<&'static str>,
    /// When the connection last read a request or wrote a reply (CLIENT LIST's `idle`).
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

    /// Records activity at `now_ms`, which may be a cached clock a little behind the
    /// connection's creation time or last activity: `idle` never goes backwards.
    pub fn touch(&self, now_ms: i64) {
        if now_ms > self.last_active_ms.get() {
            self.last_active_ms.set(now_ms);
        }
    }

    /// Whether the client is in Pub/Sub mode: subscribed to anything (redis-server's
    /// `CLIENT_PUBSUB`, set by every SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE, in RESP3 too, and
    /// cleared when an unsubscribe leaves no subscription).
    pub fn subscribed(&self) -> bool {
        self.subs.get().iter().sum::<usize>() > 0
    }

    /// The client's class, as redis-server's `getClientType` sees it. No connection is a
    /// replication link yet, so none is a master or a replica.
    pub fn client_type(&self) -> ClientType {
        if self.subscribed() {
            ClientType::PubSub
        } else {
            ClientType::Normal
        }
    }

    /// One `CLIENT LIST` line (without the trailing newline), in redis-server 7's field order.
    pub fn info_line(&self, now_ms: i64) -> String {
        let mut flags = String::new();
        let [sub, psub, ssub] = self.subs.get();
        if self.subscribed() {
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

/// A client class, for the TYPE filter of CLIENT LIST and CLIENT KILL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientType {
    Normal,
    Replica,
    PubSub,
    Master,
}

impl ClientType {
    /// A type name as redis-server reads it: case-insensitive, `slave` and `replica` alike.
    pub fn parse(name: &[u8]) -> Result<ClientType, CmdError> {
        const NAMES: [(&str, ClientType); 5] = [
            ("normal", ClientType::Normal),
            ("slave", ClientType::Replica),
            ("replica", ClientType::Replica),
            ("pubsub", ClientType::PubSub),
            ("master", ClientType::Master),
        ];
        NAMES
            .iter()
            .find(|(word, _)| c_string(name).eq_ignore_ascii_case(word.as_bytes()))
            .map(|&(_, kind)| kind)
            .ok_or_else(|| CmdError::quoting("ERR Unknown client type '", name, "'"))
    }
}

/// Which clients CLIENT LIST shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListFilter {
    All,
    Type(ClientType),
    /// These ids, in this order, repeats included (as redis-server prints them).
    Ids(Vec<i64>),
}

impl ListFilter {
    /// Parses `CLIENT LIST [TYPE type | ID id [id ...]]` in redis-server 7.0's order: TYPE
    /// only as the sole option, any other shape a syntax error.
    pub fn parse(args: &Args) -> Result<ListFilter, CmdError> {
        if args.len() == 4 && args.is(2, "type") {
            return ClientType::parse(args.get(3)).map(ListFilter::Type);
        }
        if args.len() > 3 && args.is(2, "id") {
            let ids = (3..args.len())
                .map(|i| parse_i64(args.get(i)))
                .collect::<Option<Vec<i64>>>()
                .ok_or_else(|| CmdError::other("ERR Invalid client ID"))?;
            return Ok(ListFilter::Ids(ids));
        }
        if args.len() != 2 {
            return Err(CmdError::Syntax);
        }
        Ok(ListFilter::All)
    }

    /// Whether a client with `id` and `kind` is listed (in any position).
    pub fn matches(&self, id: u64, kind: ClientType) -> bool {
        match self {
            ListFilter::All => true,
            ListFilter::Type(wanted) => *wanted == kind,
            ListFilter::Ids(ids) => ids.contains(&(id as i64)),
        }
    }
}

/// Which clients CLIENT KILL closes: those matching every filter given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KillFilter {
    pub id: Option<u64>,
    pub addr: Option<Vec<u8>>,
    pub laddr: Option<Vec<u8>>,
    pub kind: Option<ClientType>,
    /// Spare the calling client (SKIPME, on by default in the filter form).
    pub skip_me: bool,
    /// The old form, `CLIENT KILL addr`, which answers `+OK` or an error, not a count.
    pub old_form: bool,
}

impl KillFilter {
    /// Parses CLIENT KILL's arguments (at least three) as redis-server 7.0 does: options
    /// are read in order and the first bad one decides the error. `USER` accepts only the
    /// `default` user, the one user SoliKV has; as every client is logged in as it, that
    /// filter keeps every client.
    pub fn parse(args: &Args) -> Result<KillFilter, CmdError> {
        let mut filter = KillFilter {
            id: None,
            addr: None,
            laddr: None,
            kind: None,
            skip_me: true,
            old_form: args.len() == 3,
        };
        if filter.old_form {
            filter.addr = Some(args.get(2).to_vec());
            filter.skip_me = false;
            return Ok(filter);
        }
        let mut i = 2;
        while i < args.len() {
            if i + 1 == args.len() {
                return Err(CmdError::Syntax);
            }
            let value = args.get(i + 1);
            if args.is(i, "id") {
                match parse_i64(value) {
                    Some(id) if id > 0 => filter.id = Some(id as u64),
                    _ => return Err(CmdError::other("ERR client-id should be greater than 0")),
                }
            } else if args.is(i, "type") {
                filter.kind = Some(ClientType::parse(value)?);
            } else if args.is(i, "addr") {
                filter.addr = Some(value.to_vec());
            } else if args.is(i, "laddr") {
                filter.laddr = Some(value.to_vec());
            } else if args.is(i, "user") {
                if value != b"default" {
                    return Err(CmdError::quoting("ERR No such user '", value, "'"));
                }
            } else if args.is(i, "skipme") {
                if value.eq_ignore_ascii_case(b"yes") {
                    filter.skip_me = true;
                } else if value.eq_ignore_ascii_case(b"no") {
                    filter.skip_me = false;
                } else {
                    return Err(CmdError::Syntax);
                }
            } else {
                return Err(CmdError::Syntax);
            }
            i += 2;
        }
        Ok(filter)
    }

    /// Whether `client` is to be closed when client `me` asks.
    pub fn matches(&self, client: &ClientHandle, me: u64) -> bool {
        let same_addr = |want: &Option<Vec<u8>>, have: &SocketAddr| {
            want.as_deref()
                .is_none_or(|want| want == have.to_string().as_bytes())
        };
        self.id.is_none_or(|id| id == client.id)
            && same_addr(&self.addr, &client.addr)
            && same_addr(&self.laddr, &client.laddr)
            && self.kind.is_none_or(|kind| kind == client.client_type())
            && !(self.skip_me && client.id == me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::OwnedArgs;

    fn args(line: &str) -> OwnedArgs {
        OwnedArgs::from_parts(line.split(' '))
    }

    fn handle(id: u64) -> ClientHandle {
        let addr = SocketAddr::from(([127, 0, 0, 1], 5000 + id as u16));
        let laddr = SocketAddr::from(([127, 0, 0, 1], 6379));
        ClientHandle::new(id, addr, laddr, -1, 1_000)
    }

    #[test]
    fn type_names_parse_like_redis() {
        assert_eq!(ClientType::parse(b"SLAVE"), Ok(ClientType::Replica));
        assert_eq!(ClientType::parse(b"replica"), Ok(ClientType::Replica));
        assert_eq!(ClientType::parse(b"PubSub"), Ok(ClientType::PubSub));
        let err = ClientType::parse(b"bogus").unwrap_err();
        assert_eq!(err.bytes(), b"ERR Unknown client type 'bogus'".to_vec());
    }

    #[test]
    fn list_filters_follow_redis_7_0() {
        let parse = |line| ListFilter::parse(&args(line).args());
        assert_eq!(parse("CLIENT LIST"), Ok(ListFilter::All));
        assert_eq!(
            parse("CLIENT LIST type NORMAL"),
            Ok(ListFilter::Type(ClientType::Normal))
        );
        assert_eq!(
            parse("CLIENT LIST ID 3 3 -1"),
            Ok(ListFilter::Ids(vec![3, 3, -1]))
        );
        assert_eq!(
            parse("CLIENT LIST ID 3 x").unwrap_err().bytes(),
            b"ERR Invalid client ID".to_vec()
        );
        for syntax in [
            "CLIENT LIST TYPE",
            "CLIENT LIST ID",
            "CLIENT LIST TYPE normal x",
        ] {
            assert_eq!(parse(syntax), Err(CmdError::Syntax), "{syntax}");
        }
    }

    #[test]
    fn kill_filters_follow_redis_7_0() {
        let parse = |line| KillFilter::parse(&args(line).args());
        let old = parse("CLIENT KILL 127.0.0.1:5001").unwrap();
        assert!(old.old_form && !old.skip_me);
        let f = parse("CLIENT KILL TYPE pubsub USER default SKIPME no").unwrap();
        assert_eq!((f.kind, f.skip_me), (Some(ClientType::PubSub), false));
        let err = |line| parse(line).unwrap_err().bytes();
        assert_eq!(
            err("CLIENT KILL USER nobody"),
            b"ERR No such user 'nobody'".to_vec()
        );
        assert_eq!(
            err("CLIENT KILL TYPE bogus ID"),
            b"ERR Unknown client type 'bogus'".to_vec()
        );
        assert_eq!(err("CLIENT KILL ID 1 TYPE"), b"ERR syntax error".to_vec());
        assert_eq!(
            err("CLIENT KILL ID 0 TYPE x"),
            b"ERR client-id should be greater than 0".to_vec()
        );
    }

    #[test]
    fn kill_filter_matches_type_and_spares_the_caller() {
        let (me, other, subscriber) = (handle(1), handle(2), handle(3));
        subscriber.subs.set([1, 0, 0]);
        let normal = KillFilter::parse(&args("CLIENT KILL TYPE normal").args()).unwrap();
        let picked: Vec<u64> = [&me, &other, &subscriber]
            .iter()
            .filter(|h| normal.matches(h, me.id))
            .map(|h| h.id)
            .collect();
        assert_eq!(picked, [2]);
        let by_addr =
            KillFilter::parse(&args("CLIENT KILL ADDR 127.0.0.1:5003 SKIPME no").args()).unwrap();
        assert!(by_addr.matches(&subscriber, me.id) && !by_addr.matches(&other, me.id));
    }

    #[test]
    fn touch_never_moves_activity_back() {
        let h = handle(1);
        h.touch(900);
        assert_eq!(h.last_active_ms.get(), 1_000);
        h.touch(2_500);
        assert_eq!(h.last_active_ms.get(), 2_500);
    }
}
