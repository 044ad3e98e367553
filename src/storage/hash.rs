//! The hash value: field → value, with redis-server 7.0's two encodings.
//!
//! Synchronous; owned by the data core that owns the key. A hash starts as `listpack`: a
//! short vector in insertion order, searched linearly (what redis-server's listpack does, and
//! the order HGETALL shows), packed in one buffer ([`Listpack`]). It becomes `hashtable` for good once it holds more fields than
//! `hash-max-listpack-entries` or a field or value longer than `hash-max-listpack-value`
//! bytes ([`Limits`]); then each field and its value share one allocation ([`Pair`]),
//! indexed by a [`Dense`] table.

use super::dense::{Dense, Element};
use super::limits::Limits;

/// A field and its value in one allocation: a LEB128 field length, the field, the value.
#[derive(Clone, PartialEq)]
pub struct Pair(Box<[u8]>);

impl Pair {
    pub fn new(field: &[u8], value: &[u8]) -> Pair {
        // Exactly the bytes needed, so the boxed slice is not reallocated to fit.
        let header = (usize::BITS - field.len().leading_zeros())
            .div_ceil(7)
            .max(1) as usize;
        let mut buf = Vec::with_capacity(header + field.len() + value.len());
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

    /// Replaces the value in place when the new one has the same length; false otherwise.
    fn overwrite_value(&mut self, value: &[u8]) -> bool {
        let (start, len) = self.header();
        let old = &mut self.0[start + len..];
        if old.len() != value.len() {
            return false;
        }
        old.copy_from_slice(value);
        true
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

/// A field and its value, borrowed.
pub type FieldValue<'a> = (&'a [u8], &'a [u8]);

/// Appends `n` as LEB128.
fn put_len(buf: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            buf.push(byte);
            return;
        }
        buf.push(byte | 0x80);
    }
}

/// Reads a LEB128 length at `at`: `(length, position after it)`.
fn get_len(buf: &[u8], mut at: usize) -> (usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    loop {
        let b = buf[at];
        at += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            return (n, at);
        }
        shift += 7;
    }
}

/// A `listpack` hash: fields and values back to back in one buffer, each behind its LEB128
/// length, in insertion order. Two or three bytes of overhead per field, like redis-server's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listpack {
    buf: Vec<u8>,
    len: usize,
}

/// One entry of a [`Listpack`]: where it starts and ends, and its field and value.
struct Found<'a> {
    start: usize,
    end: usize,
    value: &'a [u8],
}

impl Listpack {
    /// Every `(field, value)`, in order.
    pub fn iter(&self) -> ListpackIter<'_> {
        ListpackIter {
            buf: &self.buf,
            at: 0,
        }
    }

    fn find(&self, field: &[u8]) -> Option<Found<'_>> {
        let mut at = 0;
        while at < self.buf.len() {
            let start = at;
            let (flen, f) = get_len(&self.buf, at);
            let (vlen, v) = get_len(&self.buf, f + flen);
            at = v + vlen;
            if &self.buf[f..f + flen] == field {
                return Some(Found {
                    start,
                    end: at,
                    value: &self.buf[v..at],
                });
            }
        }
        None
    }

    /// Stores `field` = `value`, in place when the field exists; true when it is new.
    fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        let mut entry = Vec::with_capacity(field.len() + value.len() + 4);
        put_len(&mut entry, field.len());
        entry.extend_from_slice(field);
        put_len(&mut entry, value.len());
        entry.extend_from_slice(value);
        match self.find(field).map(|f| (f.start, f.end)) {
            Some((start, end)) => {
                self.buf.splice(start..end, entry);
                false
            }
            None => {
                // Grow by exactly the entry, as redis-server's listpack does: a small hash
                // should not carry a doubled buffer.
                self.buf.reserve_exact(entry.len());
                self.buf.extend_from_slice(&entry);
                self.len += 1;
                true
            }
        }
    }

    fn remove(&mut self, field: &[u8]) -> bool {
        match self.find(field).map(|f| (f.start, f.end)) {
            Some((start, end)) => {
                self.buf.drain(start..end);
                self.len -= 1;
                if self.buf.capacity() > 2 * self.buf.len() + 64 {
                    self.buf.shrink_to_fit();
                }
                true
            }
            None => false,
        }
    }
}

