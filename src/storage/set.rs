//! The set value, with redis-server 7.0's two encodings.
//!
//! Synchronous; owned by the data core that owns the key. A set holding only integers (as
//! Redis's `string2ll` reads them) is an `intset`: a sorted vector, which is also the order
//! SMEMBERS shows. Adding a non-integer or growing past `set-max-intset-entries` members
//! ([`Limits`]) makes it a `hashtable` for good, held in a [`Dense`] table of members kept
//! in place when they are short (up to 22 bytes, [`Key`]'s size): a lookup then compares the
//! member without a second dependent cache miss, and a short member needs no allocation.

use super::dense::Dense;
use super::key::Key;
use super::limits::Limits;
use crate::protocol::number::parse_i64;
use crate::protocol::reply::fmt_i64;

/// A set value.
#[derive(Clone, Debug, PartialEq)]
pub enum Set {
    /// `intset`: sorted integers.
    Ints(Vec<i64>),
    /// `hashtable`, boxed so that the common small set stays small.
    Big(Box<Dense<Key>>),
}

/// One member as iteration yields it.
#[derive(Clone, Copy, Debug)]
pub enum Member<'a> {
    Int(i64),
    Bytes(&'a [u8]),
}

impl Member<'_> {
    /// Calls `f` with the member's bytes (integers in decimal).
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Member::Bytes(b) => f(b),
            Member::Int(n) => {
                let mut buf = [0u8; 20];
                f(fmt_i64(*n, &mut buf))
            }
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(<[u8]>::to_vec)
    }
}

impl Default for Set {
    /// An empty set, as redis-server creates it for a computed result: an intset.
    fn default() -> Self {
        Set::Ints(Vec::new())
    }
}

impl Set {
    pub fn len(&self) -> usize {
        match self {
            Set::Ints(v) => v.len(),
            Set::Big(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Big(_) => "hashtable",
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            Set::Ints(v) => parse_i64(member).is_some_and(|n| v.binary_search(&n).is_ok()),
            Set::Big(t) => t.contains(member),
        }
    }

    /// [`Set::contains`] for a member of another set, without formatting integers when both
    /// are intsets.
    pub fn contains_member(&self, member: Member) -> bool {
        match (self, member) {
            (Set::Ints(v), Member::Int(n)) => v.binary_search(&n).is_ok(),
            (_, m) => m.with_bytes(|b| self.contains(b)),
        }
    }

    /// Adds `member`; true when it is new.
    pub fn add(&mut self, member: &[u8], limits: &Limits) -> bool {
        if let Set::Ints(v) = self {
            match parse_i64(member) {
                Some(n) => {
                    let Err(at) = v.binary_search(&n) else {
                        return false;
                    };
                    v.insert(at, n);
                    if v.len() > limits.set_intset_entries {
                        self.convert();
                    }
                    return true;
                }
                None => self.convert(),
            }
        }
        match self {
            Set::Big(t) => {
                if t.contains(member) {
                    false
                } else {
                    t.insert(member.into());
                    true
                }
            }
            Set::Ints(_) => unreachable!("converted above"),
        }
    }

    /// Removes `member`; true when it was present.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Ints(v) => match parse_i64(member).map(|n| v.binary_search(&n)) {
                Some(Ok(at)) => {
                    v.remove(at);
                    true
                }
                _ => false,
            },
            Set::Big(t) => t.remove(member).is_some(),
        }
    }

    fn convert(&mut self) {
        if let Set::Ints(v) = self {
            let mut t = Dense::with_capacity(v.len() + 1);
            for n in v.iter() {
                let mut buf = [0u8; 20];
                t.insert(fmt_i64(*n, &mut buf).into());
            }
            *self = Set::Big(Box::new(t));
        }
    }

    /// The member at position `pos` (`pos < len`), for random picks.
    pub fn at(&self, pos: usize) -> Member<'_> {
        match self {
            Set::Ints(v) => Member::Int(v[pos]),
            Set::Big(t) => Member::Bytes(t.at(pos).as_bytes()),
        }
    }

    /// Removes and returns the member at position `pos`.
    pub fn remove_at(&mut self, pos: usize) -> Vec<u8> {
        match self {
            Set::Ints(v) => Member::Int(v.remove(pos)).to_vec(),
            Set::Big(t) => t.remove_at(pos).into_vec(),
        }
    }

    /// Every member, in the encoding's order (ascending for an intset).
    pub fn iter(&self) -> Box<dyn Iterator<Item = Member<'_>> + '_> {
        match self {
            Set::Ints(v) => Box::new(v.iter().map(|&n| Member::Int(n))),
            Set::Big(t) => Box::new(t.iter().map(|b| Member::Bytes(b.as_bytes()))),
        }
    }

    /// Approximate heap bytes.
    pub fn heap_size(&self) -> usize {
        match self {
            Set::Ints(v) => v.capacity() * 8,
            Set::Big(t) => {
                let heap = t.iter().filter(|b| !b.is_inline()).map(|b| b.len());
                t.table_bytes() + heap.sum::<usize>()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTSET_ENTRIES: usize = 512;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        s.iter().map(|m| m.to_vec()).collect()
    }

    #[test]
    fn intset_is_sorted_and_converts_on_a_string() {
        let mut s = Set::default();
        for m in ["5", "-3", "10", "5"] {
            s.add(m.as_bytes(), &Limits::default());
        }
        assert_eq!(s.encoding(), "intset");
        assert_eq!(members(&s), [b"-3".to_vec(), b"5".to_vec(), b"10".to_vec()]);
        assert!(!s.contains(b"05"));
        assert!(s.add(b"05", &Limits::default()));
        assert_eq!(s.encoding(), "hashtable");
        assert!(s.contains(b"5") && s.contains(b"05") && s.contains(b"-3"));
        assert!(s.remove(b"5"));
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn intset_converts_past_its_limit() {
        let mut s = Set::default();
        for i in 0..INTSET_ENTRIES {
            s.add(i.to_string().as_bytes(), &Limits::default());
        }
        assert_eq!(s.encoding(), "intset");
        s.add(b"100000", &Limits::default());
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), INTSET_ENTRIES + 1);
        let popped = s.remove_at(0);
        assert!(!s.contains(&popped));
    }
}
