//! SPOP, SRANDMEMBER and SSCAN: the set commands that walk positions rather than members.
//!
//! Runs on the data core owning the key; synchronous. Random picks use the per-core random
//! source in [`crate::cmd::collection`]. As in redis-server 7.0.15, a count at least the
//! set's size returns the whole set in its order, and a negative SRANDMEMBER count repeats.

use super::{bulk_member, reply_set};
use crate::cmd::collection::{
    count_out_of_range, distinct_positions, drop_if_empty, parse_signed_count, random_below,
    scan_cursor, set_of, ScanOpts, EMPTY_SCAN, RANDOM_REPLY_MAX,
};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::dense::scan_step;
use crate::storage::set::Set;
use crate::storage::Keyspace;

pub fn spop(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    if args.len() > 3 {
        return reply_error(reply, &CmdError::Syntax);
    }
    let count = if args.len() == 3 {
        match parse_i64(args.get(2)) {
            Some(n) if n >= 0 => Some(n as usize),
            _ => {
                let e = CmdError::other("ERR value is out of range, must be positive");
                return reply_error(reply, &e);
            }
        }
    } else {
        None
    };
    let set = match set_of(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) if count.is_some() => return reply.set(0),
        Ok(None) => return reply.null(),
        Ok(Some(set)) => set,
    };
    match count {
        None => {
            let member = set.remove_at(random_below(set.len()));
            reply.bulk(&member);
        }
        Some(0) => reply.set(0),
        Some(n) if n >= set.len() => {
            reply_set(reply, set);
            ks.remove(key);
            return;
        }
        Some(n) => {
            let picked: Vec<Vec<u8>> = distinct_positions(set.len(), n)
                .into_iter()
                .map(|pos| set.at(pos).to_vec())
                .collect();
            reply.set(picked.len());
            for m in &picked {
                set.remove(m);
                reply.bulk(m);
            }
        }
    }
    drop_if_empty(ks, key);
}

pub fn srandmember(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() > 3 {
        return reply_error(reply, &CmdError::Syntax);
    }
    if args.len() == 2 {
        return match set_of(ks, args.get(1)) {
            Err(e) => reply_error(reply, &e),
            Ok(None) => reply.null(),
            Ok(Some(set)) => bulk_member(reply, set.at(random_below(set.len()))),
        };
    }
    let n = match parse_signed_count(args.get(2)) {
        Ok(n) => n,
        Err(e) => return reply_error(reply, &e),
    };
    let set: &Set = match set_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.array(0),
        Ok(Some(set)) => set,
    };
    let count = n.unsigned_abs() as usize;
    let size = set.len();
    if count == 0 {
        return reply.array(0);
    }
    if n < 0 || count == 1 {
        if count as u64 > RANDOM_REPLY_MAX {
            return reply_error(reply, &count_out_of_range());
        }
        reply.array(count);
        for _ in 0..count {
            bulk_member(reply, set.at(random_below(size)));
        }
    } else if count >= size {
        reply.array(size);
        for m in set.iter() {
            bulk_member(reply, m);
        }
    } else {
        reply.array(count);
        for pos in distinct_positions(size, count) {
            bulk_member(reply, set.at(pos));
        }
    }
}

pub fn sscan(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let cursor = match scan_cursor(args.get(2)) {
        Ok(c) => c,
        Err(e) => return reply_error(reply, &e),
    };
    let set: &Set = match set_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.raw(EMPTY_SCAN),
        Ok(Some(set)) => set,
    };
    let opts = match ScanOpts::parse(args) {
        Ok(o) => o,
        Err(e) => return reply_error(reply, &e),
    };
    let (positions, next): (Vec<usize>, u64) = match set {
        Set::Ints(_) => ((0..set.len()).collect(), 0),
        Set::Big(_) => {
            let (range, next) = scan_step(set.len(), cursor, opts.count);
            (range.rev().collect(), next)
        }
    };
    let found: Vec<Vec<u8>> = positions
        .into_iter()
        .map(|pos| set.at(pos).to_vec())
        .filter(|m| opts.matches(m))
        .collect();
    reply.array(2);
    reply.bulk(next.to_string().as_bytes());
    reply.array(found.len());
    for m in found {
        reply.bulk(&m);
    }
}
