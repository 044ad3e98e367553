//! Slot claims on the wire: sorted inclusive ranges instead of Redis's 2 KB bitmap, and a
//! digest that stands in for them in steady state.
//!
//! Pure. Redis puts the sender's whole 16384-bit slot bitmap in every bus message; SoliKV
//! sends a 64-bit digest of the claimed ranges in every message and the ranges themselves only
//! when the receiver may not have them (see [`super::message::SlotClaims`] for the rule).

use rkyv::{Archive, Deserialize, Serialize};

/// Number of hash slots.
pub const SLOTS: u16 = 16384;
/// Bytes in a Redis-style slot bitmap.
pub const BITMAP_LEN: usize = SLOTS as usize / 8;

/// Slots `start..=end`.
#[derive(Archive, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SlotRange {
    pub start: u16,
    pub end: u16,
}

impl SlotRange {
    pub fn new(start: u16, end: u16) -> SlotRange {
        SlotRange { start, end }
    }

    /// Slots in the range (at least one).
    pub fn count(&self) -> usize {
        usize::from(self.end.saturating_sub(self.start)) + 1
    }
}

/// True if the ranges are within 0..16384, each non-empty, sorted, disjoint and not
/// adjacent (the one canonical form, so equal slot sets have equal digests).
pub fn is_canonical(ranges: &[SlotRange]) -> bool {
    let mut next_free = 0u32;
    for (i, r) in ranges.iter().enumerate() {
        if r.start > r.end || r.end >= SLOTS {
            return false;
        }
        if i > 0 && u32::from(r.start) <= next_free {
            return false;
        }
        next_free = u32::from(r.end) + 1;
    }
    true
}

/// Canonical ranges of the slots set in a Redis-layout bitmap (bit `s % 8` of byte `s / 8`).
pub fn ranges_from_bitmap(bitmap: &[u8; BITMAP_LEN]) -> Vec<SlotRange> {
    ranges_from_slots((0..SLOTS).filter(|&s| bitmap[usize::from(s / 8)] & (1 << (s % 8)) != 0))
}

/// Canonical ranges of an ascending sequence of slots (duplicates allowed).
pub fn ranges_from_slots(slots: impl IntoIterator<Item = u16>) -> Vec<SlotRange> {
    let mut out: Vec<SlotRange> = Vec::new();
    for s in slots {
        match out.last_mut() {
            Some(r) if s <= r.end => {}
            Some(r) if u32::from(s) == u32::from(r.end) + 1 => r.end = s,
            _ => out.push(SlotRange::new(s, s)),
        }
    }
    out
}

/// The bitmap of canonical (or any in-bounds) ranges.
pub fn bitmap_from_ranges(ranges: &[SlotRange]) -> [u8; BITMAP_LEN] {
    let mut bitmap = [0u8; BITMAP_LEN];
    for r in ranges {
        for s in r.start..=r.end.min(SLOTS - 1) {
            bitmap[usize::from(s / 8)] |= 1 << (s % 8);
        }
    }
    bitmap
}

/// 64-bit FNV-1a over the ranges' bytes, never zero (zero is left for "claims nothing known").
/// Two nodes with equal canonical ranges compute equal digests.
pub fn digest(ranges: &[SlotRange]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for r in ranges {
        for b in r.start.to_le_bytes().into_iter().chain(r.end.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmap_and_ranges_round_trip() {
        let mut bitmap = [0u8; BITMAP_LEN];
        for s in (0..100).chain(5000..5461).chain([16383, 7]) {
            bitmap[s / 8] |= 1 << (s % 8);
        }
        let ranges = ranges_from_bitmap(&bitmap);
        assert_eq!(
            ranges,
            vec![
                SlotRange::new(0, 99),
                SlotRange::new(5000, 5460),
                SlotRange::new(16383, 16383)
            ]
        );
        assert!(is_canonical(&ranges));
        assert_eq!(bitmap_from_ranges(&ranges), bitmap);
        assert_eq!(ranges.iter().map(SlotRange::count).sum::<usize>(), 562);
    }

    #[test]
    fn non_canonical_ranges_are_detected() {
        let r = SlotRange::new;
        assert!(is_canonical(&[]));
        assert!(is_canonical(&[r(0, 16383)]));
        assert!(!is_canonical(&[r(5, 4)]));
        assert!(!is_canonical(&[r(0, 16384)]));
        assert!(!is_canonical(&[r(10, 20), r(21, 30)]), "adjacent");
        assert!(!is_canonical(&[r(10, 20), r(15, 30)]), "overlapping");
        assert!(!is_canonical(&[r(30, 40), r(10, 20)]), "unsorted");
    }

    #[test]
    fn digest_tells_slot_sets_apart() {
        let a = ranges_from_slots(0..5461);
        let b = ranges_from_slots(0..5460);
        assert_eq!(digest(&a), digest(&ranges_from_slots(0..5461)));
        assert_ne!(digest(&a), digest(&b));
        assert_ne!(digest(&[]), 0);
    }
}
