//! The cluster bus: SoliKV-to-SoliKV messages on the bus port (`port + 10000` unless
//! `cluster-port` says otherwise), run by the control core.
//!
//! The bus is the wire layer only: it moves [`Message`]s between nodes and reports what
//! arrived. It keeps no cluster state and makes no decisions (who to ping, when to reconnect,
//! what PFAIL/FAIL/epochs mean): the cluster state does, with Redis's rules, from the
//! information every message carries.
//!
//! - [`frame`]: the fixed 16-byte header (magic, version, type, length, checksum) and the
//!   incremental frame decoder (pure).
//! - [`slots`]: slot claims as ranges and digests (pure).
//! - [`message`]: the rkyv message types, [`message::encode`] and [`message::decode`] (pure).
//! - [`link`]: the bus listener and TCP links (glommio, control core).
//! - `claims`: per-link choice of when slot ranges travel (private to the links).
//!
//! # Wiring it into the control core
//!
//! ```ignore
//! let (bus, events) = Bus::new(BusConfig::default());
//! bus.listen(SocketAddr::new(bind_ip, cluster_port))?;       // accepts until shutdown
//! // Event loop (one task):
//! while let Ok(event) = events.recv_async().await {
//!     match event {
//!         BusEvent::Accepted { link, peer } => { /* inbound link; node unknown until its first message */ }
//!         BusEvent::Message { link, msg } => { /* msg.sender says who; apply msg.body */ }
//!         BusEvent::Closed { link, reason } => { /* forget the link; reconnect later if wanted */ }
//!     }
//! }
//! // Cron (another task, every 100 ms): for a node without an outbound link,
//! let link = bus.connect(SocketAddr::new(node_ip, node_cport), timeout).await?;
//! bus.send(link, &Message { sender: my_sender(), body: Body::Ping(gossip) })?;
//! ```
//!
//! - **Links and nodes.** As in Redis, a node pings others on its *outbound* link to them and
//!   answers a PING or MEET with a PONG on the link it came on (usually the peer's outbound
//!   link, our inbound one). An inbound link's node is known from the first message's
//!   [`Sender::id`]. [`Bus::link_info`] gives both socket addresses: `peer` for a sender
//!   that announces no IP ([`WireIp::UNKNOWN`]), `local` for learning our own IP as Redis
//!   does when `cluster-announce-ip` is not set. Link ids are never reused.
//! - **Every message** carries a [`Sender`]: id, currentEpoch, configEpoch, replication
//!   offset, primary, shard id, IP and ports, flags (Redis's `CLUSTER_NODE_*` values in
//!   [`node_flags`]), cluster state, manual-failover flags ([`msg_flags`]), hostname and slot
//!   claims. MEET/PING/PONG carry [`Gossip`] (pick [`gossip_wanted`] random nodes plus every
//!   PFAIL node, as Redis), FAIL names a node, UPDATE gives a node's slots and configEpoch,
//!   PUBLISH / PUBLISHSHARD a channel and message, and FAILOVER_AUTH_REQUEST/ACK and MFSTART
//!   need nothing beyond the sender.
//! - **Slot claims.** Always build the sender with [`SlotClaims::full`]; every received
//!   message has `ranges: Some(..)` unless the link could not restore them (then `None`:
//!   unknown for now, already requested from the peer). On the wire, ranges travel only
//!   when needed ([`SlotClaims`]).
//! - **Failures.** A bad frame or message closes its link with a logged warning and a
//!   [`BusEvent::Closed`] whose [`CloseReason`] says why; nothing else is affected. [`Bus::send`]
//!   never blocks: it queues, and the link's writer sends each round's messages in one write;
//!   a link whose queue passes [`BusConfig::max_pending_out`] is closed.
//! - **Threads.** `Bus` is `!Send`: create and use it on the control core's executor. The
//!   event receiver is a flume channel, so the state may also live elsewhere.

mod claims;
pub mod frame;
pub mod link;
pub mod message;
pub mod slots;

pub use link::{Bus, BusConfig, BusEvent, CloseReason, Direction, LinkId, LinkInfo, SendError};
pub use message::{
    gossip_wanted, msg_flags, node_flags, Body, Forgotten, Gossip, GossipEntry, Message,
    MessageError, NodeId, Sender, SlotClaims, WireIp, CLUSTER_FAIL, CLUSTER_OK,
};
pub use slots::SlotRange;
