//! What the cluster bus calls on the state: one function per event (message received, link
//! up/down, ping sent, the 100 ms cron) and one to build the next PING. Redis 7.0's
//! `clusterProcessPacket`, `clusterProcessGossipSection`, `clusterCron` and failure detection
//! rules, in our own words.
//!
//! Pure and synchronous, on the control core's [`ClusterState`]. The bus converts its wire
//! types to [`Header`] / [`Gossip`] (node ids as 40 hex bytes, Redis's flag bits from
//! [`super::node::flags`], unix milliseconds) and carries out the returned [`Effects`].

use super::exec::{start_handshake, start_handshake_as};
use super::node::{flags, NodeId};
use super::state::ClusterState;

/// Which of the gossip-carrying messages arrived or is to be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Ping,
    Pong,
    Meet,
}

/// The sender part every bus message carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub id: NodeId,
    pub current_epoch: u64,
    pub config_epoch: u64,
    /// The master the sender replicates (replicas only).
    pub master: Option<NodeId>,
    /// The ip the sender announces; `None`: use the address the link sees.
    pub ip: Option<String>,
    pub port: u16,
    pub cport: u16,
    /// The sender's own flags (MASTER / SLAVE / NOFAILOVER bits).
    pub flags: u16,
    pub hostname: String,
    /// The slots the sender claims, as inclusive ranges; `None` when not known this time.
    pub slots: Option<Vec<(u16, u16)>>,
}

/// One gossip entry: what the sender knows about a third node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gossip {
    pub id: NodeId,
    pub ping_sent_ms: u64,
    pub pong_received_ms: u64,
    pub ip: String,
    pub port: u16,
    pub cport: u16,
    pub flags: u16,
}

/// Where a message came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkPeer {
    /// The node we opened this link to (outbound links); `None` on inbound links.
    pub node: Option<NodeId>,
    /// The peer's ip as the socket sees it.
    pub peer_ip: String,
    /// Our own ip as the socket sees it (learned when no announce ip is set).
    pub local_ip: String,
}

/// An UPDATE to send: this node owns these slot ranges as of this config epoch.
pub type Update = (NodeId, u64, Vec<(u16, u16)>);

/// What the bus must do after an event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// Answer on the same link with a PONG.
    pub reply_pong: bool,
    /// Close this link (its node was renamed, merged or lost its address).
    pub close_link: bool,
    /// Send the sender an UPDATE about this node: its config epoch and slots.
    pub update_sender: Option<Update>,
    /// Broadcast FAIL about these nodes.
    pub broadcast_fail: Vec<NodeId>,
}

/// A message of `kind` arrived on `link` from the node described by `h`, with `gossip`.
pub fn on_message(
    state: &mut ClusterState,
    kind: Kind,
    link: &LinkPeer,
    h: &Header,
    gossip: &[Gossip],
    now_ms: u64,
) -> Effects {
    let mut fx = Effects::default();
    let sender_known = state.node(&h.id).is_some_and(|n| !n.has(flags::HANDSHAKE));
    if sender_known {
        if h.current_epoch > state.current_epoch {
            state.current_epoch = h.current_epoch;
            state.dirty = true;
        }
        let n = state.node_mut(&h.id).expect("known");
        if h.config_epoch > n.config_epoch {
            n.config_epoch = h.config_epoch;
            state.dirty = true;
        }
    }
    if kind != Kind::Pong {
        learn_my_ip(state, kind, link);
        if !sender_known && kind == Kind::Meet {
            let ip = h.ip.clone().unwrap_or_else(|| link.peer_ip.clone());
            start_handshake_as(state, &ip, h.port, h.cport, now_ms, flags::HANDSHAKE);
            process_gossip(state, None, gossip, now_ms);
        }
        fx.reply_pong = true;
    }
    let mut from_link_node = link.node == Some(h.id);
    if let Some(link_node) = link.node {
        let in_handshake = state
            .node(&link_node)
            .is_some_and(|n| n.has(flags::HANDSHAKE));
        if in_handshake {
            if sender_known {
                update_address(state, &h.id, h, link);
                state.remove_node(&link_node);
                fx.close_link = true;
                return fx;
            }
            state.rename_node(&link_node, h.id);
            from_link_node = true;
            let n = state.node_mut(&h.id).expect("renamed");
            n.flags &= !(flags::HANDSHAKE | flags::MEET);
            n.flags |= h.flags & (flags::MASTER | flags::SLAVE);
        } else if link_node != h.id {
            if let Some(n) = state.node_mut(&link_node) {
                n.flags |= flags::NOADDR;
                n.ip.clear();
                n.port = 0;
                n.cport = 0;
            }
            state.dirty = true;
            fx.close_link = true;
            return fx;
        }
    }
    let Some(sender) = state.node(&h.id).filter(|n| !n.has(flags::HANDSHAKE)) else {
        return fx;
    };
    let sender = sender.id;
    if kind == Kind::Ping {
        update_address(state, &sender, h, link);
    }
    if kind == Kind::Pong && from_link_node {
        let timeout = state.settings.node_timeout_ms;
        let n = state.node_mut(&sender).expect("known");
        n.pong_received = now_ms;
        n.ping_sent = 0;
        if n.has(flags::PFAIL) {
            n.flags &= !flags::PFAIL;
            state.dirty = true;
        }
        clear_failure_if_needed(state, &sender, now_ms, timeout);
    }
    update_role(state, &sender, h);
    if let Some(slots) = &h.slots {
        fx.update_sender = update_slots(state, &sender, h.config_epoch, slots);
    }
    // Redis looks the sender up before the handshake rename: the message that completes a
    // handshake carries no collision (the node's epoch is not known yet).
    if sender_known {
        handle_epoch_collision(state, &sender);
    }
    process_gossip(state, Some(sender), gossip, now_ms);
    fx.broadcast_fail = promote_failures(state, now_ms);
    fx
}

