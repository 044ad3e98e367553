//! Ranges over a sorted set: by rank, by score (`(1.5`, `-inf`) and by member (`[a`, `(b`,
//! `-`, `+`), and the commands built on them: ZRANGE and its older forms, ZRANGESTORE,
//! ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*.
//!
//! Synchronous, on the data core owning the key. A listpack-encoded set is walked the way
//! redis-server walks a listpack (linearly, first member at or past the minimum), which only
//! matters for lex ranges over members with different scores, where Redis leaves the result
//! unspecified; skiplist-encoded sets use the tree's O(log n) descent.

use super::{drop_if_empty, emit, emit_header, parse_long, store, zset_mut};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::Reply;
use crate::storage::zset::ZSet;
use crate::storage::Keyspace;

/// A score interval, each end inclusive or exclusive.
#[derive(Clone, Copy, Debug)]
pub struct ScoreRange {
    min: f64,
    max: f64,
    minex: bool,
    maxex: bool,
}

/// One end of a score range as `zslParseRange` reads it: `(` makes it exclusive; the rest is
/// what C's strtod takes whole, as a C string (up to the first NUL byte): leading spaces are
/// allowed before a number, and the empty string reads as 0, but spaces alone are not a number.
fn parse_score_item(arg: &[u8]) -> Option<(f64, bool)> {
    let (ex, text) = match arg.first() {
        Some(b'(') => (true, &arg[1..]),
        _ => (false, arg),
    };
    let text = &text[..text.iter().position(|&c| c == 0).unwrap_or(text.len())];
    if text.is_empty() {
        return Some((0.0, ex));
    }
    let start = text
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?;
    crate::protocol::number::parse_f64(&text[start..]).map(|v| (v, ex))
}

impl ScoreRange {
    pub fn parse(min: &[u8], max: &[u8]) -> CmdResult<ScoreRange> {
        let err = || CmdError::other("ERR min or max is not a float");
        let (min, minex) = parse_score_item(min).ok_or_else(err)?;
        let (max, maxex) = parse_score_item(max).ok_or_else(err)?;
        Ok(ScoreRange {
            min,
            max,
            minex,
            maxex,
        })
    }

    fn gte_min(&self, s: f64) -> bool {
        if self.minex {
            s > self.min
        } else {
            s >= self.min
        }
    }

    fn lte_max(&self, s: f64) -> bool {
        if self.maxex {
            s < self.max
        } else {
            s <= self.max
        }
    }

    fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// One end of a lex range.
#[derive(Clone, Debug, PartialEq)]
enum LexItem {
    /// `-`: below every member.
    Min,
    /// `+`: above every member.
    Max,
    Member(Vec<u8>),
}

/// A member interval.
#[derive(Clone, Debug)]
pub struct LexRange {
    min: LexItem,
    max: LexItem,
    minex: bool,
    maxex: bool,
}

fn parse_lex_item(arg: &[u8]) -> Option<(LexItem, bool)> {
    let alone = arg.len() == 1 || arg.get(1) == Some(&0);
    match arg.first()? {
        b'+' if alone => Some((LexItem::Max, true)),
        b'-' if alone => Some((LexItem::Min, true)),
        b'(' => Some((LexItem::Member(arg[1..].to_vec()), true)),
        b'[' => Some((LexItem::Member(arg[1..].to_vec()), false)),
        _ => None,
    }
}

/// `sdscmplex`: compares two lex items.
fn cmp_lex(a: &LexItem, b: &LexItem) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (LexItem::Min, LexItem::Min) | (LexItem::Max, LexItem::Max) => Equal,
        (LexItem::Min, _) | (_, LexItem::Max) => Less,
        (LexItem::Max, _) | (_, LexItem::Min) => Greater,
        (LexItem::Member(x), LexItem::Member(y)) => x.cmp(y),
    }
}

fn cmp_member(m: &[u8], item: &LexItem) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match item {
        LexItem::Min => Greater,
        LexItem::Max => Less,
        LexItem::Member(x) => m.cmp(x),
    }
}

impl LexRange {
    pub fn parse(min: &[u8], max: &[u8]) -> CmdResult<LexRange> {
        let err = || CmdError::other("ERR min or max not valid string range item");
        let (min, minex) = parse_lex_item(min).ok_or_else(err)?;
        let (max, maxex) = parse_lex_item(max).ok_or_else(err)?;
        Ok(LexRange {
            min,
            max,
            minex,
            maxex,
        })
    }

    fn gte_min(&self, m: &[u8]) -> bool {
        let c = cmp_member(m, &self.min);
        if self.minex {
            c.is_gt()
        } else {
            c.is_ge()
        }
    }

    fn lte_max(&self, m: &[u8]) -> bool {
        let c = cmp_member(m, &self.max);
        if self.maxex {
            c.is_lt()
        } else {
            c.is_le()
        }
    }

    fn is_empty(&self) -> bool {
        let c = cmp_lex(&self.min, &self.max);
        c.is_gt() || (c.is_eq() && (self.minex || self.maxex))
    }
}

