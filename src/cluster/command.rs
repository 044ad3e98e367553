//! The data-core side of cluster mode: the CLUSTER command's front end, the slot check every
//! keyed command goes through, and telling the control core about CONFIG SET.
//!
//! Runs on the connection's data core. CLUSTER subcommands that only need a key or a slot's
//! keys (KEYSLOT, COUNTKEYSINSLOT, GETKEYSINSLOT, HELP) are answered here or on the core that
//! owns the slot; the rest run on the control core (`super::exec`), after the facts they need
//! from the data cores are gathered. A changed state comes back with its new view, installed
//! here before the reply so the connection's next command already routes by it.

use std::rc::Rc;
use std::sync::Arc;

use super::exec::{execute, parse_slot, Facts};
use super::settings::Settings;
use super::view::{ClusterView, Query, Redirect, Route};
use crate::cmd::{self, meta, Args, CmdError, Command, WRITE};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::shard::core::CoreCtx;
use crate::storage::Keyspace;
use crate::topology::{key_slot, SlotId, SLOT_COUNT};

/// CLUSTER HELP, as redis-server 7.0.15 prints it.
const HELP: &[&str] = &[
    "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ADDSLOTS <slot> [<slot> ...]",
    "    Assign slots to current node.",
    "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Assign slots which are between <start-slot> and <end-slot> to current node.",
    "BUMPEPOCH",
    "    Advance the cluster config epoch.",
    "COUNT-FAILURE-REPORTS <node-id>",
    "    Return number of failure reports for <node-id>.",
    "COUNTKEYSINSLOT <slot>",
    "    Return the number of keys in <slot>.",
    "DELSLOTS <slot> [<slot> ...]",
    "    Delete slots information from current node.",
    "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
    "FAILOVER [FORCE|TAKEOVER]",
    "    Promote current replica node to being a master.",
    "FORGET <node-id>",
    "    Remove a node from the cluster.",
    "GETKEYSINSLOT <slot> <count>",
    "    Return key names stored by current node in a slot.",
    "FLUSHSLOTS",
    "    Delete current node own slots information.",
    "INFO",
    "    Return information about the cluster.",
    "KEYSLOT <key>",
    "    Return the hash slot for <key>.",
    "MEET <ip> <port> [<bus-port>]",
    "    Connect nodes into a working cluster.",
    "MYID",
    "    Return the node id.",
    "NODES",
    "    Return cluster configuration seen by node. Output format:",
    "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
    "REPLICATE <node-id>",
    "    Configure current node as replica to <node-id>.",
    "RESET [HARD|SOFT]",
    "    Reset current node (default: soft).",
    "SET-CONFIG-EPOCH <epoch>",
    "    Set config epoch of current node.",
    "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
    "    Set slot state.",
    "REPLICAS <node-id>",
    "    Return <node-id> replicas.",
    "SAVECONFIG",
    "    Force saving cluster configuration on disk.",
    "SLOTS",
    "    Return information about slots range mappings. Each range is made of:",
    "    start, end, master and replicas IP addresses, ports and ids",
    "SHARDS",
    "    Return information about slot range mappings and the nodes associated with them.",
    "LINKS",
    "    Return information about all network links between this node and its peers.",
    "    Output format is an array where each array element is a map containing attributes of a link",
    "HELP",
    "    Prints this help.",
];

const DISABLED: &str = "ERR This instance has cluster support disabled";

