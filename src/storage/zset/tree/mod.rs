//! The ordered half of a sorted set: an order-statistic B+tree over `(score, member)`.
//!
//! Elements live in a slab (`Vec<Elem>`, freed slots reused) and are named by their `u32`
//! slot, a handle that stays the same for as long as the element is in the set, so the member
//! index of [`super::ZSet`] can refer to it with 4 bytes. The tree orders handles: leaves
//! hold up to 64 `(score, handle)` pairs in order, inner nodes the smallest key and the
//! element count of each child (see [`node`]). A search compares packed scores within a
//! node and reads members only on score ties, so an operation costs a few cache misses (one
//! node per level: a leaf under three inner levels at a million elements, the upper ones
//! usually cached) instead of one per level of a ~40-deep binary tree. Rank, select and
//! counting below a bound take O(log n); iteration from a rank walks the leaf chain, so a
//! range of m elements costs O(log n + m). Every operation is a loop over at most
//! [`MAX_HEIGHT`] levels: no recursion, and the tree is balanced by construction whatever
//! the insertion order. Pure and synchronous; owned by the data core that owns the key.

mod balance;
mod node;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use node::{position, Arena, Inner, Leaf, Node, Seek};

/// No element (and no node).
pub const NIL: u32 = u32::MAX;

/// Levels of inner nodes the path arrays have room for. Every inner node but the last of
/// its level has at least 21 children, so 2^32 elements need fewer than 9 levels.
const MAX_HEIGHT: usize = 16;

/// The inner nodes from the root down to a leaf, each with the index of the child taken.
type Path = [(u32, u32)];

/// Whether a descent counts an element into the subtrees it passes or out of them.
#[derive(Clone, Copy)]
enum Count {
    Add,
    Remove,
}

/// An element in the slab; its score is also copied into the leaf that orders it.
#[derive(Clone)]
struct Elem {
    score: f64,
    member: Box<[u8]>,
}

/// An order-statistic B+tree of element handles.
#[derive(Clone)]
pub struct Tree {
    elems: Vec<Elem>,
    /// Slab slots of removed elements, reused first.
    free: Vec<u32>,
    leaves: Arena<Leaf>,
    inners: Arena<Inner>,
    /// A leaf when `height` is 0, else an inner node; `NIL` when empty.
    root: u32,
    /// Levels of inner nodes above the leaves.
    height: usize,
}

impl Default for Tree {
    fn default() -> Self {
        Tree {
            elems: Vec::new(),
            free: Vec::new(),
            leaves: Arena::new(),
            inners: Arena::new(),
            root: NIL,
            height: 0,
        }
    }
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.iter_from(0, false)
                    .map(|n| (self.score(n), String::from_utf8_lossy(self.member(n)))),
            )
            .finish()
    }
}

/// Compares `(score, member)` pairs the way redis-server orders a sorted set.
pub fn cmp_entry(a: f64, am: &[u8], b: f64, bm: &[u8]) -> Ordering {
    match a.partial_cmp(&b) {
        Some(Ordering::Equal) | None => am.cmp(bm),
        Some(o) => o,
    }
}