/// Iterator over a [`Listpack`]'s `(field, value)` pairs.
pub struct ListpackIter<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Iterator for ListpackIter<'a> {
    type Item = FieldValue<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.buf.len() {
            return None;
        }
        let (flen, f) = get_len(self.buf, self.at);
        let (vlen, v) = get_len(self.buf, f + flen);
        self.at = v + vlen;
        Some((&self.buf[f..f + flen], &self.buf[v..v + vlen]))
    }
}

/// A hash value.
#[derive(Clone, Debug, PartialEq)]
pub enum Hash {
    /// `listpack`: insertion order, linear search.
    Small(Listpack),
    /// `hashtable`, boxed so that the common small hash stays small.
    Big(Box<Dense<Pair>>),
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
        Hash::Small(Listpack::default())
    }
}

/// Positional access for random picks: O(1) per pick on either encoding (a listpack's pairs
/// are located once).
pub enum Picker<'a> {
    Small(Vec<FieldValue<'a>>),
    Big(&'a Dense<Pair>),
}

impl<'a> Picker<'a> {
    pub fn len(&self) -> usize {
        match self {
            Picker::Small(v) => v.len(),
            Picker::Big(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pair at `pos` (`pos < len`).
    pub fn at(&self, pos: usize) -> FieldValue<'a> {
        match self {
            Picker::Small(v) => v[pos],
            Picker::Big(t) => {
                let p = t.at(pos);
                (p.field(), p.value())
            }
        }
    }
}

impl Hash {
    pub fn len(&self) -> usize {
        match self {
            Hash::Small(l) => l.len,
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
            Hash::Small(l) => l.find(field).map(|f| f.value),
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
        let new = match self {
            Hash::Small(l) => l.set(field, value),
            Hash::Big(t) => {
                // Same-length values (counters, fixed-size records) are rewritten in place.
                let in_place = t.get_mut(field).is_some_and(|p| p.overwrite_value(value));
                !in_place && t.insert(Pair::new(field, value)).is_none()
            }
        };
        if self.len() > limits.hash_entries {
            self.convert();
        }
        new
    }

    /// Removes `field`; true when it was present.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            Hash::Small(l) => l.remove(field),
            Hash::Big(t) => t.remove(field).is_some(),
        }
    }

    fn convert(&mut self) {
        if let Hash::Small(l) = self {
            let mut t = Dense::with_capacity(l.len);
            for (field, value) in l.iter() {
                t.insert(Pair::new(field, value));
            }
            *self = Hash::Big(Box::new(t));
        }
    }

    /// Positional access for random picks.
    pub fn picker(&self) -> Picker<'_> {
        match self {
            Hash::Small(l) => Picker::Small(l.iter().collect()),
            Hash::Big(t) => Picker::Big(t.as_ref()),
        }
    }

    /// Every `(field, value)`, in the encoding's order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = FieldValue<'_>> + '_> {
        match self {
            Hash::Small(l) => Box::new(l.iter()),
            Hash::Big(t) => Box::new(t.iter().map(|p| (p.field(), p.value()))),
        }
    }

    /// Approximate heap bytes.
    pub fn heap_size(&self) -> usize {
        match self {
            Hash::Small(l) => l.buf.capacity(),
            Hash::Big(t) => t.table_bytes() + t.iter().map(Pair::bytes).sum::<usize>(),
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
        let fields: Vec<&[u8]> = h.iter().map(|(f, _)| f).collect();
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

    #[test]
    fn listpack_edits_in_place_with_any_lengths() {
        let mut l = Listpack::default();
        let long = vec![b'x'; 300];
        assert!(l.set(b"a", b"1"));
        assert!(l.set(&long, b""));
        assert!(l.set(b"c", &long));
        assert!(!l.set(b"a", b"a much longer value"));
        assert!(!l.set(&long, b"v"));
        let pairs: Vec<FieldValue> = l.iter().collect();
        assert_eq!(
            pairs,
            [
                (&b"a"[..], &b"a much longer value"[..]),
                (&long[..], &b"v"[..]),
                (&b"c"[..], &long[..])
            ]
        );
        assert!(l.remove(&long));
        assert!(!l.remove(b"zz"));
        assert_eq!(l.len, 2);
        assert_eq!(l.find(b"c").map(|f| f.value.len()), Some(300));
        assert!(l.remove(b"a") && l.remove(b"c"));
        assert!(l.buf.is_empty() && l.len == 0);
    }
}