/// Learns our own ip from the socket, as Redis does on MEET (or while we know none), unless
/// cluster-announce-ip is set.
fn learn_my_ip(state: &mut ClusterState, kind: Kind, link: &LinkPeer) {
    if !state.settings.announce_ip.is_empty() || link.local_ip.is_empty() {
        return;
    }
    if (kind == Kind::Meet || state.learned_ip.is_empty()) && state.learned_ip != link.local_ip {
        state.learned_ip = link.local_ip.clone();
        state.apply_settings();
    }
}

fn update_address(state: &mut ClusterState, id: &NodeId, h: &Header, link: &LinkPeer) {
    let ip = h.ip.clone().unwrap_or_else(|| link.peer_ip.clone());
    let Some(n) = state.node_mut(id) else {
        return;
    };
    if n.ip != ip || n.port != h.port || n.cport != h.cport || n.hostname != h.hostname {
        n.ip = ip;
        n.port = h.port;
        n.cport = h.cport;
        n.hostname = h.hostname.clone();
        n.flags &= !flags::NOADDR;
        state.dirty = true;
    }
}

/// A FAIL node that is reachable again loses the flag when it is a replica or owns no slots,
/// or when it has been FAIL for more than 2 × node-timeout (Redis's rule).
fn clear_failure_if_needed(state: &mut ClusterState, id: &NodeId, now_ms: u64, timeout: u64) {
    let owns_slots = state.slot_count(id) > 0;
    let Some(n) = state.node_mut(id) else {
        return;
    };
    if !n.has(flags::FAIL) {
        return;
    }
    if n.is_replica() || !owns_slots || now_ms.saturating_sub(n.fail_time) > timeout * 2 {
        n.flags &= !flags::FAIL;
        n.fail_time = 0;
        state.dirty = true;
    }
}

fn update_role(state: &mut ClusterState, id: &NodeId, h: &Header) {
    let Some(n) = state.node_mut(id) else {
        return;
    };
    let (want_flags, want_master) = match h.master {
        None => (flags::MASTER, None),
        Some(m) => (flags::SLAVE, Some(m)),
    };
    if n.flags & (flags::MASTER | flags::SLAVE) == want_flags && n.master == want_master {
        return;
    }
    n.flags = (n.flags & !(flags::MASTER | flags::SLAVE)) | want_flags;
    n.master = want_master;
    state.dirty = true;
    if want_master.is_some() {
        for slot in 0..state.slots.len() as u16 {
            if state.owner(slot) == Some(id) {
                state.clear_slot(slot);
            }
        }
    }
}

/// Takes the slots a master claims with a newer config epoch than their owner's; returns an
/// UPDATE for the sender when it claims a slot whose owner has a newer epoch.
fn update_slots(
    state: &mut ClusterState,
    sender: &NodeId,
    epoch: u64,
    claims: &[(u16, u16)],
) -> Option<Update> {
    if !state.node(sender).is_some_and(|n| n.is_master()) {
        return None;
    }
    let mut stale_for = None;
    for &(start, end) in claims {
        for slot in start..=end.min(state.slots.len() as u16 - 1) {
            match state.owner(slot).copied() {
                Some(o) if o == *sender => continue,
                _ if state.importing_from.contains_key(&slot) => continue,
                None => state.set_slot(slot, *sender),
                Some(o) => {
                    let owner_epoch = state.node(&o).map_or(0, |n| n.config_epoch);
                    if owner_epoch < epoch {
                        state.set_slot(slot, *sender);
                    } else if owner_epoch > epoch && stale_for.is_none() {
                        stale_for = Some(o);
                    }
                }
            }
        }
    }
    stale_for.map(|o| {
        let epoch = state.node(&o).map_or(0, |n| n.config_epoch);
        (o, epoch, state.slot_ranges(&o))
    })
}

