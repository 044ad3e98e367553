//! Server-wide commands: they fan out to every data core and merge (DBSIZE, FLUSHALL, KEYS,
//! SCAN, RANDOMKEY, INFO, CLIENT LIST/KILL) or act on the server (DEBUG, SHUTDOWN).
//!
//! Runs on the connection's core as an async step between synchronous per-core parts.

use std::rc::Rc;
use std::time::Duration;

use crate::clock;
use crate::cmd::{Args, CmdError, GlobalCmd};
use crate::net::session::{validate_client_name, Flow, Session};
use crate::protocol::number::{parse_f64, parse_i64};
use crate::protocol::Reply;

use super::core::CoreCtx;
use super::{config_cmd, info};
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
        GlobalCmd::Client => return client(ctx, sess, args, out).await,
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
    let total: usize = sizes.iter().sum();
    if total == 0 {
        out.null();
        return;
    }
    let mut pick = (crate::storage::keyspace::splitmix(seed) % total as u64) as usize;
    let mut core = 0;
    for (i, &n) in sizes.iter().enumerate() {
        if pick < n {
            core = i;
            break;
        }
        pick -= n;
    }
    let key = ctx
        .on_core(core, move |c| {
            let ks = c.keyspace();
            ks.random_key(seed)
        })
        .await;
    match key {
        Some(k) => out.bulk(&k),
        None => out.null(),
    }
}

