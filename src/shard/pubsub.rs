//! Pub/Sub on the data cores: each core's registry of subscribed connections, delivery of a
//! published message to every core that has subscribers, and the per-connection outlet that
//! queues pushed messages under `client-output-buffer-limit pubsub`.
//!
//! Shared-nothing: a connection subscribes on the core that accepted it, so each core's
//! [`Registry`] holds only its own connections. A PUBLISH runs the local delivery at once and
//! sends one mesh call to every other core whose [`Summary`] counter says it has subscribers
//! of that namespace (plain channels and patterns, or shard channels); the reply is the sum of
//! the deliveries. The summary is one atomic per core and namespace, written on subscribe and
//! unsubscribe and read by publishers: no lock on either path.
//!
//! Cluster bus hook: messages a node receives from other nodes (Redis propagates PUBLISH to
//! every node, SPUBLISH to the shard's replicas) are handed to [`deliver_from_bus`] on one
//! data core (the control core has no data-core context; it reaches a data core through a
//! closure on the link [`crate::cluster::control::CoreLink`] serves, as views travel); that
//! core reaches this node's subscribers on every core and forwards nothing. [`publish`] hands
//! each message published here to the bus (`CoreCluster::propagate`) after delivering it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use hashbrown::{HashMap, HashSet};

use crate::clock;
use crate::cmd::{Args, CmdError};
use crate::config::Config;
use crate::glob::glob_match;
use crate::protocol::Reply;

use super::clients::ClientHandle;
use super::core::CoreCtx;
use super::mesh::{CoreFn, DataMsg};

/// The three subscription namespaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Channel,
    Pattern,
    Shard,
}

/// Where a published message goes: plain channels (matched by channels and patterns) or
/// shard channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    Global,
    Shard,
}

impl Kind {
    fn space(self) -> Space {
        match self {
            Kind::Channel | Kind::Pattern => Space::Global,
            Kind::Shard => Space::Shard,
        }
    }
}

/// Per core and namespace, how many (name, connection) subscriptions exist: read by
/// publishers on any core to skip cores with nobody to deliver to.
pub struct Summary {
    counts: Vec<[AtomicUsize; 2]>,
}

impl Summary {
    pub fn new(ncores: usize) -> Self {
        Summary {
            counts: (0..ncores)
                .map(|_| [AtomicUsize::new(0), AtomicUsize::new(0)])
                .collect(),
        }
    }

    fn counter(&self, core: usize, space: Space) -> &AtomicUsize {
        &self.counts[core][space as usize]
    }

    /// Whether `core` has any subscriber in `space`.
    pub fn active(&self, core: usize, space: Space) -> bool {
        self.counter(core, space).load(Ordering::SeqCst) > 0
    }
}

/// `client-output-buffer-limit pubsub`: hard bytes, soft bytes, soft seconds (0 = none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferLimit {
    pub hard: u64,
    pub soft: u64,
    pub soft_seconds: u64,
}

impl BufferLimit {
    /// The pubsub class of `client-output-buffer-limit` (redis-server's default
    /// `32mb 8mb 60` when the value cannot be read).
    pub fn from_config(config: &Config) -> Self {
        let value = config.get("client-output-buffer-limit").unwrap_or_default();
        let words: Vec<&str> = value.split_whitespace().collect();
        let parsed = words.chunks(4).find(|c| c[0] == "pubsub").and_then(|c| {
            Some(BufferLimit {
                hard: c.get(1)?.parse().ok()?,
                soft: c.get(2)?.parse().ok()?,
                soft_seconds: c.get(3)?.parse().ok()?,
            })
        });
        parsed.unwrap_or(BufferLimit {
            hard: 32 << 20,
            soft: 8 << 20,
            soft_seconds: 60,
        })
    }
}

