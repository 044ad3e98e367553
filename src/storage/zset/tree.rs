//! The ordered half of a sorted set: an order-statistic treap over `(score, member)`.
//!
//! Nodes live in one arena (`Vec<Node>`) and point at each other with `u32` indexes, so a node
//! costs 40 bytes plus its member's allocation, and the member index of [`super::ZSet`] can
//! refer to a node with 4 bytes. Every node keeps the size of its subtree, which gives rank,
//! select and counting below a bound in O(log n) expected time; iteration from a rank walks an
//! explicit stack, so a range of m elements costs O(log n + m). Pure and synchronous; owned by
//! the data core that owns the key.

use std::cmp::Ordering;

/// No node.
pub const NIL: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Node {
    score: f64,
    member: Box<[u8]>,
    left: u32,
    right: u32,
    /// Nodes in this subtree, this one included.
    size: u32,
    /// Heap priority (a parent's is never below its children's); random.
    prio: u32,
}

/// Where a subtree hangs: the root, or a child link of a node.
#[derive(Clone, Copy)]
enum Link {
    Root,
    Left(u32),
    Right(u32),
}

/// An order-statistic treap; freed nodes are chained through `left` for reuse.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    root: u32,
    free: u32,
    seed: u64,
}

impl Default for Tree {
    /// An empty tree whose priorities come from a per-tree random seed, so no insertion
    /// order chosen by a client can make it degenerate (and its recursion deep).
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Tree {
            nodes: Vec::new(),
            root: NIL,
            free: NIL,
            seed: seed | 1,
        }
    }
}

/// Compares `(score, member)` pairs the way redis-server orders a sorted set.
pub fn cmp_entry(a: f64, am: &[u8], b: f64, bm: &[u8]) -> Ordering {
    match a.partial_cmp(&b) {
        Some(Ordering::Equal) | None => am.cmp(bm),
        Some(o) => o,
    }
}

impl Tree {
    pub fn len(&self) -> usize {
        self.size(self.root) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.root == NIL
    }

    pub fn score(&self, n: u32) -> f64 {
        self.nodes[n as usize].score
    }

    pub fn member(&self, n: u32) -> &[u8] {
        &self.nodes[n as usize].member
    }

    /// Heap bytes held by the tree (for DEBUG OBJECT and memory accounting).
    pub fn heap_size(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.nodes.iter().map(|n| n.member.len()).sum::<usize>()
    }

    /// Turns every `-0` score into `0` (same order: the two compare equal).
    pub fn clear_negative_zeros(&mut self) {
        for node in &mut self.nodes {
            if node.score == 0.0 {
                node.score = 0.0;
            }
        }
    }

    fn size(&self, n: u32) -> u32 {
        if n == NIL {
            0
        } else {
            self.nodes[n as usize].size
        }
    }

    fn cmp_nodes(&self, a: u32, b: u32) -> Ordering {
        let (a, b) = (&self.nodes[a as usize], &self.nodes[b as usize]);
        cmp_entry(a.score, &a.member, b.score, &b.member)
    }

