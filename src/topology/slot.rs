//! Redis Cluster key hashing: CRC16-XMODEM of the key (or of its `{hash tag}`) modulo 16384.
//!
//! A command's key is hashed by several steps on its core (the prefetch before it runs, the
//! cluster redirect check, the keyspace lookup), so each thread remembers the short keys it
//! hashed lately and their slots: the repeats cost a comparison of at most [`MEMO_MAX`] bytes
//! instead of the CRC's table walk (about 2% of a request's CPU when every client uses one hot
//! key). Several keys are kept because the connections one harvest wakes each warm the cache
//! for their key before any of their commands runs (`net::prefetch`).

use std::cell::Cell;

/// Number of hash slots in a Redis Cluster keyspace.
pub const SLOT_COUNT: usize = 16384;

/// A hash slot, `0..16384`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotId(pub u16);

impl SlotId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// CRC16-XMODEM (polynomial 0x1021, initial value 0), as Redis Cluster uses.
pub fn crc16(data: &[u8]) -> u16 {
    crc16::State::<crc16::XMODEM>::calculate(data)
}

/// The part of `key` that is hashed: the bytes between the first `{` and the next `}` when
/// that span is non-empty, else the whole key.
pub fn hash_tag(key: &[u8]) -> &[u8] {
    if let Some(open) = key.iter().position(|&b| b == b'{') {
        if let Some(len) = key[open + 1..].iter().position(|&b| b == b'}') {
            if len > 0 {
                return &key[open + 1..open + 1 + len];
            }
        }
    }
    key
}

/// Longest key whose slot is remembered.
pub const MEMO_MAX: usize = 30;

/// Short keys remembered per thread: enough for the keys of the connections one harvest wakes,
/// each hashed when its connection warms the cache and again when its command runs.
const MEMO_ENTRIES: usize = 16;

/// A short key hashed on this thread and its slot.
#[derive(Clone, Copy)]
struct Memo {
    len: u8,
    bytes: [u8; MEMO_MAX],
    slot: u16,
}

impl Memo {
    const EMPTY: Memo = Memo {
        len: u8::MAX,
        bytes: [0; MEMO_MAX],
        slot: 0,
    };

    fn holds(&self, key: &[u8]) -> bool {
        self.len as usize == key.len() && self.bytes[..key.len()] == *key
    }
}

/// The remembered keys, each in the entry its last bytes pick ([`memo_entry`]), and which
/// entry the last key hashed is in.
struct Memos {
    entries: [Cell<Memo>; MEMO_ENTRIES],
    last: Cell<usize>,
}

thread_local! {
    static MEMOS: Memos = const {
        Memos {
            entries: [const { Cell::new(Memo::EMPTY) }; MEMO_ENTRIES],
            last: Cell::new(0),
        }
    };
}

/// The memo entry of a short key: from its length and its last two bytes, where keys made
/// from a counter or a random number differ.
fn memo_entry(key: &[u8]) -> usize {
    let byte = |back: usize| key.len().checked_sub(back).map_or(0, |at| key[at] as usize);
    (key.len() ^ byte(1) ^ (byte(2) << 2)) % MEMO_ENTRIES
}

/// The hash slot of `key`.
pub fn key_slot(key: &[u8]) -> SlotId {
    if key.len() > MEMO_MAX {
        return SlotId(compute_slot(key));
    }
    MEMOS.with(|memos| {
        let at = memo_entry(key);
        memos.last.set(at);
        let memo = memos.entries[at].get();
        if memo.holds(key) {
            return SlotId(memo.slot);
        }
        let slot = compute_slot(key);
        let mut bytes = [0; MEMO_MAX];
        bytes[..key.len()].copy_from_slice(key);
        memos.entries[at].set(Memo {
            len: key.len() as u8,
            bytes,
            slot,
        });
        SlotId(slot)
    })
}

/// Whether `key` is the last key this thread hashed (so its slot's data was just used).
pub fn is_last_hashed(key: &[u8]) -> bool {
    key.len() <= MEMO_MAX && MEMOS.with(|memos| memos.entries[memos.last.get()].get().holds(key))
}

fn compute_slot(key: &[u8]) -> u16 {
    crc16(hash_tag(key)) & (SLOT_COUNT as u16 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_xmodem_check_value() {
        assert_eq!(crc16(b"123456789"), 0x31C3);
    }

    #[test]
    fn hash_tag_rules() {
        assert_eq!(hash_tag(b"{user1000}.following"), b"user1000");
        assert_eq!(hash_tag(b"foo{}{bar}"), b"foo{}{bar}");
        assert_eq!(hash_tag(b"foo{{bar}}zap"), b"{bar");
        assert_eq!(hash_tag(b"foo{bar}{zap}"), b"bar");
        assert_eq!(hash_tag(b"{}"), b"{}");
        assert_eq!(hash_tag(b"no-tag"), b"no-tag");
        assert_eq!(hash_tag(b"open{only"), b"open{only");
        assert_eq!(
            key_slot(b"{user1000}.following"),
            key_slot(b"{user1000}.followers")
        );
    }

    #[test]
    fn remembered_slots_match_computed_ones() {
        let keys: [&[u8]; 6] = [
            b"a",
            b"b",
            b"{a}x",
            b"",
            &[b'k'; MEMO_MAX],
            &[b'k'; MEMO_MAX + 1],
        ];
        for _ in 0..2 {
            for key in keys {
                assert_eq!(key_slot(key).0, compute_slot(key));
                assert_eq!(key_slot(key).0, compute_slot(key));
                assert_eq!(is_last_hashed(key), key.len() <= MEMO_MAX);
            }
        }
        assert!(!is_last_hashed(b"never hashed"));
    }

    #[test]
    fn keys_sharing_a_memo_entry_keep_their_own_slots() {
        let keys: Vec<Vec<u8>> = (0..500)
            .map(|i| format!("memtier-{i}").into_bytes())
            .collect();
        for _ in 0..3 {
            for key in &keys {
                assert_eq!(key_slot(key).0, compute_slot(key));
                assert!(is_last_hashed(key));
            }
            // Interleaved as the connections of one harvest hash them: warm, then run.
            for pair in keys.chunks(8) {
                for key in pair.iter().chain(pair) {
                    assert_eq!(key_slot(key).0, compute_slot(key));
                }
            }
        }
    }

    #[test]
    fn known_key_slots() {
        // Values as reported by redis-server's CLUSTER KEYSLOT.
        for (key, slot) in [
            ("foo", 12182),
            ("bar", 5061),
            ("hello", 866),
            ("key:000000000000", 13053),
            ("{user1000}.following", 3443),
            ("a", 15495),
            ("", 0),
            ("123456789", 12739),
        ] {
            assert_eq!(key_slot(key.as_bytes()), SlotId(slot), "{key}");
        }
    }
}