/// Two masters with the same config epoch: the one with the greater id takes a new epoch.
fn handle_epoch_collision(state: &mut ClusterState, sender: &NodeId) {
    let me = state.myself();
    let Some(s) = state.node(sender) else {
        return;
    };
    if !s.is_master() || !me.is_master() || s.config_epoch != me.config_epoch {
        return;
    }
    if s.id <= me.id {
        return;
    }
    state.current_epoch += 1;
    let epoch = state.current_epoch;
    state.myself_mut().config_epoch = epoch;
    state.dirty = true;
}

/// The gossip about third nodes: failure reports from masters, fresher PONG times, and
/// handshakes with nodes we do not know (unless banned by FORGET).
fn process_gossip(state: &mut ClusterState, sender: Option<NodeId>, g: &[Gossip], now_ms: u64) {
    let reporter_is_master = sender
        .and_then(|s| state.node(&s))
        .is_some_and(|n| n.is_master());
    for e in g {
        if e.id == state.myself {
            continue;
        }
        if state.node(&e.id).is_some() {
            let Some(reporter) = sender.filter(|_| reporter_is_master) else {
                continue;
            };
            let n = state.node_mut(&e.id).expect("known");
            if e.flags & (flags::FAIL | flags::PFAIL) != 0 {
                n.add_fail_report(reporter, now_ms);
            } else {
                n.remove_fail_report(&reporter);
                if !n.is_failing()
                    && n.ping_sent == 0
                    && n.fail_reports.is_empty()
                    && e.pong_received_ms <= now_ms + 500
                    && e.pong_received_ms > n.pong_received
                {
                    n.pong_received = e.pong_received_ms;
                }
            }
        } else if sender.is_some()
            && e.flags & flags::NOADDR == 0
            && !state.is_banned(&e.id, now_ms)
        {
            start_handshake(state, &e.ip, e.port, e.cport, now_ms);
        }
    }
}

/// PFAIL nodes that a majority of slot-owning masters report failing become FAIL.
fn promote_failures(state: &mut ClusterState, now_ms: u64) -> Vec<NodeId> {
    let quorum = state.size / 2 + 1;
    let max_age = state.settings.node_timeout_ms * 2;
    let me_master = state.myself().is_master() as usize;
    let mut failed = Vec::new();
    for n in state.nodes.iter_mut() {
        n.expire_fail_reports(now_ms, max_age);
        if n.has(flags::PFAIL) && !n.has(flags::FAIL) && n.fail_reports.len() + me_master >= quorum
        {
            n.flags = (n.flags & !flags::PFAIL) | flags::FAIL;
            n.fail_time = now_ms;
            failed.push(n.id);
        }
    }
    if !failed.is_empty() {
        state.dirty = true;
    }
    failed
}

/// The nodes a known sender has forgotten (CLUSTER FORGET) and the ms their ban has left,
/// Redis 7.2's forgotten-node ping extension: each known node among them, except myself and
/// my master, is banned for that long and removed, so one FORGET spreads to the cluster.
pub fn on_forgotten(state: &mut ClusterState, forgotten: &[(NodeId, u64)], now_ms: u64) {
    for (id, ttl_ms) in forgotten {
        let me = state.myself();
        let my_master = me.master.filter(|_| me.is_replica());
        if *id == state.myself || my_master == Some(*id) || state.node(id).is_none() {
            continue;
        }
        state.ban_until(*id, now_ms + ttl_ms);
        state.remove_node(id);
    }
}

/// FAIL from `sender` about `failing`.
pub fn on_fail(state: &mut ClusterState, sender: &NodeId, failing: &NodeId, now_ms: u64) {
    if state.node(sender).is_none() || failing == &state.myself {
        return;
    }
    if let Some(n) = state.node_mut(failing) {
        if !n.has(flags::FAIL) {
            n.flags = (n.flags & !flags::PFAIL) | flags::FAIL;
            n.fail_time = now_ms;
            state.dirty = true;
        }
    }
}

/// UPDATE: `node` owns `slots` as of `config_epoch`.
pub fn on_update(state: &mut ClusterState, node: &NodeId, config_epoch: u64, slots: &[(u16, u16)]) {
    let Some(n) = state.node_mut(node) else {
        return;
    };
    if n.config_epoch >= config_epoch {
        return;
    }
    n.config_epoch = config_epoch;
    n.flags = (n.flags & !flags::SLAVE) | flags::MASTER;
    n.master = None;
    update_slots(state, node, config_epoch, slots);
    state.dirty = true;
}

