//! The nodes of the sorted set's B+tree and the arena that holds them.
//!
//! A node keeps its keys as parallel arrays (scores in one, element handles in another), so
//! a search compares packed `f64`s and touches an element's member bytes only when scores
//! tie. Leaves hold the elements in order and link to their neighbours; inner nodes hold, for
//! each child, the child's smallest key and how many elements live under it. Nodes are moved
//! between with the column helpers below, which copy whole ranges at once. Pure and
//! synchronous.

use std::cmp::Ordering;

use super::Elem;

/// Elements per leaf: a full leaf is 12 bytes per element plus a 12-byte header, and its
/// score column spans eight cache lines.
pub const LEAF_CAP: usize = 64;
/// Children per inner node.
pub const INNER_CAP: usize = 64;
/// A non-root node with fewer entries than this after a removal takes some from a
/// sibling or merges with it, so no removal pattern leaves the tree sparse. Leaves, which
/// hold nearly all the bytes, are kept half full; inner nodes a third, to merge less often.
pub const LEAF_MIN: usize = LEAF_CAP / 2;
pub const INNER_MIN: usize = INNER_CAP / 3;

/// A run of consecutive elements, in order.
#[derive(Clone)]
pub struct Leaf {
    pub len: u32,
    pub prev: u32,
    pub next: u32,
    pub scores: [f64; LEAF_CAP],
    pub handles: [u32; LEAF_CAP],
}

/// Children in order, each with its smallest key and its element count.
#[derive(Clone)]
pub struct Inner {
    pub len: u32,
    pub scores: [f64; INNER_CAP],
    pub handles: [u32; INNER_CAP],
    pub children: [u32; INNER_CAP],
    pub counts: [u32; INNER_CAP],
}

impl Default for Leaf {
    fn default() -> Self {
        Leaf {
            len: 0,
            prev: super::NIL,
            next: super::NIL,
            scores: [0.0; LEAF_CAP],
            handles: [0; LEAF_CAP],
        }
    }
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            len: 0,
            scores: [0.0; INNER_CAP],
            handles: [0; INNER_CAP],
            children: [0; INNER_CAP],
            counts: [0; INNER_CAP],
        }
    }
}

/// Makes room at `at` in the first `len` items of `a` and writes `v` there.
fn put<T: Copy>(a: &mut [T], len: usize, at: usize, v: T) {
    a.copy_within(at..len, at + 1);
    a[at] = v;
}

/// Appends the first `k` of `r`'s `rl` items to `l`'s `ll` items.
fn to_left<T: Copy>(l: &mut [T], ll: usize, r: &mut [T], rl: usize, k: usize) {
    l[ll..ll + k].copy_from_slice(&r[..k]);
    r.copy_within(k..rl, 0);
}

/// Prepends the last `k` of `l`'s `ll` items to `r`'s `rl` items.
fn to_right<T: Copy>(l: &[T], ll: usize, r: &mut [T], rl: usize, k: usize) {
    r.copy_within(..rl, k);
    r[..k].copy_from_slice(&l[ll - k..ll]);
}

/// What leaves and inner nodes share: a length, sorted keys, and moves between siblings.
pub trait Node: Default {
    const CAP: usize;
    fn len(&self) -> usize;
    fn set_len(&mut self, len: usize);
    fn scores(&self) -> &[f64];
    fn handles(&self) -> &[u32];
    /// Moves the first `k` entries of `r` to the end of `l`.
    fn shift_left(l: &mut Self, r: &mut Self, k: usize);
    /// Moves the last `k` entries of `l` to the front of `r`.
    fn shift_right(l: &mut Self, r: &mut Self, k: usize);

    /// Moves entries between neighbours `l` and `r` until their lengths differ by at most
    /// one.
    fn even_out(l: &mut Self, r: &mut Self)
    where
        Self: Sized,
    {
        let (ll, rl) = (l.len(), r.len());
        if ll < rl {
            Self::shift_left(l, r, (rl - ll) / 2);
        } else {
            Self::shift_right(l, r, (ll - rl) / 2);
        }
    }

    /// The smallest key.
    fn min(&self) -> (f64, u32) {
        (self.scores()[0], self.handles()[0])
    }
}

