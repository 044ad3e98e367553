//! Keyed commands whose keys live on more than one data core (standalone mode).
//!
//! DEL/UNLINK/EXISTS/TOUCH scatter to each core and add the counts; MGET gathers one value
//! per key in request order; commands Redis makes atomic run as a [`Txn`] (the collection
//! commands through [`super::gather`]).

use std::rc::Rc;

use crate::cmd::keys::copy_options;
use crate::cmd::string::{check_pairs, lcs_reply};
use crate::cmd::{Args, CmdError, Command, OwnedArgs, Spread};
use crate::protocol::{Proto, Reply};
use crate::storage::Value;

use super::core::CoreCtx;
use super::txn::Txn;

/// Runs `cmd` whose keys span several cores, appending its reply to `out`.
pub async fn run(
    ctx: &Rc<CoreCtx>,
    id: usize,
    cmd: &'static Command,
    spread: Spread,
    args: Args<'_>,
    no_touch: bool,
    out: &mut Reply,
) {
    match spread {
        Spread::Single => unreachable!("single-core commands are not spread"),
        Spread::SumInt => sum_int(ctx, id, cmd, args, no_touch, out).await,
        Spread::Mget => mget(ctx, id, cmd, args, out.proto, no_touch, out).await,
        Spread::Atomic => atomic(ctx, cmd, args, no_touch, out).await,
    }
}

/// Splits the key arguments by owning core: `(core, owned args with the command name)`.
fn split_keys(ctx: &CoreCtx, args: Args<'_>, group: usize) -> Vec<(usize, OwnedArgs)> {
    let mut parts: Vec<(usize, OwnedArgs)> = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let core = ctx.core_of_key(args.get(i));
        let part = match parts.iter_mut().find(|(c, _)| *c == core) {
            Some((_, part)) => part,
            None => {
                parts.push((core, OwnedArgs::from_parts([args.get(0)])));
                &mut parts.last_mut().expect("just pushed").1
            }
        };
        for j in i..(i + group).min(args.len()) {
            part.push(args.get(j));
        }
        i += group;
    }
    parts
}

async fn sum_int(
    ctx: &Rc<CoreCtx>,
    id: usize,
    cmd: &'static Command,
    args: Args<'_>,
    no_touch: bool,
    out: &mut Reply,
) {
    let mut total = 0i64;
    for (core, part) in split_keys(ctx, args, 1) {
        total += ctx
            .on_core(core, move |c| {
                let mut r = Reply::new(Proto::Resp2);
                c.exec_keyed(id, cmd, part.args(), &mut r, no_touch);
                parse_int_reply(&r.buf)
            })
            .await;
    }
    out.int(total);
}