/// The subcommand's name (`keyslot`), or `None` after answering the error redis-server gives
/// before running any subcommand: unknown, wrong arity, or cluster support disabled.
fn checked_subcommand(ctx: &CoreCtx, args: Args<'_>, out: &mut Reply) -> Option<&'static str> {
    let container = meta::lookup(b"cluster").expect("CLUSTER has metadata");
    let Some(sub) = meta::lookup_sub(container, args.get(1)) else {
        let err = CmdError::unknown_subcommand(args.get(1), args.get(0));
        out.error_bytes(&err.bytes());
        return None;
    };
    if !sub.arity_ok(args.len()) {
        out.error_bytes(&CmdError::WrongArity(sub.name.to_string()).bytes());
        return None;
    }
    if !ctx.cluster.enabled() {
        out.error(DISABLED);
        return None;
    }
    Some(&sub.name["cluster|".len()..])
}

/// CLUSTER called from a script: redis-server's first checks, HELP and KEYSLOT, which need no
/// other thread. Returns false, having written nothing, for the subcommands scripts cannot
/// run here (they reach the control core or every data core, whose gates the script holds).
pub fn exec_in_script(ctx: &CoreCtx, args: Args<'_>, out: &mut Reply) -> bool {
    let start = out.len();
    match checked_subcommand(ctx, args, out) {
        None => true,
        Some("help") => {
            out.simple_lines(HELP);
            true
        }
        Some("keyslot") => {
            out.int(key_slot(args.get(2)).0 as i64);
            true
        }
        Some(_) => {
            out.buf.truncate(start);
            false
        }
    }
}

/// The CLUSTER command.
pub async fn exec(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let Some(sub) = checked_subcommand(ctx, args, out) else {
        return;
    };
    let not_integer = || CmdError::NotInteger.bytes();
    match sub {
        "help" => out.simple_lines(HELP),
        "keyslot" => out.int(key_slot(args.get(2)).0 as i64),
        "countkeysinslot" => match parse_i64(args.get(2)) {
            None => out.error_bytes(&not_integer()),
            Some(s) if !(0..SLOT_COUNT as i64).contains(&s) => out.error("ERR Invalid slot"),
            Some(s) => out.int(keys_in_slot(ctx, s as u16).await as i64),
        },
        "getkeysinslot" => {
            let (Some(slot), Some(count)) = (parse_i64(args.get(2)), parse_i64(args.get(3))) else {
                return out.error_bytes(&not_integer());
            };
            if !(0..SLOT_COUNT as i64).contains(&slot) || count < 0 {
                return out.error("ERR Invalid slot or number of keys");
            }
            let keys = keys_of_slot(ctx, slot as u16, count as usize).await;
            out.array(keys.len());
            for k in keys {
                out.bulk(&k);
            }
        }
        name => {
            let mut facts = Facts {
                now_ms: crate::clock::unix_ms() as u64,
                ..Facts::default()
            };
            if matches!(name, "flushslots" | "reset" | "replicate") {
                facts.dbsize = ctx.on_all_cores(|c| c.ks.borrow().len()).await.iter().sum();
            }
            if name == "setslot" {
                if let Ok(slot) = parse_slot(args.get(2)) {
                    facts.keys_in_slot = keys_in_slot(ctx, slot).await;
                }
            }
            let owned: Vec<Vec<u8>> = args.iter().map(<[u8]>::to_vec).collect();
            let proto = out.proto;
            let (reply, view) = ctx
                .cluster
                .call(move |ctl| {
                    let mut out = Reply::new(proto);
                    execute(&mut ctl.state, &owned, facts, &mut out);
                    (out.buf, ctl.commit())
                })
                .await;
            if let Some(view) = view {
                install_everywhere(ctx, view).await;
            }
            out.raw(&reply);
        }
    }
}

/// Installs a view the caller's change produced on every data core before the caller
/// replies, so no client, on any core, is routed by the older view afterwards (as with
/// redis-server, where the change and the reply are one step).
async fn install_everywhere(ctx: &Rc<CoreCtx>, view: Arc<ClusterView>) {
    ctx.on_all_cores(move |c| super::control::adopt(c, view.clone()))
        .await;
}

/// Keys stored in `slot`, counted on the core that owns it.
async fn keys_in_slot(ctx: &Rc<CoreCtx>, slot: u16) -> usize {
    let core = Keyspace::core_of_slot(ctx.nshards, ctx.ncores, SlotId(slot));
    ctx.on_core(core, move |c| c.keyspace().count_in_slot(SlotId(slot)))
        .await
}

/// Up to `count` live keys of `slot`, read on the core that owns it.
async fn keys_of_slot(ctx: &Rc<CoreCtx>, slot: u16, count: usize) -> Vec<Vec<u8>> {
    let core = Keyspace::core_of_slot(ctx.nshards, ctx.ncores, SlotId(slot));
    let nshards = ctx.nshards;
    ctx.on_core(core, move |c| {
        let mut keys = Vec::new();
        let shard = slot as usize % nshards;
        c.keyspace()
            .for_each_in_table(shard, slot as usize / nshards, |k, _| {
                if keys.len() < count {
                    keys.push(k.to_vec());
                }
            });
        keys
    })
    .await
}

/// Indices of the key arguments of `cmd` in `args`: its table range without allocating, or
/// (for the few commands whose keys follow a count) from its key specs.
fn key_indices(cmd: &Command, args: &Args) -> KeyIndices {
    if cmd::keys_from_range(cmd) {
        KeyIndices::Range(cmd.keys.indices(args.len()))
    } else {
        let mut listed = Vec::new();
        cmd::for_each_key(cmd, *args, |i| listed.push(i));
        KeyIndices::Listed(listed.into_iter())
    }
}

enum KeyIndices {
    Range(std::iter::StepBy<std::ops::Range<usize>>),
    Listed(std::vec::IntoIter<usize>),
}

impl Iterator for KeyIndices {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            KeyIndices::Range(r) => r.next(),
            KeyIndices::Listed(l) => l.next(),
        }
    }
}

