//! CLIENT: the subcommands about the calling connection (ID, GETNAME, SETNAME, SETINFO,
//! NO-EVICT, NO-TOUCH, INFO, GETREDIR, HELP) and those that reach every data core's clients
//! (LIST, KILL, UNBLOCK).
//!
//! Runs on the connection's core as an async step; LIST, KILL and UNBLOCK visit each core's
//! [`ClientRegistry`](super::clients::ClientRegistry) through `on_all_cores`. Argument parsing
//! lives in the pure `clients` module.

use std::rc::Rc;

use crate::clock;
use crate::cmd::{Args, CmdError};
use crate::net::session::{validate_client_name, Flow, Session};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;

use super::clients::{KillFilter, ListFilter};
use super::core::CoreCtx;

/// Runs one CLIENT subcommand.
pub async fn client(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    args: Args<'_>,
    out: &mut Reply,
) -> Flow {
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
        "setinfo" if args.len() == 4 => match set_info(sess, &args) {
            Ok(()) => out.ok(),
            Err(e) => out.error_bytes(&e.bytes()),
        },
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
        "list" => list(ctx, args, out).await,
        "kill" if args.len() >= 3 => kill(ctx, sess, args, out).await,
        "unblock" if args.len() == 3 || args.len() == 4 => unblock(ctx, args, out).await,
        "unblock" if args.len() > 4 => {
            out.error_bytes(&CmdError::subcommand_syntax(args.get(1), b"client").bytes())
        }
        "getredir" if args.len() == 2 => out.int(-1),
        "help" if args.len() == 2 => {
            let lines = [
                "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "ID -- Return the ID of the current connection.",
                "GETNAME / SETNAME <name> -- Get or set the connection name.",
                "SETINFO <LIB-NAME|LIB-VER> <value> -- Record the client library in use.",
                "INFO -- Describe this connection.",
                "LIST [TYPE <NORMAL|MASTER|REPLICA|PUBSUB> | ID <id> [<id> ...]] -- Describe \
                 connections.",
                "KILL <ip:port> | KILL [ID <id>] [TYPE <type>] [USER <username>] \
                 [ADDR <ip:port>] [LADDR <ip:port>] [SKIPME yes|no] -- Close clients.",
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

/// CLIENT SETINFO attr value, in Redis 7.2's order: the attribute name is checked first, then
/// the value; errors echo the attribute as the client typed it.
fn set_info(sess: &Session, args: &Args) -> Result<(), CmdError> {
    let attr = args.get(2);
    let target = if args.is(2, "lib-name") {
        &sess.handle.lib_name
    } else if args.is(2, "lib-ver") {
        &sess.handle.lib_ver
    } else {
        return Err(CmdError::quoting("ERR Unrecognized option '", attr, "'"));
    };
    let value = args.get(3);
    if value.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(CmdError::quoting(
            "ERR ",
            attr,
            " cannot contain spaces, newlines or special characters.",
        ));
    }
    *target.borrow_mut() = value.to_vec();
    Ok(())
}

/// CLIENT LIST [TYPE type | ID id ...]: one line per client, by id, or in the order the ids
/// were given (repeats included); an empty text when nothing matches.
async fn list(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let filter = match ListFilter::parse(&args) {
        Ok(filter) => filter,
        Err(e) => return out.error_bytes(&e.bytes()),
    };
    let wanted = filter.clone();
    let parts = ctx
        .on_all_cores(move |c| {
            let now = clock::unix_ms();
            c.clients
                .borrow()
                .iter()
                .filter(|h| wanted.matches(h.id, h.client_type()))
                .map(|h| (h.id, h.info_line(now)))
                .collect::<Vec<_>>()
        })
        .await;
    let mut found: Vec<(u64, String)> = parts.into_iter().flatten().collect();
    found.sort_by_key(|(id, _)| *id);
    let mut text = String::new();
    let mut add = |line: &str| {
        text.push_str(line);
        text.push('\n');
    };
    match &filter {
        ListFilter::Ids(ids) => {
            for &id in ids {
                if let Some((_, line)) = found.iter().find(|(found, _)| *found as i64 == id) {
                    add(line);
                }
            }
        }
        _ => found.iter().for_each(|(_, line)| add(line)),
    }
    out.verbatim(text.as_bytes());
}

/// CLIENT KILL: the old form `ip:port` (`+OK` or `No such client`) and the filter form
/// (the number of clients closed). The caller, when it matches, is closed after its reply.
async fn kill(ctx: &Rc<CoreCtx>, sess: &mut Session, args: Args<'_>, out: &mut Reply) {
    let filter = match KillFilter::parse(&args) {
        Ok(filter) => filter,
        Err(e) => return out.error_bytes(&e.bytes()),
    };
    let old_form = filter.old_form;
    let me = sess.handle.id;
    let counts = ctx
        .on_all_cores(move |c| {
            let doomed: Vec<_> = c
                .clients
                .borrow()
                .iter()
                .filter(|h| filter.matches(h, me))
                .cloned()
                .collect();
            for h in &doomed {
                if h.id == me {
                    h.killed.set(true);
                } else {
                    // Gone from CLIENT LIST at once, as redis-server frees it on the spot;
                    // its connection task notices the shut-down socket later.
                    h.kill();
                    c.clients.borrow_mut().remove(h.id);
                }
            }
            doomed.len()
        })
        .await;
    let total: usize = counts.iter().sum();
    if !old_form {
        out.int(total as i64);
    } else if total == 0 {
        out.error("ERR No such client");
    } else {
        out.ok();
    }
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: asks a client waiting in a blocking command to stop,
/// answering as on timeout or with the UNBLOCKED error (`net::blocking` acts on it).
async fn unblock(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
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
