//! The routing view: an immutable summary of the cluster state that every data core keeps a
//! copy of (an `Arc` swapped on change), and the redirect decision made from it.
//!
//! [`ClusterView::route`] follows the order of Redis's `getNodeByQuery`: CROSSSLOT, an
//! unserved slot, the cluster being down, ASK or TRYAGAIN for a migrating slot, serving an
//! importing slot after ASKING, READONLY reads on a replica of the owner, else MOVED. Pure;
//! runs on data cores, on the hot path: no allocation unless a redirect is answered.

use hashbrown::HashMap;

use super::format::preferred_endpoint;
use super::node::flags;
use super::state::ClusterState;
use crate::topology::{key_slot, SLOT_COUNT};

/// Marks a slot with no owner in [`ClusterView::owner`].
const NONE: u16 = u16::MAX;

/// A node as redirects name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewNode {
    /// `<endpoint>:<port>`, as `-MOVED` and `-ASK` print it.
    pub address: String,
}

/// What a data core needs to route a command.
#[derive(Clone, Debug)]
pub struct ClusterView {
    /// Grows with every published view; a core keeps the newest it has seen.
    pub version: u64,
    pub ok: bool,
    pub allow_reads_when_down: bool,
    /// Index of myself in `nodes`.
    pub myself: u16,
    /// The master myself replicates, when myself is a replica.
    pub my_master: Option<u16>,
    pub nodes: Vec<ViewNode>,
    /// Index into `nodes` of each slot's owner, `u16::MAX` when unassigned.
    pub owner: Box<[u16]>,
    pub migrating_to: HashMap<u16, u16>,
    pub importing_from: HashMap<u16, u16>,
}

/// Why a command is not served here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redirect {
    CrossSlot,
    Unbound,
    Down,
    DownReadOnly,
    TryAgain,
    Moved(u16, String),
    Ask(u16, String),
}

impl Redirect {
    /// The error reply, as redis-server words it (without the leading `-`).
    pub fn text(&self) -> String {
        match self {
            Redirect::CrossSlot => "CROSSSLOT Keys in request don't hash to the same slot".into(),
            Redirect::Unbound => "CLUSTERDOWN Hash slot not served".into(),
            Redirect::Down => "CLUSTERDOWN The cluster is down".into(),
            Redirect::DownReadOnly => {
                "CLUSTERDOWN The cluster is down and only accepts read commands".into()
            }
            Redirect::TryAgain => "TRYAGAIN Multiple keys request during rehashing of slot".into(),
            Redirect::Moved(slot, addr) => format!("MOVED {slot} {addr}"),
            Redirect::Ask(slot, addr) => format!("ASK {slot} {addr}"),
        }
    }
}

/// What the connection knows about the command being routed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Query {
    pub write: bool,
    /// ASKING was the previous command.
    pub asking: bool,
    /// READONLY is in effect.
    pub readonly: bool,
}

/// The route decision for one command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Serve it here.
    Here,
    /// The slot is migrating or importing: whether to serve or redirect depends on which
    /// keys exist; call [`ClusterView::route_unstable`] with that count.
    NeedsKeys(u16),
    Redirect(Redirect),
}

impl ClusterView {
    /// The view of `state`, numbered `version`.
    pub fn of(state: &ClusterState, version: u64) -> ClusterView {
        let mut index: HashMap<[u8; 40], u16> = HashMap::new();
        let mut nodes = Vec::with_capacity(state.nodes.len());
        for (i, n) in state.nodes.iter().enumerate() {
            index.insert(n.id.0, i as u16);
            nodes.push(ViewNode {
                address: format!("{}:{}", preferred_endpoint(state, n), n.port),
            });
        }
        let at = |id: &super::node::NodeId| index.get(&id.0).copied().unwrap_or(NONE);
        let me = state.myself();
        let my_master = match &me.master {
            Some(m) if me.has(flags::SLAVE) => Some(at(m)).filter(|i| *i != NONE),
            _ => None,
        };
        ClusterView {
            version,
            ok: state.ok,
            allow_reads_when_down: state.settings.allow_reads_when_down,
            myself: at(&state.myself),
            my_master,
            nodes,
            owner: state
                .slots
                .iter()
                .map(|o| o.as_ref().map_or(NONE, at))
                .collect(),
            migrating_to: state
                .migrating_to
                .iter()
                .map(|(s, n)| (*s, at(n)))
                .collect(),
            importing_from: state
                .importing_from
                .iter()
                .map(|(s, n)| (*s, at(n)))
                .collect(),
        }
    }

    /// The view a data core holds before the control core publishes one (all slots
    /// unassigned, cluster down).
    pub fn empty() -> ClusterView {
        ClusterView {
            version: 0,
            ok: false,
            allow_reads_when_down: false,
            myself: 0,
            my_master: None,
            nodes: vec![ViewNode {
                address: String::new(),
            }],
            owner: vec![NONE; SLOT_COUNT].into_boxed_slice(),
            migrating_to: HashMap::new(),
            importing_from: HashMap::new(),
        }
    }

    /// Routes a command whose keys are `keys` (none: served here).
    pub fn route<'a>(&self, keys: impl Iterator<Item = &'a [u8]>, q: Query) -> Route {
        let mut slot = None;
        for key in keys {
            let s = key_slot(key).0;
            match slot {
                None => {
                    if self.owner[s as usize] == NONE {
                        return Route::Redirect(Redirect::Unbound);
                    }
                    slot = Some(s);
                }
                Some(first) if first != s => return Route::Redirect(Redirect::CrossSlot),
                Some(_) => {}
            }
        }
        let Some(slot) = slot else {
            return Route::Here;
        };
        if !self.ok {
            if !self.allow_reads_when_down {
                return Route::Redirect(Redirect::Down);
            }
            if q.write {
                return Route::Redirect(Redirect::DownReadOnly);
            }
        }
        let owner = self.owner[slot as usize];
        let migrating = owner == self.myself && self.migrating_to.contains_key(&slot);
        let importing = !migrating && self.importing_from.contains_key(&slot);
        if migrating || (importing && q.asking) {
            return Route::NeedsKeys(slot);
        }
        self.route_stable(slot, owner, q)
    }

    /// The decision for a migrating or importing `slot` once the command's keys were looked
    /// up: `missing` of them do not exist here, `existing` do.
    pub fn route_unstable(&self, slot: u16, existing: usize, missing: usize, q: Query) -> Route {
        let owner = self.owner[slot as usize];
        let migrating = owner == self.myself && self.migrating_to.contains_key(&slot);
        if migrating && missing > 0 {
            if existing > 0 {
                return Route::Redirect(Redirect::TryAgain);
            }
            let to = self.migrating_to[&slot];
            // Migrating to itself (a misconfiguration redis-server accepts): the ASK would
            // point here, so redis-server serves the command instead.
            if to != self.myself {
                return Route::Redirect(Redirect::Ask(slot, self.address(to)));
            }
        }
        if !migrating && self.importing_from.contains_key(&slot) && q.asking {
            if existing + missing > 1 && missing > 0 {
                return Route::Redirect(Redirect::TryAgain);
            }
            return Route::Here;
        }
        self.route_stable(slot, owner, q)
    }

    fn route_stable(&self, slot: u16, owner: u16, q: Query) -> Route {
        if owner == self.myself {
            return Route::Here;
        }
        if q.readonly && !q.write && self.my_master == Some(owner) {
            return Route::Here;
        }
        Route::Redirect(Redirect::Moved(slot, self.address(owner)))
    }

    fn address(&self, node: u16) -> String {
        self.nodes
            .get(node as usize)
            .map(|n| n.address.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
