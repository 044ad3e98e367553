//! Multi-key commands whose keys live on several data cores and whose handler needs every
//! value at once (ZUNIONSTORE, ZINTER, ZMPOP, ZRANGESTORE, ...), in standalone mode.
//!
//! Runs on the coordinating connection's core and awaits: under one cross-core [`Txn`] it
//! copies each key's entry into a scratch keyspace on this core, runs the command's ordinary
//! synchronous handler there, then writes back every key whose entry the handler changed
//! (stored, replaced or deleted). The gates stay held throughout, so the command is as atomic
//! as on one core, and the handler needs no cross-core variant.

use std::rc::Rc;

use crate::cmd::{Args, Command, Exec};
use crate::protocol::Reply;
use crate::storage::{Keyspace, Value};

use super::core::CoreCtx;
use super::txn::Txn;

/// A copied entry: value and expiry.
type Copied = Option<(Value, i64)>;

/// Runs `cmd` with the keys of `args` gathered onto this core, appending its reply to `out`.
pub async fn run(ctx: &Rc<CoreCtx>, cmd: &'static Command, args: Args<'_>, out: &mut Reply) {
    let Exec::Keyed(handler, _) = cmd.exec else {
        unreachable!("only keyed commands are gathered");
    };
    let mut keys: Vec<Vec<u8>> = Vec::new();
    cmd.for_each_key(args, |i| {
        if !keys.iter().any(|k| k == args.get(i)) {
            keys.push(args.get(i).to_vec());
        }
    });
    let cores: Vec<usize> = keys.iter().map(|k| ctx.core_of_key(k)).collect();
    let txn = Txn::begin(ctx, cores.clone()).await;
    let mut scratch = Keyspace::new(0, 1, 1);
    scratch.limits = ctx.opts.borrow().limits;
    let mut before: Vec<Copied> = Vec::with_capacity(keys.len());
    for (key, &core) in keys.iter().zip(&cores) {
        let k = key.clone();
        let copied: Copied = txn
            .run(core, move |c| {
                let mut ks = c.keyspace();
                ks.get(&k).map(|e| (e.value.clone(), e.expire_at()))
            })
            .await;
        if let Some((value, expire_at)) = &copied {
            scratch.insert(key, value.clone(), *expire_at);
        }
        before.push(copied);
    }
    scratch.now_ms = crate::clock::unix_ms();
    handler(&mut scratch, args, out);
    for ((key, core), old) in keys.into_iter().zip(cores).zip(before) {
        let new: Copied = scratch.peek(&key).map(|e| (e.value.clone(), e.expire_at()));
        if new == old {
            continue;
        }
        txn.run(core, move |c| {
            let mut ks = c.keyspace();
            match new {
                Some((value, expire_at)) => {
                    ks.insert(&key, value, expire_at);
                }
                None => {
                    ks.remove(&key);
                }
            }
        })
        .await;
    }
    txn.end().await;
}
