//! HRANDFIELD and HSCAN: the hash commands that walk positions rather than fields.
//!
//! Runs on the data core owning the key; synchronous. Random picks use the per-core random
//! source in [`crate::cmd::collection`]; replies follow redis-server 7.0.15's cases (a
//! negative count repeats, a count at least the size returns the whole hash in its order).

use crate::cmd::collection::{
    count_out_of_range, distinct_positions, hash_of, parse_signed_count, random_below, scan_cursor,
    ScanOpts, EMPTY_SCAN, RANDOM_REPLY_MAX,
};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError};
use crate::protocol::Reply;
use crate::storage::dense::scan_step;
use crate::storage::hash::{FieldValue, Hash};
use crate::storage::Keyspace;

fn write_pair(reply: &mut Reply, (field, value): FieldValue, with_values: bool) {
    if with_values && reply.resp3() {
        reply.array(2);
    }
    reply.bulk(field);
    if with_values {
        reply.bulk(value);
    }
}

fn header(reply: &mut Reply, count: usize, with_values: bool) {
    if with_values && !reply.resp3() {
        reply.array(count * 2);
    } else {
        reply.array(count);
    }
}

pub fn hrandfield(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() == 2 {
        return match hash_of(ks, args.get(1)) {
            Err(e) => reply_error(reply, &e),
            Ok(None) => reply.null(),
            Ok(Some(h)) => reply.bulk(h.picker().at(random_below(h.len())).0),
        };
    }
    let n = match parse_signed_count(args.get(2)) {
        Ok(n) => n,
        Err(e) => return reply_error(reply, &e),
    };
    let with_values = match args.len() {
        3 => false,
        4 if args.is(3, "withvalues") => true,
        _ => return reply_error(reply, &CmdError::Syntax),
    };
    // redis-server bounds a WITHVALUES count by half the range, as its reply is twice as long.
    if with_values && n.unsigned_abs() > (i64::MAX / 2) as u64 {
        return reply_error(reply, &count_out_of_range());
    }
    let hash: &Hash = match hash_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.array(0),
        Ok(Some(h)) => h,
    };
    let count = n.unsigned_abs() as usize;
    if count == 0 {
        return reply.array(0);
    }
    let size = hash.len();
    let picker = hash.picker();
    if n < 0 || count == 1 {
        if count as u64 > RANDOM_REPLY_MAX {
            return reply_error(reply, &count_out_of_range());
        }
        header(reply, count, with_values);
        for _ in 0..count {
            write_pair(reply, picker.at(random_below(size)), with_values);
        }
    } else if count >= size {
        header(reply, size, with_values);
        for p in hash.iter() {
            write_pair(reply, p, with_values);
        }
    } else {
        header(reply, count, with_values);
        for pos in distinct_positions(size, count) {
            write_pair(reply, picker.at(pos), with_values);
        }
    }
}

pub fn hscan(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let cursor = match scan_cursor(args.get(2)) {
        Ok(c) => c,
        Err(e) => return reply_error(reply, &e),
    };
    let hash: &Hash = match hash_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.raw(EMPTY_SCAN),
        Ok(Some(h)) => h,
    };
    let opts = match ScanOpts::parse(args) {
        Ok(o) => o,
        Err(e) => return reply_error(reply, &e),
    };
    let (found, next): (Vec<FieldValue>, u64) = match hash {
        Hash::Small(_) => (hash.iter().filter(|(f, _)| opts.matches(f)).collect(), 0),
        Hash::Big(_) => {
            let (range, next) = scan_step(hash.len(), cursor, opts.count);
            let picker = hash.picker();
            let found = range
                .rev()
                .map(|pos| picker.at(pos))
                .filter(|(f, _)| opts.matches(f))
                .collect();
            (found, next)
        }
    };
    reply.array(2);
    reply.bulk(next.to_string().as_bytes());
    reply.array(found.len() * 2);
    for (field, value) in found {
        reply.bulk(field);
        reply.bulk(value);
    }
}