/// One subscribed connection's queue of pushed messages, shared by the connection and its
/// core's registry. Messages are encoded when queued, in the connection's current protocol.
pub struct Outlet {
    pub client: Rc<ClientHandle>,
    /// The connection's shard channels.
    pub shard: RefCell<HashSet<Vec<u8>>>,
    buf: RefCell<Vec<u8>>,
    waker: RefCell<Option<Waker>>,
    /// Since when (unix ms) the queue has been over the soft limit.
    soft_since: Cell<Option<i64>>,
}

impl Outlet {
    pub fn new(client: Rc<ClientHandle>) -> Rc<Outlet> {
        Rc::new(Outlet {
            client,
            shard: RefCell::new(HashSet::new()),
            buf: RefCell::new(Vec::new()),
            waker: RefCell::new(None),
            soft_since: Cell::new(None),
        })
    }

    /// Moves the queued messages to the end of `out`.
    pub fn drain_into(&self, out: &mut Vec<u8>) {
        let mut buf = self.buf.borrow_mut();
        if out.is_empty() {
            std::mem::swap(out, &mut buf);
        } else {
            out.extend_from_slice(&buf);
            buf.clear();
        }
        self.soft_since.set(None);
    }

    /// Resolves once messages are queued or the connection was killed.
    pub fn ready(&self) -> Ready<'_> {
        Ready { outlet: self }
    }

    /// Queues one message (`pattern` for pmessage) and applies the buffer limit.
    fn push(
        &self,
        kind: Kind,
        pattern: Option<&[u8]>,
        channel: &[u8],
        message: &[u8],
        limit: BufferLimit,
        now_ms: i64,
    ) {
        if self.client.killed.get() {
            return;
        }
        let mut reply = self.take_for_encoding();
        let was_empty = reply.buf.is_empty();
        match (kind, pattern) {
            (Kind::Pattern, Some(pattern)) => {
                reply.push(4);
                reply.bulk(b"pmessage");
                reply.bulk(pattern);
            }
            (Kind::Shard, _) => {
                reply.push(3);
                reply.bulk(b"smessage");
            }
            _ => {
                reply.push(3);
                reply.bulk(b"message");
            }
        }
        reply.bulk(channel);
        reply.bulk(message);
        let used = reply.buf.len() as u64;
        *self.buf.borrow_mut() = reply.buf;
        if self.over_limit(used, limit, now_ms) {
            log::warn!(
                "Client id={} addr={} closed for overcoming of output buffer limits (pubsub).",
                self.client.id,
                self.client.addr
            );
            self.client.kill();
            self.buf.borrow_mut().clear();
            self.wake();
        } else if was_empty {
            self.wake();
        }
    }

    /// The queue as a [`Reply`] in the connection's current protocol, to append to (put it
    /// back with `*self.buf.borrow_mut() = reply.buf`).
    fn take_for_encoding(&self) -> Reply {
        Reply {
            buf: std::mem::take(&mut *self.buf.borrow_mut()),
            proto: if self.client.resp.get() == 3 {
                crate::protocol::Proto::Resp3
            } else {
                crate::protocol::Proto::Resp2
            },
        }
    }

    /// Queues the notice that shard channel `channel` was dropped (its slot left this node),
    /// with the connection's remaining shard channel count.
    fn push_sunsubscribe(&self, channel: &[u8]) {
        let remaining = self.shard.borrow().len();
        let mut reply = self.take_for_encoding();
        reply.push(3);
        reply.bulk(b"sunsubscribe");
        reply.bulk(channel);
        reply.int(remaining as i64);
        *self.buf.borrow_mut() = reply.buf;
        let [sub, psub, _] = self.client.subs.get();
        self.client.subs.set([sub, psub, remaining]);
        self.wake();
    }

    /// redis-server's rule: at or over the hard limit, or over the soft limit for longer than
    /// its seconds.
    fn over_limit(&self, used: u64, limit: BufferLimit, now_ms: i64) -> bool {
        if limit.hard > 0 && used >= limit.hard {
            return true;
        }
        if limit.soft == 0 || used < limit.soft {
            self.soft_since.set(None);
            return false;
        }
        match self.soft_since.get() {
            None => {
                self.soft_since.set(Some(now_ms));
                false
            }
            Some(since) => (now_ms - since) as u64 > limit.soft_seconds * 1000,
        }
    }

    fn wake(&self) {
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
        }
    }
}

