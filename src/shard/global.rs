//! Server-wide commands: they fan out to every data core and merge (DBSIZE, FLUSHALL, KEYS,
//! SCAN, RANDOMKEY, INFO; CLIENT in `client_cmd`) or act on the server (DEBUG, SHUTDOWN).
//!
//! Runs on the connection's core as an async step between synchronous per-core parts.

use std::rc::Rc;
use std::time::Duration;

use crate::clock;
use crate::cmd::{Args, CmdError, GlobalCmd};
use crate::net::session::{Flow, Session};
use crate::protocol::number::parse_f64;
use crate::protocol::Reply;

use super::core::CoreCtx;
use super::{client_cmd, config_cmd, info};
use crate::cmd::keys::{decode_cursor, keys_part, next_cursor, scan_part, ScanOptions};
use crate::glob::glob_match;

/// Runs a server-wide command.
pub async fn exec(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    which: GlobalCmd,
    args: Args<'_>,
    out: &mut Reply,
) -> Flow {
    match which {
        GlobalCmd::DbSize => {
            let sizes = ctx.on_all_cores(|c| c.ks.borrow().len()).await;
            out.int(sizes.iter().sum::<usize>() as i64);
        }
        GlobalCmd::FlushAll | GlobalCmd::FlushDb => flush(ctx, which, args, out).await,
        GlobalCmd::RandomKey => random_key(ctx, out).await,
        GlobalCmd::Info => info::info(ctx, args, out).await,
        GlobalCmd::Client => return client_cmd::client(ctx, sess, args, out).await,
        GlobalCmd::Debug => debug(ctx, args, out).await,
        GlobalCmd::Shutdown => shutdown(ctx, args, out),
        GlobalCmd::Config => config_cmd::config(ctx, args, out).await,
        GlobalCmd::Keys => keys(ctx, args, out).await,
        GlobalCmd::Scan => scan(ctx, args, out).await,
        GlobalCmd::Cluster => crate::cluster::command::exec(ctx, args, out).await,
    }
    Flow::Continue
}

async fn flush(ctx: &Rc<CoreCtx>, which: GlobalCmd, args: Args<'_>, out: &mut Reply) {
    if args.len() > 2 || (args.len() == 2 && !args.is(1, "sync") && !args.is(1, "async")) {
        out.error_bytes(&CmdError::Syntax.bytes());
        return;
    }
    let _ = which;
    ctx.on_all_cores(|c| c.ks.borrow_mut().clear()).await;
    out.ok();
}

async fn keys(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let pattern = args.get(1).to_vec();
    let parts = ctx
        .on_all_cores(move |c| {
            let mut found = Vec::new();
            let ks = c.keyspace();
            keys_part(&ks, &|k| glob_match(&pattern, k, false), &mut found);
            found
        })
        .await;
    out.array(parts.iter().map(Vec::len).sum());
    for key in parts.iter().flatten() {
        out.bulk(key);
    }
}

/// SCAN walks shards in order; the cursor names the shard and the table to resume at.
async fn scan(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let (keys, cursor) = match ScanStep::plan(ctx, args) {
        Err(e) => return out.error_bytes(&e.bytes()),
        Ok(None) => (Vec::new(), 0),
        Ok(Some((core, step))) => ctx.on_core(core, move |c| step.run(c)).await,
    };
    write_scan(out, cursor, &keys);
}

/// One SCAN call's read of one shard's tables, to be run on the core that owns the shard
/// (by `on_core` here, or as a step of a transaction in EXEC and scripts).
pub(crate) struct ScanStep {
    shard: usize,
    index: usize,
    nshards: usize,
    opts: ScanOptions,
}

impl ScanStep {
    /// Parses SCAN's arguments: the core to run on and the step, `None` for a cursor that
    /// names no shard (an empty final reply), or the argument error.
    pub(crate) fn plan(ctx: &CoreCtx, args: Args) -> Result<Option<(usize, ScanStep)>, CmdError> {
        let opts = ScanOptions::parse(args)?;
        let nshards = ctx.nshards;
        Ok(decode_cursor(opts.cursor, nshards).map(|(shard, index)| {
            let step = ScanStep {
                shard,
                index,
                nshards,
                opts,
            };
            (shard % ctx.ncores, step)
        }))
    }

