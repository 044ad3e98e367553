//! Bus messages: what one SoliKV node tells another, as rkyv types, and their encoding into
//! frames.
//!
//! Pure and synchronous; used by the control core. The encoding is SoliKV's own (the bus is
//! only SoliKV-to-SoliKV), but every message carries what Redis's clusterMsg carries, so the
//! cluster state can apply Redis's rules: the sender's epochs, flags, replication offset,
//! primary, addresses and slot claims in a [`Sender`] on every message, gossip entries about
//! other nodes in MEET/PING/PONG, and the FAIL, UPDATE, PUBLISH, failover-auth and manual
//! failover bodies. [`decode`] validates the archived bytes (rkyv `bytecheck`) and then the
//! values (canonical slot ranges, digest, type byte) before anything is returned: garbage is an
//! `Err`, never a panic.
//!
//! Where SoliKV saves bytes compared with Redis (see `benches/gossip.rs` for the figures):
//! node ids travel as 20 raw bytes instead of 40 hex characters, IPs as 16 bytes instead of a
//! 46-byte string, and slot claims as a digest plus ranges only when needed ([`SlotClaims`])
//! instead of a 2 KB bitmap in every message.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use rkyv::rancor;
use rkyv::util::AlignedVec;
use rkyv::{Archive, Deserialize, Serialize};

use super::frame::{self, Frame, FrameError, MessageKind};
use super::slots::{self, SlotRange};

/// Node flag bits, with Redis's CLUSTER_NODE_* values (used in [`Sender::flags`] and
/// [`GossipEntry::flags`]).
pub mod node_flags {
    pub const MASTER: u16 = 1;
    pub const REPLICA: u16 = 2;
    pub const PFAIL: u16 = 4;
    pub const FAIL: u16 = 8;
    pub const MYSELF: u16 = 16;
    pub const HANDSHAKE: u16 = 32;
    pub const NOADDR: u16 = 64;
    pub const MEET: u16 = 128;
    pub const MIGRATE_TO: u16 = 256;
    pub const NOFAILOVER: u16 = 512;
}

/// [`Sender::mflags`] bits: Redis's CLUSTERMSG_FLAG0_* plus SoliKV's slot-claims request.
pub mod msg_flags {
    /// The sender (a primary) paused clients for a manual failover.
    pub const PAUSED: u8 = 1;
    /// Grant the failover vote even though the primary is up (CLUSTER FAILOVER FORCE).
    pub const FORCEACK: u8 = 2;
    /// The sender's stored claims of the receiver do not match the receiver's digest: the
    /// receiver should put its full ranges in its next message to the sender.
    pub const WANT_SLOTS: u8 = 0x80;
}

/// [`Sender::state`]: the cluster state as the sender sees it.
pub const CLUSTER_OK: u8 = 0;
pub const CLUSTER_FAIL: u8 = 1;

/// A node id: Redis's 40 lowercase hex characters, packed into 20 bytes on the wire.
#[derive(Archive, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub [u8; 20]);

impl NodeId {
    /// Parses 40 hex characters (either case). SoliKV, like Redis, makes ids from random
    /// hex digits, so every id it produces fits.
    pub fn from_hex(hex: &[u8]) -> Option<NodeId> {
        if hex.len() != 40 {
            return None;
        }
        let mut id = [0u8; 20];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            id[i] = (hi * 16 + lo) as u8;
        }
        Some(NodeId(id))
    }

    /// The 40 lowercase hex characters.
    pub fn to_hex(&self) -> [u8; 40] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 40];
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = DIGITS[usize::from(b >> 4)];
            out[2 * i + 1] = DIGITS[usize::from(b & 15)];
        }
        out
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(std::str::from_utf8(&self.to_hex()).unwrap_or_default())
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({self})")
    }
}

/// An IP address in 16 bytes (IPv4 as IPv4-mapped IPv6). All zeroes means "not announced":
/// the receiver uses the address the link's socket reports, as Redis does with an empty myip.
#[derive(Archive, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct WireIp(pub [u8; 16]);

impl WireIp {
    pub const UNKNOWN: WireIp = WireIp([0; 16]);

    pub fn from_ip(ip: IpAddr) -> WireIp {
        match ip {
            IpAddr::V4(v4) => WireIp(v4.to_ipv6_mapped().octets()),
            IpAddr::V6(v6) => WireIp(v6.octets()),
        }
    }

