//! Byte-exact renderings of the cluster state: CLUSTER NODES lines (also the body of
//! nodes.conf), CLUSTER SLOTS, CLUSTER SHARDS, CLUSTER INFO and CLUSTER LINKS.
//!
//! Pure; runs on the control core, which owns the state.

use std::fmt::Write;

use super::node::{flags, Node};
use super::settings::EndpointType;
use super::state::{ClusterState, MSG_TYPES};
use crate::protocol::Reply;

/// One CLUSTER NODES line, without the trailing newline:
/// `<id> <ip>:<port>@<cport>[,<hostname>] <flags> <master> <ping> <pong> <epoch> <link> <slots>`
/// plus myself's migration markers.
pub fn node_line(state: &ClusterState, node: &Node) -> String {
    let mut line = format!("{} {}:{}@{}", node.id, node.ip, node.port, node.cport);
    if !node.hostname.is_empty() {
        let _ = write!(line, ",{}", node.hostname);
    }
    let master = match &node.master {
        Some(m) if node.is_replica() => m.to_string(),
        _ => "-".to_string(),
    };
    let link = if node.link_connected || node.is_myself() {
        "connected"
    } else {
        "disconnected"
    };
    let _ = write!(
        line,
        " {} {} {} {} {} {}",
        flags::names(node.flags),
        master,
        node.ping_sent,
        node.pong_received,
        state.node_epoch(node),
        link
    );
    for (start, end) in state.slot_ranges(&node.id) {
        if start == end {
            let _ = write!(line, " {start}");
        } else {
            let _ = write!(line, " {start}-{end}");
        }
    }
    if node.is_myself() {
        let mut marked: Vec<(u16, String)> = Vec::new();
        for (slot, to) in &state.migrating_to {
            marked.push((*slot, format!(" [{slot}->-{to}]")));
        }
        for (slot, from) in &state.importing_from {
            if !state.migrating_to.contains_key(slot) {
                marked.push((*slot, format!(" [{slot}-<-{from}]")));
            }
        }
        marked.sort_by_key(|(slot, _)| *slot);
        for (_, text) in marked {
            line.push_str(&text);
        }
    }
    line
}

/// CLUSTER NODES: one line per node, each ending in `\n`. nodes.conf leaves out nodes still
/// in handshake (`skip_handshake`).
pub fn nodes_text(state: &ClusterState, skip_handshake: bool) -> String {
    let mut text = String::new();
    for node in &state.nodes {
        if skip_handshake && node.has(flags::HANDSHAKE) {
            continue;
        }
        text.push_str(&node_line(state, node));
        text.push('\n');
    }
    text
}

/// The endpoint clients are told to use for `node` (redirects, SLOTS, SHARDS): its ip, its
/// hostname (`?` when it has none) or `?` for `unknown-endpoint`.
pub fn preferred_endpoint<'a>(state: &ClusterState, node: &'a Node) -> &'a str {
    match state.settings.preferred_endpoint {
        EndpointType::Ip => &node.ip,
        EndpointType::Hostname if !node.hostname.is_empty() => &node.hostname,
        _ => "?",
    }
}

/// One node inside a CLUSTER SLOTS range: endpoint, port, id, metadata.
fn slots_node(state: &ClusterState, node: &Node, out: &mut Reply) {
    let kind = state.settings.preferred_endpoint;
    out.array(4);
    match kind {
        EndpointType::Unknown => out.null(),
        _ => out.bulk(preferred_endpoint(state, node).as_bytes()),
    }
    out.int(node.port as i64);
    out.bulk(node.id.as_bytes());
    let show_ip = kind != EndpointType::Ip;
    let show_host = kind != EndpointType::Hostname && !node.hostname.is_empty();
    out.map(show_ip as usize + show_host as usize);
    if show_ip {
        out.bulk(b"ip");
        out.bulk(node.ip.as_bytes());
    }
    if show_host {
        out.bulk(b"hostname");
        out.bulk(node.hostname.as_bytes());
    }
}

/// Contiguous runs of slots with the same owner, in slot order.
fn owner_runs(state: &ClusterState) -> Vec<(u16, u16, &Node)> {
    let mut runs: Vec<(u16, u16, &Node)> = Vec::new();
    for (slot, owner) in state.slots.iter().enumerate() {
        let slot = slot as u16;
        let Some(node) = owner.as_ref().and_then(|id| state.node(id)) else {
            continue;
        };
        match runs.last_mut() {
            Some((_, end, n)) if *end + 1 == slot && n.id == node.id => *end = slot,
            _ => runs.push((slot, slot, node)),
        }
    }
    runs
}

/// CLUSTER SLOTS: each run of slots with its master, then the master's replicas that are
/// not failing.
pub fn write_slots(state: &ClusterState, out: &mut Reply) {
    let runs = owner_runs(state);
    out.array(runs.len());
    for (start, end, master) in runs {
        let replicas: Vec<&Node> = state
            .replicas_of(&master.id)
            .into_iter()
            .filter(|r| !r.has(flags::FAIL))
            .collect();
        out.array(3 + replicas.len());
        out.int(start as i64);
        out.int(end as i64);
        slots_node(state, master, out);
        for replica in replicas {
            slots_node(state, replica, out);
        }
    }
}