/// A link to `node` came up or went down.
pub fn on_link(state: &mut ClusterState, node: &NodeId, connected: bool) {
    if let Some(n) = state.node_mut(node) {
        n.link_connected = connected;
    }
}

/// A PING (or MEET) was sent to `node`: starts its PONG timer, and a MEET is not repeated.
pub fn on_ping_sent(state: &mut ClusterState, node: &NodeId, kind: Kind, now_ms: u64) {
    if let Some(n) = state.node_mut(node) {
        if n.ping_sent == 0 {
            n.ping_sent = now_ms;
        }
        if kind == Kind::Meet {
            n.flags &= !flags::MEET;
        }
    }
}

/// Which message to greet `node` with: MEET while the node is flagged so, else PING.
pub fn greeting(state: &ClusterState, node: &NodeId) -> Kind {
    match state.node(node) {
        Some(n) if n.has(flags::MEET) => Kind::Meet,
        _ => Kind::Ping,
    }
}

/// Every 100 ms: drops handshakes older than the node timeout (at least 1 s), flags PFAIL
/// nodes whose PING went unanswered for the node timeout, promotes reported failures.
pub fn cron(state: &mut ClusterState, now_ms: u64) -> Effects {
    let timeout = state.settings.node_timeout_ms;
    let expired: Vec<NodeId> = state
        .nodes
        .iter()
        .filter(|n| {
            n.has(flags::HANDSHAKE) && now_ms.saturating_sub(n.created_ms) > timeout.max(1000)
        })
        .map(|n| n.id)
        .collect();
    for id in expired {
        state.remove_node(&id);
    }
    for n in state.nodes.iter_mut() {
        if n.is_myself() || n.has(flags::HANDSHAKE | flags::NOADDR | flags::PFAIL | flags::FAIL) {
            continue;
        }
        if n.ping_sent != 0 && now_ms.saturating_sub(n.ping_sent) > timeout {
            n.flags |= flags::PFAIL;
            state.dirty = true;
        }
    }
    let broadcast_fail = promote_failures(state, now_ms);
    // Every change that can bring the cluster down marks the state dirty; only coming back
    // up also depends on the clock (the rejoin delay). A clean, healthy state needs no scan.
    if state.dirty || !state.ok {
        state.update_state();
    }
    Effects {
        broadcast_fail,
        ..Effects::default()
    }
}

/// What the next PING, PONG or MEET carries: our header and gossip about a few random nodes
/// (a tenth of the known nodes, at least 3, at most all but two) plus every PFAIL node.
/// `seed` picks the random nodes.
pub fn next_ping(state: &ClusterState, seed: u64) -> (Header, Vec<Gossip>) {
    let me = state.myself();
    let header = Header {
        id: me.id,
        current_epoch: state.current_epoch,
        config_epoch: state.node_epoch(me),
        master: me.master.filter(|_| me.is_replica()),
        ip: (!me.ip.is_empty()).then(|| me.ip.clone()),
        port: me.port,
        cport: me.cport,
        flags: me.flags & (flags::MASTER | flags::SLAVE | flags::NOFAILOVER),
        hostname: me.hostname.clone(),
        slots: Some(state.slot_ranges(&me.id)),
    };
    let eligible: Vec<&super::node::Node> = state
        .nodes
        .iter()
        .filter(|n| !n.is_myself() && !n.has(flags::HANDSHAKE | flags::NOADDR | flags::PFAIL))
        .collect();
    let known = state.nodes.len();
    let wanted = (known / 10).max(3).min(known.saturating_sub(2));
    let mut picked: Vec<usize> = Vec::new();
    let mut x = seed;
    for _ in 0..wanted * 3 {
        if picked.len() >= wanted || picked.len() >= eligible.len() {
            break;
        }
        x = crate::storage::keyspace::splitmix(x);
        let i = (x % eligible.len().max(1) as u64) as usize;
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    let entry = |n: &super::node::Node| Gossip {
        id: n.id,
        ping_sent_ms: n.ping_sent,
        pong_received_ms: n.pong_received,
        ip: n.ip.clone(),
        port: n.port,
        cport: n.cport,
        flags: n.flags & !flags::MYSELF,
    };
    let mut gossip: Vec<Gossip> = picked.into_iter().map(|i| entry(eligible[i])).collect();
    gossip.extend(
        state
            .nodes
            .iter()
            .filter(|n| n.has(flags::PFAIL) && !n.has(flags::HANDSHAKE | flags::NOADDR))
            .map(entry),
    );
    (header, gossip)
}

#[cfg(test)]
#[path = "hooks_tests.rs"]
mod tests;
