//! Keeping the sorted set's B+tree balanced and dense: what happens when an insertion finds
//! its leaf full (spill into a sibling, or split and pass a new child up) and when a removal
//! leaves a node under its minimum fill (borrow from a sibling, or merge with it and pass
//! the removal up). Splits, merges and borrows rewrite the smallest keys and counts they change
//! in the parent; the callers in [`super`] keep the ones along the descent path. Pure and
//! synchronous.

use super::node::{Inner, Leaf, Node, INNER_CAP, INNER_MIN, LEAF_CAP};
use super::{Path, Tree, MAX_HEIGHT, NIL};

/// A full leaf spills into a sibling only if that sibling has at least this much room, so
/// one spill makes room for at least two insertions. Spilling keeps leaves over three
/// quarters full under random insertions, where halving splits alone leave them about 70%.
const SPILL_ROOM: usize = 4;

impl Tree {
    /// Inserts `(score, h)` at position `at` of the full `leaf`, at the end of `path`.
    pub(super) fn insert_full(&mut self, path: &Path, leaf: u32, at: usize, score: f64, h: u32) {
        if let Some(&(parent, i)) = path.last() {
            if self.spill(parent, i as usize, leaf, at, score, h) {
                return;
            }
        }
        let l = &self.leaves[leaf];
        // A new largest (or smallest) element of the set gets a leaf of its own, so that
        // ascending or descending insertions leave full leaves behind them; any other split
        // halves the leaf.
        let cut = if at == LEAF_CAP && l.next == NIL {
            LEAF_CAP
        } else if at == 0 && l.prev == NIL {
            0
        } else {
            LEAF_CAP / 2
        };
        let right = self.leaves.alloc();
        let (l, r) = self.leaves.pair(leaf, right);
        Leaf::shift_right(l, r, LEAF_CAP - cut);
        (r.prev, r.next, l.next) = (leaf, l.next, right);
        if at < cut || cut == 0 {
            l.insert(at, score, h);
        } else {
            r.insert(at - cut, score, h);
        }
        let (left_count, count, key, next) = (l.len, r.len, r.min(), r.next);
        if next != NIL {
            self.leaves[next].prev = right;
        }
        self.add_child(path, left_count, right, key, count);
    }

    /// Makes room in the full `leaf` (child `i` of `parent`) by moving entries into a
    /// sibling with room to spare, then inserts; false when neither sibling has any.
    fn spill(&mut self, parent: u32, i: usize, leaf: u32, at: usize, score: f64, h: u32) -> bool {
        let p = &self.inners[parent];
        let roomy = |s: u32| self.leaves[s].len() + SPILL_ROOM <= LEAF_CAP;
        if i > 0 && roomy(p.children[i - 1]) {
            let (l, n) = self.leaves.pair(p.children[i - 1], leaf);
            let k = (LEAF_CAP - l.len()) / 2;
            Leaf::shift_left(l, n, k);
            if at <= k {
                l.insert(l.len() - k + at, score, h);
            } else {
                n.insert(at - k, score, h);
            }
            let (lc, nc, key) = (l.len, n.len, n.min());
            let p = &mut self.inners[parent];
            (p.counts[i - 1], p.counts[i]) = (lc, nc);
            p.set_key(i, key);
            return true;
        }
        if i + 1 < p.len() && roomy(p.children[i + 1]) {
            let (n, r) = self.leaves.pair(leaf, p.children[i + 1]);
            let k = (LEAF_CAP - r.len()) / 2;
            Leaf::shift_right(n, r, k);
            let kept = LEAF_CAP - k;
            if at <= kept {
                n.insert(at, score, h);
            } else {
                r.insert(at - kept, score, h);
            }
            let (nc, rc, key) = (n.len, r.len, r.min());
            let p = &mut self.inners[parent];
            (p.counts[i], p.counts[i + 1]) = (nc, rc);
            p.set_key(i + 1, key);
            return true;
        }
        false
    }

