//! The connection side of Pub/Sub: a connection's subscriptions, the Pub/Sub commands, the
//! RESP2 subscribed-mode restrictions, and how pushed messages reach the socket.
//!
//! Runs on the connection's data core. A connection gets an [`Outlet`] on its first
//! subscription; other connections' PUBLISH calls (on this core, or from other cores through
//! the mesh) queue messages in it. The connection loop drains the outlet after each batch of
//! commands and, while waiting for input, races the read with [`Outlet::ready`]
//! ([`read_or_push`]) so that an idle subscriber still gets its messages.

use std::future::Future;
use std::rc::Rc;

use hashbrown::HashSet;

use super::poller::Registration;
use super::session::{Flow, Session};
use crate::cluster::{self, view::Route};
use crate::cmd::{meta, Args, CmdError, Command, PubSubCmd};
use crate::protocol::{Proto, Reply};
use crate::shard::core::CoreCtx;
use crate::shard::pubsub::{self, Kind, Outlet, Space};

/// One connection's subscriptions. Its shard channels live in its [`Outlet`], since the core
/// drops them when their slot leaves this node ([`pubsub::on_view`]).
#[derive(Default)]
pub struct Subscriptions {
    outlet: Option<Rc<Outlet>>,
    channels: HashSet<Vec<u8>>,
    /// In subscription order, as redis-server keeps them (PUNSUBSCRIBE without arguments).
    patterns: Vec<Vec<u8>>,
}

impl Subscriptions {
    /// Whether the connection is in subscribed mode (any subscription at all).
    pub fn active(&self) -> bool {
        !self.channels.is_empty() || !self.patterns.is_empty() || self.count(Kind::Shard) > 0
    }

    /// Moves pushed messages waiting for the connection to the end of `out`.
    pub fn drain_into(&self, out: &mut Reply) {
        if let Some(outlet) = &self.outlet {
            outlet.drain_into(&mut out.buf);
        }
    }

    /// Drops every subscription without replies (RESET, disconnect).
    pub fn reset(&mut self, ctx: &CoreCtx) {
        let Some(outlet) = &self.outlet else {
            return;
        };
        let id = outlet.client.id;
        for name in self.channels.drain() {
            pubsub::unsubscribe(ctx, Kind::Channel, &name, id);
        }
        for name in self.patterns.drain(..) {
            pubsub::unsubscribe(ctx, Kind::Pattern, &name, id);
        }
        let shard: Vec<Vec<u8>> = outlet.shard.borrow_mut().drain().collect();
        for name in shard {
            pubsub::unsubscribe(ctx, Kind::Shard, &name, id);
        }
        outlet.client.subs.set([0; 3]);
    }

    /// How many subscriptions the reply to a command of `kind` reports: channels and patterns
    /// together, shard channels on their own.
    fn count(&self, kind: Kind) -> i64 {
        match kind {
            Kind::Channel | Kind::Pattern => (self.channels.len() + self.patterns.len()) as i64,
            Kind::Shard => self.outlet.as_ref().map_or(0, |o| o.shard.borrow().len()) as i64,
        }
    }

    fn add(&mut self, kind: Kind, name: &[u8]) -> bool {
        match kind {
            Kind::Channel => self.channels.insert(name.to_vec()),
            Kind::Shard => self
                .outlet
                .as_ref()
                .is_some_and(|o| o.shard.borrow_mut().insert(name.to_vec())),
            Kind::Pattern => {
                let new = !self.patterns.iter().any(|p| p == name);
                if new {
                    self.patterns.push(name.to_vec());
                }
                new
            }
        }
    }

    fn remove(&mut self, kind: Kind, name: &[u8]) -> bool {
        match kind {
            Kind::Channel => self.channels.remove(name),
            Kind::Shard => self
                .outlet
                .as_ref()
                .is_some_and(|o| o.shard.borrow_mut().remove(name)),
            Kind::Pattern => match self.patterns.iter().position(|p| p == name) {
                Some(at) => {
                    self.patterns.remove(at);
                    true
                }
                None => false,
            },
        }
    }