/// CLUSTER SHARDS: one entry per master that owns slots or has replicas (myself's shard
/// first), with its slot ranges and every node of the shard.
pub fn write_shards(state: &ClusterState, out: &mut Reply) {
    let me = state.myself();
    let my_master = *state.shard_master(me);
    let mut masters: Vec<&Node> = Vec::new();
    if let Some(m) = state.node(&my_master) {
        masters.push(m);
    }
    for n in &state.nodes {
        if n.is_master() && n.id != my_master && !n.has(flags::HANDSHAKE) {
            masters.push(n);
        }
    }
    out.array(masters.len());
    for master in masters {
        out.map(2);
        out.bulk(b"slots");
        let ranges = state.slot_ranges(&master.id);
        out.array(ranges.len() * 2);
        for (start, end) in ranges {
            out.int(start as i64);
            out.int(end as i64);
        }
        out.bulk(b"nodes");
        let mut members = vec![master];
        members.extend(state.replicas_of(&master.id));
        out.array(members.len());
        for node in members {
            shard_node(state, node, out);
        }
    }
}

fn shard_node(state: &ClusterState, node: &Node, out: &mut Reply) {
    let has_host = !node.hostname.is_empty();
    out.map(7 + has_host as usize);
    out.bulk(b"id");
    out.bulk(node.id.as_bytes());
    out.bulk(b"port");
    out.int(node.port as i64);
    out.bulk(b"ip");
    out.bulk(node.ip.as_bytes());
    out.bulk(b"endpoint");
    let endpoint = match state.settings.preferred_endpoint {
        EndpointType::Unknown => "",
        _ => preferred_endpoint(state, node),
    };
    out.bulk(endpoint.as_bytes());
    if has_host {
        out.bulk(b"hostname");
        out.bulk(node.hostname.as_bytes());
    }
    out.bulk(b"role");
    out.bulk(if node.is_replica() {
        b"replica"
    } else {
        b"master"
    });
    out.bulk(b"replication-offset");
    out.int(0);
    out.bulk(b"health");
    out.bulk(if node.has(flags::FAIL) {
        b"fail"
    } else {
        b"online"
    });
}

/// CLUSTER INFO's text.
pub fn info_text(state: &ClusterState) -> String {
    let mut assigned = 0;
    let mut pfail = 0;
    let mut fail = 0;
    for owner in &state.slots {
        let Some(node) = owner.as_ref().and_then(|id| state.node(id)) else {
            continue;
        };
        assigned += 1;
        if node.has(flags::FAIL) {
            fail += 1;
        } else if node.has(flags::PFAIL) {
            pfail += 1;
        }
    }
    let mut text = String::new();
    let _ = write!(
        text,
        "cluster_state:{}\r\ncluster_slots_assigned:{assigned}\r\ncluster_slots_ok:{}\r\n\
         cluster_slots_pfail:{pfail}\r\ncluster_slots_fail:{fail}\r\ncluster_known_nodes:{}\r\n\
         cluster_size:{}\r\ncluster_current_epoch:{}\r\ncluster_my_epoch:{}\r\n",
        if state.ok { "ok" } else { "fail" },
        assigned - pfail - fail,
        state.nodes.len(),
        state.size,
        state.current_epoch,
        state.node_epoch(state.myself()),
    );
    for (counts, dir) in [
        (&state.stats.sent, "sent"),
        (&state.stats.received, "received"),
    ] {
        for (name, n) in MSG_TYPES.iter().zip(counts.iter()) {
            if *n != 0 {
                let _ = write!(text, "cluster_stats_messages_{name}_{dir}:{n}\r\n");
            }
        }
        let total: u64 = counts.iter().sum();
        let _ = write!(text, "cluster_stats_messages_{dir}:{total}\r\n");
    }
    text.push_str("total_cluster_links_buffer_limit_exceeded:0\r\n");
    text
}

/// CLUSTER LINKS: the bus links the bus layer registered in the state.
pub fn write_links(state: &ClusterState, out: &mut Reply) {
    out.array(state.links.len());
    for link in &state.links {
        out.map(6);
        out.bulk(b"direction");
        out.bulk(if link.outbound { b"to" } else { b"from" });
        out.bulk(b"node");
        out.bulk(link.node.as_bytes());
        out.bulk(b"create-time");
        out.int(link.create_time_ms as i64);
        out.bulk(b"events");
        out.bulk(link.events.as_bytes());
        out.bulk(b"send-buffer-allocated");
        out.int(link.send_buffer_allocated as i64);
        out.bulk(b"send-buffer-used");
        out.int(link.send_buffer_used as i64);
    }
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;
