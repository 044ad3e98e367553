//! The cluster bus driver: runs the bus on the control core and drives the state's hooks
//! with what arrives, Redis's `clusterCron` and `clusterProcessPacket` in our own words.
//!
//! Runs on the control core's executor, next to `control::serve`, sharing its
//! `Rc<RefCell<Control>>` (borrowed per event, never across an await). Three kinds of task:
//!
//! - the **event loop** takes [`BusEvent`]s: a PING/PONG/MEET goes to [`hooks::on_message`]
//!   and its [`hooks::Effects`] are carried out (PONG reply, UPDATE to a stale sender, FAIL
//!   broadcast, link close); FAIL and UPDATE go to [`hooks::on_fail`] / [`hooks::on_update`];
//! - the **cron** (every 100 ms) calls [`hooks::cron`] (handshake timeouts, PFAIL, FAIL),
//!   opens links to nodes that have none, pings a random node each second and every node
//!   whose PONG is older than half the node timeout, drops links that stopped answering, and
//!   closes links of nodes that were removed;
//! - one **connect** task per link being opened; once up, the link greets the node with
//!   MEET or PING ([`hooks::greeting`]).
//!
//! After each of them the state is committed (nodes.conf, views) and CLUSTER LINKS' list is
//! refreshed. Node ids, flags and times are converted by [`convert`].
//!
//! - the **publish** task sends what this node's clients PUBLISH (to every node) and
//!   SPUBLISH (to the other nodes of the shard); received ones go to a data core
//!   ([`Control::deliver`]).
//!
//! Not done here: failover messages.

mod convert;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

use super::bus::{Body, Bus, BusConfig, BusEvent, Direction, LinkId, Message};
use super::control::{BusPublish, Control};
use super::hooks::{self, Kind, LinkPeer};
use super::node::{flags, NodeId};
use super::state::{ClusterState, LinkInfo};

/// How often the cron runs (Redis: 10 times a second).
const CRON: Duration = Duration::from_millis(100);
/// Every this many cron runs, a random node is pinged (Redis: once a second).
const RANDOM_PING_EVERY: u64 = 10;
/// How many random nodes are sampled for that ping (the one with the oldest PONG wins).
const RANDOM_PING_SAMPLE: usize = 5;

/// What the driver knows about one open link.
#[derive(Clone, Copy, Debug)]
struct Meta {
    outbound: bool,
    /// The node: the one we connected to (outbound), or the sender of the link's messages
    /// once it is a known node (inbound).
    node: Option<NodeId>,
}

/// The bus driver's own bookkeeping; the cluster facts live in the state.
struct Wire {
    bus: Bus,
    control: Rc<RefCell<Control>>,
    links: RefCell<HashMap<LinkId, Meta>>,
    /// Each node's outbound link.
    outbound: RefCell<HashMap<NodeId, LinkId>>,
    /// Nodes whose outbound link is being opened.
    connecting: RefCell<HashSet<NodeId>>,
    /// When any message from each node last arrived (Redis's `data_received`).
    data_received: RefCell<HashMap<NodeId, u64>>,
    /// Random source for gossip and ping choices.
    seed: Cell<u64>,
}

fn now_ms() -> u64 {
    u64::try_from(crate::clock::unix_ms()).unwrap_or(0)
}

/// The addresses the bus listens on: the client bind list (`*`: all IPv4, `::*`: all IPv6,
/// a leading `-`: optional) at `port`.
fn bind_addrs(bind: &[String], port: u16) -> Result<Vec<(SocketAddr, bool)>, String> {
    bind.iter()
        .map(|entry| {
            let (optional, host) = match entry.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, entry.as_str()),
            };
            let ip = match host {
                "*" => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                "::*" => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
                other => other
                    .parse()
                    .map_err(|_| format!("invalid bind address '{other}'"))?,
            };
            Ok((SocketAddr::new(ip, port), optional))
        })
        .collect()
}

