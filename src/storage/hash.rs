//! The hash value: field → value, with redis-server 7.0's two encodings.
//!
//! Synchronous; owned by the data core that owns the key. A hash starts as `listpack`: a
//! short vector in insertion order, searched linearly (what redis-server's listpack does, and
//! the order HGETALL shows). It becomes `hashtable` for good once it holds more fields than
//! `hash-max-listpack-entries` or a field or value longer than `hash-max-listpack-value`
//! bytes ([`Limits`]). Both encodings store a field and its value packed in one allocation
//! ([`Pair`]); the big one indexes them with a [`Dense`] table.

use super::dense::{Dense, Element};
use super::limits::Limits;

/// A field and its value in one allocation: a LEB128 field length, the field, the value.
#[derive(Clone, PartialEq)]
pub struct Pair(Box<[u8]>);

impl Pair {
    pub fn new(field: &[u8], value: &[u8]) -> Pair {
        let mut buf = Vec::with_capacity(field.len() + value.len() + 3);
        let mut n = field.len();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                buf.push(byte);
                break;
            }
            buf.push(byte | 0x80);
        }
        buf.extend_from_slice(field);
        buf.extend_from_slice(value);
        Pair(buf.into_boxed_slice())
    }

    /// `(start of field, field length)`.
    fn header(&self) -> (usize, usize) {
        let mut len = 0usize;
        let mut shift = 0;
        for (i, &b) in self.0.iter().enumerate() {
            len |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                return (i + 1, len);
            }
            shift += 7;
        }
        unreachable!("a pair always holds a complete length")
    }

    pub fn field(&self) -> &[u8] {
        let (start, len) = self.header();
        &self.0[start..start + len]
    }

    pub fn value(&self) -> &[u8] {
        let (start, len) = self.header();
        &self.0[start + len..]
    }

    pub fn bytes(&self) -> usize {
        self.0.len()
    }
}

impl Element for Pair {
    fn key(&self) -> &[u8] {
        self.field()
    }
}

/// A hash value.
#[derive(Clone, Debug, PartialEq)]
pub enum Hash {
    /// `listpack`: insertion order, linear search.
    Small(Vec<Pair>),
    /// `hashtable`.
    Big(Dense<Pair>),
}

impl std::fmt::Debug for Pair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?}={:?}",
            String::from_utf8_lossy(self.field()),
            String::from_utf8_lossy(self.value())
        )
    }
}

impl Default for Hash {
    fn default() -> Self {
        Hash::Small(Vec::new())
    }
}

impl Hash {
    pub fn len(&self) -> usize {
        match self {
            Hash::Small(v) => v.len(),
            Hash::Big(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Hash::Small(_) => "listpack",
            Hash::Big(_) => "hashtable",
        }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self {
            Hash::Small(v) => v.iter().find(|p| p.field() == field).map(Pair::value),
            Hash::Big(t) => t.get(field).map(Pair::value),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Converts to `hashtable` when storing `field` = `value` would exceed the listpack
    /// value limit (checked before the write, as redis-server does).
    pub fn prepare_for(&mut self, field: &[u8], value: &[u8], limits: &Limits) {
        if field.len() > limits.hash_value || value.len() > limits.hash_value {
            self.convert();
        }
    }

    /// Stores `field` = `value`; true when the field is new. A listpack hash that grows past
    /// the entries limit becomes a hashtable.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: &Limits) -> bool {
        self.prepare_for(field, value, limits);
        let pair = Pair::new(field, value);
        let new = match self {
            Hash::Small(v) => match v.iter_mut().find(|p| p.field() == field) {
                Some(p) => {
                    *p = pair;
                    false
                }
                None => {
                    v.push(pair);
                    true
                }
            },
            Hash::Big(t) => t.insert(pair).is_none(),
        };
        if self.len() > limits.hash_entries {
            self.convert();
        }
        new
    }

    /// Removes `field`; true when it was present.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            Hash::Small(v) => match v.iter().position(|p| p.field() == field) {
                Some(i) => {
                    v.remove(i);
                    true
                }
                None => false,
            },
            Hash::Big(t) => t.remove(field).is_some(),
        }
    }

    fn convert(&mut self) {
        if let Hash::Small(v) = self {
            let mut t = Dense::with_capacity(v.len());
            for p in v.drain(..) {
                t.insert(p);
            }
            *self = Hash::Big(t);
        }
    }

    /// The pair at position `pos` (`pos < len`), for random picks.
    pub fn at(&self, pos: usize) -> &Pair {
        match self {
            Hash::Small(v) => &v[pos],
            Hash::Big(t) => t.at(pos),
        }
    }

    /// Every pair, in the encoding's order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = &Pair> + '_> {
        match self {
            Hash::Small(v) => Box::new(v.iter()),
            Hash::Big(t) => Box::new(t.iter()),
        }
    }

    /// Approximate heap bytes.
    pub fn heap_size(&self) -> usize {
        let contents: usize = self.iter().map(Pair::bytes).sum();
        contents
            + match self {
                Hash::Small(v) => v.capacity() * std::mem::size_of::<Pair>(),
                Hash::Big(t) => t.table_bytes(),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTPACK_ENTRIES: usize = 512;
    const LISTPACK_VALUE: usize = 64;

    #[test]
    fn pairs_pack_field_and_value() {
        for flen in [0usize, 1, 127, 128, 300, 20000] {
            let field = vec![b'f'; flen];
            let p = Pair::new(&field, b"value");
            assert_eq!(p.field(), &field[..]);
            assert_eq!(p.value(), b"value");
        }
    }

    #[test]
    fn listpack_keeps_insertion_order_then_converts() {
        let mut h = Hash::default();
        assert!(h.set(b"b", b"1", &Limits::default()));
        assert!(h.set(b"a", b"2", &Limits::default()));
        assert!(!h.set(b"b", b"3", &Limits::default()));
        let fields: Vec<&[u8]> = h.iter().map(Pair::field).collect();
        assert_eq!(fields, [&b"b"[..], b"a"]);
        assert_eq!(h.get(b"b"), Some(&b"3"[..]));
        assert_eq!(h.encoding(), "listpack");
        for i in 0..LISTPACK_ENTRIES - 2 {
            h.set(i.to_string().as_bytes(), b"x", &Limits::default());
        }
        assert_eq!((h.len(), h.encoding()), (LISTPACK_ENTRIES, "listpack"));
        h.set(b"one more", b"x", &Limits::default());
        assert_eq!(h.encoding(), "hashtable");
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert_eq!(h.len(), LISTPACK_ENTRIES);
        assert_eq!(h.encoding(), "hashtable");
    }

    #[test]
    fn long_values_convert_at_once() {
        let mut h = Hash::default();
        h.set(b"f", &[b'v'; LISTPACK_VALUE], &Limits::default());
        assert_eq!(h.encoding(), "listpack");
        h.set(b"g", &[b'v'; LISTPACK_VALUE + 1], &Limits::default());
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"f").map(<[u8]>::len), Some(LISTPACK_VALUE));
    }
}