/// The future of [`Outlet::ready`].
pub struct Ready<'a> {
    outlet: &'a Outlet,
}

impl Future for Ready<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.outlet.buf.borrow().is_empty() || self.outlet.client.killed.get() {
            Poll::Ready(())
        } else {
            *self.outlet.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// One core's subscriptions: name → the connections subscribed to it, in subscription order.
#[derive(Default)]
pub struct Registry {
    channels: HashMap<Vec<u8>, Vec<Rc<Outlet>>>,
    patterns: HashMap<Vec<u8>, Vec<Rc<Outlet>>>,
    shard: HashMap<Vec<u8>, Vec<Rc<Outlet>>>,
}

/// The names one core has subscribers for, per namespace (INFO, PUBSUB NUMPAT).
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub channels: Vec<Vec<u8>>,
    pub patterns: Vec<Vec<u8>>,
    pub shard: Vec<Vec<u8>>,
}

impl Names {
    /// How many distinct names all cores have, per namespace.
    pub fn distinct<'a>(all: impl Iterator<Item = &'a Names> + Clone) -> [usize; 3] {
        let count = |f: fn(&'a Names) -> &'a Vec<Vec<u8>>| {
            all.clone()
                .flat_map(f)
                .map(Vec::as_slice)
                .collect::<HashSet<&[u8]>>()
                .len()
        };
        [
            count(|n| &n.channels),
            count(|n| &n.patterns),
            count(|n| &n.shard),
        ]
    }
}

impl Registry {
    fn table(&self, kind: Kind) -> &HashMap<Vec<u8>, Vec<Rc<Outlet>>> {
        match kind {
            Kind::Channel => &self.channels,
            Kind::Pattern => &self.patterns,
            Kind::Shard => &self.shard,
        }
    }