    fn next_prio(&mut self) -> u32 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        (self.seed >> 32) as u32
    }

    /// Inserts a new element (the caller guarantees `member` is not present); returns its node.
    pub fn insert(&mut self, score: f64, member: Box<[u8]>) -> u32 {
        let prio = self.next_prio();
        let node = Node {
            score,
            member,
            left: NIL,
            right: NIL,
            size: 1,
            prio,
        };
        let n = if self.free == NIL {
            self.nodes.push(node);
            (self.nodes.len() - 1) as u32
        } else {
            let n = self.free;
            self.free = self.nodes[n as usize].left;
            self.nodes[n as usize] = node;
            n
        };
        // Walk down to where the new node's priority puts it, counting it into the size of
        // every subtree on the way, then split what hangs there around it: one descent, and
        // no sibling is loaded just to recompute a size.
        let mut link = Link::Root;
        let mut t = self.root;
        while t != NIL && self.nodes[t as usize].prio >= prio {
            self.nodes[t as usize].size += 1;
            (link, t) = self.step_toward(n, t);
        }
        let below = self.size(t);
        let (l, r) = self.split(t, n);
        let node = &mut self.nodes[n as usize];
        node.left = l;
        node.right = r;
        node.size = below + 1;
        self.set_link(link, n);
        n
    }

    /// One step down from `t` toward where node `n` orders: the link taken and the child.
    fn step_toward(&self, n: u32, t: u32) -> (Link, u32) {
        let node = &self.nodes[t as usize];
        if self.cmp_nodes(n, t) == Ordering::Less {
            (Link::Left(t), node.left)
        } else {
            (Link::Right(t), node.right)
        }
    }

    /// Points the parent link `link` at `n`.
    fn set_link(&mut self, link: Link, n: u32) {
        match link {
            Link::Root => self.root = n,
            Link::Left(p) => self.nodes[p as usize].left = n,
            Link::Right(p) => self.nodes[p as usize].right = n,
        }
    }

    /// Splits subtree `t` into the nodes ordered before `key` and the rest.
    fn split(&mut self, t: u32, key: u32) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        if self.cmp_nodes(t, key) == Ordering::Less {
            let (a, b) = self.split(self.nodes[t as usize].right, key);
            let moved = self.size(b);
            let node = &mut self.nodes[t as usize];
            node.right = a;
            node.size -= moved;
            (t, b)
        } else {
            let (a, b) = self.split(self.nodes[t as usize].left, key);
            let moved = self.size(a);
            let node = &mut self.nodes[t as usize];
            node.left = b;
            node.size -= moved;
            (a, t)
        }
    }

    /// Joins two subtrees where every node of `a` orders before every node of `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        let (na, nb) = (&self.nodes[a as usize], &self.nodes[b as usize]);
        let (size_a, size_b) = (na.size, nb.size);
        if na.prio > nb.prio {
            let r = self.merge(self.nodes[a as usize].right, b);
            let node = &mut self.nodes[a as usize];
            node.right = r;
            node.size = size_a + size_b;
            a
        } else {
            let l = self.merge(a, self.nodes[b as usize].left);
            let node = &mut self.nodes[b as usize];
            node.left = l;
            node.size = size_a + size_b;
            b
        }
    }

    /// Unlinks node `n` and returns its member; the node goes to the free list.
    pub fn remove(&mut self, n: u32) -> Box<[u8]> {
        // Walk down to the node, taking it out of the size of every subtree on the way, and
        // put the merge of its children in its place.
        let mut link = Link::Root;
        let mut t = self.root;
        while t != n {
            debug_assert!(t != NIL, "removed node is in the tree");
            self.nodes[t as usize].size -= 1;
            (link, t) = self.step_toward(n, t);
        }
        let (l, r) = (self.nodes[n as usize].left, self.nodes[n as usize].right);
        let merged = self.merge(l, r);
        self.set_link(link, merged);
        let node = &mut self.nodes[n as usize];
        node.left = self.free;
        self.free = n;
        std::mem::take(&mut node.member)
    }

    /// Zero-based rank of node `n` in ascending order.
    pub fn rank(&self, n: u32) -> usize {
        let mut t = self.root;
        let mut rank = 0;
        while t != NIL {
            match self.cmp_nodes(n, t) {
                Ordering::Less => t = self.nodes[t as usize].left,
                Ordering::Equal => return rank + self.size(self.nodes[t as usize].left) as usize,
                Ordering::Greater => {
                    rank += self.size(self.nodes[t as usize].left) as usize + 1;
                    t = self.nodes[t as usize].right;
                }
            }
        }
        rank
    }

    /// The node at zero-based ascending rank `rank` (which must be below `len`).
    pub fn select(&self, mut rank: usize) -> u32 {
        let mut t = self.root;
        loop {
            let ls = self.size(self.nodes[t as usize].left) as usize;
            match rank.cmp(&ls) {
                Ordering::Less => t = self.nodes[t as usize].left,
                Ordering::Equal => return t,
                Ordering::Greater => {
                    rank -= ls + 1;
                    t = self.nodes[t as usize].right;
                }
            }
        }
    }

    /// How many elements satisfy `before`, a predicate that holds for a prefix of the order
    /// (e.g. "score below 5").
    pub fn count_before(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut t = self.root;
        let mut count = 0;
        while t != NIL {
            let node = &self.nodes[t as usize];
            if before(node.score, &node.member) {
                count += self.size(node.left) as usize + 1;
                t = node.right;
            } else {
                t = node.left;
            }
        }
        count
    }

    /// Iterates nodes from ascending rank `rank`, upwards or (with `rev`) downwards.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        let mut it = Iter {
            tree: self,
            stack: Vec::new(),
            rev,
        };
        if rank >= self.len() {
            return it;
        }
        let mut t = self.root;
        let mut r = rank;
        while t != NIL {
            let node = &self.nodes[t as usize];
            let ls = self.size(node.left) as usize;
            match (r.cmp(&ls), rev) {
                (Ordering::Equal, _) => {
                    it.stack.push(t);
                    break;
                }
                (Ordering::Less, false) => {
                    it.stack.push(t);
                    t = node.left;
                }
                (Ordering::Less, true) => t = node.left,
                (Ordering::Greater, false) => {
                    r -= ls + 1;
                    t = node.right;
                }
                (Ordering::Greater, true) => {
                    it.stack.push(t);
                    r -= ls + 1;
                    t = node.right;
                }
            }
        }
        it
    }
}

