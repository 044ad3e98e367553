//! HyperLogLog commands (PFADD, PFCOUNT, PFMERGE): table entries and handlers.
//!
//! Runs on the data core owning the keys (PFCOUNT and PFMERGE over keys on several cores
//! arrive through `shard::gather`); synchronous. Sketches are ordinary string values in
//! redis-server's byte format ([`crate::storage::hll`]), so GET, SET, COPY and RENAME carry
//! them unchanged; PFCOUNT of one key caches the estimate in the header as Redis does.

use super::error::reply_error;
use super::{Args, CmdError, Command, Exec, KeyRange, Spread, WRITE};
use crate::protocol::Reply;
use crate::storage::hll::{self, HllError, REGISTERS};
use crate::storage::{Keyspace, Value};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "pfadd",
        arity: -2,
        keys: KeyRange::FIRST,
        flags: WRITE,
        exec: Exec::Keyed(pfadd, Spread::Single),
    },
    Command {
        name: "pfcount",
        arity: -2,
        keys: KeyRange::ALL,
        flags: 0,
        exec: Exec::Keyed(pfcount, Spread::Atomic),
    },
    Command {
        name: "pfmerge",
        arity: -2,
        keys: KeyRange::ALL,
        flags: WRITE,
        exec: Exec::Keyed(pfmerge, Spread::Atomic),
    },
];

fn hll_error(e: HllError) -> CmdError {
    match e {
        HllError::NotHll => {
            CmdError::other("WRONGTYPE Key is not a valid HyperLogLog string value.")
        }
        HllError::Corrupt => CmdError::other("INVALIDOBJ Corrupted HLL object detected"),
    }
}

/// The sketch at `key` made editable: `Ok(None)` when absent; WRONGTYPE for other types and
/// for strings that are not sketches (integers included, as Redis never treats them as one).
fn sketch_mut<'a>(ks: &'a mut Keyspace, key: &[u8]) -> Result<Option<&'a mut Vec<u8>>, CmdError> {
    let Some(entry) = ks.get(key) else {
        return Ok(None);
    };
    match &entry.value {
        Value::Str(s) => hll::validate(s).map_err(hll_error)?,
        Value::Raw(v) => hll::validate(v).map_err(hll_error)?,
        Value::Int(_) | Value::IntObject(_) => return Err(hll_error(HllError::NotHll)),
        _ => return Err(CmdError::WrongType),
    }
    Ok(Some(entry.value.make_raw().ok_or(CmdError::WrongType)?))
}

/// Reads the sketch at `key` without changing its encoding.
fn sketch(ks: &mut Keyspace, key: &[u8]) -> Result<Option<Vec<u8>>, CmdError> {
    let Some(entry) = ks.get(key) else {
        return Ok(None);
    };
    let bytes = match &entry.value {
        Value::Str(s) => s.to_vec(),
        Value::Raw(v) => v.clone(),
        Value::Int(_) | Value::IntObject(_) => return Err(hll_error(HllError::NotHll)),
        _ => return Err(CmdError::WrongType),
    };
    hll::validate(&bytes).map_err(hll_error)?;
    Ok(Some(bytes))
}

fn pfadd(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let sparse_max = ks.limits.hll_sparse_bytes;
    let mut updated = false;
    let bytes = match sketch_mut(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(Some(b)) => b,
        Ok(None) => {
            ks.insert(key, Value::Raw(hll::empty()), 0);
            updated = true;
            sketch_mut(ks, key)
                .ok()
                .flatten()
                .expect("just stored a sketch")
        }
    };
    for element in args.iter().skip(2) {
        match hll::add(bytes, element, sparse_max) {
            Ok(changed) => updated |= changed,
            Err(e) => return reply_error(reply, &hll_error(e)),
        }
    }
    if updated {
        hll::invalidate_cache(bytes);
    }
    reply.int(updated as i64);
}

fn pfcount(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    if args.len() > 2 {
        let mut max = [0u8; REGISTERS];
        for key in args.iter().skip(1) {
            match sketch(ks, key) {
                Err(e) => return reply_error(reply, &e),
                Ok(None) => {}
                Ok(Some(bytes)) => {
                    if let Err(e) = hll::merge_into(&mut max, &bytes) {
                        return reply_error(reply, &hll_error(e));
                    }
                }
            }
        }
        return reply.int(hll::count_registers(&max) as i64);
    }
    let bytes = match sketch_mut(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.int(0),
        Ok(Some(b)) => b,
    };
    let card = match hll::cached(bytes) {
        Some(card) => card,
        None => match hll::count(bytes) {
            Ok(card) => {
                hll::set_cache(bytes, card);
                // Refreshing the cached cardinality is a change of the key to WATCH, as in
                // redis-server.
                ks.watches.touch(args.get(1));
                card
            }
            Err(e) => return reply_error(reply, &hll_error(e)),
        },
    };
    reply.int(card as i64);
}

fn pfmerge(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let mut max = [0u8; REGISTERS];
    let mut dense = false;
    for key in args.iter().skip(1) {
        match sketch(ks, key) {
            Err(e) => return reply_error(reply, &e),
            Ok(None) => {}
            Ok(Some(bytes)) => {
                dense |= hll::is_dense(&bytes);
                if let Err(e) = hll::merge_into(&mut max, &bytes) {
                    return reply_error(reply, &hll_error(e));
                }
            }
        }
    }
    let key = args.get(1);
    let sparse_max = ks.limits.hll_sparse_bytes;
    if ks.get(key).is_none() {
        ks.insert(key, Value::Raw(hll::empty()), 0);
    }
    let bytes = match sketch_mut(ks, key) {
        Ok(Some(b)) => b,
        Ok(None) => unreachable!("destination just ensured"),
        Err(e) => return reply_error(reply, &e),
    };
    match hll::store_max(bytes, &max, dense, sparse_max) {
        Ok(()) => reply.ok(),
        Err(e) => reply_error(reply, &hll_error(e)),
    }
}
