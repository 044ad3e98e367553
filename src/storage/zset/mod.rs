//! Sorted set values: members ordered by `(score, member)`, with a member → element index.
//!
//! The order lives in an order-statistic B+tree ([`tree::Tree`]) that names elements by
//! stable `u32` handles; an open-addressing table of those handles tagged with hash bits
//! ([`index::Index`]) finds a member's element (and so its score) in O(1) and gives ZSCAN
//! redis-server's cursor guarantee. The encoding redis-server would report (`listpack` for
//! small sets, `skiplist` once a set grows past `zset-max-listpack-entries` members or holds
//! a member longer than `zset-max-listpack-value` bytes) is tracked as a flag so OBJECT
//! ENCODING and the reply shapes that depend on it (ZSCAN, ZRANDMEMBER) match. Pure and
//! synchronous; owned by the data core that owns the key.

mod index;
mod tree;

use hashbrown::DefaultHashBuilder;
use std::hash::BuildHasher;

use index::Index;
use tree::Tree;
pub use tree::{cmp_entry, Iter};

use super::limits::Limits;

/// A sorted set.
#[derive(Clone, Debug)]
pub struct ZSet {
    tree: Tree,
    index: Index,
    hasher: DefaultHashBuilder,
    listpack: bool,
}

impl PartialEq for ZSet {
    fn eq(&self, other: &Self) -> bool {
        self.listpack == other.listpack
            && self.len() == other.len()
            && self
                .iter_from(0, false)
                .zip(other.iter_from(0, false))
                .all(|(a, b)| {
                    self.score_at(a) == other.score_at(b) && self.member(a) == other.member(b)
                })
    }
}

/// What [`ZSet::add`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    New,
    Updated,
    Unchanged,
}

impl ZSet {
    /// An empty set with the encoding redis-server picks when creating one for `len_hint`
    /// elements whose longest member has `max_member` bytes.
    pub fn with_hint(len_hint: usize, max_member: usize, limits: Limits) -> ZSet {
        ZSet {
            tree: Tree::default(),
            index: Index::default(),
            hasher: DefaultHashBuilder::default(),
            listpack: len_hint <= limits.zset_entries && max_member <= limits.zset_value,
        }
    }

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    pub fn is_listpack(&self) -> bool {
        self.listpack
    }

    /// Converts a skiplist-encoded set back to listpack when it is small enough (what
    /// redis-server does for the results of ZUNIONSTORE, ZRANGESTORE and friends).
    pub fn shrink_encoding(&mut self, limits: Limits) {
        if !self.listpack
            && self.len() <= limits.zset_entries
            && self
                .iter_from(0, false)
                .all(|n| self.member(n).len() <= limits.zset_value)
        {
            self.listpack = true;
            self.tree.clear_negative_zeros();
        }
    }