/// In-order (or reverse) iterator over node indexes.
pub struct Iter<'a> {
    tree: &'a Tree,
    stack: Vec<u32>,
    rev: bool,
}

impl Iterator for Iter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let n = self.stack.pop()?;
        let node = &self.tree.nodes[n as usize];
        let mut t = if self.rev { node.left } else { node.right };
        while t != NIL {
            self.stack.push(t);
            let child = &self.tree.nodes[t as usize];
            t = if self.rev { child.right } else { child.left };
        }
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorted insertions (the common "increasing score" pattern) keep the tree shallow: a
    /// degenerate tree would overflow the test thread's stack in the recursive split.
    #[test]
    fn sorted_insertions_stay_balanced() {
        let mut tree = Tree::default();
        for i in 0..200_000u32 {
            tree.insert(i as f64, i.to_be_bytes().into());
        }
        for i in (0..200_000u32).rev() {
            tree.insert(-(i as f64), [b'n'].into());
            tree.remove(tree.select(0));
        }
        assert_eq!(tree.len(), 200_000);
        assert_eq!(tree.score(tree.select(123_456)), 123_456.0);
    }

    /// Checks subtree `t`: every size is one plus its children's, no child's priority is
    /// above its parent's, and children order on the right side. Returns the subtree size.
    fn check_subtree(tree: &Tree, t: u32, parent_prio: u32) -> u32 {
        if t == NIL {
            return 0;
        }
        let node = &tree.nodes[t as usize];
        assert!(node.prio <= parent_prio, "heap order broken at {t}");
        for (child, want) in [(node.left, Ordering::Less), (node.right, Ordering::Greater)] {
            if child != NIL {
                assert_eq!(tree.cmp_nodes(child, t), want, "search order broken at {t}");
            }
        }
        let size = 1
            + check_subtree(tree, node.left, node.prio)
            + check_subtree(tree, node.right, node.prio);
        assert_eq!(node.size, size, "size of {t}");
        size
    }

    /// Random inserts and removals checked against a sorted vector: ranks, selects, counts
    /// and iteration in both directions.
    #[test]
    fn ranks_match_a_naive_model() {
        let mut tree = Tree::default();
        let mut model: Vec<(f64, Vec<u8>, u32)> = Vec::new();
        let mut x = 0x1234_5678_9abc_def1u64;
        let mut rnd = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for step in 0..4000 {
            if model.is_empty() || rnd(3) > 0 {
                let member = format!("m{}", rnd(500)).into_bytes();
                if model.iter().any(|(_, m, _)| *m == member) {
                    continue;
                }
                let score = rnd(50) as f64 / 4.0;
                let n = tree.insert(score, member.clone().into());
                model.push((score, member, n));
            } else {
                let i = rnd(model.len() as u64) as usize;
                let (_, member, n) = model.swap_remove(i);
                assert_eq!(&*tree.remove(n), &member[..]);
            }
            model.sort_by(|a, b| cmp_entry(a.0, &a.1, b.0, &b.1));
            assert_eq!(tree.len(), model.len());
            assert_eq!(
                check_subtree(&tree, tree.root, u32::MAX),
                model.len() as u32
            );
            if step % 50 != 0 {
                continue;
            }
            for (rank, (score, member, n)) in model.iter().enumerate() {
                assert_eq!(tree.rank(*n), rank);
                assert_eq!(tree.select(rank), *n);
                assert_eq!(tree.score(*n), *score);
                assert_eq!(tree.member(*n), &member[..]);
            }
            let fwd: Vec<u32> = tree.iter_from(0, false).collect();
            assert_eq!(fwd, model.iter().map(|e| e.2).collect::<Vec<_>>());
            let start = rnd(model.len() as u64 + 1) as usize;
            let rev: Vec<u32> = tree.iter_from(start, true).collect();
            let want: Vec<u32> = model.iter().take(start + 1).rev().map(|e| e.2).collect();
            assert_eq!(rev, if start < model.len() { want } else { vec![] });
            let bound = rnd(50) as f64 / 4.0;
            let below = model.iter().filter(|e| e.0 < bound).count();
            assert_eq!(tree.count_before(|s, _| s < bound), below);
        }
    }
}
