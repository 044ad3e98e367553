//! ZUNION, ZINTER, ZDIFF, their *STORE forms (WEIGHTS, AGGREGATE, WITHSCORES) and
//! ZINTERCARD, as redis-server's `zunionInterDiffGenericCommand` runs them. Plain sets are
//! accepted as inputs, every member scoring 1, as in redis-server.
//!
//! Synchronous, on the core holding every key (cross-core calls arrive through
//! `shard::gather`, which assembles the keys on one core first). Sources are visited in the
//! order redis-server visits them (by cardinality for UNION and INTER) so floating-point sums
//! come out bit for bit the same.

use std::borrow::Cow;

use hashbrown::HashMap;

use super::{emit, emit_header, parse_long, store};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::Reply;
use crate::storage::set::{Member, Set};
use crate::storage::zset::{cmp_entry, ZSet};
use crate::storage::{Keyspace, Value};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(target: &mut f64, value: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += value;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if value < *target {
                *target = value;
            }
        }
        Aggregate::Max => {
            if value > *target {
                *target = value;
            }
        }
    }
}

/// What a call asks for, parsed.
struct Request {
    /// Index of each source key argument, and its weight.
    sources: Vec<(usize, f64)>,
    how: Aggregate,
    withscores: bool,
    limit: i64,
}

/// Parses the call, checking the source types where redis-server does: after the key count,
/// before the options.
fn parse(
    ks: &mut Keyspace,
    args: Args,
    name: &str,
    numkeys_at: usize,
    op: Op,
    store: bool,
) -> CmdResult<Request> {
    let setnum = parse_long(args.get(numkeys_at), None)?;
    if setnum < 1 {
        return Err(CmdError::other(format!(
            "ERR at least 1 input key is needed for '{name}' command"
        )));
    }
    if setnum > (args.len() - (numkeys_at + 1)) as i64 {
        return Err(CmdError::Syntax);
    }
    let setnum = setnum as usize;
    let first = numkeys_at + 1;
    for i in first..first + setnum {
        if let Some(e) = ks.get(args.get(i)) {
            if !matches!(e.value, Value::ZSet(_) | Value::Set(_)) {
                return Err(CmdError::WrongType);
            }
        }
    }
    let mut req = Request {
        sources: (first..first + setnum).map(|i| (i, 1.0)).collect(),
        how: Aggregate::Sum,
        withscores: false,
        limit: 0,
    };
    Ok({
        let mut j = first + setnum;
        let cardinality = name == "zintercard";
        while j < args.len() {
            let remaining = args.len() - j;
            if op != Op::Diff && !cardinality && remaining > setnum && args.is(j, "weights") {
                j += 1;
                for src in req.sources.iter_mut() {
                    src.1 = super::parse_double(args.get(j))
                        .ok_or_else(|| CmdError::other("ERR weight value is not a float"))?;
                    j += 1;
                }
            } else if op != Op::Diff && !cardinality && remaining >= 2 && args.is(j, "aggregate") {
                req.how = match args.get(j + 1).to_ascii_lowercase().as_slice() {
                    b"sum" => Aggregate::Sum,
                    b"min" => Aggregate::Min,
                    b"max" => Aggregate::Max,
                    _ => return Err(CmdError::Syntax),
                };
                j += 2;
            } else if !store && !cardinality && args.is(j, "withscores") {
                req.withscores = true;
                j += 1;
            } else if cardinality && remaining >= 2 && args.is(j, "limit") {
                req.limit = parse_long(args.get(j + 1), Some("ERR LIMIT can't be negative"))?;
                if req.limit < 0 {
                    return Err(CmdError::other("ERR LIMIT can't be negative"));
                }
                j += 2;
            } else {
                return Err(CmdError::Syntax);
            }
        }
        req
    })
}