/// Listens on the bus port (at the client bind addresses) and spawns the event loop and the
/// cron on the current executor (the control core). Fails when a required address cannot be
/// bound.
pub fn start(
    control: Rc<RefCell<Control>>,
    bind: &[String],
    published: flume::Receiver<BusPublish>,
) -> Result<(), String> {
    let port = control.borrow().state.settings.bus_port;
    let (bus, events) = Bus::new(BusConfig::default());
    let mut bound = 0;
    for (addr, optional) in bind_addrs(bind, port)? {
        match bus.listen(addr) {
            Ok(_) => bound += 1,
            Err(_) if optional => {}
            Err(e) => return Err(format!("cannot listen on the cluster bus port {addr}: {e}")),
        }
    }
    if bound == 0 {
        return Err(format!("cannot listen on the cluster bus port {port}"));
    }
    let wire = Rc::new(Wire {
        bus,
        control,
        links: RefCell::new(HashMap::new()),
        outbound: RefCell::new(HashMap::new()),
        connecting: RefCell::new(HashSet::new()),
        data_received: RefCell::new(HashMap::new()),
        seed: Cell::new(now_ms() ^ u64::from(std::process::id()) << 32),
    });
    let w = wire.clone();
    glommio::spawn_local(async move {
        while let Ok(event) = events.recv_async().await {
            w.on_event(event);
        }
    })
    .detach();
    let w = wire.clone();
    glommio::spawn_local(async move {
        while let Ok(publish) = published.recv_async().await {
            w.publish(publish);
        }
    })
    .detach();
    glommio::spawn_local(async move {
        let mut iteration = 0u64;
        loop {
            glommio::timer::sleep(CRON).await;
            iteration += 1;
            wire.cron(iteration);
        }
    })
    .detach();
    Ok(())
}

impl Wire {
    fn random(&self) -> u64 {
        let x = crate::storage::keyspace::splitmix(self.seed.get());
        self.seed.set(x);
        x
    }

    /// Queues `body` on `link` with our current header; counts it when it was queued.
    fn send(&self, state: &mut ClusterState, link: LinkId, body: Body) -> bool {
        let (header, _) = hooks::next_ping(state, 0);
        self.send_with(state, link, convert::sender(&header, state.ok), body)
    }

    fn send_with(
        &self,
        state: &mut ClusterState,
        link: LinkId,
        sender: super::bus::Sender,
        body: Body,
    ) -> bool {
        let index = convert::stat_index(&body);
        let sent = self.bus.send(link, &Message { sender, body }).is_ok();
        if sent {
            state.stats.sent[index] += 1;
        }
        sent
    }

    /// A PING, PONG or MEET with our header and fresh gossip.
    fn send_gossip(&self, state: &mut ClusterState, link: LinkId, kind: Kind) -> bool {
        let (header, gossip) = hooks::next_ping(state, self.random());
        let forgotten = state
            .bans_left(now_ms())
            .into_iter()
            .map(|(id, left_ms)| super::bus::Forgotten {
                id: convert::id_to_wire(&id),
                ttl_secs: left_ms / 1000,
            })
            .collect();
        let gossip = super::bus::Gossip {
            entries: gossip.iter().map(convert::gossip_to_wire).collect(),
            forgotten,
        };
        let body = match kind {
            Kind::Ping => Body::Ping(gossip),
            Kind::Pong => Body::Pong(gossip),
            Kind::Meet => Body::Meet(gossip),
        };
        self.send_with(state, link, convert::sender(&header, state.ok), body)
    }

    /// PING (or MEET) `node` on its outbound link and start its PONG timer.
    fn ping(&self, state: &mut ClusterState, node: &NodeId, link: LinkId, now: u64) {
        let kind = hooks::greeting(state, node);
        if self.send_gossip(state, link, kind) {
            hooks::on_ping_sent(state, node, kind, now);
        }
    }