impl Node for Leaf {
    const CAP: usize = LEAF_CAP;
    fn len(&self) -> usize {
        self.len as usize
    }
    fn set_len(&mut self, len: usize) {
        self.len = len as u32;
    }
    fn scores(&self) -> &[f64] {
        &self.scores[..self.len as usize]
    }
    fn handles(&self) -> &[u32] {
        &self.handles[..self.len as usize]
    }
    fn shift_left(l: &mut Self, r: &mut Self, k: usize) {
        let (ll, rl) = (l.len(), r.len());
        to_left(&mut l.scores, ll, &mut r.scores, rl, k);
        to_left(&mut l.handles, ll, &mut r.handles, rl, k);
        l.set_len(ll + k);
        r.set_len(rl - k);
    }
    fn shift_right(l: &mut Self, r: &mut Self, k: usize) {
        let (ll, rl) = (l.len(), r.len());
        to_right(&l.scores, ll, &mut r.scores, rl, k);
        to_right(&l.handles, ll, &mut r.handles, rl, k);
        l.set_len(ll - k);
        r.set_len(rl + k);
    }
}

impl Leaf {
    /// Inserts an element at `at` (the leaf has room).
    pub fn insert(&mut self, at: usize, score: f64, h: u32) {
        let len = self.len();
        put(&mut self.scores, len, at, score);
        put(&mut self.handles, len, at, h);
        self.len += 1;
    }

    pub fn remove(&mut self, at: usize) {
        let len = self.len();
        self.scores.copy_within(at + 1..len, at);
        self.handles.copy_within(at + 1..len, at);
        self.len -= 1;
    }
}

impl Node for Inner {
    const CAP: usize = INNER_CAP;
    fn len(&self) -> usize {
        self.len as usize
    }
    fn set_len(&mut self, len: usize) {
        self.len = len as u32;
    }
    fn scores(&self) -> &[f64] {
        &self.scores[..self.len as usize]
    }
    fn handles(&self) -> &[u32] {
        &self.handles[..self.len as usize]
    }
    fn shift_left(l: &mut Self, r: &mut Self, k: usize) {
        let (ll, rl) = (l.len(), r.len());
        to_left(&mut l.scores, ll, &mut r.scores, rl, k);
        to_left(&mut l.handles, ll, &mut r.handles, rl, k);
        to_left(&mut l.children, ll, &mut r.children, rl, k);
        to_left(&mut l.counts, ll, &mut r.counts, rl, k);
        l.set_len(ll + k);
        r.set_len(rl - k);
    }
    fn shift_right(l: &mut Self, r: &mut Self, k: usize) {
        let (ll, rl) = (l.len(), r.len());
        to_right(&l.scores, ll, &mut r.scores, rl, k);
        to_right(&l.handles, ll, &mut r.handles, rl, k);
        to_right(&l.children, ll, &mut r.children, rl, k);
        to_right(&l.counts, ll, &mut r.counts, rl, k);
        l.set_len(ll - k);
        r.set_len(rl + k);
    }
}

impl Inner {
    /// Inserts a child with smallest key `key` and `count` elements at `at` (there is room).
    pub fn insert(&mut self, at: usize, key: (f64, u32), child: u32, count: u32) {
        let len = self.len();
        put(&mut self.scores, len, at, key.0);
        put(&mut self.handles, len, at, key.1);
        put(&mut self.children, len, at, child);
        put(&mut self.counts, len, at, count);
        self.len += 1;
    }

    pub fn remove(&mut self, at: usize) {
        let len = self.len();
        self.scores.copy_within(at + 1..len, at);
        self.handles.copy_within(at + 1..len, at);
        self.children.copy_within(at + 1..len, at);
        self.counts.copy_within(at + 1..len, at);
        self.len -= 1;
    }

    pub fn set_key(&mut self, at: usize, key: (f64, u32)) {
        self.scores[at] = key.0;
        self.handles[at] = key.1;
    }

    /// Elements under the first `i` children.
    pub fn count_to(&self, i: usize) -> usize {
        self.counts[..i].iter().map(|&c| c as usize).sum()
    }

    pub fn total(&self) -> u32 {
        self.counts[..self.len()].iter().sum()
    }

    /// The child whose range holds the element `(score, h)`: the last one whose smallest key
    /// is not above it, or the first child when every key is.
    pub fn child_for(&self, score: f64, h: u32, elems: &[Elem]) -> usize {
        position(self.scores(), self.handles(), score, h, elems, Seek::UpTo).saturating_sub(1)
    }
}