/// One input: a sorted set, or a plain set whose members all score 1.
#[derive(Clone, Copy)]
enum Source<'a> {
    Sorted(&'a ZSet),
    Plain(&'a Set),
}

impl<'a> Source<'a> {
    fn len(self) -> usize {
        match self {
            Source::Sorted(z) => z.len(),
            Source::Plain(s) => s.len(),
        }
    }

    fn score(self, member: &[u8]) -> Option<f64> {
        match self {
            Source::Sorted(z) => z.score(member),
            Source::Plain(s) => s.contains(member).then_some(1.0),
        }
    }

    /// Every member with its score (integers of an intset spelled in decimal).
    fn pairs(self) -> Box<dyn Iterator<Item = (Cow<'a, [u8]>, f64)> + 'a> {
        match self {
            Source::Sorted(z) => Box::new(z.pairs().map(|(m, s)| (Cow::Borrowed(m), s))),
            Source::Plain(s) => Box::new(s.iter().map(|m| {
                let m = match m {
                    Member::Bytes(b) => Cow::Borrowed(b),
                    Member::Int(_) => Cow::Owned(m.to_vec()),
                };
                (m, 1.0)
            })),
        }
    }
}

/// Runs the operation over the sources (whose types [`parse`] checked).
fn compute(ks: &Keyspace, args: Args, req: &Request, op: Op) -> Vec<(Vec<u8>, f64)> {
    let mut src: Vec<(Option<Source>, f64, usize)> = req
        .sources
        .iter()
        .map(|&(i, w)| {
            let z = match ks.peek(args.get(i)).map(|e| &e.value) {
                Some(Value::ZSet(z)) => Some(Source::Sorted(z)),
                Some(Value::Set(s)) => Some(Source::Plain(s)),
                _ => None,
            };
            (z, w, i)
        })
        .collect();
    let len = |s: &(Option<Source>, f64, usize)| s.0.map_or(0, Source::len);
    let mut out: Vec<(Vec<u8>, f64)> = Vec::new();
    match op {
        Op::Union => {
            src.sort_by_key(len);
            let mut acc: HashMap<Cow<[u8]>, f64> = HashMap::new();
            for (z, w, _) in &src {
                let Some(z) = z else { continue };
                for (m, s) in z.pairs() {
                    let mut score = w * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    match acc.get_mut(&*m) {
                        Some(t) => aggregate(t, score, req.how),
                        None => {
                            acc.insert(m, score);
                        }
                    }
                }
            }
            out = acc.into_iter().map(|(m, s)| (m.into_owned(), s)).collect();
        }
        Op::Inter => {
            src.sort_by_key(len);
            if let (Some(base), w0) = (src[0].0, src[0].1) {
                'members: for (m, s) in base.pairs() {
                    let mut score = w0 * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    for (z, w, _) in &src[1..] {
                        match z.and_then(|z| z.score(&m)) {
                            Some(v) => aggregate(&mut score, v * w, req.how),
                            None => continue 'members,
                        }
                    }
                    out.push((m.to_vec(), score));
                    if req.limit > 0 && out.len() as i64 >= req.limit {
                        break;
                    }
                }
            }
        }
        Op::Diff => {
            if let Some(base) = src[0].0 {
                for (m, s) in base.pairs() {
                    if src[1..]
                        .iter()
                        .all(|(z, _, _)| z.is_none_or(|z| z.score(&m).is_none()))
                    {
                        out.push((m.to_vec(), s));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| cmp_entry(a.1, &a.0, b.1, &b.0));
    out
}

fn generic(ks: &mut Keyspace, args: Args, reply: &mut Reply, name: &str, op: Op) {
    let store_to = name.ends_with("store");
    let numkeys_at = if store_to { 2 } else { 1 };
    let req = match parse(ks, args, name, numkeys_at, op, store_to) {
        Ok(req) => req,
        Err(e) => return reply_error(reply, &e),
    };
    let elements = compute(ks, args, &req, op);
    if name == "zintercard" {
        return reply.int(elements.len() as i64);
    }
    if store_to {
        let longest = elements.iter().map(|e| e.0.len()).max().unwrap_or(0);
        let mut set = ZSet::with_hint(elements.len(), longest, ks.limits);
        for (m, s) in &elements {
            set.add(m, *s, ks.limits);
        }
        let len = store(ks, args.get(1), set);
        return reply.int(len);
    }
    emit_header(reply, elements.len(), req.withscores);
    for (m, s) in &elements {
        emit(reply, m, *s, req.withscores);
    }
}

pub fn zunion(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zunion", Op::Union);
}

pub fn zinter(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zinter", Op::Inter);
}

pub fn zdiff(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zdiff", Op::Diff);
}

pub fn zintercard(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zintercard", Op::Inter);
}

pub fn zunionstore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zunionstore", Op::Union);
}

pub fn zinterstore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zinterstore", Op::Inter);
}

pub fn zdiffstore(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    generic(ks, args, reply, "zdiffstore", Op::Diff);
}
