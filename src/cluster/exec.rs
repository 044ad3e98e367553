//! The CLUSTER subcommands that read or change the cluster state, with redis-server 7.0.15's
//! argument checks, error texts and reply shapes.
//!
//! Runs on the control core against its [`ClusterState`]; pure and synchronous. Facts only the
//! data cores know (how many keys the node or a slot holds) arrive in [`Facts`], gathered by
//! the connection's core before the call (`super::command`).

use std::net::IpAddr;

use super::format::{info_text, node_line, nodes_text, write_links, write_shards, write_slots};
use super::node::{flags, Node, NodeId};
use super::nodes_conf;
use super::state::ClusterState;
use crate::cmd::CmdError;
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::topology::SLOT_COUNT;

/// What the data cores reported for this command.
#[derive(Clone, Copy, Debug, Default)]
pub struct Facts {
    pub now_ms: u64,
    /// Keys stored on this node.
    pub dbsize: usize,
    /// Keys stored in the slot a SETSLOT names.
    pub keys_in_slot: usize,
}

const SETSLOT_SYNTAX: &str =
    "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP";

fn err(out: &mut Reply, text: &str) {
    out.error(text);
}

/// `ERR unknown subcommand or wrong number of arguments for '<sub>'. Try CLUSTER HELP.`
pub fn syntax_error(sub: &[u8], out: &mut Reply) {
    out.error_bytes(&CmdError::subcommand_syntax(sub, b"cluster").bytes());
}

/// A slot argument, or Redis's error for it.
pub fn parse_slot(arg: &[u8]) -> Result<u16, &'static str> {
    match parse_i64(arg) {
        Some(s) if (0..SLOT_COUNT as i64).contains(&s) => Ok(s as u16),
        _ => Err("ERR Invalid or out of range slot"),
    }
}