async fn client(ctx: &Rc<CoreCtx>, sess: &mut Session, args: Args<'_>, out: &mut Reply) -> Flow {
    let sub = String::from_utf8_lossy(args.get(1)).to_ascii_lowercase();
    let arity_error = |out: &mut Reply| {
        out.error_bytes(&CmdError::WrongArity(format!("client|{sub}")).bytes());
    };
    match sub.as_str() {
        "id" if args.len() == 2 => out.int(sess.handle.id as i64),
        "getname" if args.len() == 2 => {
            let name = sess.handle.name.borrow();
            if name.is_empty() {
                out.null();
            } else {
                out.bulk(&name);
            }
        }
        "setname" if args.len() == 3 => match validate_client_name(args.get(2)) {
            Ok(()) => {
                *sess.handle.name.borrow_mut() = args.get(2).to_vec();
                out.ok();
            }
            Err(e) => out.error_bytes(&e.bytes()),
        },
        "setinfo" if args.len() == 4 => {
            let value = args.get(3);
            if value.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
                let attr = String::from_utf8_lossy(args.get(2)).to_ascii_lowercase();
                out.error(&format!(
                    "ERR {attr} cannot contain spaces, newlines or special characters."
                ));
            } else if args.is(2, "lib-name") {
                *sess.handle.lib_name.borrow_mut() = value.to_vec();
                out.ok();
            } else if args.is(2, "lib-ver") {
                *sess.handle.lib_ver.borrow_mut() = value.to_vec();
                out.ok();
            } else {
                let attr = String::from_utf8_lossy(args.get(2)).into_owned();
                out.error(&format!("ERR Unrecognized option '{attr}'"));
            }
        }
        "no-evict" | "no-touch" if args.len() == 3 => {
            let flag = if sub == "no-evict" {
                &sess.handle.no_evict
            } else {
                &sess.handle.no_touch
            };
            if args.is(2, "on") {
                flag.set(true);
                out.ok();
            } else if args.is(2, "off") {
                flag.set(false);
                out.ok();
            } else {
                out.error_bytes(&CmdError::Syntax.bytes());
            }
        }
        "info" if args.len() == 2 => {
            let mut line = sess.handle.info_line(clock::unix_ms());
            line.push('\n');
            out.verbatim(line.as_bytes());
        }
        "list" => {
            if args.len() != 2 {
                out.error_bytes(&CmdError::Syntax.bytes());
                return Flow::Continue;
            }
            let lines = ctx
                .on_all_cores(|c| {
                    let now = clock::unix_ms();
                    c.clients
                        .borrow()
                        .iter()
                        .map(|h| (h.id, h.info_line(now)))
                        .collect::<Vec<_>>()
                })
                .await;
            let mut all: Vec<(u64, String)> = lines.into_iter().flatten().collect();
            all.sort_by_key(|(id, _)| *id);
            let mut text = String::new();
            for (_, line) in all {
                text.push_str(&line);
                text.push('\n');
            }
            out.verbatim(text.as_bytes());
        }
        "kill" if args.len() >= 3 => return client_kill(ctx, sess, args, out).await,
        "unblock" if args.len() == 3 || args.len() == 4 => client_unblock(ctx, args, out).await,
        "unblock" if args.len() > 4 => out.error(&format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
            String::from_utf8_lossy(args.get(1))
        )),
        "getredir" if args.len() == 2 => out.int(-1),
        "help" if args.len() == 2 => {
            let lines = [
                "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "ID -- Return the ID of the current connection.",
                "GETNAME / SETNAME <name> -- Get or set the connection name.",
                "SETINFO <LIB-NAME|LIB-VER> <value> -- Record the client library in use.",
                "INFO / LIST -- Describe this connection / every connection.",
                "KILL <ip:port> | KILL ID <id> [ADDR ip:port] [SKIPME yes|no] -- Close clients.",
                "NO-EVICT <ON|OFF> / NO-TOUCH <ON|OFF> -- Connection flags.",
                "UNBLOCK <id> [TIMEOUT|ERROR] -- End another client's blocking command.",
                "HELP -- Print this help.",
            ];
            out.simple_lines(&lines);
        }
        "id" | "getname" | "setname" | "setinfo" | "no-evict" | "no-touch" | "info"
        | "getredir" | "help" | "kill" | "unblock" => arity_error(out),
        _ => {
            out.error_bytes(&CmdError::unknown_subcommand(args.get(1), args.get(0)).bytes());
        }
    }
    Flow::Continue
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: asks a client waiting in a blocking command to stop,
/// answering as on timeout or with the UNBLOCKED error (`net::blocking` acts on it).
async fn client_unblock(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let error = if args.len() == 4 {
        if args.is(3, "timeout") {
            false
        } else if args.is(3, "error") {
            true
        } else {
            out.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    } else {
        false
    };
    let Some(id) = parse_i64(args.get(2)) else {
        out.error_bytes(&CmdError::NotInteger.bytes());
        return;
    };
    let found = ctx
        .on_all_cores(move |c| {
            let clients = c.clients.borrow();
            let Some(target) = clients.iter().find(|h| h.id as i64 == id) else {
                return false;
            };
            let waiting = target.waiting.borrow();
            waiting.as_ref().is_some_and(|claim| claim.unblock(error))
        })
        .await;
    out.int(found.contains(&true) as i64);
}

/// CLIENT KILL, old form `ip:port` and new form with ID / ADDR / LADDR / SKIPME filters.
async fn client_kill(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    args: Args<'_>,
    out: &mut Reply,
) -> Flow {
    let old_form = args.len() == 3;
    let mut id: Option<u64> = None;
    let mut addr: Option<String> = None;
    let mut laddr: Option<String> = None;
    let mut skipme = true;
    if old_form {
        addr = Some(String::from_utf8_lossy(args.get(2)).into_owned());
        skipme = false;
    } else {
        let mut i = 2;
        while i + 1 < args.len() {
            let value = args.get(i + 1);
            if args.is(i, "id") {
                match parse_i64(value) {
                    Some(v) if v > 0 => id = Some(v as u64),
                    _ => {
                        out.error("ERR client-id should be greater than 0");
                        return Flow::Continue;
                    }
                }
            } else if args.is(i, "addr") {
                addr = Some(String::from_utf8_lossy(value).into_owned());
            } else if args.is(i, "laddr") {
                laddr = Some(String::from_utf8_lossy(value).into_owned());
            } else if args.is(i, "skipme") {
                if value.eq_ignore_ascii_case(b"yes") {
                    skipme = true;
                } else if value.eq_ignore_ascii_case(b"no") {
                    skipme = false;
                } else {
                    out.error_bytes(&CmdError::Syntax.bytes());
                    return Flow::Continue;
                }
            } else {
                out.error_bytes(&CmdError::Syntax.bytes());
                return Flow::Continue;
            }
            i += 2;
        }
        if i != args.len() {
            out.error_bytes(&CmdError::Syntax.bytes());
            return Flow::Continue;
        }
    }
    let me = sess.handle.id;
    let counts = ctx
        .on_all_cores(move |c| {
            let clients: Vec<_> = c.clients.borrow().iter().cloned().collect();
            let mut n = 0;
            for h in clients {
                let matches = id.is_none_or(|v| v == h.id)
                    && addr.as_deref().is_none_or(|a| a == h.addr.to_string())
                    && laddr.as_deref().is_none_or(|a| a == h.laddr.to_string());
                if !matches || (skipme && h.id == me) {
                    continue;
                }
                if h.id == me {
                    h.killed.set(true);
                } else {
                    h.kill();
                }
                n += 1;
            }
            n
        })
        .await;
    let total: usize = counts.iter().sum();
    if old_form {
        if total == 0 {
            out.error("ERR No such client");
        } else {
            out.ok();
        }
    } else {
        out.int(total as i64);
    }
    Flow::Continue
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