/// A parsed range of one of the three kinds.
pub enum Spec {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

impl Spec {
    fn gte_min(&self, z: &ZSet, n: u32) -> bool {
        match self {
            Spec::Score(r) => r.gte_min(z.score_at(n)),
            Spec::Lex(r) => r.gte_min(z.member(n)),
            Spec::Rank(..) => true,
        }
    }

    fn lte_max(&self, z: &ZSet, n: u32) -> bool {
        match self {
            Spec::Score(r) => r.lte_max(z.score_at(n)),
            Spec::Lex(r) => r.lte_max(z.member(n)),
            Spec::Rank(..) => true,
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Spec::Score(r) => r.is_empty(),
            Spec::Lex(r) => r.is_empty(),
            Spec::Rank(..) => false,
        }
    }
}

/// The ascending rank where a score or lex range starts (forward) or ends (`rev`), if any
/// element is in the range.
fn boundary(z: &ZSet, spec: &Spec, rev: bool) -> Option<usize> {
    let len = z.len();
    if len == 0 || spec.is_empty() {
        return None;
    }
    let (head, tail) = (z.select(0), z.select(len - 1));
    if !spec.gte_min(z, tail) || !spec.lte_max(z, head) {
        return None;
    }
    let lex_listpack = z.is_listpack() && matches!(spec, Spec::Lex(_));
    let rank = if !rev {
        let first = if lex_listpack {
            z.iter_from(0, false).position(|n| spec.gte_min(z, n))?
        } else {
            match spec {
                Spec::Score(r) => z.count_before(|s, _| !r.gte_min(s)),
                Spec::Lex(r) => z.count_before(|_, m| !r.gte_min(m)),
                Spec::Rank(..) => 0,
            }
        };
        (first < len && spec.lte_max(z, z.select(first))).then_some(first)?
    } else {
        let last = if lex_listpack {
            len - 1
                - z.iter_from(len - 1, true)
                    .position(|n| spec.lte_max(z, n))?
        } else {
            let upto = match spec {
                Spec::Score(r) => z.count_before(|s, _| r.lte_max(s)),
                Spec::Lex(r) => z.count_before(|_, m| r.lte_max(m)),
                Spec::Rank(..) => len,
            };
            upto.checked_sub(1)?
        };
        spec.gte_min(z, z.select(last)).then_some(last)?
    };
    Some(rank)
}

/// The nodes a range selects, in reply order. `offset`/`limit` follow redis-server: a
/// negative offset selects nothing, a negative limit means no limit.
pub fn select(z: &ZSet, spec: &Spec, rev: bool, offset: i64, limit: i64) -> Vec<u32> {
    let len = z.len() as i64;
    if let Spec::Rank(mut start, mut end) = *spec {
        if start < 0 {
            start += len;
        }
        if end < 0 {
            end += len;
        }
        start = start.max(0);
        if start > end || start >= len {
            return Vec::new();
        }
        end = end.min(len - 1);
        let count = (end - start + 1) as usize;
        let from = if rev { len - 1 - start } else { start };
        return z.iter_from(from as usize, rev).take(count).collect();
    }
    if offset > 0 && offset >= len {
        return Vec::new();
    }
    let Some(from) = boundary(z, spec, rev) else {
        return Vec::new();
    };
    if offset < 0 {
        return Vec::new();
    }
    let limit = if limit < 0 {
        usize::MAX
    } else {
        limit as usize
    };
    z.iter_from(from, rev)
        .skip(offset as usize)
        .take(limit)
        .take_while(|&n| {
            if rev {
                spec.gte_min(z, n)
            } else {
                spec.lte_max(z, n)
            }
        })
        .collect()
}

/// Elements in a score or lex range (ZCOUNT, ZLEXCOUNT).
fn count(z: &ZSet, spec: &Spec) -> usize {
    let Some(first) = boundary(z, spec, false) else {
        return 0;
    };
    if z.is_listpack() {
        return z
            .iter_from(first, false)
            .take_while(|&n| spec.lte_max(z, n))
            .count();
    }
    let last = boundary(z, spec, true).unwrap_or(first);
    last + 1 - first
}

fn count_generic(ks: &mut Keyspace, args: Args, reply: &mut Reply, spec: CmdResult<Spec>) {
    let spec = match spec {
        Ok(spec) => spec,
        Err(e) => return reply_error(reply, &e),
    };
    match zset_mut(ks, args.get(1)) {
        Err(e) => reply_error(reply, &e),
        Ok(None) => reply.int(0),
        Ok(Some(z)) => reply.int(count(z, &spec) as i64),
    }
}

pub fn zcount(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let spec = ScoreRange::parse(args.get(2), args.get(3)).map(Spec::Score);
    count_generic(ks, args, reply, spec);
}

pub fn zlexcount(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let spec = LexRange::parse(args.get(2), args.get(3)).map(Spec::Lex);
    count_generic(ks, args, reply, spec);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Auto,
    Rank,
    Score,
    Lex,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Auto,
    Forward,
    Reverse,
}

/// `zrangeGenericCommand`: `first` is the index of the source key; with `store`, the
/// destination is `args.get(1)`.
fn zrange_generic(
    ks: &mut Keyspace,
    args: Args,
    reply: &mut Reply,
    first: usize,
    store_result: bool,
    mut kind: Kind,
    mut dir: Dir,
) {
    let (mut withscores, mut offset, mut limit) = (false, 0i64, -1i64);
    let mut j = first + 3;
    while j < args.len() {
        let left = args.len() - j - 1;
        if !store_result && args.is(j, "withscores") {
            withscores = true;
        } else if args.is(j, "limit") && left >= 2 {
            match (
                parse_long(args.get(j + 1), None),
                parse_long(args.get(j + 2), None),
            ) {
                (Ok(o), Ok(l)) => (offset, limit) = (o, l),
                (Err(e), _) | (_, Err(e)) => return reply_error(reply, &e),
            }
            j += 2;
        } else if dir == Dir::Auto && args.is(j, "rev") {
            dir = Dir::Reverse;
        } else if kind == Kind::Auto && args.is(j, "bylex") {
            kind = Kind::Lex;
        } else if kind == Kind::Auto && args.is(j, "byscore") {
            kind = Kind::Score;
        } else {
            return reply_error(reply, &CmdError::Syntax);
        }
        j += 1;
    }
    let rev = dir == Dir::Reverse;
    if kind == Kind::Auto {
        kind = Kind::Rank;
    }
    if limit != -1 && kind == Kind::Rank {
        return reply_error(
            reply,
            &CmdError::other(
                "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
            ),
        );
    }
    if withscores && kind == Kind::Lex {
        return reply_error(
            reply,
            &CmdError::other(
                "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
            ),
        );
    }
    let (mut lo, mut hi) = (args.get(first + 1), args.get(first + 2));
    if rev && kind != Kind::Rank {
        std::mem::swap(&mut lo, &mut hi);
    }
    let spec = match kind {
        Kind::Score => ScoreRange::parse(lo, hi).map(Spec::Score),
        Kind::Lex => LexRange::parse(lo, hi).map(Spec::Lex),
        _ => parse_long(lo, None).and_then(|a| Ok(Spec::Rank(a, parse_long(hi, None)?))),
    };
    let spec = match spec {
        Ok(spec) => spec,
        Err(e) => return reply_error(reply, &e),
    };
    let limits = ks.limits;
    let z = match zset_mut(ks, args.get(first)) {
        Err(e) => return reply_error(reply, &e),
        Ok(z) => z,
    };
    let nodes = z
        .as_ref()
        .map_or_else(Vec::new, |z| select(z, &spec, rev, offset, limit));
    if store_result {
        let result = z.map_or_else(
            || ZSet::with_hint(0, 0, limits),
            |z| {
                let mut out = ZSet::with_hint(nodes.len(), 0, limits);
                for &n in &nodes {
                    out.add(z.member(n), z.score_at(n), limits);
                }
                out
            },
        );
        let len = store(ks, args.get(1), result);
        return reply.int(len);
    }
    let Some(z) = z else {
        return reply.array(0);
    };
    emit_header(reply, nodes.len(), withscores);
    for n in nodes {
        emit(reply, z.member(n), z.score_at(n), withscores);
    }
}

pub fn zrange(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 1, false, Kind::Auto, Dir::Auto);
}

