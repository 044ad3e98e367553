//! The member index of a sorted set: an open-addressing hash table of `u32` tree nodes.
//!
//! Linear probing with tombstones, so an entry never moves except when the table is rebuilt.
//! That makes a Redis-style `SCAN` possible: a cursor names a *home bucket* (hash & mask), a
//! call returns every entry whose home is that bucket (they sit in the probe run starting
//! there), and cursors advance in reverse-binary order, so an entry present for a whole
//! iteration is returned at least once even if the table grows or shrinks in between, exactly
//! as redis-server's `dictScan` guarantees. Entries are looked up through closures that read
//! the member of a node, so the table stores 4 bytes per slot. Pure and synchronous.

const EMPTY: u32 = u32::MAX;
const TOMB: u32 = u32::MAX - 1;
/// Smallest table.
const MIN_SLOTS: usize = 8;

/// Node indexes keyed by member hash.
#[derive(Clone, Debug, Default)]
pub struct Index {
    slots: Vec<u32>,
    len: usize,
    tombs: usize,
}

impl Index {
    /// Slots allocated (for memory accounting).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The slot holding the node `eq` accepts, starting from `hash`'s home bucket.
    pub fn find(&self, hash: u64, eq: impl Fn(u32) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => return None,
                TOMB => {}
                n if eq(n) => return Some(i),
                _ => {}
            }
            i = (i + 1) & mask;
        }
    }

    pub fn get(&self, slot: usize) -> u32 {
        self.slots[slot]
    }

    pub fn set(&mut self, slot: usize, node: u32) {
        self.slots[slot] = node;
    }

    /// Adds `node` (not present yet) under `hash`; `rehash` gives any node's hash when the
    /// table is rebuilt.
    pub fn insert(&mut self, hash: u64, node: u32, rehash: impl Fn(u32) -> u64) {
        if (self.len + self.tombs + 1) * 4 > self.slots.len() * 3 {
            self.rebuild((self.len + 1) * 2, &rehash);
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        while self.slots[i] != EMPTY && self.slots[i] != TOMB {
            i = (i + 1) & mask;
        }
        if self.slots[i] == TOMB {
            self.tombs -= 1;
        }
        self.slots[i] = node;
        self.len += 1;
    }

    /// Empties `slot`; shrinks the table when it became mostly empty.
    pub fn remove_at(&mut self, slot: usize, rehash: impl Fn(u32) -> u64) {
        self.slots[slot] = TOMB;
        self.len -= 1;
        self.tombs += 1;
        if self.slots.len() > MIN_SLOTS && self.len * 8 < self.slots.len() {
            self.rebuild(self.len * 2, &rehash);
        }
    }

    /// Rebuilds with room for `want` entries at most half full, dropping tombstones.
    fn rebuild(&mut self, want: usize, rehash: &impl Fn(u32) -> u64) {
        let size = want.max(MIN_SLOTS).next_power_of_two();
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size]);
        let mask = size - 1;
        for n in old.into_iter().filter(|&n| n != EMPTY && n != TOMB) {
            let mut i = rehash(n) as usize & mask;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = n;
        }
        self.tombs = 0;
    }

    /// Calls `visit` with every node whose home bucket is `cursor`'s, and returns the next
    /// cursor (0 once every bucket was visited), in `dictScan`'s reverse-binary order.
    pub fn scan(&self, cursor: u64, hash: impl Fn(u32) -> u64, mut visit: impl FnMut(u32)) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.mask() as u64;
        let home = cursor & mask;
        let mut i = home as usize;
        loop {
            match self.slots[i] {
                EMPTY => break,
                TOMB => {}
                n if hash(n) & mask == home => visit(n),
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
            ix.insert(h(n), n, h);
        }
        assert_eq!(ix.len, 1000);
        for n in (0..1000).step_by(2) {
            let slot = ix.find(h(n), |x| x == n).unwrap();
            ix.remove_at(slot, h);
        }
        for n in 0..1000 {
            assert_eq!(ix.find(h(n), |x| x == n).is_some(), n % 2 == 1, "{n}");
        }
        for n in (1..1000).step_by(2) {
            let slot = ix.find(h(n), |x| x == n).unwrap();
            ix.remove_at(slot, h);
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
            ix.insert(h(n), n, h);
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut calls = 0;
        loop {
            cursor = ix.scan(cursor, h, |n| {
                seen.insert(n);
            });
            calls += 1;
            if calls == 50 {
                for n in 300..2000 {
                    ix.insert(h(n), n, h);
                }
            }
            if calls == 400 {
                for n in 300..2000 {
                    let slot = ix.find(h(n), |x| x == n).unwrap();
                    ix.remove_at(slot, h);
                }
            }
            if cursor == 0 {
                break;
            }
        }
        assert!((0..300).all(|n| seen.contains(&n)));
    }
}