    /// FAIL about each node, to every link.
    fn broadcast_fail(&self, state: &mut ClusterState, failed: &[NodeId]) {
        for node in failed {
            log::info!("cluster: marking node {node} as failing (quorum reached)");
            let links: Vec<LinkId> = self.links.borrow().keys().copied().collect();
            for link in links {
                let node = convert::id_to_wire(node);
                self.send(state, link, Body::Fail { node });
            }
        }
    }

    /// Sends a message published here to every other known node (PUBLISH), or to the other
    /// nodes of this node's shard (SPUBLISH), on their outbound links (Redis's
    /// `clusterSendPublish`).
    fn publish(&self, p: BusPublish) {
        let mut ctl = self.control.borrow_mut();
        let state = &mut ctl.state;
        let my_shard = *state.shard_master(state.myself());
        let targets: Vec<LinkId> = self
            .outbound
            .borrow()
            .iter()
            .filter(|(node, _)| match state.node(node) {
                Some(n) if n.has(flags::HANDSHAKE) => false,
                Some(n) => !p.shard || *state.shard_master(n) == my_shard,
                None => false,
            })
            .map(|(_, link)| *link)
            .collect();
        if targets.is_empty() {
            return;
        }
        let (header, _) = hooks::next_ping(state, 0);
        let sender = convert::sender(&header, state.ok);
        for link in targets {
            let body = if p.shard {
                Body::PublishShard {
                    channel: p.channel.clone(),
                    message: p.message.clone(),
                }
            } else {
                Body::Publish {
                    channel: p.channel.clone(),
                    message: p.message.clone(),
                }
            };
            self.send_with(state, link, sender.clone(), body);
        }
    }

    fn on_event(&self, event: BusEvent) {
        match event {
            BusEvent::Accepted { link, .. } => {
                let meta = Meta {
                    outbound: false,
                    node: None,
                };
                self.links.borrow_mut().insert(link, meta);
            }
            BusEvent::Message { link, msg } => self.on_message(link, msg),
            BusEvent::Closed { link, reason } => {
                let Some(meta) = self.links.borrow_mut().remove(&link) else {
                    return;
                };
                log::debug!(
                    "cluster bus: link {link} ({:?}) closed: {reason}",
                    meta.node
                );
                if let (true, Some(node)) = (meta.outbound, meta.node) {
                    let mut outbound = self.outbound.borrow_mut();
                    if outbound.get(&node) == Some(&link) {
                        outbound.remove(&node);
                        hooks::on_link(&mut self.control.borrow_mut().state, &node, false);
                    }
                }
            }
        }
        self.commit();
    }

