//! INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT.
//!
//! Runs on the data core owning the key; synchronous. The integer commands are a hot path:
//! an `int`-encoded value is updated in place without allocating. All of them keep the
//! key's TTL, as redis-server does.

use super::super::error::reply_error;
use super::super::{Args, CmdError};
use super::longdouble::LongDouble;
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

/// Adds `delta` to the integer stored at `key` (0 when absent) and replies with the result.
fn add(ks: &mut Keyspace, key: &[u8], delta: i64, reply: &mut Reply) {
    match ks.get(key) {
        None => {
            ks.insert(key, Value::Int(delta), 0);
            reply.int(delta);
        }
        Some(entry) => {
            let current = match &entry.value {
                Value::Int(n) | Value::IntObject(n) => Some(*n),
                other => match other.str_bytes() {
                    Some(bytes) => parse_i64(bytes.as_slice()),
                    None => return reply_error(reply, &CmdError::WrongType),
                },
            };
            let Some(current) = current else {
                return reply_error(reply, &CmdError::NotInteger);
            };
            match current.checked_add(delta) {
                Some(n) => {
                    entry.value = Value::Int(n);
                    reply.int(n);
                }
                None => reply_error(reply, &CmdError::Overflow),
            }
        }
    }
}

pub fn incr(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    add(ks, args.get(1), 1, reply);
}

pub fn decr(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    add(ks, args.get(1), -1, reply);
}

pub fn incrby(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match parse_i64(args.get(2)) {
        Some(delta) => add(ks, args.get(1), delta, reply),
        None => reply_error(reply, &CmdError::NotInteger),
    }
}

pub fn decrby(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    match parse_i64(args.get(2)) {
        Some(i64::MIN) => reply_error(reply, &CmdError::DecrementOverflow),
        Some(delta) => add(ks, args.get(1), -delta, reply),
        None => reply_error(reply, &CmdError::NotInteger),
    }
}

/// INCRBYFLOAT: `long double` arithmetic and text, see `LongDouble`. The stored value is
/// the reply text (never `int`-encoded, as in Redis).
pub fn incrbyfloat(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let current = match ks.get(key) {
        None => Some(LongDouble::Zero),
        Some(entry) => match entry.value.str_bytes() {
            Some(bytes) => LongDouble::parse(bytes.as_slice()),
            None => return reply_error(reply, &CmdError::WrongType),
        },
    };
    let (Some(current), Some(incr)) = (current, LongDouble::parse(args.get(2))) else {
        return reply_error(reply, &CmdError::NotFloat);
    };
    let Some(sum) = current.add(incr) else {
        return reply_error(reply, &CmdError::NanOrInfinity);
    };
    let text = sum.to_human();
    reply.bulk(&text);
    let value = Value::text(text);
    match ks.get(key) {
        Some(entry) => entry.value = value,
        None => {
            ks.insert(key, value, 0);
        }
    }
}
