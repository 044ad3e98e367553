//! The member index of a sorted set: an open-addressing hash table of `u32` tree nodes.
//!
//! Linear probing with tombstones, so an entry never moves except when the table is rebuilt.
//! That makes a Redis-style `SCAN` possible: a cursor names a *home bucket* (hash & mask), a
//! call returns every entry whose home is that bucket (they sit in the probe run starting
//! there), and cursors advance in reverse-binary order, so an entry present for a whole
//! iteration is returned at least once even if the table grows or shrinks in between, exactly
//! as redis-server's `dictScan` guarantees. A slot is 8 bytes: the tree node and 32 bits of the
//! member's hash; members are compared through a closure that reads a node's member, only
//! when those bits match. Pure and synchronous.

/// A slot is `(hash as u32) << 32 | node`; these node values mark free slots.
const EMPTY: u32 = u32::MAX;
const TOMB: u32 = u32::MAX - 1;
const EMPTY_SLOT: u64 = EMPTY as u64;
/// Smallest table.
const MIN_SLOTS: usize = 8;

/// Node indexes keyed by member hash.
///
/// Each slot keeps the low 32 bits of its member's hash beside the node: probing skips
/// slots whose bits differ without loading the node and its member (two cache misses each),
/// and rebuilding or scanning never hashes a member again. Tables stay far below 2^32 slots,
/// so the stored bits always contain the home bucket.
#[derive(Clone, Debug, Default)]
pub struct Index {
    slots: Vec<u64>,
    len: usize,
    tombs: usize,
}

fn node_of(slot: u64) -> u32 {
    slot as u32
}

fn bits_of(slot: u64) -> u32 {
    (slot >> 32) as u32
}

fn pack(hash: u64, node: u32) -> u64 {
    (hash as u32 as u64) << 32 | node as u64
}

impl Index {
    /// Slots allocated (for memory accounting).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Bytes per slot (for memory accounting).
    pub const SLOT_BYTES: usize = std::mem::size_of::<u64>();

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The slot holding the node `eq` accepts among those stored under `hash`, starting
    /// from `hash`'s home bucket.
    pub fn find(&self, hash: u64, eq: impl Fn(u32) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let bits = hash as u32;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            match node_of(slot) {
                EMPTY => return None,
                TOMB => {}
                n if bits_of(slot) == bits && eq(n) => return Some(i),
                _ => {}
            }
            i = (i + 1) & mask;
        }
    }

    pub fn get(&self, slot: usize) -> u32 {
        node_of(self.slots[slot])
    }

    /// Points `slot` at another node for the same member (its hash is unchanged).
    pub fn set(&mut self, slot: usize, node: u32) {
        self.slots[slot] = (self.slots[slot] & !(u32::MAX as u64)) | node as u64;
    }

    /// Adds `node` (not present yet) under `hash`.
    pub fn insert(&mut self, hash: u64, node: u32) {
        if (self.len + self.tombs + 1) * 4 > self.slots.len() * 3 {
            self.rebuild((self.len + 1) * 2);
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        while !matches!(node_of(self.slots[i]), EMPTY | TOMB) {
            i = (i + 1) & mask;
        }
        if node_of(self.slots[i]) == TOMB {
            self.tombs -= 1;
        }
        self.slots[i] = pack(hash, node);
        self.len += 1;
    }

    /// Empties `slot`; shrinks the table when it became mostly empty.
    pub fn remove_at(&mut self, slot: usize) {
        self.slots[slot] = TOMB as u64;
        self.len -= 1;
        self.tombs += 1;
        if self.slots.len() > MIN_SLOTS && self.len * 8 < self.slots.len() {
            self.rebuild(self.len * 2);
        }
    }

    /// Rebuilds with room for `want` entries at most half full, dropping tombstones.
    fn rebuild(&mut self, want: usize) {
        let size = want.max(MIN_SLOTS).next_power_of_two();
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_SLOT; size]);
        let mask = size - 1;
        for slot in old
            .into_iter()
            .filter(|&s| !matches!(node_of(s), EMPTY | TOMB))
        {
            let mut i = bits_of(slot) as usize & mask;
            while node_of(self.slots[i]) != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
        self.tombs = 0;
    }

    /// Calls `visit` with every node whose home bucket is `cursor`'s, and returns the next
    /// cursor (0 once every bucket was visited), in `dictScan`'s reverse-binary order.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(u32)) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.mask() as u64;
        let home = cursor & mask;
        let mut i = home as usize;
        loop {
            let slot = self.slots[i];
            match node_of(slot) {
                EMPTY => break,
                TOMB => {}
                n if bits_of(slot) as u64 & mask == home => visit(n),
                _ => {}
            }
            i = (i + 1) & mask as usize;
            if i == home as usize {
                break;
            }
        }
        let mut v = cursor | !mask;
        v = v.reverse_bits().wrapping_add(1).reverse_bits();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn h(n: u32) -> u64 {
        crate::storage::keyspace::splitmix(n as u64)
    }

    #[test]
    fn insert_find_remove_across_rebuilds() {
        let mut ix = Index::default();
        for n in 0..1000 {
            ix.insert(h(n), n);
        }
        assert_eq!(ix.len, 1000);
        for n in (0..1000).step_by(2) {
            let slot = ix.find(h(n), |x| x == n).unwrap();
            ix.remove_at(slot);
        }
        for n in 0..1000 {
            assert_eq!(ix.find(h(n), |x| x == n).is_some(), n % 2 == 1, "{n}");
        }
        for n in (1..1000).step_by(2) {
            let slot = ix.find(h(n), |x| x == n).unwrap();
            ix.remove_at(slot);
        }
        assert_eq!(ix.len, 0);
        assert!(ix.capacity() <= 16);
    }

    /// Entries present for a whole scan are returned even when the table grows and shrinks
    /// between calls.
    #[test]
    fn scan_survives_resizes() {
        let mut ix = Index::default();
        for n in 0..300 {
            ix.insert(h(n), n);
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut calls = 0;
        loop {
            cursor = ix.scan(cursor, |n| {
                seen.insert(n);
            });
            calls += 1;
            if calls == 50 {
                for n in 300..2000 {
                    ix.insert(h(n), n);
                }
            }
            if calls == 400 {
                for n in 300..2000 {
                    let slot = ix.find(h(n), |x| x == n).unwrap();
                    ix.remove_at(slot);
                }
            }
            if cursor == 0 {
                break;
            }
        }
        assert!((0..300).all(|n| seen.contains(&n)));
    }
}
