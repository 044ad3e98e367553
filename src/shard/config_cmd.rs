//! The CONFIG command: GET reads this core's copy; SET validates here, then applies the same
//! change on every core through the mesh; REWRITE writes the config file; RESETSTAT clears
//! every core's counters.

use std::rc::Rc;
use std::sync::atomic::Ordering;

use crate::cmd::{Args, CmdError};
use crate::protocol::Reply;

use super::core::CoreCtx;
use super::options::RunOptions;
use crate::storage::limits::Limits;

pub async fn config(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let sub = String::from_utf8_lossy(args.get(1)).to_ascii_lowercase();
    let arity =
        |out: &mut Reply| out.error_bytes(&CmdError::WrongArity(format!("config|{sub}")).bytes());
    match sub.as_str() {
        "get" if args.len() >= 3 => {
            let patterns: Vec<&[u8]> = args.iter().skip(2).collect();
            let pairs = ctx.config.borrow().get_matching(&patterns);
            out.map(pairs.len());
            for (name, value) in pairs {
                out.bulk(name.as_bytes());
                out.bulk(value.as_bytes());
            }
        }
        "set" if args.len() >= 4 => {
            if args.len() % 2 != 0 {
                out.error_bytes(&CmdError::Syntax.bytes());
                return;
            }
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = (2..args.len())
                .step_by(2)
                .map(|i| (args.get(i).to_vec(), args.get(i + 1).to_vec()))
                .collect();
            let borrowed: Vec<(&[u8], &[u8])> = pairs
                .iter()
                .map(|(n, v)| (n.as_slice(), v.as_slice()))
                .collect();
            let mut candidate = ctx.config.borrow().clone();
            if let Err(e) = candidate.set(&borrowed) {
                out.error(&e);
                return;
            }
            ctx.on_all_cores(move |c| {
                let borrowed: Vec<(&[u8], &[u8])> = pairs
                    .iter()
                    .map(|(n, v)| (n.as_slice(), v.as_slice()))
                    .collect();
                let mut config = c.config.borrow_mut();
                if config.set(&borrowed).is_ok() {
                    *c.opts.borrow_mut() = RunOptions::from_config(&config);
                    c.ks.borrow_mut().limits = Limits::from_lookup(|name| config.get(name));
                }
            })
            .await;
            let names: Vec<&[u8]> = args.iter().skip(2).step_by(2).collect();
            crate::cluster::command::config_changed(ctx, &names).await;
            out.ok();
        }
        "rewrite" if args.len() == 2 => match ctx.config.borrow().rewrite() {
            Ok(()) => out.ok(),
            Err(e) => out.error(&e),
        },
        "resetstat" if args.len() == 2 => {
            ctx.on_all_cores(|c| c.stats.reset()).await;
            ctx.shared.total_connections.store(0, Ordering::Relaxed);
            ctx.shared.rejected_connections.store(0, Ordering::Relaxed);
            out.ok();
        }
        "help" if args.len() == 2 => {
            let lines = [
                "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET <pattern> [<pattern> ...]",
                "    Return parameters matching the glob-like patterns and their values.",
                "SET <directive> <value> [<directive> <value> ...]",
                "    Set the configuration directives to the given values.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.",
                "HELP",
                "    Print this help.",
            ];
            out.simple_lines(&lines);
        }
        "get" | "set" | "rewrite" | "resetstat" | "help" => arity(out),
        _ => {
            out.error_bytes(&CmdError::unknown_subcommand(args.get(1), args.get(0)).bytes());
        }
    }
}
