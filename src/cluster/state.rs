//! The cluster state one node keeps: the node table, epochs, the slot → node table, per-slot
//! MIGRATING/IMPORTING, the forget ban list, message counters and the derived cluster
//! state (ok/fail, size).
//!
//! Owned by the control core; pure and synchronous. Every change marks the state dirty so the
//! control core saves nodes.conf and publishes a new routing view (`super::view`).

use std::collections::BTreeMap;

use super::node::{flags, Node, NodeId};
use super::settings::Settings;
use crate::topology::SLOT_COUNT;

/// How long a forgotten node may not be re-added by gossip (Redis: 60 s).
pub const FORGET_BAN_MS: u64 = 60_000;

/// Bounds of the time a master that was cut off with a minority of masters waits, once it
/// sees a majority again, before serving (node-timeout clamped to these; Redis's rejoin delay).
pub const MIN_REJOIN_DELAY_MS: u64 = 500;
pub const MAX_REJOIN_DELAY_MS: u64 = 5_000;

/// Bus message types, in Redis's numbering (the index into the message counters).
pub const MSG_TYPES: [&str; 11] = [
    "ping",
    "pong",
    "meet",
    "fail",
    "publish",
    "publishshard",
    "auth-req",
    "auth-ack",
    "update",
    "mfstart",
    "module",
];

/// Messages sent and received per type (CLUSTER INFO's `cluster_stats_messages_*`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MsgStats {
    pub sent: [u64; MSG_TYPES.len()],
    pub received: [u64; MSG_TYPES.len()],
}

/// One cluster bus link, as CLUSTER LINKS shows it (the bus layer keeps these current).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkInfo {
    /// `to` (we connected) or `from` (the peer connected).
    pub outbound: bool,
    pub node: NodeId,
    pub create_time_ms: u64,
    /// `r`, `w` or `rw`: what the link waits for.
    pub events: String,
    pub send_buffer_allocated: u64,
    pub send_buffer_used: u64,
}

/// Everything this node knows about the cluster.
#[derive(Clone, Debug)]
pub struct ClusterState {
    pub myself: NodeId,
    /// Every known node, myself included, in the order they became known.
    pub nodes: Vec<Node>,
    pub current_epoch: u64,
    pub last_vote_epoch: u64,
    /// Owner of each slot.
    pub slots: Vec<Option<NodeId>>,
    pub migrating_to: BTreeMap<u16, NodeId>,
    pub importing_from: BTreeMap<u16, NodeId>,
    /// Forgotten nodes and when their ban ends (ms).
    pub banned: Vec<(NodeId, u64)>,
    /// Whether the cluster is up (`cluster_state:ok`).
    pub ok: bool,
    /// Masters serving at least one slot.
    pub size: usize,
    pub stats: MsgStats,
    pub links: Vec<LinkInfo>,
    pub settings: Settings,
    /// The ip peers told us we have (used unless cluster-announce-ip is set).
    pub learned_ip: String,
    /// When this node last saw itself among a minority of masters (ms; 0: never).
    pub minority_ms: u64,
    /// Set by every change that must reach nodes.conf and the data cores' views.
    pub dirty: bool,
}

impl ClusterState {
    /// A fresh node: a new random id, a master with no slots, epoch 0.
    pub fn new(settings: Settings) -> ClusterState {
        Self::with_myself(NodeId::random(), settings)
    }

    pub fn with_myself(id: NodeId, settings: Settings) -> ClusterState {
        let mut state = ClusterState {
            myself: id,
            nodes: vec![Node::new(id, flags::MYSELF | flags::MASTER)],
            current_epoch: 0,
            last_vote_epoch: 0,
            slots: vec![None; SLOT_COUNT],
            migrating_to: BTreeMap::new(),
            importing_from: BTreeMap::new(),
            banned: Vec::new(),
            ok: false,
            size: 0,
            stats: MsgStats::default(),
            links: Vec::new(),
            settings,
            learned_ip: String::new(),
            minority_ms: 0,
            dirty: true,
        };
        state.apply_settings();
        state.update_state();
        state
    }