pub fn zrangestore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 2, true, Kind::Auto, Dir::Auto);
}

pub fn zrevrange(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 1, false, Kind::Rank, Dir::Reverse);
}

pub fn zrangebyscore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 1, false, Kind::Score, Dir::Forward);
}

pub fn zrevrangebyscore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 1, false, Kind::Score, Dir::Reverse);
}

pub fn zrangebylex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 1, false, Kind::Lex, Dir::Forward);
}

pub fn zrevrangebylex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    zrange_generic(ks, args, reply, 1, false, Kind::Lex, Dir::Reverse);
}

fn zremrange_generic(ks: &mut Keyspace, args: Args, reply: &mut Reply, spec: CmdResult<Spec>) {
    let spec = match spec {
        Ok(spec) => spec,
        Err(e) => return reply_error(reply, &e),
    };
    let key = args.get(1);
    let removed = match zset_mut(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => 0,
        Ok(Some(z)) => {
            let nodes = select(z, &spec, false, 0, -1);
            for &n in &nodes {
                z.remove_node(n);
            }
            nodes.len()
        }
    };
    drop_if_empty(ks, key);
    reply.int(removed as i64);
}

pub fn zremrangebyrank(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let spec = parse_long(args.get(2), None)
        .and_then(|a| Ok(Spec::Rank(a, parse_long(args.get(3), None)?)));
    zremrange_generic(ks, args, reply, spec);
}

pub fn zremrangebyscore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let spec = ScoreRange::parse(args.get(2), args.get(3)).map(Spec::Score);
    zremrange_generic(ks, args, reply, spec);
}

pub fn zremrangebylex(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let spec = LexRange::parse(args.get(2), args.get(3)).map(Spec::Lex);
    zremrange_generic(ks, args, reply, spec);
}