    /// The address, `None` if not announced.
    pub fn to_ip(&self) -> Option<IpAddr> {
        if *self == WireIp::UNKNOWN {
            return None;
        }
        let v6 = Ipv6Addr::from(self.0);
        Some(match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        })
    }
}

/// The slots a sender claims (its own, or its primary's if it is a replica), as Redis's
/// `myslots`. On the wire: always a digest, the ranges only when the receiver may not have
/// them.
///
/// The owner of a [`Bus`](super::link::Bus) does not manage this: it builds every message
/// with [`SlotClaims::full`] and receives every message with the ranges filled in. Each link
/// sends the ranges the first time it carries a digest (so in MEET, in the first message on a
/// new link and after every change) or when the peer sets [`msg_flags::WANT_SLOTS`], and
/// restores them on receipt from what it carried last. A message whose digest the link
/// cannot restore arrives with `ranges: None` (claims unknown for now) and the link asks the
/// peer for them in its next message.
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SlotClaims {
    /// [`slots::digest`] of the claimed ranges.
    pub digest: u64,
    /// Canonical ranges ([`slots::is_canonical`]), or `None` when only the digest is sent.
    pub ranges: Option<Vec<SlotRange>>,
}

impl SlotClaims {
    /// Claims with the ranges included.
    pub fn full(ranges: Vec<SlotRange>) -> SlotClaims {
        SlotClaims {
            digest: slots::digest(&ranges),
            ranges: Some(ranges),
        }
    }

    /// Claims as a digest only.
    pub fn digest_of(ranges: &[SlotRange]) -> SlotClaims {
        SlotClaims {
            digest: slots::digest(ranges),
            ranges: None,
        }
    }
}

/// Who sent a message and what it believes about itself: Redis's clusterMsg header fields
/// (and its hostname and shard-id ping extensions) in every message.
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub id: NodeId,
    /// The sender's currentEpoch.
    pub current_epoch: u64,
    /// The configEpoch of the sender, or of its primary if it is a replica.
    pub config_epoch: u64,
    /// Replication offset (of the primary if the sender is one, processed offset otherwise).
    pub repl_offset: u64,
    /// The sender's primary, if it is a replica (Redis's `slaveof`).
    pub primary: Option<NodeId>,
    pub shard_id: NodeId,
    /// Announced IP, or [`WireIp::UNKNOWN`].
    pub ip: WireIp,
    /// Client port and bus port.
    pub port: u16,
    pub cport: u16,
    /// [`node_flags`] as the sender sees itself.
    pub flags: u16,
    /// [`CLUSTER_OK`] or [`CLUSTER_FAIL`].
    pub state: u8,
    /// [`msg_flags`].
    pub mflags: u8,
    /// `cluster-announce-hostname`, empty if none.
    pub hostname: String,
    pub slots: SlotClaims,
}

/// What the sender knows about one other node (Redis's clusterMsgDataGossip).
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct GossipEntry {
    pub id: NodeId,
    /// Unix seconds of the sender's last PING to that node still waiting for a PONG, 0 if none.
    pub ping_sent: u32,
    /// Unix seconds of the last PONG the sender received from that node.
    pub pong_received: u32,
    pub ip: WireIp,
    pub port: u16,
    pub cport: u16,
    /// [`node_flags`] as the sender sees that node (PFAIL/FAIL here are failure reports).
    pub flags: u16,
}

/// A node the sender has forgotten (CLUSTER FORGET), and how many more seconds the receiver
/// should refuse to re-add it (Redis's forgotten-node ping extension).
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Forgotten {
    pub id: NodeId,
    pub ttl_secs: u64,
}

/// The body of MEET, PING and PONG.
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Gossip {
    /// [`gossip_wanted`] random healthy nodes, plus every PFAIL node.
    pub entries: Vec<GossipEntry>,
    pub forgotten: Vec<Forgotten>,
}

/// How many random healthy nodes a PING, PONG or MEET describes, Redis's rule: a tenth of the
/// known nodes (`known_nodes` counts this node too), at least 3, at most `known_nodes - 2`
/// (neither the sender nor the receiver). Every PFAIL node is added on top.
pub fn gossip_wanted(known_nodes: usize) -> usize {
    (known_nodes / 10).max(3).min(known_nodes.saturating_sub(2))
}