/// Runs one CLUSTER subcommand (`args[0]` is `CLUSTER`, arity already checked).
pub fn execute(state: &mut ClusterState, args: &[Vec<u8>], facts: Facts, out: &mut Reply) {
    let sub = String::from_utf8_lossy(&args[1]).to_ascii_lowercase();
    let arg = |i: usize| args[i].as_slice();
    match sub.as_str() {
        "info" => out.verbatim(info_text(state).as_bytes()),
        "nodes" => out.verbatim(nodes_text(state, false).as_bytes()),
        "myid" => out.bulk(state.myself.as_bytes()),
        "slots" => write_slots(state, out),
        "shards" => write_shards(state, out),
        "links" => write_links(state, out),
        "addslots" | "delslots" => {
            let del = sub == "delslots";
            let mut ranges = Vec::new();
            for a in &args[2..] {
                match parse_slot(a) {
                    Ok(s) => ranges.push((s, s)),
                    Err(e) => return err(out, e),
                }
            }
            update_slots(state, &ranges, del, out);
        }
        "addslotsrange" | "delslotsrange" => {
            if args.len() % 2 == 1 {
                return out.error(&format!(
                    "ERR wrong number of arguments for 'cluster|{sub}' command"
                ));
            }
            let mut ranges = Vec::new();
            for pair in args[2..].chunks(2) {
                let (start, end) = match (parse_slot(&pair[0]), parse_slot(&pair[1])) {
                    (Ok(a), Ok(b)) => (a, b),
                    (Err(e), _) | (_, Err(e)) => return err(out, e),
                };
                if start > end {
                    return out.error(&format!(
                        "ERR start slot number {start} is greater than end slot number {end}"
                    ));
                }
                ranges.push((start, end));
            }
            update_slots(state, &ranges, sub == "delslotsrange", out);
        }
        "flushslots" => {
            if facts.dbsize != 0 {
                return err(out, "ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
            }
            let me = state.myself;
            for slot in 0..SLOT_COUNT as u16 {
                if state.owner(slot) == Some(&me) {
                    state.clear_slot(slot);
                }
            }
            state.update_state();
            out.ok();
        }
        "setslot" => setslot(state, args, facts, out),
        "meet" => {
            if args.len() > 5 {
                return syntax_error(arg(1), out);
            }
            meet(state, args, facts.now_ms, out);
        }
        "forget" => {
            let Some(node) = state.lookup(arg(2)).cloned() else {
                return unknown_node(arg(2), out);
            };
            let me = state.myself();
            if node.id == state.myself {
                return err(out, "ERR I tried hard but I can't forget myself...");
            }
            if me.is_replica() && me.master == Some(node.id) {
                return err(out, "ERR Can't forget my master!");
            }
            state.ban(node.id, facts.now_ms);
            state.remove_node(&node.id);
            state.update_state();
            out.ok();
        }
        "reset" => {
            let hard = match args.len() {
                2 => false,
                3 if args[2].eq_ignore_ascii_case(b"hard") => true,
                3 if args[2].eq_ignore_ascii_case(b"soft") => false,
                3 => return out.error("ERR syntax error"),
                _ => return syntax_error(arg(1), out),
            };
            if state.myself().is_master() && facts.dbsize != 0 {
                return err(
                    out,
                    "ERR CLUSTER RESET can't be called with master nodes containing keys",
                );
            }
            state.reset(hard);
            out.ok();
        }
        "saveconfig" => match nodes_conf::save(state, &state.settings.config_file) {
            Ok(()) => out.ok(),
            Err(e) => out.error(&format!("ERR error saving the cluster node config: {e}")),
        },
        "set-config-epoch" => {
            let Some(epoch) = parse_i64(arg(2)) else {
                return err(out, "ERR value is not an integer or out of range");
            };
            if epoch < 0 {
                out.error(&format!("ERR Invalid config epoch specified: {epoch}"));
            } else if state.nodes.len() > 1 {
                err(out, "ERR The user can assign a config epoch only when the node does not know any other node.");
            } else if state.myself().config_epoch != 0 {
                err(out, "ERR Node config epoch is already non-zero");
            } else {
                state.myself_mut().config_epoch = epoch as u64;
                state.current_epoch = state.current_epoch.max(epoch as u64);
                state.dirty = true;
                out.ok();
            }
        }
        "bumpepoch" => {
            let (bumped, epoch) = state.bump_epoch();
            out.simple(&format!(
                "{} {epoch}",
                if bumped { "BUMPED" } else { "STILL" }
            ));
        }
        "count-failure-reports" => match state.lookup(arg(2)) {
            None => unknown_node(arg(2), out),
            Some(n) => {
                // Reports older than 2 × node-timeout no longer count (Redis cleans them up
                // before counting).
                let max_age = state.settings.node_timeout_ms * 2;
                let valid = n
                    .fail_reports
                    .iter()
                    .filter(|r| facts.now_ms.saturating_sub(r.time_ms) <= max_age)
                    .count();
                out.int(valid as i64)
            }
        },
        "myshardid" => {
            let me = state.myself();
            out.bulk(state.shard_master(me).as_bytes())
        }
        "replicas" | "slaves" => match state.lookup(arg(2)) {
            None => unknown_node(arg(2), out),
            Some(n) if n.is_replica() => err(out, "ERR The specified node is not a master"),
            Some(n) => {
                let lines: Vec<String> = state
                    .replicas_of(&n.id)
                    .into_iter()
                    .map(|r| node_line(state, r))
                    .collect();
                out.array(lines.len());
                for line in lines {
                    out.bulk(line.as_bytes());
                }
            }
        },
        "replicate" => replicate(state, arg(2), facts, out),
        "failover" => {
            if args.len() > 3 {
                return syntax_error(arg(1), out);
            }
            if args.len() == 3
                && !args[2].eq_ignore_ascii_case(b"force")
                && !args[2].eq_ignore_ascii_case(b"takeover")
            {
                return out.error("ERR syntax error");
            }
            let me = state.myself();
            if me.is_master() {
                err(out, "ERR You should send CLUSTER FAILOVER to a replica");
            } else if me.master.and_then(|m| state.node(&m).cloned()).is_none() {
                err(out, "ERR I'm a replica but my master is unknown to me");
            } else {
                err(out, "ERR CLUSTER FAILOVER is not supported by SoliKV yet");
            }
        }
        _ => syntax_error(arg(1), out),
    }
}

fn unknown_node(name: &[u8], out: &mut Reply) {
    let mut text = b"ERR Unknown node ".to_vec();
    text.extend_from_slice(name);
    out.error_bytes(&text);
}

/// ADDSLOTS/DELSLOTS and their RANGE forms: every slot is checked (busy or unassigned,
/// named twice) before any changes.
fn update_slots(state: &mut ClusterState, ranges: &[(u16, u16)], del: bool, out: &mut Reply) {
    let mut seen = vec![false; SLOT_COUNT];
    for &(start, end) in ranges {
        for slot in start..=end {
            let owner = state.owner(slot);
            if del && owner.is_none() {
                return out.error(&format!("ERR Slot {slot} is already unassigned"));
            }
            if !del && owner.is_some() {
                return out.error(&format!("ERR Slot {slot} is already busy"));
            }
            if std::mem::replace(&mut seen[slot as usize], true) {
                return out.error(&format!("ERR Slot {slot} specified multiple times"));
            }
        }
    }
    let me = state.myself;
    for (slot, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
        let slot = slot as u16;
        state.importing_from.remove(&slot);
        if del {
            state.clear_slot(slot);
        } else {
            state.set_slot(slot, me);
        }
    }
    state.update_state();
    out.ok();
}

fn setslot(state: &mut ClusterState, args: &[Vec<u8>], facts: Facts, out: &mut Reply) {
    if state.myself().is_replica() {
        return err(out, "ERR Please use SETSLOT only with masters.");
    }
    let slot = match parse_slot(&args[2]) {
        Ok(s) => s,
        Err(e) => return err(out, e),
    };
    let action = String::from_utf8_lossy(&args[3]).to_ascii_lowercase();
    let me = state.myself;
    let target = |state: &ClusterState| args.get(4).and_then(|a| state.lookup(a)).cloned();
    let not_master = |n: &Node| !n.is_master();
    match (action.as_str(), args.len()) {
        ("migrating", 5) => {
            if state.owner(slot) != Some(&me) {
                return out.error(&format!("ERR I'm not the owner of hash slot {slot}"));
            }
            let Some(n) = target(state) else {
                return dont_know(&args[4], out);
            };
            if not_master(&n) {
                return err(out, "ERR Target node is not a master");
            }
            state.migrating_to.insert(slot, n.id);
        }
        ("importing", 5) => {
            if state.owner(slot) == Some(&me) {
                return out.error(&format!("ERR I'm already the owner of hash slot {slot}"));
            }
            let Some(n) = target(state) else {
                return dont_know(&args[4], out);
            };
            if not_master(&n) {
                return err(out, "ERR Target node is not a master");
            }
            state.importing_from.insert(slot, n.id);
        }
        ("stable", 4) => {
            state.migrating_to.remove(&slot);
            state.importing_from.remove(&slot);
        }
        ("node", 5) => {
            let Some(n) = target(state) else {
                return unknown_node(&args[4], out);
            };
            if not_master(&n) {
                return err(out, "ERR Target node is not a master");
            }
            if state.owner(slot) == Some(&me) && n.id != me && facts.keys_in_slot != 0 {
                return out.error(&format!(
                    "ERR Can't assign hashslot {slot} to a different node while I still hold \
                     keys for this hash slot."
                ));
            }
            if facts.keys_in_slot == 0 {
                state.migrating_to.remove(&slot);
            }
            state.set_slot(slot, n.id);
            if n.id == me && state.importing_from.remove(&slot).is_some() {
                state.bump_epoch();
            }
        }
        _ => return err(out, SETSLOT_SYNTAX),
    }
    state.dirty = true;
    state.update_state();
    out.ok();
}

fn dont_know(name: &[u8], out: &mut Reply) {
    let mut text = b"ERR I don't know about node ".to_vec();
    text.extend_from_slice(name);
    out.error_bytes(&text);
}

/// CLUSTER MEET: records a node in handshake; the bus contacts it and learns its real id.
fn meet(state: &mut ClusterState, args: &[Vec<u8>], now_ms: u64, out: &mut Reply) {
    let Some(port) = parse_i64(&args[3]) else {
        let mut text = b"ERR Invalid TCP base port specified: ".to_vec();
        text.extend_from_slice(&args[3]);
        return out.error_bytes(&text);
    };
    let cport = match args.get(4) {
        None => port + 10000,
        Some(a) => match parse_i64(a) {
            Some(p) => p,
            None => {
                let mut text = b"ERR Invalid TCP bus port specified: ".to_vec();
                text.extend_from_slice(a);
                return out.error_bytes(&text);
            }
        },
    };
    let ip = std::str::from_utf8(&args[2])
        .ok()
        .and_then(|s| s.parse::<IpAddr>().ok());
    let valid = |p: i64| (1..=65535).contains(&p);
    let Some(ip) = ip.filter(|_| valid(port) && valid(cport)) else {
        let mut text = b"ERR Invalid node address specified: ".to_vec();
        text.extend_from_slice(&args[2]);
        text.push(b':');
        text.extend_from_slice(&args[3]);
        return out.error_bytes(&text);
    };
    start_handshake(state, &ip.to_string(), port as u16, cport as u16, now_ms);
    out.ok();
}

/// Adds a handshake node for `ip:port` unless one is already in progress (Redis's
/// `clusterStartHandshake`). Returns whether a node was added.
pub fn start_handshake(
    state: &mut ClusterState,
    ip: &str,
    port: u16,
    cport: u16,
    now_ms: u64,
) -> bool {
    start_handshake_as(
        state,
        ip,
        port,
        cport,
        now_ms,
        flags::HANDSHAKE | flags::MEET,
    )
}

/// [`start_handshake`] with the new node's flags: a node that MEETs us is greeted with a PING
/// (`HANDSHAKE` alone), as redis-server does, where a node we are told to meet gets a MEET.
pub fn start_handshake_as(
    state: &mut ClusterState,
    ip: &str,
    port: u16,
    cport: u16,
    now_ms: u64,
    node_flags: u16,
) -> bool {
    let pending = state
        .nodes
        .iter()
        .any(|n| n.has(flags::HANDSHAKE) && n.ip == ip && n.port == port && n.cport == cport);
    if pending {
        return false;
    }
    let mut node = Node::new(NodeId::random(), node_flags);
    node.ip = ip.to_string();
    node.port = port;
    node.cport = cport;
    node.created_ms = now_ms;
    state.add_node(node);
    true
}

/// CLUSTER REPLICATE: accepted and shown (the replication stream itself is a later issue).
fn replicate(state: &mut ClusterState, name: &[u8], facts: Facts, out: &mut Reply) {
    let Some(n) = state.lookup(name).cloned() else {
        return unknown_node(name, out);
    };
    if n.id == state.myself {
        return err(out, "ERR Can't replicate myself");
    }
    if n.is_replica() {
        return err(out, "ERR I can only replicate a master, not a replica.");
    }
    let me = state.myself;
    if state.myself().is_master() && (state.slot_count(&me) != 0 || facts.dbsize != 0) {
        return err(
            out,
            "ERR To set a master the node must be empty and without assigned slots.",
        );
    }
    let node = state.myself_mut();
    node.flags = (node.flags & !flags::MASTER) | flags::SLAVE;
    node.master = Some(n.id);
    state.migrating_to.clear();
    state.importing_from.clear();
    state.dirty = true;
    state.update_state();
    out.ok();
}

#[cfg(test)]
#[path = "exec_tests.rs"]
mod tests;