    fn on_message(&self, link: LinkId, msg: Message) {
        let Some(meta) = self.links.borrow().get(&link).copied() else {
            return;
        };
        let now = now_ms();
        let mut ctl = self.control.borrow_mut();
        let state = &mut ctl.state;
        state.stats.received[convert::stat_index(&msg.body)] += 1;
        let h = convert::header(&msg.sender);
        if state.node(&h.id).is_some_and(|n| !n.has(flags::HANDSHAKE)) {
            self.data_received.borrow_mut().insert(h.id, now);
        }
        match &msg.body {
            Body::Fail { node } => {
                hooks::on_fail(state, &h.id, &convert::id_from_wire(node), now);
            }
            Body::Update {
                node,
                config_epoch,
                slots,
            } => {
                if state.node(&h.id).is_some() {
                    let slots = convert::ranges_from_wire(slots);
                    let node = convert::id_from_wire(node);
                    hooks::on_update(state, &node, *config_epoch, &slots);
                }
            }
            Body::Publish { channel, message } | Body::PublishShard { channel, message } => {
                if state.node(&h.id).is_some_and(|n| !n.has(flags::HANDSHAKE)) {
                    let shard = matches!(msg.body, Body::PublishShard { .. });
                    let (channel, message) = (channel.clone(), message.clone());
                    ctl.deliver(BusPublish {
                        shard,
                        channel,
                        message,
                    });
                }
            }
            body => {
                if let Some((kind, gossip)) = convert::gossip_kind(body) {
                    self.on_gossip(state, link, meta, kind, &h, gossip, now);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_gossip(
        &self,
        state: &mut ClusterState,
        link: LinkId,
        meta: Meta,
        kind: Kind,
        h: &hooks::Header,
        gossip: &super::bus::Gossip,
        now: u64,
    ) {
        let info = self.bus.link_info(link);
        let peer = LinkPeer {
            node: meta.node.filter(|_| meta.outbound),
            peer_ip: info
                .as_ref()
                .map_or_else(String::new, |i| i.peer.ip().to_string()),
            local_ip: info
                .as_ref()
                .map_or_else(String::new, |i| i.local.ip().to_string()),
        };
        let entries: Vec<hooks::Gossip> = gossip
            .entries
            .iter()
            .map(convert::gossip_from_wire)
            .collect();
        let fx = hooks::on_message(state, kind, &peer, h, &entries, now);
        let known = state.node(&h.id).is_some_and(|n| !n.has(flags::HANDSHAKE));
        if fx.close_link {
            self.bus.close(link);
            return;
        }
        if meta.outbound {
            // A handshake node renamed to the sender's real id keeps its link.
            if let Some(old) = meta.node.filter(|old| *old != h.id && known) {
                if state.node(&old).is_none() {
                    let mut outbound = self.outbound.borrow_mut();
                    outbound.remove(&old);
                    outbound.insert(h.id, link);
                    if let Some(m) = self.links.borrow_mut().get_mut(&link) {
                        m.node = Some(h.id);
                    }
                    hooks::on_link(state, &h.id, true);
                }
            }
        } else if known && meta.node != Some(h.id) {
            if let Some(m) = self.links.borrow_mut().get_mut(&link) {
                m.node = Some(h.id);
            }
        }
        if known {
            self.follow_address(state, &h.id);
            if !gossip.forgotten.is_empty() {
                let forgotten: Vec<(NodeId, u64)> = gossip
                    .forgotten
                    .iter()
                    .map(|f| {
                        (
                            convert::id_from_wire(&f.id),
                            f.ttl_secs.saturating_mul(1000),
                        )
                    })
                    .collect();
                hooks::on_forgotten(state, &forgotten, now);
            }
        }
        if fx.reply_pong {
            self.send_gossip(state, link, Kind::Pong);
        }
        if let Some((node, config_epoch, slots)) = fx.update_sender {
            let body = Body::Update {
                node: convert::id_to_wire(&node),
                config_epoch,
                slots: convert::ranges_to_wire(&slots),
            };
            self.send(state, link, body);
        }
        self.broadcast_fail(state, &fx.broadcast_fail);
    }

    /// Closes `node`'s outbound link when the node's address changed (a restart on another
    /// port or ip), so that the cron reconnects to the new one (Redis's rule).
    fn follow_address(&self, state: &ClusterState, node: &NodeId) {
        let Some(link) = self.outbound.borrow().get(node).copied() else {
            return;
        };
        let (Some(info), Some(n)) = (self.bus.link_info(link), state.node(node)) else {
            return;
        };
        let addr =
            n.ip.parse::<IpAddr>()
                .map(|ip| SocketAddr::new(ip, n.cport));
        if addr.is_ok_and(|addr| addr != info.peer) {
            log::info!("cluster: node {node} moved to {}:{}", n.ip, n.cport);
            self.bus.close(link);
        }
    }

    /// One run of the 100 ms cron.
    fn cron(self: &Rc<Self>, iteration: u64) {
        let now = now_ms();
        {
            let mut ctl = self.control.borrow_mut();
            let state = &mut ctl.state;
            let suspected = |state: &ClusterState| -> HashSet<NodeId> {
                state
                    .nodes
                    .iter()
                    .filter(|n| n.has(flags::PFAIL))
                    .map(|n| n.id)
                    .collect()
            };
            let before = suspected(state);
            let fx = hooks::cron(state, now);
            self.close_stale_links(state);
            self.connect_missing(state);
            self.ping_due(state, iteration, now);
            // A node just suspected: tell every node at once, so that failure reports (and
            // the FAIL quorum) do not wait for the next scheduled pings.
            if !suspected(state).is_subset(&before) {
                let links: Vec<(NodeId, LinkId)> = self
                    .outbound
                    .borrow()
                    .iter()
                    .map(|(n, l)| (*n, *l))
                    .collect();
                for (node, link) in links {
                    let healthy = |n: &super::node::Node| {
                        !n.has(flags::PFAIL | flags::FAIL | flags::HANDSHAKE)
                    };
                    if state.node(&node).is_some_and(healthy) {
                        self.ping(state, &node, link, now);
                    }
                }
            }
            self.broadcast_fail(state, &fx.broadcast_fail);
        }
        self.commit();
    }

    /// Closes the outbound links of nodes that were removed or lost their address, and links
    /// whose node stopped answering for half the node timeout (so a new connection is tried;
    /// Redis's rule).
    fn close_stale_links(&self, state: &ClusterState) {
        let timeout = state.settings.node_timeout_ms;
        let now = now_ms();
        let data_received = self.data_received.borrow();
        let stale: Vec<(NodeId, LinkId)> = self
            .outbound
            .borrow()
            .iter()
            .filter(|(node, link)| match state.node(node) {
                None => true,
                Some(n) if n.has(flags::NOADDR) => true,
                Some(n) => {
                    let old_link = self
                        .bus
                        .link_info(**link)
                        .is_some_and(|i| now.saturating_sub(i.created_ms) > timeout);
                    let received = data_received.get(*node).copied().unwrap_or(0);
                    old_link
                        && n.ping_sent != 0
                        && now.saturating_sub(n.ping_sent) > timeout / 2
                        && now.saturating_sub(received) > timeout / 2
                }
            })
            .map(|(n, l)| (*n, *l))
            .collect();
        // The links' Closed events drop them from `outbound` (and mark the nodes
        // disconnected); the cron after that reconnects.
        for (_, link) in stale {
            self.bus.close(link);
        }
        drop(data_received);
        self.data_received
            .borrow_mut()
            .retain(|id, _| state.node(id).is_some());
    }

    /// Opens an outbound link to every node with an address and none yet.
    fn connect_missing(self: &Rc<Self>, state: &ClusterState) {
        let timeout = Duration::from_millis(state.settings.node_timeout_ms.max(100));
        for n in &state.nodes {
            if n.is_myself() || n.has(flags::NOADDR) {
                continue;
            }
            if self.outbound.borrow().contains_key(&n.id)
                || self.connecting.borrow().contains(&n.id)
            {
                continue;
            }
            let Ok(ip) = n.ip.parse::<IpAddr>() else {
                continue;
            };
            let addr = SocketAddr::new(ip, n.cport);
            let node = n.id;
            self.connecting.borrow_mut().insert(node);
            let wire = self.clone();
            glommio::spawn_local(async move {
                let result = wire.bus.connect(addr, timeout).await;
                wire.connected(node, result.ok());
            })
            .detach();
        }
    }

    /// A connect attempt to `node` ended: greet it on the new link, or start its PONG
    /// timer when the link could not be opened, so that an unreachable node is flagged
    /// PFAIL after the node timeout (Redis's rule for a failed connect).
    fn connected(&self, node: NodeId, link: Option<LinkId>) {
        self.connecting.borrow_mut().remove(&node);
        let now = now_ms();
        {
            let mut ctl = self.control.borrow_mut();
            let state = &mut ctl.state;
            match (link, state.node(&node).is_some()) {
                (Some(link), true) => {
                    let meta = Meta {
                        outbound: true,
                        node: Some(node),
                    };
                    self.links.borrow_mut().insert(link, meta);
                    self.outbound.borrow_mut().insert(node, link);
                    hooks::on_link(state, &node, true);
                    self.ping(state, &node, link, now);
                }
                (Some(link), false) => self.bus.close(link),
                (None, _) => {
                    if let Some(n) = state.node_mut(&node) {
                        if n.ping_sent == 0 {
                            n.ping_sent = now;
                        }
                    }
                }
            }
        }
        self.commit();
    }

    /// Pings a random node among a few every second (the one with the oldest PONG), and
    /// every node whose PONG is older than half the node timeout.
    fn ping_due(&self, state: &mut ClusterState, iteration: u64, now: u64) {
        let half = state.settings.node_timeout_ms / 2;
        let outbound: Vec<(NodeId, LinkId)> = self
            .outbound
            .borrow()
            .iter()
            .map(|(n, l)| (*n, *l))
            .collect();
        let idle = |state: &ClusterState, node: &NodeId| {
            state
                .node(node)
                .filter(|n| n.ping_sent == 0 && !n.has(flags::PFAIL | flags::HANDSHAKE))
                .map(|n| n.pong_received)
        };
        if iteration % RANDOM_PING_EVERY == 0 && !outbound.is_empty() {
            let mut oldest: Option<(u64, NodeId, LinkId)> = None;
            for _ in 0..RANDOM_PING_SAMPLE {
                let (node, link) = outbound[(self.random() % outbound.len() as u64) as usize];
                if let Some(pong) = idle(state, &node) {
                    if oldest.is_none_or(|(p, _, _)| pong < p) {
                        oldest = Some((pong, node, link));
                    }
                }
            }
            if let Some((_, node, link)) = oldest {
                self.ping(state, &node, link, now);
            }
        }
        for (node, link) in outbound {
            if idle(state, &node).is_some_and(|pong| now.saturating_sub(pong) > half) {
                self.ping(state, &node, link, now);
            }
        }
    }

    /// Commits the state (nodes.conf, views) and refreshes CLUSTER LINKS' list: links in
    /// node order, the one to a node before the one from it, as Redis lists them.
    fn commit(&self) {
        let mut ctl = self.control.borrow_mut();
        ctl.commit();
        let state = &mut ctl.state;
        let order: HashMap<NodeId, usize> = state
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id, i))
            .collect();
        let mut list: Vec<(usize, LinkInfo)> = Vec::new();
        for (id, meta) in self.links.borrow().iter() {
            let (Some(node), Some(info)) = (meta.node, self.bus.link_info(*id)) else {
                continue;
            };
            let Some(&index) = order.get(&node) else {
                continue;
            };
            let busy = info.pending_out > 0 && info.direction == Direction::Outbound;
            let link = LinkInfo {
                outbound: meta.outbound,
                node,
                create_time_ms: info.created_ms,
                events: if busy { "rw" } else { "r" }.to_string(),
                send_buffer_allocated: info.out_capacity as u64,
                send_buffer_used: info.pending_out as u64,
            };
            list.push((index, link));
        }
        list.sort_by_key(|(index, link)| (*index, !link.outbound, link.create_time_ms));
        state.links = list.into_iter().map(|(_, link)| link).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_binds_where_clients_bind() {
        let bind = ["127.0.0.1", "*", "-::*", "localhost"].map(String::from);
        let addrs = bind_addrs(&bind, 17000).expect("valid");
        let want: Vec<(SocketAddr, bool)> = vec![
            ("127.0.0.1:17000".parse().unwrap(), false),
            ("0.0.0.0:17000".parse().unwrap(), false),
            ("[::]:17000".parse().unwrap(), true),
            ("127.0.0.1:17000".parse().unwrap(), false),
        ];
        assert_eq!(addrs, want);
        assert!(bind_addrs(&["nonsense".to_string()], 1).is_err());
    }
}
