//! Cluster mode, state side: what this node knows about the cluster, where it lives, and how
//! data cores route commands by it.
//!
//! # Layout
//!
//! - [`node`]: `NodeId`, node flags, one node's entry (addresses, flags, master, bus timings,
//!   config epoch, link state, failure reports). Pure.
//! - [`state`]: `ClusterState`: the node table, current/last-vote epochs, slot → node,
//!   MIGRATING/IMPORTING, the forget ban list, message counters, cluster ok/fail. Pure.
//! - [`settings`]: the `cluster-*` directives (announce ip/port/bus-port/hostname, preferred
//!   endpoint type, timeouts, coverage rules, config file). Pure.
//! - [`format`](mod@format): CLUSTER NODES/SLOTS/SHARDS/INFO/LINKS renderings, byte-exact. Pure.
//! - [`nodes_conf`]: nodes.conf save (temp + fsync + rename) and load (corrupt → error).
//! - [`exec`]: the CLUSTER subcommands that read or change the state. Pure.
//! - [`view`]: the immutable routing view each data core holds, and the redirect decision
//!   (`getNodeByQuery`'s order). Pure, hot path.
//! - [`hooks`]: the functions the cluster bus calls on the state (see below). Pure.
//! - [`bus`]: the cluster bus wire layer: framing, rkyv messages, TCP links on the bus port.
//!   It carries what the state needs (epochs, slot claims, flags, gossip, failure reports)
//!   and decides nothing itself.
//! - [`control`]: the control core (a glommio executor that owns the state, commits changes
//!   to nodes.conf and publishes views) and each data core's link to it.
//! - [`wire`]: the bus driver on the control core: listens on the bus port, runs the 100 ms
//!   cron (links, pings, PFAIL/FAIL) and feeds what arrives to [`hooks`].
//! - [`command`]: the data-core side: the CLUSTER front end, the per-command slot check, CONFIG
//!   SET of cluster directives.
//!
//! # Threads
//!
//! With `cluster-enabled yes` the server starts one more executor, the **control core**
//! (`solikv-control`, unpinned). It owns the [`state::ClusterState`]; nothing else touches
//! it. Data cores send it closures ([`control::ControlFn`]) over one flume channel and wait for
//! the result. After every closure the control core *commits*: if the state is dirty it
//! recomputes ok/fail, saves nodes.conf and sends a new `Arc<ClusterView>` (numbered) to every
//! data core, which keeps the newest. A keyed command is checked against the parsing core's
//! view with no lock and no hop; only a command on a MIGRATING/IMPORTING slot looks its keys
//! up on the core that owns the slot (one hop, rare).
//!
//! # Hook API for the cluster bus
//!
//! The bus (`cluster::bus`) runs on the control core: spawn its tasks in the executor that
//! [`control::start`] creates, next to `serve`, sharing the `Rc<RefCell<Control>>` (borrow it
//! per event, never across an await). For each event it converts its wire types (binary node
//! ids, its own flag bits, unix seconds in gossip) to these and calls the pure functions of
//! [`hooks`] on `control.state`:
//!
//! - [`hooks::next_ping`] — what to put in the next PING/PONG/MEET: the header fields
//!   ([`hooks::Header`]: sender id, current epoch, config epoch, flags, master, announced
//!   ip/ports/hostname, slot ranges) and a few gossip entries ([`hooks::Gossip`]) chosen as Redis
//!   does (random nodes, PFAIL ones always included).
//! - [`hooks::on_message`] — a PING/PONG/MEET arrived from the link's peer with header `H` and
//!   gossip `G`: completes handshakes (renames the handshake node to the sender's real id),
//!   learns our own ip from MEET/PING, updates addresses, epochs, PONG times, replica/master
//!   role and slot ownership by config epoch (with Redis's config-epoch collision rule), clears
//!   PFAIL on PONG, records failure reports, starts handshakes with unknown gossiped nodes.
//!   It returns [`hooks::Effects`] telling the bus what to send (e.g. an UPDATE to a stale
//!   sender, a FAIL broadcast).
//! - [`hooks::on_fail`] / [`hooks::on_update`] — FAIL and UPDATE messages.
//! - [`hooks::on_link`] — a link came up or went down; [`hooks::on_ping_sent`] after a
//!   PING/MEET went out, and [`hooks::greeting`] says which of the two to send.
//! - [`hooks::cron`] — called every 100 ms: PFAIL after `cluster-node-timeout` without a
//!   PONG, FAIL when a majority of masters reported it, handshake timeouts.
//! - Message counters for CLUSTER INFO: `state.stats.sent/received[type]`; CLUSTER LINKS shows
//!   `state.links`, which the bus keeps current.
//!
//! After any of these the bus calls [`control::Control::commit`] (the control core's loop also
//! does after each closure), which saves nodes.conf and republishes the view if needed.

pub mod bus;
pub mod command;
pub mod control;
pub mod exec;
pub mod format;
pub mod hooks;
pub mod node;
pub mod nodes_conf;
pub mod settings;
pub mod state;
pub mod view;
pub mod wire;
