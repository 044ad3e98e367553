//! One cluster node as this node sees it: its id, addresses, flags, master, bus timings,
//! config epoch, link state and the failure reports other masters made about it.
//!
//! Pure data; lives inside the control core's [`super::state::ClusterState`].

use std::fmt;

/// A node id: 40 lower-case hex characters, chosen at random on a node's first start.
#[derive(Clone, Copy, Eq, PartialOrd, Ord)]
pub struct NodeId(pub [u8; 40]);

impl PartialEq for NodeId {
    /// Five word compares instead of a `memcmp` call: the slot table is scanned by owner id
    /// (16384 compares per scan) on every cron run and every PING built.
    #[inline]
    fn eq(&self, other: &NodeId) -> bool {
        let word = |id: &NodeId, i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&id.0[i * 8..i * 8 + 8]);
            u64::from_ne_bytes(w)
        };
        (0..5).all(|i| word(self, i) == word(other, i))
    }
}

impl std::hash::Hash for NodeId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl NodeId {
    /// A fresh random id (from the kernel's random source, the clock as a fallback).
    pub fn random() -> NodeId {
        let mut raw = [0u8; 20];
        let filled = std::fs::File::open("/dev/urandom")
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut raw))
            .is_ok();
        if !filled {
            let mut seed = crate::clock::unix_us() as u64 ^ ((std::process::id() as u64) << 32);
            for chunk in raw.chunks_mut(8) {
                seed = crate::storage::keyspace::splitmix(seed);
                chunk.copy_from_slice(&seed.to_le_bytes()[..chunk.len()]);
            }
        }
        let mut id = [0u8; 40];
        for (i, b) in raw.iter().enumerate() {
            id[2 * i] = HEX[(b >> 4) as usize];
            id[2 * i + 1] = HEX[(b & 15) as usize];
        }
        NodeId(id)
    }

    /// Parses a node id as Redis accepts it in nodes.conf and bus messages: exactly 40
    /// bytes. Case is kept (ids are compared byte for byte, as Redis does).
    pub fn parse(bytes: &[u8]) -> Option<NodeId> {
        let id: [u8; 40] = bytes.try_into().ok()?;
        id.iter()
            .all(|b| b.is_ascii_hexdigit())
            .then_some(NodeId(id))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({})", self.as_str())
    }
}

/// Node flags, with Redis's bit values (they travel in bus headers and gossip entries).
pub mod flags {
    pub const MYSELF: u16 = 1;
    pub const MASTER: u16 = 2;
    pub const SLAVE: u16 = 4;
    pub const PFAIL: u16 = 8;
    pub const FAIL: u16 = 16;
    pub const HANDSHAKE: u16 = 32;
    pub const NOADDR: u16 = 64;
    pub const MEET: u16 = 128;
    pub const MIGRATE_TO: u16 = 256;
    pub const NOFAILOVER: u16 = 512;

    /// The flags CLUSTER NODES and nodes.conf print, in Redis's order and spelling.
    pub const NAMES: [(u16, &str); 8] = [
        (MYSELF, "myself"),
        (MASTER, "master"),
        (SLAVE, "slave"),
        (PFAIL, "fail?"),
        (FAIL, "fail"),
        (HANDSHAKE, "handshake"),
        (NOADDR, "noaddr"),
        (NOFAILOVER, "nofailover"),
    ];

    /// `flags` as CLUSTER NODES prints them (`noflags` when none is set).
    pub fn names(flags: u16) -> String {
        let names: Vec<&str> = NAMES
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, name)| *name)
            .collect();
        if names.is_empty() {
            "noflags".to_string()
        } else {
            names.join(",")
        }
    }

    /// Parses a comma-separated flag list from nodes.conf; `None` on an unknown flag.
    pub fn parse(text: &str) -> Option<u16> {
        let mut flags = 0;
        for name in text.split(',') {
            flags |= match name {
                "noflags" => 0,
                "meet" => MEET,
                _ => NAMES.iter().find(|(_, n)| *n == name)?.0,
            };
        }
        Some(flags)
    }
}

/// One failure report: `reporter` (a master) said the node was failing at `time_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailReport {
    pub reporter: NodeId,
    pub time_ms: u64,
}