    /// Copies the announce settings into myself's node entry.
    pub fn apply_settings(&mut self) {
        let s = self.settings.clone();
        let ip = if s.announce_ip.is_empty() {
            self.learned_ip.clone()
        } else {
            s.announce_ip.clone()
        };
        let me = self.myself_mut();
        me.ip = ip;
        me.port = s.my_port();
        me.cport = s.my_bus_port();
        me.hostname = s.announce_hostname.clone();
        me.link_connected = true;
        if s.replica_no_failover {
            me.flags |= flags::NOFAILOVER;
        } else {
            me.flags &= !flags::NOFAILOVER;
        }
        self.dirty = true;
    }

    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.nodes.iter().find(|n| &n.id == id)
    }

    pub fn node_mut(&mut self, id: &NodeId) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| &n.id == id)
    }

    /// The node whose id is `name` (as typed by a client).
    pub fn lookup(&self, name: &[u8]) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id.as_bytes() == name)
    }

    pub fn myself(&self) -> &Node {
        self.node(&self.myself.clone())
            .expect("myself is always known")
    }

    pub fn myself_mut(&mut self) -> &mut Node {
        let id = self.myself;
        self.node_mut(&id).expect("myself is always known")
    }

    /// Adds a node (replacing one with the same id).
    pub fn add_node(&mut self, node: Node) {
        match self.node_mut(&node.id.clone()) {
            Some(existing) => *existing = node,
            None => self.nodes.push(node),
        }
        self.dirty = true;
    }

    /// Removes a node and every reference to it: its slots, migration states, failure reports
    /// it made and the master link of its replicas.
    pub fn remove_node(&mut self, id: &NodeId) {
        for owner in self.slots.iter_mut() {
            if owner.as_ref() == Some(id) {
                *owner = None;
            }
        }
        self.migrating_to.retain(|_, n| n != id);
        self.importing_from.retain(|_, n| n != id);
        self.nodes.retain(|n| &n.id != id);
        for n in &mut self.nodes {
            n.remove_fail_report(id);
            if n.master.as_ref() == Some(id) {
                n.master = None;
            }
        }
        self.dirty = true;
    }

    /// Renames a node (a handshake node once the peer tells its real id).
    pub fn rename_node(&mut self, from: &NodeId, to: NodeId) {
        if let Some(n) = self.node_mut(from) {
            n.id = to;
        }
        self.dirty = true;
    }

    /// Whether `id` was forgotten less than [`FORGET_BAN_MS`] ago.
    pub fn is_banned(&mut self, id: &NodeId, now_ms: u64) -> bool {
        self.banned.retain(|(_, until)| *until > now_ms);
        self.banned.iter().any(|(b, _)| b == id)
    }

    pub fn ban(&mut self, id: NodeId, now_ms: u64) {
        self.ban_until(id, now_ms + FORGET_BAN_MS);
    }

    /// Bans `id` until `until_ms` (a ban another node told us about, with its time left).
    pub fn ban_until(&mut self, id: NodeId, until_ms: u64) {
        self.banned.retain(|(b, _)| *b != id);
        self.banned.push((id, until_ms));
    }

    /// The bans still running and the ms each has left (what PINGs carry).
    pub fn bans_left(&self, now_ms: u64) -> Vec<(NodeId, u64)> {
        self.banned
            .iter()
            .filter(|(_, until)| *until > now_ms)
            .map(|(id, until)| (*id, until - now_ms))
            .collect()
    }

    pub fn owner(&self, slot: u16) -> Option<&NodeId> {
        self.slots[slot as usize].as_ref()
    }

    /// Assigns `slot` to `id`.
    pub fn set_slot(&mut self, slot: u16, id: NodeId) {
        self.slots[slot as usize] = Some(id);
        self.dirty = true;
    }

    pub fn clear_slot(&mut self, slot: u16) {
        self.slots[slot as usize] = None;
        self.dirty = true;
    }

    /// The slots `id` owns, as inclusive ranges in ascending order.
    pub fn slot_ranges(&self, id: &NodeId) -> Vec<(u16, u16)> {
        let mut ranges: Vec<(u16, u16)> = Vec::new();
        for (slot, owner) in self.slots.iter().enumerate() {
            if owner.as_ref() != Some(id) {
                continue;
            }
            let slot = slot as u16;
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == slot => *end = slot,
                _ => ranges.push((slot, slot)),
            }
        }
        ranges
    }

    pub fn slot_count(&self, id: &NodeId) -> usize {
        self.slots.iter().filter(|o| o.as_ref() == Some(id)).count()
    }

    /// The replicas of `id`.
    pub fn replicas_of(&self, id: &NodeId) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| n.is_replica() && n.master.as_ref() == Some(id))
            .collect()
    }

    /// The master of `node`'s shard: itself, or the master it replicates.
    pub fn shard_master<'a>(&'a self, node: &'a Node) -> &'a NodeId {
        match &node.master {
            Some(m) if node.is_replica() => m,
            _ => &node.id,
        }
    }

    /// The epoch CLUSTER NODES shows: a replica shows its master's config epoch.
    pub fn node_epoch(&self, node: &Node) -> u64 {
        match node.master.as_ref().and_then(|m| self.node(m)) {
            Some(master) if node.is_replica() => master.config_epoch,
            _ => node.config_epoch,
        }
    }

    /// The largest config epoch any node has (Redis's `clusterGetMaxEpoch`), at least the
    /// current epoch.
    pub fn max_epoch(&self) -> u64 {
        self.nodes
            .iter()
            .map(|n| n.config_epoch)
            .max()
            .unwrap_or(0)
            .max(self.current_epoch)
    }

    /// CLUSTER BUMPEPOCH: takes a new config epoch unless ours is already the maximum.
    /// Returns whether it was bumped, and the resulting epoch.
    pub fn bump_epoch(&mut self) -> (bool, u64) {
        let mine = self.myself().config_epoch;
        let max = self.max_epoch();
        if mine != 0 && mine == max {
            return (false, mine);
        }
        self.current_epoch += 1;
        let epoch = self.current_epoch;
        self.myself_mut().config_epoch = epoch;
        self.dirty = true;
        (true, epoch)
    }

    /// [`ClusterState::update_state_at`] now.
    pub fn update_state(&mut self) {
        let now = u64::try_from(crate::clock::unix_ms()).unwrap_or(0);
        self.update_state_at(now);
    }

    /// Recomputes `ok` and `size` (Redis's `clusterUpdateState`): the cluster is down when
    /// full coverage is required and a slot is unserved or served by a failed node, or when
    /// this node cannot see a majority of the slot-owning masters (failing or suspected ones
    /// do not count). A master that was in such a minority stays down for the rejoin delay
    /// after it sees a majority again, so that a configuration update (its slots taken over
    /// meanwhile) can reach it before it serves writes.
    pub fn update_state_at(&mut self, now_ms: u64) {
        // One pass over the slots; the owner's node is looked up only where the owner
        // changes (slots come in long runs of one owner).
        let mut covered = true;
        let mut owners: Vec<NodeId> = Vec::new();
        let mut run: Option<(&NodeId, bool)> = None;
        for owner in &self.slots {
            let Some(id) = owner else {
                covered = false;
                run = None;
                continue;
            };
            let served = match run {
                Some((prev, served)) if prev == id => served,
                _ => {
                    let served = self.node(id).is_some_and(|n| !n.has(flags::FAIL));
                    if !owners.contains(id) {
                        owners.push(*id);
                    }
                    run = Some((id, served));
                    served
                }
            };
            covered &= served;
        }
        let mut ok = covered || !self.settings.require_full_coverage;
        let mut size = 0;
        let mut reachable = 0;
        for n in &self.nodes {
            if n.is_master() && owners.contains(&n.id) {
                size += 1;
                if !n.is_failing() {
                    reachable += 1;
                }
            }
        }
        if reachable < size / 2 + 1 {
            ok = false;
            // With no slot-owning master at all (a fresh node) there is no partition.
            if size > 0 {
                self.minority_ms = now_ms;
            }
        }
        let rejoin_delay = self
            .settings
            .node_timeout_ms
            .clamp(MIN_REJOIN_DELAY_MS, MAX_REJOIN_DELAY_MS);
        if ok
            && !self.ok
            && self.myself().is_master()
            && self.minority_ms != 0
            && now_ms.saturating_sub(self.minority_ms) < rejoin_delay
        {
            ok = false;
        }
        if ok != self.ok || size != self.size {
            self.dirty = true;
        }
        self.ok = ok;
        self.size = size;
    }

    /// Whether any known node other than myself holds `flag`.
    pub fn count_with(&self, flag: u16) -> usize {
        self.nodes.iter().filter(|n| n.has(flag)).count()
    }

    /// CLUSTER RESET: forget every other node and every slot; HARD also takes a new id and
    /// zeroes the epochs.
    pub fn reset(&mut self, hard: bool) {
        let me = self.myself;
        let others: Vec<NodeId> = self
            .nodes
            .iter()
            .map(|n| n.id)
            .filter(|id| *id != me)
            .collect();
        for id in others {
            self.remove_node(&id);
        }
        self.slots.iter_mut().for_each(|s| *s = None);
        self.migrating_to.clear();
        self.importing_from.clear();
        self.banned.clear();
        let node = self.myself_mut();
        node.flags = flags::MYSELF | flags::MASTER;
        node.master = None;
        if hard {
            node.config_epoch = 0;
            let fresh = NodeId::random();
            node.id = fresh;
            self.myself = fresh;
            self.current_epoch = 0;
            self.last_vote_epoch = 0;
        }
        self.dirty = true;
        self.update_state();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: NodeId, f: u16) -> Node {
        let mut n = Node::new(id, f);
        n.ip = "127.0.0.1".into();
        n
    }

    #[test]
    fn fresh_node_is_a_lone_master_and_down() {
        let mut s = ClusterState::new(Settings::default());
        assert_eq!(s.nodes.len(), 1);
        assert!(s.myself().is_myself() && s.myself().is_master());
        assert!(!s.ok);
        assert_eq!(s.size, 0);
        assert_eq!(s.myself().port, 6379);
        assert_eq!(s.myself().cport, 16379);
        s.settings.replica_no_failover = true;
        s.apply_settings();
        assert!(s.myself().has(flags::NOFAILOVER));
    }

    #[test]
    fn full_coverage_makes_the_cluster_ok() {
        let mut s = ClusterState::new(Settings::default());
        let me = s.myself;
        for slot in 0..SLOT_COUNT as u16 {
            s.set_slot(slot, me);
        }
        s.update_state();
        assert!(s.ok);
        assert_eq!(s.size, 1);
        s.clear_slot(7);
        s.update_state();
        assert!(!s.ok);
        s.settings.require_full_coverage = false;
        s.update_state();
        assert!(s.ok);
        assert_eq!(s.slot_ranges(&me), vec![(0, 6), (8, 16383)]);
    }

    #[test]
    fn failed_masters_take_the_cluster_down() {
        let mut s = ClusterState::new(Settings::default());
        let me = s.myself;
        let other = NodeId::random();
        s.add_node(node(other, flags::MASTER));
        for slot in 0..SLOT_COUNT as u16 {
            s.set_slot(slot, if slot < 8000 { me } else { other });
        }
        s.update_state();
        assert!(s.ok);
        assert_eq!(s.size, 2);
        s.node_mut(&other).unwrap().flags |= flags::FAIL;
        s.update_state();
        assert!(!s.ok);
    }

    #[test]
    fn a_master_back_from_a_minority_waits_the_rejoin_delay() {
        let mut s = ClusterState::new(Settings::default());
        let me = s.myself;
        let (a, b) = (NodeId::random(), NodeId::random());
        s.add_node(node(a, flags::MASTER | flags::PFAIL));
        s.add_node(node(b, flags::MASTER | flags::PFAIL));
        for slot in 0..SLOT_COUNT as u16 {
            s.set_slot(slot, [me, a, b][slot as usize % 3]);
        }
        s.update_state_at(10_000);
        assert!(!s.ok);
        s.node_mut(&a).unwrap().flags = flags::MASTER;
        s.node_mut(&b).unwrap().flags = flags::MASTER;
        let delay = s.settings.node_timeout_ms.clamp(500, 5_000);
        s.update_state_at(10_000 + delay - 1);
        assert!(!s.ok);
        s.update_state_at(10_000 + delay);
        assert!(s.ok);
    }

    #[test]
    fn removing_a_node_clears_its_slots_and_references() {
        let mut s = ClusterState::new(Settings::default());
        let other = NodeId::random();
        let replica = NodeId::random();
        s.add_node(node(other, flags::MASTER));
        let mut r = node(replica, flags::SLAVE);
        r.master = Some(other);
        s.add_node(r);
        s.set_slot(5, other);
        s.importing_from.insert(9, other);
        assert_eq!(s.replicas_of(&other).len(), 1);
        s.remove_node(&other);
        assert_eq!(s.owner(5), None);
        assert!(s.importing_from.is_empty());
        assert_eq!(s.node(&replica).unwrap().master, None);
    }

    #[test]
    fn bump_epoch_only_when_not_max() {
        let mut s = ClusterState::new(Settings::default());
        assert_eq!(s.bump_epoch(), (true, 1));
        assert_eq!(s.bump_epoch(), (false, 1));
        let other = NodeId::random();
        let mut n = node(other, flags::MASTER);
        n.config_epoch = 5;
        s.add_node(n);
        assert_eq!(s.bump_epoch(), (true, 2));
        assert_eq!(s.current_epoch, 2);
    }

    #[test]
    fn ban_expires() {
        let mut s = ClusterState::new(Settings::default());
        let id = NodeId::random();
        s.ban(id, 1000);
        assert!(s.is_banned(&id, 1000 + FORGET_BAN_MS - 1));
        assert!(!s.is_banned(&id, 1000 + FORGET_BAN_MS));
    }

    #[test]
    fn reset_hard_takes_a_new_id() {
        let mut s = ClusterState::new(Settings::default());
        let old = s.myself;
        s.add_node(node(NodeId::random(), flags::MASTER));
        s.set_slot(1, old);
        s.bump_epoch();
        s.reset(false);
        assert_eq!(s.myself, old);
        assert_eq!(s.nodes.len(), 1);
        assert_eq!(s.owner(1), None);
        assert_eq!(s.myself().config_epoch, 1);
        s.reset(true);
        assert_ne!(s.myself, old);
        assert_eq!(s.current_epoch, 0);
        assert_eq!(s.myself().config_epoch, 0);
    }
}
