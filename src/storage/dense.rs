//! A compact hash table for big hashes and sets: elements in a dense vector, a hashbrown
//! table of 32-bit positions into it.
//!
//! Synchronous; owned by the data core that owns the key holding it. Each element is one
//! byte string: a hash's field and value packed in one box (see [`super::hash`]), or a set
//! member, kept in place when short (see [`super::set`]). A boxed element costs its bytes
//! plus 16 bytes in the vector, an in-place one 24 bytes, and each about 5 bytes per bucket
//! in the index: less than redis-server's dict entry, bucket and sds
//! headers. Positions make a random element O(1) (SPOP, SRANDMEMBER, HRANDFIELD) and give
//! SSCAN/HSCAN a cursor: removal moves the last element into the hole, so a cursor walking
//! positions downwards from the end never misses an element that stays in the table.

use std::hash::BuildHasher;

use hashbrown::hash_table::Entry as TableEntry;
use hashbrown::{DefaultHashBuilder, HashTable};

use super::key::InlineBytes;

/// An element stored in a [`Dense`] table, identified by its key bytes.
pub trait Element {
    fn key(&self) -> &[u8];
}

impl Element for Box<[u8]> {
    fn key(&self) -> &[u8] {
        self
    }
}

impl<const N: usize> Element for InlineBytes<N> {
    fn key(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// The table. Iteration order is the vector's order.
#[derive(Clone, Default)]
pub struct Dense<E> {
    items: Vec<E>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl<E: Element> Dense<E> {
    pub fn with_capacity(n: usize) -> Self {
        Dense {
            items: Vec::with_capacity(n),
            index: HashTable::with_capacity(n),
            hasher: DefaultHashBuilder::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    fn position(&self, key: &[u8]) -> Option<usize> {
        let items = &self.items;
        self.index
            .find(self.hash(key), |&i| items[i as usize].key() == key)
            .map(|&i| i as usize)
    }

    pub fn get(&self, key: &[u8]) -> Option<&E> {
        self.position(key).map(|i| &self.items[i])
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut E> {
        let i = self.position(key)?;
        Some(&mut self.items[i])
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.position(key).is_some()
    }

    /// Inserts `item`, replacing an element with the same key, which is returned.
    pub fn insert(&mut self, item: E) -> Option<E> {
        let hash = self.hash(item.key());
        let Dense {
            items,
            index,
            hasher,
        } = self;
        let found = index.entry(
            hash,
            |&i| items[i as usize].key() == item.key(),
            |&i| hasher.hash_one(items[i as usize].key()),
        );
        match found {
            TableEntry::Occupied(e) => Some(std::mem::replace(&mut items[*e.get() as usize], item)),
            TableEntry::Vacant(e) => {
                e.insert(items.len() as u32);
                items.push(item);
                None
            }
        }
    }

    /// Removes the element with `key`; the last element takes its position.
    pub fn remove(&mut self, key: &[u8]) -> Option<E> {
        let hash = self.hash(key);
        let items = &self.items;
        let entry = self
            .index
            .find_entry(hash, |&i| items[i as usize].key() == key)
            .ok()?;
        let (pos, _) = entry.remove();
        Some(self.remove_position(pos as usize))
    }

    /// Removes the element at `pos` (already gone from the index).
    fn remove_position(&mut self, pos: usize) -> E {
        let last = self.items.len() - 1;
        if pos != last {
            let moved_hash = self.hash(self.items[last].key());
            let slot = self
                .index
                .find_mut(moved_hash, |&i| i as usize == last)
                .expect("every element is indexed");
            *slot = pos as u32;
        }
        let item = self.items.swap_remove(pos);
        if self.items.len() < self.items.capacity() / 4 {
            self.items.shrink_to(self.items.len() * 2);
            self.index.shrink_to(self.items.len(), |&i| {
                self.hasher.hash_one(self.items[i as usize].key())
            });
        }
        item
    }

    /// Removes and returns the element at position `pos` (random pops).
    pub fn remove_at(&mut self, pos: usize) -> E {
        let hash = self.hash(self.items[pos].key());
        let Ok(entry) = self.index.find_entry(hash, |&i| i as usize == pos) else {
            unreachable!("every element is indexed");
        };
        entry.remove();
        self.remove_position(pos)
    }

    /// The element at position `pos` (`pos < len`).
    pub fn at(&self, pos: usize) -> &E {
        &self.items[pos]
    }

    pub fn iter(&self) -> std::slice::Iter<'_, E> {
        self.items.iter()
    }

    /// Approximate heap bytes of the table itself (not of the elements' contents).
    pub fn table_bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<E>() + self.index.capacity() * 5
    }
}

impl<E: Element> PartialEq for Dense<E> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|e| other.contains(e.key()))
    }
}

impl<E: Element> std::fmt::Debug for Dense<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|e| String::from_utf8_lossy(e.key())))
            .finish()
    }
}

/// One step of a cursor walk over positions `0..len`, downwards: returns the positions to
/// visit and the next cursor (0 when done). Cursor 0 starts at the end.
pub fn scan_step(len: usize, cursor: u64, count: usize) -> (std::ops::Range<usize>, u64) {
    let top = if cursor == 0 {
        len
    } else {
        (cursor as usize).min(len)
    };
    let bottom = top.saturating_sub(count.max(1));
    (bottom..top, bottom as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Box<[u8]> {
        s.as_bytes().into()
    }

    #[test]
    fn insert_replace_remove_keep_positions_consistent() {
        let mut t: Dense<Box<[u8]>> = Dense::default();
        for i in 0..1000 {
            assert!(t.insert(b(&i.to_string())).is_none());
        }
        assert!(t.insert(b("5")).is_some());
        assert_eq!(t.len(), 1000);
        for i in (0..1000).step_by(3) {
            assert!(t.remove(i.to_string().as_bytes()).is_some());
        }
        assert!(t.remove(b"0").is_none());
        for i in 0..1000 {
            assert_eq!(t.contains(i.to_string().as_bytes()), i % 3 != 0, "{i}");
        }
        while !t.is_empty() {
            let e = t.remove_at(t.len() / 2);
            assert!(!t.contains(&e));
        }
    }

    #[test]
    fn cursor_walk_sees_every_element_that_stays() {
        let mut t: Dense<Box<[u8]>> = Dense::default();
        for i in 0..100 {
            t.insert(b(&i.to_string()));
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut round = 0;
        loop {
            let (range, next) = scan_step(t.len(), cursor, 7);
            for pos in range {
                seen.insert(t.at(pos).clone());
            }
            // Remove elements not yet visited and some already visited between calls.
            if round % 2 == 0 && t.len() > 50 {
                let victim = format!("{}", 99 - round);
                t.remove(victim.as_bytes());
            }
            round += 1;
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        for e in t.iter() {
            assert!(seen.contains(e), "missed {:?}", e);
        }
    }
}