    fn names(&self, kind: Kind) -> Vec<Vec<u8>> {
        match kind {
            Kind::Channel => self.channels.iter().cloned().collect(),
            Kind::Pattern => self.patterns.clone(),
            Kind::Shard => self
                .outlet
                .as_ref()
                .map_or_else(Vec::new, |o| o.shard.borrow().iter().cloned().collect()),
        }
    }

    fn publish_counts(&self) {
        if let Some(outlet) = &self.outlet {
            outlet.client.subs.set([
                self.channels.len(),
                self.patterns.len(),
                self.count(Kind::Shard) as usize,
            ]);
        }
    }
}

/// Waits for input on the socket (`read`) or for pushed messages, whichever comes first:
/// `None` means messages are waiting (or the connection was killed) and no read was made.
/// A connection that never subscribed only reads.
pub async fn read_or_push<F, T>(read: F, sess: &Session) -> Option<T>
where
    F: Future<Output = T>,
{
    match &sess.pubsub.outlet {
        None => Some(read.await),
        Some(outlet) => {
            let pushed = async {
                outlet.ready().await;
                None
            };
            futures_lite::future::or(async { Some(read.await) }, pushed).await
        }
    }
}

/// Writes the messages waiting in the connection's outlet.
pub async fn write_pushes(
    ctx: &CoreCtx,
    registration: &Registration,
    sess: &Session,
) -> std::io::Result<()> {
    let mut out = Reply {
        buf: Vec::new(),
        proto: Proto::Resp2,
    };
    sess.pubsub.drain_into(&mut out);
    if out.is_empty() {
        return Ok(());
    }
    let len = out.len();
    registration.send(&mut out.buf).await?;
    ctx.stats
        .net_output_bytes
        .set(ctx.stats.net_output_bytes.get() + len as u64);
    Ok(())
}

/// Commands a RESP2 connection may run in subscribed mode.
const ALLOWED_SUBSCRIBED: [&str; 9] = [
    "subscribe",
    "ssubscribe",
    "unsubscribe",
    "sunsubscribe",
    "psubscribe",
    "punsubscribe",
    "ping",
    "quit",
    "reset",
];

/// The error a RESP2 connection in subscribed mode gets for any other command. Unknown
/// subcommands and subcommand arity errors are left to the command, as redis-server reports
/// those first.
pub fn restricted(sess: &Session, cmd: &Command, args: &Args) -> Option<CmdError> {
    if !sess.pubsub.active()
        || sess.handle.resp.get() != 2
        || ALLOWED_SUBSCRIBED.contains(&cmd.name)
    {
        return None;
    }
    let line: Vec<&[u8]> = args.iter().collect();
    let name = match meta::lookup(cmd.name.as_bytes()) {
        Some(top) if top.is_container() => match meta::resolve(&line) {
            Some(sub) if sub.arity_ok(line.len()) => sub.name,
            _ => return None,
        },
        _ => cmd.name,
    };
    Some(CmdError::other(format!(
        "ERR Can't execute '{name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / \
         RESET are allowed in this context"
    )))
}

/// PING's reply in RESP2 subscribed mode (`pong` and the message, as an array); `false` when
/// the usual reply applies.
pub fn subscribed_ping(sess: &Session, args: &Args, out: &mut Reply) -> bool {
    if !sess.pubsub.active() || out.resp3() || args.len() > 2 {
        return false;
    }
    out.array(2);
    out.bulk(b"pong");
    out.bulk(if args.len() == 2 { args.get(1) } else { b"" });
    true
}

