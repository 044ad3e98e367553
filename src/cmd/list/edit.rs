//! LSET, LINSERT, LREM, LTRIM and LPOS: the list commands that work inside a list.
//!
//! Runs on the data core owning the key; synchronous.

use crate::cmd::collection::{drop_if_empty, list_of};
use crate::cmd::error::reply_error;
use crate::cmd::{Args, CmdError};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::Keyspace;

pub fn lset(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let list = match list_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply_error(reply, &CmdError::NoSuchKey),
        Ok(Some(l)) => l,
    };
    let Some(index) = parse_i64(args.get(2)) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    match list.position(index) {
        Some(pos) => {
            list.items[pos] = args.get(3).into();
            reply.ok();
        }
        None => reply_error(reply, &CmdError::other("ERR index out of range")),
    }
}

pub fn linsert(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let after = if args.is(2, "after") {
        true
    } else if args.is(2, "before") {
        false
    } else {
        return reply_error(reply, &CmdError::Syntax);
    };
    let list = match list_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.int(0),
        Ok(Some(l)) => l,
    };
    let pivot = args.get(3);
    match list.items.iter().position(|item| &item[..] == pivot) {
        Some(pos) => {
            list.items.insert(pos + after as usize, args.get(4).into());
            reply.int(list.len() as i64);
        }
        None => reply.int(-1),
    }
}

pub fn lrem(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let Some(count) = parse_i64(args.get(2)) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    let key = args.get(1);
    let list = match list_of(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.int(0),
        Ok(Some(l)) => l,
    };
    let element = args.get(3);
    let limit = if count == 0 {
        usize::MAX
    } else {
        count.unsigned_abs() as usize
    };
    let mut removed = 0;
    if count == 0 {
        let before = list.items.len();
        list.items.retain(|item| &item[..] != element);
        removed = before - list.items.len();
    } else if count > 0 {
        let mut i = 0;
        while i < list.items.len() && removed < limit {
            if &list.items[i][..] == element {
                list.items.remove(i);
                removed += 1;
            } else {
                i += 1;
            }
        }
    } else {
        let mut i = list.items.len();
        while i > 0 && removed < limit {
            i -= 1;
            if &list.items[i][..] == element {
                list.items.remove(i);
                removed += 1;
            }
        }
    }
    drop_if_empty(ks, key);
    reply.int(removed as i64);
}

pub fn ltrim(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let (Some(start), Some(end)) = (parse_i64(args.get(2)), parse_i64(args.get(3))) else {
        return reply_error(reply, &CmdError::NotInteger);
    };
    let key = args.get(1);
    let list = match list_of(ks, key) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) => return reply.ok(),
        Ok(Some(l)) => l,
    };
    match list.range(start, end) {
        None => list.items.clear(),
        Some((from, to)) => {
            list.items.truncate(to + 1);
            list.items.drain(..from);
        }
    }
    drop_if_empty(ks, key);
    reply.ok();
}

/// LPOS options: `rank` (never 0; negative searches from the tail), `count` (`None`: reply
/// with one position), `maxlen` (0: no limit).
struct LposOptions {
    rank: i64,
    count: Option<usize>,
    maxlen: usize,
}

fn lpos_options(args: Args) -> Result<LposOptions, CmdError> {
    let mut o = LposOptions {
        rank: 1,
        count: None,
        maxlen: 0,
    };
    let mut i = 3;
    while i < args.len() {
        let has_value = i + 1 < args.len();
        let value = if has_value { args.get(i + 1) } else { b"" };
        if args.is(i, "rank") && has_value {
            o.rank = parse_i64(value).ok_or(CmdError::NotInteger)?;
            if o.rank == 0 {
                return Err(CmdError::other(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                     second ... or use negative to start from the end of the list",
                ));
            }
        } else if args.is(i, "count") && has_value {
            match parse_i64(value) {
                Some(n) if n >= 0 => o.count = Some(n as usize),
                _ => return Err(CmdError::other("ERR COUNT can't be negative")),
            }
        } else if args.is(i, "maxlen") && has_value {
            match parse_i64(value) {
                Some(n) if n >= 0 => o.maxlen = n as usize,
                _ => return Err(CmdError::other("ERR MAXLEN can't be negative")),
            }
        } else {
            return Err(CmdError::Syntax);
        }
        i += 2;
    }
    Ok(o)
}

pub fn lpos(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let o = match lpos_options(args) {
        Ok(o) => o,
        Err(e) => return reply_error(reply, &e),
    };
    let list = match list_of(ks, args.get(1)) {
        Err(e) => return reply_error(reply, &e),
        Ok(None) if o.count.is_some() => return reply.array(0),
        Ok(None) => return reply.null(),
        Ok(Some(l)) => l,
    };
    let element = args.get(2);
    let from_tail = o.rank < 0;
    // redis-server negates the rank in a C long: i64::MIN stays negative, so every match
    // counts, as with a rank of 1.
    let rank = if o.rank == i64::MIN {
        1
    } else {
        o.rank.unsigned_abs() as usize
    };
    let want = match o.count {
        None => 1,
        Some(0) => usize::MAX,
        Some(n) => n,
    };
    let len = list.len();
    let scan = if o.maxlen == 0 {
        len
    } else {
        o.maxlen.min(len)
    };
    let mut matches = 0;
    let mut found = Vec::new();
    for step in 0..scan {
        let pos = if from_tail { len - 1 - step } else { step };
        if &list.items[pos][..] == element {
            matches += 1;
            if matches >= rank {
                found.push(pos as i64);
                if found.len() >= want {
                    break;
                }
            }
        }
    }
    match o.count {
        Some(_) => {
            reply.array(found.len());
            for pos in found {
                reply.int(pos);
            }
        }
        None => match found.first() {
            Some(&pos) => reply.int(pos),
            None => reply.null(),
        },
    }
}