    /// Puts `child` (smallest key `key`, `count` elements) right after the child that split
    /// into it at the end of `path`, which kept `left_count` elements; splits full inner
    /// nodes on the way up, and the root into a new root.
    fn add_child(
        &mut self,
        path: &Path,
        mut left_count: u32,
        mut child: u32,
        mut key: (f64, u32),
        mut count: u32,
    ) {
        for (level, &(node, i)) in path.iter().enumerate().rev() {
            let at = i as usize + 1;
            if self.inners[node].len() < INNER_CAP {
                let inner = &mut self.inners[node];
                inner.counts[i as usize] = left_count;
                inner.insert(at, key, child, count);
                return;
            }
            // As for leaves, the last node of its level splits unevenly when the new child
            // goes last; it keeps two children, so every inner node has a sibling to
            // borrow from or merge with.
            let last = path[..level]
                .iter()
                .all(|&(p, j)| j as usize + 1 == self.inners[p].len());
            let cut = if at == INNER_CAP && last {
                INNER_CAP - 1
            } else {
                INNER_CAP / 2
            };
            let right = self.inners.alloc();
            let (l, r) = self.inners.pair(node, right);
            l.counts[i as usize] = left_count;
            Inner::shift_right(l, r, INNER_CAP - cut);
            if at < cut {
                l.insert(at, key, child, count);
            } else {
                r.insert(at - cut, key, child, count);
            }
            (left_count, child, key, count) = (l.total(), right, r.min(), r.total());
        }
        assert!(self.height < MAX_HEIGHT, "B+tree height bound");
        let old = self.root;
        let old_min = if self.height == 0 {
            self.leaves[old].min()
        } else {
            self.inners[old].min()
        };
        self.root = self.inners.alloc();
        self.height += 1;
        let root = &mut self.inners[self.root];
        root.insert(0, old_min, old, left_count);
        root.insert(1, key, child, count);
    }

    /// Brings the under-full leaf at the end of `path` back to its minimum fill, by taking
    /// entries from a sibling or merging with it.
    pub(super) fn refill_leaf(&mut self, path: &Path) {
        let (parent, i) = path[path.len() - 1];
        let p = &self.inners[parent];
        let li = (i as usize).max(1) - 1;
        let (l, r) = (p.children[li], p.children[li + 1]);
        let (ln, rn) = self.leaves.pair(l, r);
        let (ll, rl) = (ln.len(), rn.len());
        if ll + rl <= LEAF_CAP {
            Leaf::shift_left(ln, rn, rl);
            ln.next = rn.next;
            let (next, key) = (rn.next, ln.min());
            if next != NIL {
                self.leaves[next].prev = l;
            }
            self.leaves.release(r);
            let p = &mut self.inners[parent];
            p.counts[li] = (ll + rl) as u32;
            p.remove(li + 1);
            if ll == 0 {
                // Only the leaf just emptied can be empty, so it was the first child and
                // now holds its sibling's elements: their smallest is its smallest key.
                self.set_min(path, key);
            }
            self.refill_inner(&path[..path.len() - 1], parent);
            return;
        }
        Leaf::even_out(ln, rn);
        let (lc, rc, key) = (ln.len, rn.len, rn.min());
        let p = &mut self.inners[parent];
        (p.counts[li], p.counts[li + 1]) = (lc, rc);
        p.set_key(li + 1, key);
    }

    /// After inner node `node` (below `path`) lost a child: brings it back to its minimum
    /// fill like [`Self::refill_leaf`], up the path while merges make parents lose
    /// children; a root left with one child gives way to it.
    fn refill_inner(&mut self, path: &Path, mut node: u32) {
        for depth in (0..=path.len()).rev() {
            if depth == 0 {
                let root = &self.inners[node];
                if root.len() == 1 {
                    self.root = root.children[0];
                    self.height -= 1;
                    self.inners.release(node);
                }
                return;
            }
            if self.inners[node].len() >= INNER_MIN {
                return;
            }
            let (parent, i) = path[depth - 1];
            let p = &self.inners[parent];
            let li = (i as usize).max(1) - 1;
            let (l, r) = (p.children[li], p.children[li + 1]);
            let (ln, rn) = self.inners.pair(l, r);
            let (ll, rl) = (ln.len(), rn.len());
            if ll + rl <= INNER_CAP {
                Inner::shift_left(ln, rn, rl);
                let count = ln.total();
                self.inners.release(r);
                let p = &mut self.inners[parent];
                p.counts[li] = count;
                p.remove(li + 1);
                node = parent;
                continue;
            }
            Inner::even_out(ln, rn);
            let (lc, rc, key) = (ln.total(), rn.total(), rn.min());
            let p = &mut self.inners[parent];
            (p.counts[li], p.counts[li + 1]) = (lc, rc);
            p.set_key(li + 1, key);
            return;
        }
    }
}