/// The type-specific part of a message.
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Ping(Gossip),
    Pong(Gossip),
    Meet(Gossip),
    /// The sender has marked `node` FAIL: every receiver marks it too.
    Fail {
        node: NodeId,
    },
    /// Cluster-wide PUBLISH.
    Publish {
        channel: Vec<u8>,
        message: Vec<u8>,
    },
    /// A replica asks primaries for their failover vote (the sender header carries its
    /// epochs, claims and `FORCEACK`).
    FailoverAuthRequest,
    FailoverAuthAck,
    /// `node`'s slots are `slots` as of `config_epoch`: the receiver's view of it is stale.
    Update {
        node: NodeId,
        config_epoch: u64,
        slots: Vec<SlotRange>,
    },
    /// A replica asks its primary to start a manual failover.
    MfStart,
    /// Shard PUBLISH (SPUBLISH), sent to the nodes of the sender's shard.
    PublishShard {
        channel: Vec<u8>,
        message: Vec<u8>,
    },
}

impl Body {
    pub fn kind(&self) -> MessageKind {
        match self {
            Body::Ping(_) => MessageKind::Ping,
            Body::Pong(_) => MessageKind::Pong,
            Body::Meet(_) => MessageKind::Meet,
            Body::Fail { .. } => MessageKind::Fail,
            Body::Publish { .. } => MessageKind::Publish,
            Body::FailoverAuthRequest => MessageKind::FailoverAuthRequest,
            Body::FailoverAuthAck => MessageKind::FailoverAuthAck,
            Body::Update { .. } => MessageKind::Update,
            Body::MfStart => MessageKind::MfStart,
            Body::PublishShard { .. } => MessageKind::PublishShard,
        }
    }
}

/// One bus message.
#[derive(Archive, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub sender: Sender,
    pub body: Body,
}

/// Why a message could not be encoded or decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageError {
    Frame(FrameError),
    /// The body bytes are not a valid archived message (rkyv's validation error text).
    Invalid(String),
    /// The header's type byte and the body's variant disagree.
    KindMismatch {
        header: MessageKind,
        body: MessageKind,
    },
    /// Slot ranges out of bounds, unsorted or overlapping, or not matching their digest.
    BadSlots,
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::Frame(e) => e.fmt(f),
            MessageError::Invalid(e) => write!(f, "invalid message body: {e}"),
            MessageError::KindMismatch { header, body } => {
                write!(f, "header says {header:?} but the body is {body:?}")
            }
            MessageError::BadSlots => f.write_str("invalid slot ranges"),
        }
    }
}

impl std::error::Error for MessageError {}

impl From<FrameError> for MessageError {
    fn from(e: FrameError) -> Self {
        MessageError::Frame(e)
    }
}

/// Checks what rkyv cannot: slot ranges canonical and matching their digest.
fn check_values(msg: &Message) -> Result<(), MessageError> {
    let claims = &msg.sender.slots;
    if let Some(ranges) = &claims.ranges {
        if !slots::is_canonical(ranges) || slots::digest(ranges) != claims.digest {
            return Err(MessageError::BadSlots);
        }
    }
    if let Body::Update { slots, .. } = &msg.body {
        if !slots::is_canonical(slots) {
            return Err(MessageError::BadSlots);
        }
    }
    Ok(())
}

/// Appends `msg` as one frame to `out`. Refuses invalid slot claims (a bug on the caller's
/// side) and bodies over [`frame::MAX_BODY_LEN`]; `out` is unchanged on error.
pub fn encode(msg: &Message, out: &mut Vec<u8>) -> Result<(), MessageError> {
    check_values(msg)?;
    let body =
        rkyv::to_bytes::<rancor::Error>(msg).map_err(|e| MessageError::Invalid(e.to_string()))?;
    frame::write_frame(out, msg.body.kind(), &body)?;
    Ok(())
}

/// Decodes a frame's body. The bytes are copied into an aligned buffer, validated by rkyv,
/// then checked against the header's type and for canonical slot ranges.
pub fn decode(frame: &Frame<'_>) -> Result<Message, MessageError> {
    let mut aligned = AlignedVec::<16>::with_capacity(frame.body.len());
    aligned.extend_from_slice(frame.body);
    let msg = rkyv::from_bytes::<Message, rancor::Error>(&aligned)
        .map_err(|e| MessageError::Invalid(e.to_string()))?;
    if msg.body.kind() != frame.kind {
        return Err(MessageError::KindMismatch {
            header: frame.kind,
            body: msg.body.kind(),
        });
    }
    check_values(&msg)?;
    Ok(msg)
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