/// Decides where a keyed command runs in cluster mode, from this core's view alone. A
/// migrating or importing slot needs to know which keys exist ([`Route::NeedsKeys`]): callers
/// flush pending work, then ask [`check_unstable`].
pub fn check_local(ctx: &CoreCtx, cmd: &Command, args: &Args, q: Query) -> Route {
    let view = ctx.cluster.view();
    view.route(key_indices(cmd, args).map(|i| args.get(i)), q)
}

/// The decision for a command whose slot is migrating or importing: its keys are looked up
/// on the core that owns the slot; `None` when it runs here.
pub async fn check_unstable(
    ctx: &Rc<CoreCtx>,
    slot: u16,
    cmd: &Command,
    args: &Args<'_>,
    q: Query,
) -> Option<Redirect> {
    let keys: Vec<Vec<u8>> = key_indices(cmd, args)
        .map(|i| args.get(i).to_vec())
        .collect();
    let core = Keyspace::core_of_slot(ctx.nshards, ctx.ncores, SlotId(slot));
    let existing = ctx
        .on_core(core, move |c| {
            let mut ks = c.keyspace();
            keys.iter().filter(|k| ks.contains(k)).count()
        })
        .await;
    let total = key_indices(cmd, args).count();
    match ctx
        .cluster
        .view()
        .route_unstable(slot, existing, total - existing, q)
    {
        Route::Redirect(r) => Some(r),
        _ => None,
    }
}

/// The routing facts of a command for [`check_local`].
pub fn query(cmd: &Command, asking: bool, readonly: bool) -> Query {
    Query {
        write: cmd.flags & WRITE != 0,
        asking,
        readonly,
    }
}

/// After CONFIG SET: hands changed cluster directives to the control core.
pub async fn config_changed(ctx: &Rc<CoreCtx>, names: &[&[u8]]) {
    let touches_cluster = names
        .iter()
        .any(|n| n.len() >= 8 && n[..8].eq_ignore_ascii_case(b"cluster-"));
    if !ctx.cluster.enabled() || !touches_cluster {
        return;
    }
    let settings = Settings::from_config(&ctx.config.borrow());
    let view = ctx
        .cluster
        .call(move |ctl| {
            if ctl.state.settings != settings {
                ctl.state.settings = settings;
                ctl.state.apply_settings();
            }
            ctl.commit()
        })
        .await;
    if let Some(view) = view {
        install_everywhere(ctx, view).await;
    }
}