    /// The keys found and the next cursor.
    pub(crate) fn run(self, c: &CoreCtx) -> (Vec<Vec<u8>>, u64) {
        let ScanStep {
            shard,
            index,
            nshards,
            opts,
        } = self;
        let mut found = Vec::new();
        let ks = c.keyspace();
        let next = match &opts.pattern {
            Some(p) => scan_part(
                &ks,
                shard,
                index,
                &opts,
                &|k| glob_match(p, k, false),
                &mut found,
            ),
            None => scan_part(&ks, shard, index, &opts, &|_| true, &mut found),
        };
        (found, next_cursor(shard, next, nshards))
    }
}

/// SCAN's reply: the next cursor and the keys.
pub(crate) fn write_scan(out: &mut Reply, cursor: u64, keys: &[Vec<u8>]) {
    out.array(2);
    out.bulk(cursor.to_string().as_bytes());
    out.array(keys.len());
    for key in keys {
        out.bulk(key);
    }
}

async fn random_key(ctx: &Rc<CoreCtx>, out: &mut Reply) {
    let seed = clock::unix_us() as u64;
    let sizes = ctx.on_all_cores(|c| c.ks.borrow().len()).await;
    let Some(core) = random_core(&sizes, seed) else {
        return out.null();
    };
    let key = ctx
        .on_core(core, move |c| c.keyspace().random_key(seed))
        .await;
    match key {
        Some(k) => out.bulk(&k),
        None => out.null(),
    }
}

/// The core RANDOMKEY draws from, each core weighted by its key count (`sizes`); `None` when
/// there are no keys.
pub(crate) fn random_core(sizes: &[usize], seed: u64) -> Option<usize> {
    let total: usize = sizes.iter().sum();
    if total == 0 {
        return None;
    }
    let mut pick = (crate::storage::keyspace::splitmix(seed) % total as u64) as usize;
    for (i, &n) in sizes.iter().enumerate() {
        if pick < n {
            return Some(i);
        }
        pick -= n;
    }
    None
}

async fn debug(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    if args.is(1, "sleep") && args.len() == 3 {
        let secs = parse_f64(args.get(2)).unwrap_or(0.0).max(0.0);
        glommio::timer::sleep(Duration::from_secs_f64(secs)).await;
        out.ok();
    } else if args.is(1, "object") && args.len() == 3 {
        let key = args.get(2).to_vec();
        let core = ctx.core_of_key(&key);
        let line = ctx
            .on_core(core, move |c| {
                let mut ks = c.keyspace();
                let now = ks.now_ms;
                ks.get_no_touch(&key).map(|e| {
                    let len = e.value.str_bytes().map_or(0, |b| b.as_slice().len());
                    format!(
                        "Value at:0x0 refcount:1 encoding:{} serializedlength:{} lru:0 \
                         lru_seconds_idle:{}",
                        e.value.encoding(),
                        len,
                        e.idle_seconds(now)
                    )
                })
            })
            .await;
        match line {
            Some(l) => out.simple(&l),
            None => out.error_bytes(&CmdError::NoSuchKey.bytes()),
        }
    } else if args.is(1, "set-active-expire") && args.len() == 3 {
        out.ok();
    } else if args.is(1, "help") && args.len() == 2 {
        out.array(3);
        out.simple("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        out.simple("OBJECT <key> -- Show low-level information about the key.");
        out.simple("SLEEP <seconds> -- Stop the connection for <seconds>.");
    } else {
        out.error_bytes(&CmdError::subcommand_syntax(args.get(1), b"debug").bytes());
    }
}

fn shutdown(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    for i in 1..args.len() {
        let ok = ["nosave", "save", "now", "force", "abort"]
            .iter()
            .any(|w| args.is(i, w));
        if !ok {
            out.error_bytes(&CmdError::Syntax.bytes());
            return;
        }
    }
    // As redis-server: ABORT goes alone, and SAVE and NOSAVE contradict each other.
    let given = |word: &str| (1..args.len()).any(|i| args.is(i, word));
    let abort = given("abort");
    let other_flag = ["nosave", "save", "now", "force"].iter().any(|w| given(w));
    if (abort && other_flag) || (given("save") && given("nosave")) {
        out.error_bytes(&CmdError::Syntax.bytes());
        return;
    }
    if abort {
        out.error("ERR No shutdown in progress.");
        return;
    }
    ctx.shared
        .shutting_down
        .store(true, std::sync::atomic::Ordering::SeqCst);
    log::warn!("User requested shutdown... SoliKV is now ready to exit, bye bye...");
    std::process::exit(0);
}