    pub fn encoding(&self) -> &'static str {
        if self.listpack {
            "listpack"
        } else {
            "skiplist"
        }
    }

    pub fn heap_size(&self) -> usize {
        self.tree.heap_size() + self.index.capacity() * Index::SLOT_BYTES
    }

    fn hash(&self, member: &[u8]) -> u64 {
        self.hasher.hash_one(member)
    }

    /// The node holding `member`.
    pub fn node(&self, member: &[u8]) -> Option<u32> {
        let tree = &self.tree;
        let slot = self
            .index
            .find(self.hash(member), |n| tree.member(n) == member)?;
        Some(self.index.get(slot))
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.node(member).map(|n| self.tree.score(n))
    }

    pub fn score_at(&self, n: u32) -> f64 {
        self.tree.score(n)
    }

    pub fn member(&self, n: u32) -> &[u8] {
        self.tree.member(n)
    }

    /// Sets `member`'s score, adding it when absent. A listpack holds scores as text where
    /// `-0` reads back as 0, so the sign of a zero score is dropped there; an insertion that
    /// turns the set into a skiplist keeps it, as redis-server converts before inserting.
    pub fn add(&mut self, member: &[u8], mut score: f64, limits: Limits) -> Added {
        let hash = self.hash(member);
        let tree = &self.tree;
        let found = self.index.find(hash, |n| tree.member(n) == member);
        if found.is_none()
            && self.listpack
            && (self.len() + 1 > limits.zset_entries || member.len() > limits.zset_value)
        {
            self.listpack = false;
        }
        if self.listpack && score == 0.0 {
            score = 0.0;
        }
        match found.map(|slot| (slot, self.index.get(slot))) {
            Some((_, n)) if self.tree.score(n) == score => Added::Unchanged,
            Some((slot, n)) => {
                let owned = self.tree.remove(n);
                let m = self.tree.insert(score, owned);
                self.index.set(slot, m);
                Added::Updated
            }
            None => {
                let n = self.tree.insert(score, member.into());
                self.index.insert(hash, n);
                Added::New
            }
        }
    }

    /// Removes `member`; false when absent.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        let hash = self.hash(member);
        let tree = &self.tree;
        let Some(slot) = self.index.find(hash, |n| tree.member(n) == member) else {
            return false;
        };
        let n = self.index.get(slot);
        self.index.remove_at(slot);
        self.tree.remove(n);
        true
    }

    /// Removes the node `n` (from a rank or range walk).
    pub fn remove_node(&mut self, n: u32) -> Box<[u8]> {
        let hash = self.hash(self.tree.member(n));
        if let Some(slot) = self.index.find(hash, |x| x == n) {
            self.index.remove_at(slot);
        }
        self.tree.remove(n)
    }

    /// One ZSCAN step over the member index: calls `visit` with the nodes of the cursor's
    /// bucket and returns the next cursor (0 at the end).
    pub fn scan(&self, cursor: u64, visit: impl FnMut(u32)) -> u64 {
        self.index.scan(cursor, visit)
    }

    /// Zero-based rank of `member`, ascending or (with `rev`) descending.
    pub fn rank(&self, member: &[u8], rev: bool) -> Option<usize> {
        let r = self.tree.rank(self.node(member)?);
        Some(if rev { self.len() - 1 - r } else { r })
    }

    /// The node at ascending rank `rank` (below `len`).
    pub fn select(&self, rank: usize) -> u32 {
        self.tree.select(rank)
    }

    /// Elements for which `before` holds (a predicate true for a prefix of the order).
    pub fn count_before(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.tree.count_before(before)
    }

    /// Nodes from ascending rank `rank`, upwards or downwards.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        self.tree.iter_from(rank, rev)
    }

    /// `(member, score)` pairs in ascending order.
    pub fn pairs(&self) -> impl Iterator<Item = (&[u8], f64)> + '_ {
        self.tree
            .iter_from(0, false)
            .map(|n| (self.tree.member(n), self.tree.score(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        hash_entries: 512,
        hash_value: 64,
        set_intset_entries: 512,
        zset_entries: 128,
        zset_value: 64,
        hll_sparse_bytes: 3000,
    };

    #[test]
    fn add_update_remove_keep_index_and_order() {
        let mut z = ZSet::with_hint(1, 1, L);
        assert_eq!(z.add(b"a", 2.0, L), Added::New);
        assert_eq!(z.add(b"b", 1.0, L), Added::New);
        assert_eq!(z.add(b"a", 2.0, L), Added::Unchanged);
        assert_eq!(z.add(b"a", 0.5, L), Added::Updated);
        assert_eq!(z.rank(b"a", false), Some(0));
        assert_eq!(z.rank(b"a", true), Some(1));
        assert_eq!(z.score(b"a"), Some(0.5));
        assert!(z.remove(b"a"));
        assert!(!z.remove(b"a"));
        assert_eq!(z.len(), 1);
        assert_eq!(z.score(b"b"), Some(1.0));
        assert!(z.is_listpack());
        for i in 0..128 {
            z.add(format!("m{i}").as_bytes(), i as f64, L);
        }
        assert_eq!(z.encoding(), "skiplist");
        let mut x = ZSet::with_hint(1, 1, L);
        x.add(&[b'x'; 65], 1.0, L);
        assert_eq!(x.encoding(), "skiplist");
    }

    #[test]
    fn many_members_stay_consistent() {
        let mut z = ZSet::with_hint(0, 0, L);
        for i in 0..5000u32 {
            z.add(&i.to_be_bytes(), (i % 97) as f64, L);
        }
        for i in (0..5000u32).step_by(3) {
            assert!(z.remove(&i.to_be_bytes()));
        }
        for i in (1..5000u32).step_by(3) {
            z.add(&i.to_be_bytes(), -(i as f64), L);
        }
        let mut prev: Option<(f64, Vec<u8>)> = None;
        for (rank, n) in z.iter_from(0, false).enumerate() {
            let (s, m) = (z.score_at(n), z.member(n).to_vec());
            assert_eq!(z.rank(&m, false), Some(rank));
            assert_eq!(z.score(&m), Some(s));
            if let Some((ps, pm)) = &prev {
                assert!(cmp_entry(*ps, pm, s, &m).is_lt());
            }
            prev = Some((s, m));
        }
        assert_eq!(z.len(), 5000 - 1667);
    }
}