fn parse_int_reply(buf: &[u8]) -> i64 {
    std::str::from_utf8(buf.get(1..buf.len().saturating_sub(2)).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

async fn mget(
    ctx: &Rc<CoreCtx>,
    id: usize,
    cmd: &'static Command,
    args: Args<'_>,
    proto: Proto,
    no_touch: bool,
    out: &mut Reply,
) {
    let nkeys = args.len() - 1;
    let mut values: Vec<Vec<u8>> = vec![Vec::new(); nkeys];
    let mut by_core: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..nkeys {
        let core = ctx.core_of_key(args.get(i + 1));
        match by_core.iter_mut().find(|(c, _)| *c == core) {
            Some((_, idx)) => idx.push(i),
            None => by_core.push((core, vec![i])),
        }
    }
    for (core, indexes) in by_core {
        let keys: Vec<Vec<u8>> = indexes.iter().map(|&i| args.get(i + 1).to_vec()).collect();
        let name = args.get(0).to_vec();
        let elements = ctx
            .on_core(core, move |c| {
                keys.iter()
                    .map(|key| {
                        let one = OwnedArgs::from_parts([&name[..], &key[..]]);
                        let mut r = Reply::new(proto);
                        c.exec_keyed(id, cmd, one.args(), &mut r, no_touch);
                        // Drop the `*1\r\n` header of a one-key MGET reply.
                        r.buf.split_off(4)
                    })
                    .collect::<Vec<_>>()
            })
            .await;
        for (i, element) in indexes.into_iter().zip(elements) {
            values[i] = element;
        }
    }
    out.array(nkeys);
    for v in values {
        out.raw(&v);
    }
}

async fn atomic(
    ctx: &Rc<CoreCtx>,
    cmd: &'static Command,
    args: Args<'_>,
    no_touch: bool,
    out: &mut Reply,
) {
    match cmd.name {
        "mset" | "msetnx" => mset(ctx, cmd.name, args, out).await,
        "rename" | "renamenx" => rename(ctx, cmd.name == "renamenx", args, out).await,
        "copy" => copy(ctx, args, out).await,
        "lcs" => lcs(ctx, args, out).await,
        _ => super::gather::run(ctx, cmd, args, no_touch, out).await,
    }
}

async fn mset(ctx: &Rc<CoreCtx>, name: &str, args: Args<'_>, out: &mut Reply) {
    if let Err(e) = check_pairs(args, name) {
        out.error_bytes(&e.bytes());
        return;
    }
    let parts = split_keys(ctx, args, 2);
    let Some(txn) = Txn::begin_or_busy(ctx, parts.iter().map(|(c, _)| *c).collect()).await else {
        return out.error(crate::script::state::BUSY_ERR);
    };
    if name == "msetnx" {
        let mut any = false;
        for (core, part) in &parts {
            let part = part.clone();
            any |= txn
                .run(*core, move |c| {
                    let a = part.args();
                    let mut ks = c.keyspace();
                    (1..a.len()).step_by(2).any(|i| ks.contains(a.get(i)))
                })
                .await;
        }
        if any {
            txn.end().await;
            out.int(0);
            return;
        }
    }
    for (core, part) in parts {
        txn.run(core, move |c| {
            let a = part.args();
            let mut ks = c.keyspace();
            for i in (1..a.len()).step_by(2) {
                ks.insert(a.get(i), Value::string(a.get(i + 1)), 0);
            }
        })
        .await;
    }
    txn.end().await;
    if name == "msetnx" {
        out.int(1);
    } else {
        out.ok();
    }
}

/// Moves (`take`) or clones the entry at `key` on `core`: `(value, expire_at)`.
async fn fetch_entry(txn: &Txn, core: usize, key: &[u8], take: bool) -> Option<(Value, i64)> {
    let key = key.to_vec();
    txn.run(core, move |c| {
        let mut ks = c.keyspace();
        if take {
            ks.remove(&key).map(|e| (e.value.clone(), e.expire_at()))
        } else {
            ks.get(&key).map(|e| (e.value.copied(), e.expire_at()))
        }
    })
    .await
}

/// Stores an entry at `key` on `core`; with `only_if_absent`, leaves an existing key alone.
async fn store_entry(
    txn: &Txn,
    core: usize,
    key: &[u8],
    entry: (Value, i64),
    only_if_absent: bool,
) -> bool {
    let key = key.to_vec();
    txn.run(core, move |c| {
        let mut ks = c.keyspace();
        if only_if_absent && ks.contains(&key) {
            return false;
        }
        ks.insert(&key, entry.0, entry.1);
        true
    })
    .await
}

async fn key_exists(txn: &Txn, core: usize, key: &[u8]) -> bool {
    let key = key.to_vec();
    txn.run(core, move |c| {
        let mut ks = c.keyspace();
        ks.contains(&key)
    })
    .await
}

async fn rename(ctx: &Rc<CoreCtx>, nx: bool, args: Args<'_>, out: &mut Reply) {
    let (src, dst) = (args.get(1), args.get(2));
    let (src_core, dst_core) = (ctx.core_of_key(src), ctx.core_of_key(dst));
    let Some(txn) = Txn::begin_or_busy(ctx, vec![src_core, dst_core]).await else {
        return out.error(crate::script::state::BUSY_ERR);
    };
    if !key_exists(&txn, src_core, src).await {
        txn.end().await;
        out.error_bytes(&CmdError::NoSuchKey.bytes());
        return;
    }
    if nx && key_exists(&txn, dst_core, dst).await {
        txn.end().await;
        out.int(0);
        return;
    }
    let entry = fetch_entry(&txn, src_core, src, true)
        .await
        .expect("source checked under the same transaction");
    store_entry(&txn, dst_core, dst, entry, false).await;
    txn.end().await;
    if nx {
        out.int(1);
    } else {
        out.ok();
    }
}

async fn copy(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let replace = match copy_options(args) {
        Ok(replace) => replace,
        Err(e) => {
            out.error_bytes(&e.bytes());
            return;
        }
    };
    let (src, dst) = (args.get(1), args.get(2));
    let (src_core, dst_core) = (ctx.core_of_key(src), ctx.core_of_key(dst));
    let Some(txn) = Txn::begin_or_busy(ctx, vec![src_core, dst_core]).await else {
        return out.error(crate::script::state::BUSY_ERR);
    };
    let copied = match fetch_entry(&txn, src_core, src, false).await {
        None => false,
        Some(entry) => store_entry(&txn, dst_core, dst, entry, !replace).await,
    };
    txn.end().await;
    out.int(copied as i64);
}

/// LCS of two keys on different cores: both values are read under one transaction, then
/// compared here.
async fn lcs(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let keys = [args.get(1), args.get(2)];
    let cores = keys.map(|k| ctx.core_of_key(k));
    let Some(txn) = Txn::begin_or_busy(ctx, cores.to_vec()).await else {
        return out.error(crate::script::state::BUSY_ERR);
    };
    let mut values: Vec<Option<Vec<u8>>> = Vec::with_capacity(2);
    for (key, core) in keys.iter().zip(cores) {
        let key = key.to_vec();
        let value = txn
            .run(core, move |c| {
                let mut ks = c.keyspace();
                match ks.get(&key) {
                    None => Some(Vec::new()),
                    Some(e) => e.value.str_bytes().map(|b| b.as_slice().to_vec()),
                }
            })
            .await;
        values.push(value);
    }
    txn.end().await;
    match (&values[0], &values[1]) {
        (Some(a), Some(b)) => lcs_reply(a, b, args, out),
        _ => out.error_bytes(&CmdError::LcsNotString.bytes()),
    }
}