/// Runs a Pub/Sub command.
pub async fn exec(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    which: PubSubCmd,
    cmd: &Command,
    args: Args<'_>,
    asking: bool,
    out: &mut Reply,
) -> Flow {
    if ctx.cluster.enabled() {
        if let Some(err) = cluster_redirect(ctx, sess, cmd, &args, asking) {
            out.error_bytes(&err.bytes());
            return Flow::Continue;
        }
    }
    match which {
        PubSubCmd::Subscribe => subscribe(ctx, sess, Kind::Channel, args, out),
        PubSubCmd::PSubscribe => subscribe(ctx, sess, Kind::Pattern, args, out),
        PubSubCmd::SSubscribe => subscribe(ctx, sess, Kind::Shard, args, out),
        PubSubCmd::Unsubscribe => unsubscribe(ctx, sess, Kind::Channel, args, out),
        PubSubCmd::PUnsubscribe => unsubscribe(ctx, sess, Kind::Pattern, args, out),
        PubSubCmd::SUnsubscribe => unsubscribe(ctx, sess, Kind::Shard, args, out),
        PubSubCmd::Publish | PubSubCmd::SPublish => {
            let space = if which == PubSubCmd::Publish {
                Space::Global
            } else {
                Space::Shard
            };
            let n = pubsub::publish(ctx, space, args.get(1), args.get(2)).await;
            // Our own subscription's message comes before the reply, as in redis-server.
            sess.pubsub.drain_into(out);
            out.int(n as i64);
        }
        PubSubCmd::PubSub => pubsub::introspect(ctx, args, out).await,
    }
    Flow::Continue
}

/// Cluster mode (callers check it is enabled): the shard-channel commands go to the node
/// serving the channel's slot. As in redis-server, a migrating or importing slot needs no key
/// lookup (channels are not keys), and `cluster-allow-pubsubshard-when-down yes` serves them while the cluster is down.
pub fn cluster_redirect(
    ctx: &CoreCtx,
    _sess: &Session,
    cmd: &Command,
    args: &Args,
    asking: bool,
) -> Option<CmdError> {
    // A replica serves the shard channels of its primary's slots without READONLY, as
    // redis-server does for every shard Pub/Sub command.
    let q = cluster::command::query(cmd, asking, true);
    let route = match cluster::command::check_local(ctx, cmd, args, q) {
        Route::NeedsKeys(slot) => ctx.cluster.view().route_unstable(slot, 0, 0, q),
        route => route,
    };
    match route {
        Route::Here | Route::NeedsKeys(_) => None,
        Route::Redirect(cluster::view::Redirect::Down | cluster::view::Redirect::DownReadOnly)
            if ctx
                .config
                .borrow()
                .get("cluster-allow-pubsubshard-when-down")
                .as_deref()
                == Some("yes") =>
        {
            None
        }
        Route::Redirect(r) => Some(CmdError::other(r.text())),
    }
}

fn reply_head(out: &mut Reply, verb: &[u8], name: Option<&[u8]>) {
    out.push(3);
    out.bulk(verb);
    match name {
        Some(name) => out.bulk(name),
        None => out.null(),
    }
}

fn verb(kind: Kind, subscribe: bool) -> &'static [u8] {
    match (kind, subscribe) {
        (Kind::Channel, true) => b"subscribe",
        (Kind::Pattern, true) => b"psubscribe",
        (Kind::Shard, true) => b"ssubscribe",
        (Kind::Channel, false) => b"unsubscribe",
        (Kind::Pattern, false) => b"punsubscribe",
        (Kind::Shard, false) => b"sunsubscribe",
    }
}

fn subscribe(ctx: &CoreCtx, sess: &mut Session, kind: Kind, args: Args, out: &mut Reply) {
    let outlet = sess
        .pubsub
        .outlet
        .get_or_insert_with(|| Outlet::new(sess.handle.clone()))
        .clone();
    for name in args.iter().skip(1) {
        if sess.pubsub.add(kind, name) {
            pubsub::subscribe(ctx, kind, name, &outlet);
        }
        reply_head(out, verb(kind, true), Some(name));
        out.int(sess.pubsub.count(kind));
    }
    sess.pubsub.publish_counts();
}

fn unsubscribe(ctx: &CoreCtx, sess: &mut Session, kind: Kind, args: Args, out: &mut Reply) {
    let id = sess.handle.id;
    let names: Vec<Vec<u8>> = if args.len() > 1 {
        args.iter().skip(1).map(<[u8]>::to_vec).collect()
    } else {
        sess.pubsub.names(kind)
    };
    if names.is_empty() {
        reply_head(out, verb(kind, false), None);
        out.int(sess.pubsub.count(kind));
    }
    for name in names {
        if sess.pubsub.remove(kind, &name) {
            pubsub::unsubscribe(ctx, kind, &name, id);
        }
        reply_head(out, verb(kind, false), Some(&name));
        out.int(sess.pubsub.count(kind));
    }
    sess.pubsub.publish_counts();
}