/// What a search knows about the element it places among a node's keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// It is not there (an insertion).
    Absent,
    /// It may be one of the keys, and counts itself (descending an inner node).
    UpTo,
    /// It is one of the keys (a leaf, for a removal or a rank): a key alone with its score
    /// is the element itself, so the handle column is read only when scores tie.
    Held,
}

/// How many of the sorted keys `scores`/`handles` order before element `(score, h)` (with
/// [`Seek::UpTo`], also the key that is `h` itself). Scores are compared first, over the
/// packed column; members are read only for the keys whose score ties.
///
/// The score column is counted rather than binary-searched: the count has no branches to
/// mispredict and compiles to vector compares, and its loads are independent, so the cache
/// lines of a node that is not in cache arrive together instead of one probe after another.
pub fn position(
    scores: &[f64],
    handles: &[u32],
    score: f64,
    h: u32,
    elems: &[Elem],
    seek: Seek,
) -> usize {
    let (mut lo, mut ties) = (0, 0);
    for &s in scores {
        lo += (s < score) as usize;
        ties += (s == score) as usize;
    }
    if ties == 0 || (ties == 1 && seek == Seek::Held) {
        return lo;
    }
    let inclusive = seek == Seek::UpTo;
    let member = &elems[h as usize].member;
    lo + handles[lo..lo + ties].partition_point(|&k| {
        if k == h {
            return inclusive;
        }
        elems[k as usize].member.cmp(member) == Ordering::Less
    })
}

/// Nodes of one kind in fixed-size chunks, addressed by `u32`: growing never copies the
/// nodes already there nor doubles the footprint, as a `Vec` would, and freed slots are
/// reused first.
#[derive(Clone)]
pub struct Arena<T> {
    chunks: Vec<Box<[T]>>,
    used: u32,
    free: Vec<u32>,
}

/// Nodes per arena chunk (a power of two).
const CHUNK: usize = 32;

impl<T: Default + Clone> Arena<T> {
    pub const fn new() -> Self {
        Arena {
            chunks: Vec::new(),
            used: 0,
            free: Vec::new(),
        }
    }

    /// A fresh (default) node's index.
    pub fn alloc(&mut self) -> u32 {
        if let Some(i) = self.free.pop() {
            self[i] = T::default();
            return i;
        }
        let i = self.used;
        if i as usize == self.chunks.len() * CHUNK {
            self.chunks
                .push(vec![T::default(); CHUNK].into_boxed_slice());
        }
        self.used += 1;
        i
    }

    pub fn release(&mut self, i: u32) {
        self.free.push(i);
    }

    /// Heap bytes held.
    pub fn heap_size(&self) -> usize {
        self.chunks.len() * CHUNK * std::mem::size_of::<T>()
            + self.chunks.capacity() * std::mem::size_of::<Box<[T]>>()
            + self.free.capacity() * std::mem::size_of::<u32>()
    }

    /// Nodes in use.
    #[cfg(test)]
    pub fn live(&self) -> usize {
        self.used as usize - self.free.len()
    }

    /// Every node slot (live or free), for whole-arena rewrites.
    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.chunks.iter_mut().flat_map(|c| c.iter_mut())
    }

    /// Two distinct nodes at once.
    pub fn pair(&mut self, a: u32, b: u32) -> (&mut T, &mut T) {
        let (ca, sa) = (a as usize / CHUNK, a as usize % CHUNK);
        let (cb, sb) = (b as usize / CHUNK, b as usize % CHUNK);
        if ca == cb {
            let chunk = &mut self.chunks[ca];
            if sa < sb {
                let (x, y) = chunk.split_at_mut(sb);
                (&mut x[sa], &mut y[0])
            } else {
                let (x, y) = chunk.split_at_mut(sa);
                (&mut y[0], &mut x[sb])
            }
        } else if ca < cb {
            let (x, y) = self.chunks.split_at_mut(cb);
            (&mut x[ca][sa], &mut y[0][sb])
        } else {
            let (x, y) = self.chunks.split_at_mut(ca);
            (&mut y[0][sa], &mut x[cb][sb])
        }
    }
}

impl<T> std::ops::Index<u32> for Arena<T> {
    type Output = T;
    fn index(&self, i: u32) -> &T {
        &self.chunks[i as usize / CHUNK][i as usize % CHUNK]
    }
}

impl<T> std::ops::IndexMut<u32> for Arena<T> {
    fn index_mut(&mut self, i: u32) -> &mut T {
        &mut self.chunks[i as usize / CHUNK][i as usize % CHUNK]
    }
}
