//! Tests of the sorted set's B+tree: a naive sorted-vector model for ranks, selects, counts
//! and iteration, and a structural check of every node after randomized, sorted and
//! draining workloads.

use std::collections::HashMap;

use super::node::{Node, INNER_CAP, INNER_MIN, LEAF_CAP, LEAF_MIN};
use super::*;

/// A xorshift generator; `rnd(n)` is below `n`.
fn rng(mut x: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    }
}

fn cmp_handles(tree: &Tree, a: u32, b: u32) -> Ordering {
    cmp_entry(tree.score(a), tree.member(a), tree.score(b), tree.member(b))
}

/// Checks the subtree under `node` at `level` inner levels above the leaves: counts, smallest
/// keys, key order and capacity; `sparse_ok` exempts it from the lower fill bound. Returns
/// its element count and smallest key.
fn check_node(tree: &Tree, node: u32, level: usize, sparse_ok: bool) -> (u32, u32) {
    if level == 0 {
        let leaf = &tree.leaves[node];
        assert!(
            leaf.len() >= 1 && leaf.len() <= LEAF_CAP,
            "leaf {node} size"
        );
        assert!(
            sparse_ok || leaf.len() >= LEAF_MIN,
            "leaf {node} under-full"
        );
        for (&s, &h) in leaf.scores().iter().zip(leaf.handles()) {
            assert_eq!(s.to_bits(), tree.score(h).to_bits(), "score of {h} in leaf");
        }
        return (leaf.len, leaf.handles[0]);
    }
    let inner = &tree.inners[node];
    let len = inner.len();
    assert!((2..=INNER_CAP).contains(&len), "inner {node} size");
    assert!(sparse_ok || len >= INNER_MIN, "inner {node} under-full");
    let mut total = 0;
    for i in 0..len {
        let child_sparse = sparse_ok && (i == 0 || i == len - 1);
        let (count, min) = check_node(tree, inner.children[i], level - 1, child_sparse);
        assert_eq!(inner.counts[i], count, "count {i} of {node}");
        assert_eq!(inner.handles[i], min, "key {i} of {node}");
        assert_eq!(inner.scores[i].to_bits(), tree.score(min).to_bits());
        if i > 0 {
            assert!(cmp_handles(tree, inner.handles[i - 1], min).is_lt());
        }
        total += count;
    }
    (total, inner.handles[0])
}

/// Checks the whole structure: every node, and the leaf chain in both directions against
/// the element order. Only the first and last node of a level may be under their minimum fill.
fn check(tree: &Tree) {
    if tree.root == NIL {
        assert_eq!(tree.len(), 0);
        return;
    }
    let (count, _) = check_node(tree, tree.root, tree.height, true);
    assert_eq!(count as usize, tree.len());
    let mut leaf = tree.root;
    for _ in 0..tree.height {
        leaf = tree.inners[leaf].children[0];
    }
    assert_eq!(tree.leaves[leaf].prev, NIL);
    let (mut seen, mut last) = (0, NIL);
    while leaf != NIL {
        let l = &tree.leaves[leaf];
        for &h in l.handles() {
            if last != NIL {
                assert!(cmp_handles(tree, last, h).is_lt(), "order at {h}");
            }
            (last, seen) = (h, seen + 1);
        }
        if l.next != NIL {
            assert_eq!(tree.leaves[l.next].prev, leaf);
        }
        leaf = l.next;
    }
    assert_eq!(seen, tree.len());
    let live = tree.leaves.live();
    assert!(live <= tree.len() / LEAF_MIN + 2, "{live} leaves");
}

/// Sorted insertions (the common "increasing score" pattern) fill leaves completely, and
/// removing from the front keeps them dense.
#[test]
fn sorted_insertions_fill_leaves() {
    let mut tree = Tree::default();
    for i in 0..200_000u32 {
        tree.insert(i as f64, i.to_be_bytes().into());
    }
    check(&tree);
    assert!(tree.leaves.live() <= 200_000 / LEAF_CAP + 1);
    for i in (0..200_000u32).rev() {
        tree.insert(-(i as f64), [b'n'].into());
        tree.remove(tree.select(0));
    }
    check(&tree);
    assert_eq!(tree.len(), 200_000);
    assert_eq!(tree.score(tree.select(123_456)), 123_456.0);
    assert_eq!(tree.rank(tree.select(123_456)), 123_456);
}