/// The first index below `len` where `holds` fails, for a `holds` true on a prefix.
fn first_failing(len: usize, holds: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if holds(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Tree {
    pub fn len(&self) -> usize {
        self.elems.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.root == NIL
    }

    pub fn score(&self, n: u32) -> f64 {
        self.elems[n as usize].score
    }

    pub fn member(&self, n: u32) -> &[u8] {
        &self.elems[n as usize].member
    }

    /// Heap bytes held by the tree (for DEBUG OBJECT and memory accounting).
    pub fn heap_size(&self) -> usize {
        self.elems.capacity() * std::mem::size_of::<Elem>()
            + self.free.capacity() * std::mem::size_of::<u32>()
            + self.leaves.heap_size()
            + self.inners.heap_size()
            + self.elems.iter().map(|e| e.member.len()).sum::<usize>()
    }

    /// Turns every `-0` score into `0` (same order: the two compare equal).
    pub fn clear_negative_zeros(&mut self) {
        fn clear(scores: &mut [f64]) {
            for s in scores.iter_mut().filter(|s| **s == 0.0) {
                *s = 0.0;
            }
        }
        for e in &mut self.elems {
            clear(std::slice::from_mut(&mut e.score));
        }
        self.leaves.all_mut().for_each(|l| clear(&mut l.scores));
        self.inners.all_mut().for_each(|n| clear(&mut n.scores));
    }

    /// Inserts a new element (the caller guarantees `member` is not present); returns its
    /// handle.
    pub fn insert(&mut self, score: f64, member: Box<[u8]>) -> u32 {
        let elem = Elem { score, member };
        let h = match self.free.pop() {
            Some(h) => {
                self.elems[h as usize] = elem;
                h
            }
            None => {
                self.elems.push(elem);
                (self.elems.len() - 1) as u32
            }
        };
        if self.root == NIL {
            self.root = self.leaves.alloc();
            self.height = 0;
            self.leaves[self.root].insert(0, score, h);
            return h;
        }
        let (steps, node) = self.descend(score, h, Count::Add);
        let path = &steps[..self.height];
        let leaf = &mut self.leaves[node];
        let at = position(
            leaf.scores(),
            leaf.handles(),
            score,
            h,
            &self.elems,
            Seek::Absent,
        );
        if at == 0 {
            // Any other element is above the key that led to its leaf, so only a new
            // smallest element of the whole set lands first in its leaf, through the first
            // child of every node: it becomes each one's smallest key.
            for &(p, _) in path {
                self.inners[p].set_key(0, (score, h));
            }
        }
        if leaf.len() < Leaf::CAP {
            leaf.insert(at, score, h);
        } else {
            self.insert_full(path, node, at, score, h);
        }
        h
    }

    /// Unlinks element `n` and returns its member; its slot goes to the free list.
    pub fn remove(&mut self, n: u32) -> Box<[u8]> {
        let score = self.elems[n as usize].score;
        let (steps, node) = self.descend(score, n, Count::Remove);
        let path = &steps[..self.height];
        let leaf = &mut self.leaves[node];
        let at = position(
            leaf.scores(),
            leaf.handles(),
            score,
            n,
            &self.elems,
            Seek::Held,
        );
        debug_assert_eq!(leaf.handles[at], n, "removed element is in the tree");
        leaf.remove(at);
        let left = leaf.len();
        if at == 0 && left > 0 {
            // The removed element was the smallest key of this leaf and maybe of some
            // ancestors; none may keep naming it, as its slot will be reused.
            let key = leaf.min();
            self.set_min(path, key);
        }
        if path.is_empty() {
            if left == 0 {
                self.leaves.release(node);
                self.root = NIL;
            }
        } else if left < node::LEAF_MIN {
            self.refill_leaf(path);
        }
        self.free.push(n);
        std::mem::take(&mut self.elems[n as usize].member)
    }

    /// Walks from the root to the leaf where key `(score, h)` belongs, counting the element
    /// into (or out of) every subtree on the way; returns the inner nodes passed with the
    /// child taken in each (the first `height` entries) and the leaf.
    fn descend(&mut self, score: f64, h: u32, count: Count) -> ([(u32, u32); MAX_HEIGHT], u32) {
        let mut steps = [(NIL, 0); MAX_HEIGHT];
        let mut node = self.root;
        for step in &mut steps[..self.height] {
            let inner = &mut self.inners[node];
            let i = inner.child_for(score, h, &self.elems);
            match count {
                Count::Add => inner.counts[i] += 1,
                Count::Remove => inner.counts[i] -= 1,
            }
            *step = (node, i as u32);
            node = inner.children[i];
        }
        (steps, node)
    }

    /// Records `key` as the smallest key of the subtree at the end of `path`, and of every
    /// ancestor it is the first child of.
    fn set_min(&mut self, path: &Path, key: (f64, u32)) {
        for &(p, i) in path.iter().rev() {
            self.inners[p].set_key(i as usize, key);
            if i != 0 {
                break;
            }
        }
    }

    /// Zero-based rank of element `n` in ascending order.
    pub fn rank(&self, n: u32) -> usize {
        let score = self.elems[n as usize].score;
        let mut node = self.root;
        let mut rank = 0;
        for _ in 0..self.height {
            let inner = &self.inners[node];
            let i = inner.child_for(score, n, &self.elems);
            rank += inner.count_to(i);
            node = inner.children[i];
        }
        let leaf = &self.leaves[node];
        rank + position(
            leaf.scores(),
            leaf.handles(),
            score,
            n,
            &self.elems,
            Seek::Held,
        )
    }

    /// The leaf and position holding ascending rank `rank` (below `len`).
    fn locate(&self, mut rank: usize) -> (u32, usize) {
        let mut node = self.root;
        for _ in 0..self.height {
            let inner = &self.inners[node];
            let mut i = 0;
            while rank >= inner.counts[i] as usize {
                rank -= inner.counts[i] as usize;
                i += 1;
            }
            node = inner.children[i];
        }
        (node, rank)
    }

    /// The element at zero-based ascending rank `rank` (which must be below `len`).
    pub fn select(&self, rank: usize) -> u32 {
        let (leaf, at) = self.locate(rank);
        self.leaves[leaf].handles[at]
    }

    /// How many elements satisfy `before`, a predicate that holds for a prefix of the order
    /// (e.g. "score below 5").
    pub fn count_before(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        if self.root == NIL {
            return 0;
        }
        let holds = |scores: &[f64], handles: &[u32], i: usize| {
            before(scores[i], &self.elems[handles[i] as usize].member)
        };
        let mut node = self.root;
        let mut count = 0;
        for _ in 0..self.height {
            let inner = &self.inners[node];
            let p = first_failing(inner.len(), |i| holds(&inner.scores, &inner.handles, i));
            if p == 0 {
                return count;
            }
            count += inner.count_to(p - 1);
            node = inner.children[p - 1];
        }
        let leaf = &self.leaves[node];
        count + first_failing(leaf.len(), |i| holds(&leaf.scores, &leaf.handles, i))
    }

    /// Iterates elements from ascending rank `rank`, upwards or (with `rev`) downwards.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        let (leaf, at) = if rank < self.len() {
            self.locate(rank)
        } else {
            (NIL, 0)
        };
        Iter {
            tree: self,
            leaf,
            at: at as u32,
            rev,
        }
    }
}

/// In-order (or reverse) iterator over element handles: a position in the leaf chain.
pub struct Iter<'a> {
    tree: &'a Tree,
    leaf: u32,
    at: u32,
    rev: bool,
}

impl Iterator for Iter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.leaf == NIL {
            return None;
        }
        let leaves = &self.tree.leaves;
        let leaf = &leaves[self.leaf];
        let h = leaf.handles[self.at as usize];
        if !self.rev {
            self.at += 1;
            if self.at == leaf.len {
                (self.leaf, self.at) = (leaf.next, 0);
            }
        } else if self.at > 0 {
            self.at -= 1;
        } else {
            self.leaf = leaf.prev;
            if self.leaf != NIL {
                self.at = leaves[self.leaf].len - 1;
            }
        }
        Some(h)
    }
}