    fn table_mut(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, Vec<Rc<Outlet>>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// Every name with subscribers, per namespace.
    pub fn names(&self) -> Names {
        let keys = |t: &HashMap<Vec<u8>, Vec<Rc<Outlet>>>| t.keys().cloned().collect();
        Names {
            channels: keys(&self.channels),
            patterns: keys(&self.patterns),
            shard: keys(&self.shard),
        }
    }

    /// Names of `kind` with subscribers that match `pattern` (all when `None`).
    pub fn matching(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<Vec<u8>> {
        self.table(kind)
            .keys()
            .filter(|name| pattern.is_none_or(|p| glob_match(p, name, false)))
            .cloned()
            .collect()
    }

    /// How many connections of this core subscribe to each of `names`.
    pub fn counts(&self, kind: Kind, names: &[Vec<u8>]) -> Vec<usize> {
        let table = self.table(kind);
        names
            .iter()
            .map(|n| table.get(n).map_or(0, Vec::len))
            .collect()
    }

    /// Queues the message for every matching subscriber of this core; returns how many
    /// deliveries were made (a connection matching several patterns counts once per pattern).
    fn deliver(
        &self,
        space: Space,
        channel: &[u8],
        message: &[u8],
        limit: BufferLimit,
        now_ms: i64,
    ) -> usize {
        let mut n = 0;
        let kind = match space {
            Space::Global => Kind::Channel,
            Space::Shard => Kind::Shard,
        };
        if let Some(subs) = self.table(kind).get(channel) {
            for outlet in subs {
                outlet.push(kind, None, channel, message, limit, now_ms);
            }
            n += subs.len();
        }
        if space == Space::Global {
            for (pattern, subs) in &self.patterns {
                if !glob_match(pattern, channel, false) {
                    continue;
                }
                for outlet in subs {
                    outlet.push(
                        Kind::Pattern,
                        Some(pattern),
                        channel,
                        message,
                        limit,
                        now_ms,
                    );
                }
                n += subs.len();
            }
        }
        n
    }
}

/// Adds `outlet` as a subscriber of `name` on this core (the caller knows it was not one).
pub fn subscribe(ctx: &CoreCtx, kind: Kind, name: &[u8], outlet: &Rc<Outlet>) {
    ctx.pubsub
        .borrow_mut()
        .table_mut(kind)
        .entry(name.to_vec())
        .or_default()
        .push(outlet.clone());
    ctx.shared
        .pubsub
        .counter(ctx.core, kind.space())
        .fetch_add(1, Ordering::SeqCst);
}

/// Removes client `id` from the subscribers of `name` on this core.
pub fn unsubscribe(ctx: &CoreCtx, kind: Kind, name: &[u8], id: u64) {
    let mut registry = ctx.pubsub.borrow_mut();
    let table = registry.table_mut(kind);
    let Some(subs) = table.get_mut(name) else {
        return;
    };
    let Some(at) = subs.iter().position(|o| o.client.id == id) else {
        return;
    };
    subs.remove(at);
    if subs.is_empty() {
        table.remove(name);
    }
    ctx.shared
        .pubsub
        .counter(ctx.core, kind.space())
        .fetch_sub(1, Ordering::SeqCst);
}

/// Cluster mode, after this core installed a new routing view: shard channels whose slot this
/// node no longer serves (as a master, or as a replica of its owner) are dropped, and each of
/// their subscribers is told with a `sunsubscribe` push, as redis-server does when it loses a
/// slot. Channels go in slot order, then byte order; subscribers in subscription order.
pub fn on_view(ctx: &CoreCtx) {
    if ctx.pubsub.borrow().shard.is_empty() {
        return;
    }
    let lost: Vec<(u16, Vec<u8>)> = {
        let view = ctx.cluster.view();
        let served = |slot: u16| {
            let owner = view.owner[slot as usize];
            owner == view.myself || Some(owner) == view.my_master
        };
        let mut lost: Vec<(u16, Vec<u8>)> = ctx
            .pubsub
            .borrow()
            .shard
            .keys()
            .map(|ch| (crate::topology::key_slot(ch).0, ch.clone()))
            .filter(|(slot, _)| !served(*slot))
            .collect();
        lost.sort();
        lost
    };
    for (_, channel) in lost {
        let Some(subs) = ctx.pubsub.borrow_mut().shard.remove(&channel) else {
            continue;
        };
        ctx.shared
            .pubsub
            .counter(ctx.core, Space::Shard)
            .fetch_sub(subs.len(), Ordering::SeqCst);
        for outlet in subs {
            outlet.shard.borrow_mut().remove(&channel);
            outlet.push_sunsubscribe(&channel);
        }
    }
}

/// Delivers on this core only.
fn deliver_here(ctx: &CoreCtx, space: Space, channel: &[u8], message: &[u8]) -> usize {
    if !ctx.shared.pubsub.active(ctx.core, space) {
        return 0;
    }
    let limit = ctx.opts.borrow().pubsub_limit;
    ctx.pubsub
        .borrow()
        .deliver(space, channel, message, limit, clock::unix_ms())
}

/// PUBLISH / SPUBLISH: delivers to the subscribers on every data core of this node and, in
/// cluster mode, hands the message to the cluster bus for the other nodes (as redis-server,
/// the reply counts only this node's deliveries).
pub async fn publish(ctx: &Rc<CoreCtx>, space: Space, channel: &[u8], message: &[u8]) -> usize {
    let total = publish_here(ctx, space, channel, message).await;
    if ctx.cluster.enabled() {
        let shard = space == Space::Shard;
        ctx.cluster.propagate(shard, channel, message).await;
    }
    total
}

/// Delivers to the subscribers on every data core of this node and returns how many
/// deliveries were made. One mesh call per other core with subscribers.
async fn publish_here(ctx: &Rc<CoreCtx>, space: Space, channel: &[u8], message: &[u8]) -> usize {
    let mut total = deliver_here(ctx, space, channel, message);
    let others: Vec<usize> = (0..ctx.ncores)
        .filter(|&c| c != ctx.core && ctx.shared.pubsub.active(c, space))
        .collect();
    if others.is_empty() {
        return total;
    }
    let payload: Arc<(Vec<u8>, Vec<u8>)> = Arc::new((channel.to_vec(), message.to_vec()));
    let (tx, rx) = flume::bounded(others.len());
    for &core in &others {
        let payload = payload.clone();
        let tx = tx.clone();
        let call: CoreFn = Box::new(move |c: &CoreCtx| {
            let _ = tx.try_send(deliver_here(c, space, &payload.0, &payload.1));
        });
        let link = ctx.mesh.data[core].as_ref().expect("link to another core");
        link.send_async(DataMsg::Call(call))
            .await
            .expect("mesh link closed");
    }
    for _ in &others {
        total += rx.recv_async().await.expect("core dropped a call");
    }
    total
}

/// PUBLISH / SPUBLISH from a script, under its transaction holding every core: the other
/// cores deliver as steps of the transaction, since their data links wait while it runs.
pub async fn publish_in(
    ctx: &Rc<CoreCtx>,
    txn: &super::txn::Txn,
    space: Space,
    channel: &[u8],
    message: &[u8],
) -> usize {
    let mut total = deliver_here(ctx, space, channel, message);
    for core in (0..ctx.ncores).filter(|&c| c != ctx.core && ctx.shared.pubsub.active(c, space)) {
        let (channel, message) = (channel.to_vec(), message.to_vec());
        total += txn
            .run(core, move |c| deliver_here(c, space, &channel, &message))
            .await;
    }
    total
}

/// The cluster bus's entry point for a message published on another node: delivers it to
/// this node's subscribers on every data core (without forwarding it anywhere) and returns
/// the number of deliveries.
pub async fn deliver_from_bus(
    ctx: &Rc<CoreCtx>,
    space: Space,
    channel: &[u8],
    message: &[u8],
) -> usize {
    publish_here(ctx, space, channel, message).await
}

/// PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP, merged over every
/// data core (names are listed once even when several cores have subscribers).
pub async fn introspect(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let sub = args.get(1).to_ascii_lowercase();
    let argc = args.len();
    match sub.as_slice() {
        b"channels" | b"shardchannels" if argc <= 3 => {
            let kind = if sub == b"channels" {
                Kind::Channel
            } else {
                Kind::Shard
            };
            let pattern = (argc == 3).then(|| args.get(2).to_vec());
            let parts = ctx
                .on_all_cores(move |c| c.pubsub.borrow().matching(kind, pattern.as_deref()))
                .await;
            let mut seen = HashSet::new();
            let names: Vec<&Vec<u8>> = parts.iter().flatten().filter(|n| seen.insert(*n)).collect();
            out.array(names.len());
            for name in names {
                out.bulk(name);
            }
        }
        b"numsub" | b"shardnumsub" => {
            let kind = if sub == b"numsub" {
                Kind::Channel
            } else {
                Kind::Shard
            };
            let names: Vec<Vec<u8>> = args.iter().skip(2).map(<[u8]>::to_vec).collect();
            let asked = names.clone();
            let parts = ctx
                .on_all_cores(move |c| c.pubsub.borrow().counts(kind, &asked))
                .await;
            out.array(names.len() * 2);
            for (i, name) in names.iter().enumerate() {
                out.bulk(name);
                out.int(parts.iter().map(|p| p[i]).sum::<usize>() as i64);
            }
        }
        b"numpat" if argc == 2 => {
            let parts = ctx.on_all_cores(|c| c.pubsub.borrow().names()).await;
            out.int(Names::distinct(parts.iter())[1] as i64);
        }
        b"help" if argc == 2 => out.simple_lines(&[
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help.",
        ]),
        b"numpat" | b"help" => {
            let name = format!("pubsub|{}", String::from_utf8_lossy(&sub));
            out.error_bytes(&CmdError::WrongArity(name).bytes());
        }
        b"channels" | b"shardchannels" => {
            out.error_bytes(&CmdError::subcommand_syntax(args.get(1), b"pubsub").bytes());
        }
        _ => out.error_bytes(&CmdError::unknown_subcommand(args.get(1), args.get(0)).bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_limit_reads_the_pubsub_class() {
        let mut config = Config::defaults();
        assert_eq!(
            BufferLimit::from_config(&config),
            BufferLimit {
                hard: 33554432,
                soft: 8388608,
                soft_seconds: 60
            }
        );
        config
            .set(&[(b"client-output-buffer-limit", b"pubsub 1mb 2kb 3")])
            .unwrap();
        assert_eq!(
            BufferLimit::from_config(&config),
            BufferLimit {
                hard: 1 << 20,
                soft: 2048,
                soft_seconds: 3
            }
        );
    }

    fn outlet(socket: &std::net::UdpSocket) -> Rc<Outlet> {
        use std::os::fd::AsRawFd;
        let addr = socket.local_addr().unwrap();
        Outlet::new(Rc::new(ClientHandle::new(
            1,
            addr,
            addr,
            socket.as_raw_fd(),
            0,
        )))
    }

    #[test]
    fn soft_limit_needs_its_seconds_and_hard_limit_is_immediate() {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let o = outlet(&socket);
        let limit = BufferLimit {
            hard: 1000,
            soft: 100,
            soft_seconds: 1,
        };
        assert!(!o.over_limit(50, limit, 0));
        assert!(!o.over_limit(150, limit, 0));
        assert!(!o.over_limit(150, limit, 1000));
        assert!(o.over_limit(150, limit, 1001));
        assert!(!o.over_limit(50, limit, 1002));
        assert!(!o.over_limit(150, limit, 2000));
        assert!(o.over_limit(1000, limit, 2000));
        let none = BufferLimit {
            hard: 0,
            soft: 0,
            soft_seconds: 0,
        };
        assert!(!o.over_limit(u64::MAX, none, 0));
    }

    #[test]
    fn messages_queue_in_the_connection_protocol_until_the_hard_limit() {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let o = outlet(&socket);
        let limit = BufferLimit {
            hard: 200,
            soft: 0,
            soft_seconds: 0,
        };
        o.push(Kind::Channel, None, b"ch", b"hi", limit, 0);
        o.client.resp.set(3);
        o.push(Kind::Pattern, Some(b"c*"), b"ch", b"hi", limit, 0);
        o.push(Kind::Shard, None, b"ch", b"hi", limit, 0);
        let mut out = Vec::new();
        o.drain_into(&mut out);
        assert_eq!(
            out,
            b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n\
              >4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n\
              >3\r\n$8\r\nsmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
        );
        assert!(!o.client.killed.get());
        o.push(Kind::Channel, None, b"ch", &[b'x'; 200], limit, 0);
        assert!(o.client.killed.get());
        let mut out = Vec::new();
        o.drain_into(&mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn distinct_names_across_cores() {
        let a = Names {
            channels: vec![b"x".to_vec(), b"y".to_vec()],
            patterns: vec![b"p*".to_vec()],
            shard: vec![],
        };
        let b = Names {
            channels: vec![b"y".to_vec()],
            patterns: vec![b"p*".to_vec(), b"q*".to_vec()],
            shard: vec![b"s".to_vec()],
        };
        assert_eq!(Names::distinct([a, b].iter()), [2, 2, 1]);
    }
}