/// A new smallest element splits off a leaf of its own; popping it again empties that
/// first leaf, whose key in every ancestor must then move on to the next element.
#[test]
fn popping_new_minimums_keeps_keys() {
    let mut tree = Tree::default();
    for i in 0..5000u32 {
        tree.insert(i as f64, i.to_be_bytes().into());
    }
    for i in 1..400u32 {
        let n = tree.insert(-(i as f64), [b'n'].into());
        check(&tree);
        assert_eq!(tree.select(0), n);
        assert_eq!(&*tree.remove(n), b"n");
        check(&tree);
        if i % 3 == 0 {
            tree.remove(tree.select(0));
            tree.remove(tree.select(tree.len() - 1));
        }
    }
    assert_eq!(tree.len(), 5000 - 2 * 133);
    assert_eq!(tree.score(tree.select(0)), 133.0);
}

#[test]
fn reverse_sorted_insertions_fill_leaves() {
    let mut tree = Tree::default();
    for i in (0..100_000u32).rev() {
        tree.insert(0.0, i.to_be_bytes().into());
    }
    check(&tree);
    assert!(tree.leaves.live() <= 100_000 / LEAF_CAP + 1);
    let fwd: Vec<u32> = tree.iter_from(0, false).collect();
    assert!(fwd.iter().rev().copied().eq(tree.iter_from(99_999, true)));
    for (rank, &h) in fwd.iter().enumerate().step_by(997) {
        assert_eq!(tree.member(h), (rank as u32).to_be_bytes());
        assert_eq!(tree.rank(h), rank);
    }
}

/// Random inserts and removals checked against a sorted vector: ranks, selects, counts
/// and iteration in both directions.
#[test]
fn ranks_match_a_naive_model() {
    let mut tree = Tree::default();
    let mut model: Vec<(f64, Vec<u8>, u32)> = Vec::new();
    let mut rnd = rng(0x1234_5678_9abc_def1);
    for step in 0..6000 {
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
        if step % 50 != 0 {
            continue;
        }
        check(&tree);
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
        let fwd: Vec<u32> = tree.iter_from(start, false).collect();
        let want: Vec<u32> = model.iter().skip(start).map(|e| e.2).collect();
        assert_eq!(fwd, want);
        let bound = rnd(50) as f64 / 4.0;
        let below = model.iter().filter(|e| e.0 < bound).count();
        assert_eq!(tree.count_before(|s, _| s < bound), below);
        let lex = format!("m{}", rnd(500)).into_bytes();
        let before = model
            .iter()
            .filter(|e| cmp_entry(e.0, &e.1, bound, &lex).is_lt())
            .count();
        assert_eq!(
            tree.count_before(|s, m| cmp_entry(s, m, bound, &lex).is_lt()),
            before
        );
    }
}

/// 200k insertions, removals and score changes over 20k members and 8 distinct scores, so
/// most comparisons tie on score and order by member, across many splits and merges.
#[test]
fn randomized_ties_keep_every_invariant() {
    let mut tree = Tree::default();
    let mut handles: HashMap<u32, u32> = HashMap::new();
    let mut rnd = rng(0x0ddc_0ffe_e0dd_f00d);
    for step in 0..200_000 {
        let m = rnd(20_000) as u32;
        let key = format!("member:{m}").into_bytes();
        // Phases that mostly add and mostly remove make the set grow and shrink.
        let adding = (step / 25_000) % 2 == 0;
        match handles.get(&m).copied() {
            None => {
                let n = tree.insert(rnd(8) as f64, key.into());
                handles.insert(m, n);
            }
            Some(n) if rnd(4) == 0 || !adding => {
                assert_eq!(&*tree.remove(n), &key[..]);
                handles.remove(&m);
            }
            Some(n) => {
                tree.remove(n);
                handles.insert(m, tree.insert(rnd(8) as f64, key.into()));
            }
        }
        assert_eq!(tree.len(), handles.len());
        if step % 5000 == 0 {
            check(&tree);
            for (rank, h) in tree.iter_from(0, false).enumerate().step_by(37) {
                assert_eq!(tree.rank(h), rank);
                assert_eq!(tree.select(rank), h);
            }
        }
    }
    check(&tree);
    for (&m, &n) in &handles {
        assert_eq!(tree.member(n), format!("member:{m}").as_bytes());
    }
}

