//! Per-link slot-claims bookkeeping: the bus, not its owner, decides when a message carries
//! the sender's slot ranges and when the digest alone will do.
//!
//! Pure (no I/O), owned by one link on the control core. The owner always builds messages
//! with full claims ([`SlotClaims::full`]) and always receives full claims; in between, each
//! link sends the ranges only the first time it carries a given digest, or when the peer asked
//! for them ([`msg_flags::WANT_SLOTS`]), and restores them on receipt from what that link
//! carried last. If a digest arrives that the link cannot restore (the peer's tracking and
//! ours disagree, which a correct peer never causes), the message is delivered with
//! `ranges: None` and the link asks the peer for its ranges in its next outgoing message.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use super::message::{msg_flags, Message, NodeId, SlotClaims};
use super::slots::SlotRange;

/// One link's view of the claims that crossed it, both ways.
#[derive(Default)]
pub(super) struct LinkClaims {
    /// Sender id and digest whose ranges this link has carried to the peer.
    sent: Cell<Option<(NodeId, u64)>>,
    /// The peer asked for our ranges.
    peer_wants: Cell<bool>,
    /// The last ranges the peer sent on this link, with its id and their digest.
    received: RefCell<Option<(NodeId, u64, Vec<SlotRange>)>>,
    /// The next outgoing message must ask the peer for its ranges.
    ask_peer: Cell<bool>,
}

/// A message ready to encode for one link, and what sending it will record.
pub(super) struct Outgoing<'m> {
    pub msg: Cow<'m, Message>,
    carries_ranges: Option<(NodeId, u64)>,
    asks: bool,
}

impl LinkClaims {
    /// `msg` as this link should send it: ranges dropped if the peer has them, the
    /// WANT_SLOTS bit set if we need the peer's.
    pub fn outgoing<'m>(&self, msg: &'m Message) -> Outgoing<'m> {
        let claims = &msg.sender.slots;
        let has_ranges = claims.ranges.is_some();
        let key = (msg.sender.id, claims.digest);
        let strip = has_ranges && self.sent.get() == Some(key) && !self.peer_wants.get();
        let asks = self.ask_peer.get();
        let carries_ranges = (has_ranges && !strip).then_some(key);
        if !strip && !asks {
            return Outgoing {
                msg: Cow::Borrowed(msg),
                carries_ranges,
                asks,
            };
        }
        let mut owned = msg.clone();
        if strip {
            owned.sender.slots = SlotClaims {
                digest: claims.digest,
                ranges: None,
            };
        }
        if asks {
            owned.sender.mflags |= msg_flags::WANT_SLOTS;
        }
        Outgoing {
            msg: Cow::Owned(owned),
            carries_ranges,
            asks,
        }
    }

    /// Records that `out` was queued (call only once it encoded).
    pub fn commit(&self, out: &Outgoing<'_>) {
        if let Some(key) = out.carries_ranges {
            self.sent.set(Some(key));
            self.peer_wants.set(false);
        }
        if out.asks {
            self.ask_peer.set(false);
        }
    }

    /// Restores the ranges of a digest-only message from what this link carried before, and
    /// notes a request for ours.
    pub fn incoming(&self, msg: &mut Message) {
        if msg.sender.mflags & msg_flags::WANT_SLOTS != 0 {
            self.peer_wants.set(true);
        }
        let claims = &mut msg.sender.slots;
        let mut received = self.received.borrow_mut();
        match &claims.ranges {
            Some(ranges) => *received = Some((msg.sender.id, claims.digest, ranges.clone())),
            None => match &*received {
                Some((id, digest, ranges)) if *id == msg.sender.id && *digest == claims.digest => {
                    claims.ranges = Some(ranges.clone());
                }
                _ => self.ask_peer.set(true),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::bus::message::{node_flags, Body, Sender, WireIp, CLUSTER_OK};
    use crate::cluster::bus::slots::ranges_from_slots;

    fn msg(ranges: Vec<SlotRange>) -> Message {
        Message {
            sender: Sender {
                id: NodeId([1; 20]),
                current_epoch: 1,
                config_epoch: 1,
                repl_offset: 0,
                primary: None,
                shard_id: NodeId([1; 20]),
                ip: WireIp::UNKNOWN,
                port: 7000,
                cport: 17000,
                flags: node_flags::MASTER,
                state: CLUSTER_OK,
                mflags: 0,
                hostname: String::new(),
                slots: SlotClaims::full(ranges),
            },
            body: Body::MfStart,
        }
    }

    /// Passes `m` from `a`'s side of a link to `b`'s, as the wire would.
    fn carry(a: &LinkClaims, b: &LinkClaims, m: &Message) -> (bool, Message) {
        let out = a.outgoing(m);
        a.commit(&out);
        let mut wire = out.msg.into_owned();
        let had_ranges = wire.sender.slots.ranges.is_some();
        b.incoming(&mut wire);
        (had_ranges, wire)
    }

    #[test]
    fn ranges_cross_a_link_once_per_change_and_are_restored() {
        let (a, b) = (LinkClaims::default(), LinkClaims::default());
        let first = msg(ranges_from_slots(0..5461));
        assert_eq!(carry(&a, &b, &first), (true, first.clone()));
        assert_eq!(carry(&a, &b, &first), (false, first.clone()));
        let changed = msg(ranges_from_slots(0..5000));
        assert_eq!(carry(&a, &b, &changed), (true, changed.clone()));
        assert_eq!(carry(&a, &b, &changed), (false, changed));
    }

    #[test]
    fn an_unknown_digest_is_delivered_as_unknown_and_requested() {
        let (a, b) = (LinkClaims::default(), LinkClaims::default());
        let claims = ranges_from_slots(0..100);
        let full = msg(claims.clone());
        assert_eq!(carry(&a, &b, &full), (true, full.clone()));

        let other = ranges_from_slots(500..600);
        let mut odd = msg(other.clone());
        odd.sender.slots = SlotClaims::digest_of(&other);
        b.incoming(&mut odd);
        assert_eq!(
            odd.sender.slots.ranges, None,
            "b cannot restore a digest it never saw"
        );

        let reply = msg(ranges_from_slots(200..300));
        let (_, at_a) = carry(&b, &a, &reply);
        assert_ne!(at_a.sender.mflags & msg_flags::WANT_SLOTS, 0, "b asks a");
        let (_, again) = carry(&b, &a, &reply);
        assert_eq!(again.sender.mflags & msg_flags::WANT_SLOTS, 0, "only once");

        let (had_ranges, at_b) = carry(&a, &b, &full);
        assert!(
            had_ranges,
            "a resends ranges it already sent because b asked"
        );
        assert_eq!(at_b.sender.slots.ranges, Some(claims));
        assert!(!carry(&a, &b, &full).0, "and then stops");
    }

    #[test]
    fn a_new_sender_id_on_the_link_sends_its_ranges_again() {
        let (a, b) = (LinkClaims::default(), LinkClaims::default());
        let first = msg(ranges_from_slots(0..10));
        carry(&a, &b, &first);
        let mut renamed = first.clone();
        renamed.sender.id = NodeId([2; 20]);
        assert_eq!(carry(&a, &b, &renamed), (true, renamed));
    }

    #[test]
    fn a_failed_encode_records_nothing() {
        let a = LinkClaims::default();
        let m = msg(ranges_from_slots(0..10));
        drop(a.outgoing(&m));
        assert!(a.outgoing(&m).msg.sender.slots.ranges.is_some());
    }
}