/// One node of the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: NodeId,
    /// The address as known (empty until learned: a fresh node does not know its own ip).
    pub ip: String,
    pub port: u16,
    /// Cluster bus port.
    pub cport: u16,
    /// Announced hostname (empty when none).
    pub hostname: String,
    pub flags: u16,
    /// The master this node replicates, for replicas.
    pub master: Option<NodeId>,
    /// When the last unanswered PING was sent (ms; 0 when none is pending).
    pub ping_sent: u64,
    /// When the last PONG arrived (ms).
    pub pong_received: u64,
    pub config_epoch: u64,
    /// Whether a bus link to the node is up (the bus reports it).
    pub link_connected: bool,
    /// When the node was flagged FAIL (ms), 0 when it is not.
    pub fail_time: u64,
    /// When this node entry was created (ms): handshakes time out from here.
    pub created_ms: u64,
    pub fail_reports: Vec<FailReport>,
}

impl Node {
    pub fn new(id: NodeId, flags: u16) -> Node {
        Node {
            id,
            ip: String::new(),
            port: 0,
            cport: 0,
            hostname: String::new(),
            flags,
            master: None,
            ping_sent: 0,
            pong_received: 0,
            config_epoch: 0,
            link_connected: false,
            fail_time: 0,
            created_ms: 0,
            fail_reports: Vec::new(),
        }
    }

    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    pub fn is_master(&self) -> bool {
        self.has(flags::MASTER)
    }

    pub fn is_replica(&self) -> bool {
        self.has(flags::SLAVE)
    }

    pub fn is_myself(&self) -> bool {
        self.has(flags::MYSELF)
    }

    /// Whether the node is failing or suspected to be.
    pub fn is_failing(&self) -> bool {
        self.has(flags::FAIL | flags::PFAIL)
    }

    /// Adds or refreshes the failure report of `reporter`; true when it is new.
    pub fn add_fail_report(&mut self, reporter: NodeId, now_ms: u64) -> bool {
        if let Some(r) = self
            .fail_reports
            .iter_mut()
            .find(|r| r.reporter == reporter)
        {
            r.time_ms = now_ms;
            return false;
        }
        self.fail_reports.push(FailReport {
            reporter,
            time_ms: now_ms,
        });
        true
    }

    /// Drops reports older than `max_age_ms` (Redis keeps them for 2 × node-timeout).
    pub fn expire_fail_reports(&mut self, now_ms: u64, max_age_ms: u64) {
        self.fail_reports
            .retain(|r| now_ms.saturating_sub(r.time_ms) <= max_age_ms);
    }

    /// Removes the report of `reporter`; true when there was one.
    pub fn remove_fail_report(&mut self, reporter: &NodeId) -> bool {
        let before = self.fail_reports.len();
        self.fail_reports.retain(|r| &r.reporter != reporter);
        before != self.fail_reports.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_40_hex_and_differ() {
        let a = NodeId::random();
        let b = NodeId::random();
        assert_ne!(a, b);
        assert_eq!(NodeId::parse(a.as_bytes()), Some(a));
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        assert!(NodeId::parse(b"abc").is_none());
        assert!(NodeId::parse(&[b'g'; 40]).is_none());
    }

    #[test]
    fn flag_names_follow_redis_order() {
        assert_eq!(flags::names(flags::MASTER | flags::MYSELF), "myself,master");
        assert_eq!(flags::names(flags::HANDSHAKE | flags::MEET), "handshake");
        assert_eq!(flags::names(flags::SLAVE | flags::PFAIL), "slave,fail?");
        assert_eq!(flags::names(0), "noflags");
        assert_eq!(
            flags::parse("myself,master"),
            Some(flags::MYSELF | flags::MASTER)
        );
        assert_eq!(
            flags::parse("slave,fail?,nofailover").unwrap() & flags::PFAIL,
            flags::PFAIL
        );
        assert_eq!(flags::parse("noflags"), Some(0));
        assert_eq!(flags::parse("bogus"), None);
    }

    #[test]
    fn failure_reports_refresh_and_expire() {
        let mut n = Node::new(NodeId::random(), flags::MASTER);
        let r = NodeId::random();
        assert!(n.add_fail_report(r, 100));
        assert!(!n.add_fail_report(r, 200));
        assert_eq!(n.fail_reports[0].time_ms, 200);
        n.expire_fail_reports(1000, 500);
        assert!(n.fail_reports.is_empty());
        n.add_fail_report(r, 900);
        assert!(n.remove_fail_report(&r));
        assert!(!n.remove_fail_report(&r));
    }
}