/// Removing every element in random order empties the tree; the slab slots and nodes are
/// then reused rather than grown.
#[test]
fn drains_to_empty_and_reuses() {
    let mut tree = Tree::default();
    let mut rnd = rng(42);
    let mut sizes = Vec::new();
    for _ in 0..3 {
        let mut live: Vec<u32> = (0..30_000u32)
            .map(|i| tree.insert(rnd(1000) as f64, i.to_le_bytes().into()))
            .collect();
        check(&tree);
        assert_eq!(tree.elems.len(), 30_000);
        sizes.push(tree.heap_size());
        while !live.is_empty() {
            let n = live.swap_remove(rnd(live.len() as u64) as usize);
            tree.remove(n);
            if live.len() % 3000 == 0 {
                check(&tree);
            }
        }
        assert!(tree.is_empty());
        assert_eq!(tree.root, NIL);
        assert_eq!(tree.len(), 0);
        assert_eq!(tree.iter_from(0, false).next(), None);
        assert_eq!(tree.count_before(|_, _| true), 0);
        assert_eq!(tree.leaves.live() + tree.inners.live(), 0);
    }
    // Bookkeeping vectors may round up differently; the slab and the nodes do not grow.
    assert!(sizes[2] <= sizes[1] + sizes[1] / 100, "{sizes:?}");
}

/// `-0` and `0` compare equal, so clearing the sign keeps every node's keys in order.
#[test]
fn negative_zeros_clear_everywhere() {
    let mut tree = Tree::default();
    for i in 0..1000u32 {
        let score = if i % 2 == 0 { -0.0 } else { 0.0 };
        tree.insert(score, i.to_be_bytes().into());
    }
    tree.clear_negative_zeros();
    check(&tree);
    assert!(tree
        .iter_from(0, false)
        .all(|n| tree.score(n).is_sign_positive()));
}

/// Structure bytes per element (slab, nodes; members excluded) of a million-element set
/// after random insertions, random score changes and ascending insertions, against the
/// treap this tree replaced: 40-byte nodes in a `Vec` grown to 2^20. Takes seconds:
/// `cargo test --lib memory_per_element -- --ignored --nocapture`.
#[test]
#[ignore]
fn memory_per_element() {
    const N: u32 = 1_000_000;
    let treap = 40.0 * (1u64 << 20) as f64 / N as f64;
    let report = |tree: &Tree, what: &str| {
        let members: usize = tree.elems.iter().map(|e| e.member.len()).sum();
        let per = (tree.heap_size() - members) as f64 / N as f64;
        let fill = N as f64 / (tree.leaves.live() * LEAF_CAP) as f64;
        println!("{what}: {per:.1} B/element (treap {treap:.1}), leaves {fill:.2} full");
        assert!(per <= treap, "{what}");
    };
    let mut rnd = rng(7);
    let mut tree = Tree::default();
    let member = |i: u32| format!("element:{i:07}").into_bytes().into();
    let mut handles: Vec<u32> = (0..N)
        .map(|i| tree.insert(rnd(1_000_000) as f64, member(i)))
        .collect();
    report(&tree, "random insertions");
    for _ in 0..N {
        let i = rnd(N as u64) as usize;
        let m = tree.remove(handles[i]);
        handles[i] = tree.insert(rnd(1_000_000) as f64, m);
    }
    report(&tree, "random updates");
    let mut tree = Tree::default();
    for i in 0..N {
        tree.insert(i as f64, member(i));
    }
    report(&tree, "ascending insertions");
}
