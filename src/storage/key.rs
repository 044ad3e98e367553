//! Byte strings that live inside the table slot when short: keys, and short string values.
//!
//! A lookup compares the probed key with the requested one; when the key lives behind a
//! pointer that comparison is a dependent cache miss, and every key costs an allocation. The
//! same holds for reading a value: GET of a value kept behind a pointer misses the cache once
//! more after finding the key. [`InlineBytes`] keeps up to `N` bytes in place and only longer
//! strings on the heap; [`Key`] and [`ShortStr`] are its two sizes.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// Longest key stored inline.
pub const INLINE_MAX: usize = 22;
/// Longest string value stored inline (what fits a 40-byte value record).
pub const SHORT_VALUE_MAX: usize = 38;

/// Bytes kept in place when they fit in `N`, on the heap otherwise. Hashes and compares
/// exactly like the `[u8]` it holds, so tables keyed by it are looked up with plain slices.
#[derive(Clone)]
pub enum InlineBytes<const N: usize> {
    Inline { len: u8, bytes: [u8; N] },
    Heap(Box<[u8]>),
}

/// A stored key.
pub type Key = InlineBytes<INLINE_MAX>;
/// The bytes of a string value.
pub type ShortStr = InlineBytes<SHORT_VALUE_MAX>;

impl<const N: usize> InlineBytes<N> {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            InlineBytes::Inline { len, bytes } => &bytes[..*len as usize],
            InlineBytes::Heap(b) => b,
        }
    }

    /// The bytes as a vector; one kept on the heap is handed over without a copy.
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            InlineBytes::Inline { len, bytes } => bytes[..len as usize].to_vec(),
            InlineBytes::Heap(b) => b.into_vec(),
        }
    }

    /// Whether the bytes live in place.
    pub fn is_inline(&self) -> bool {
        matches!(self, InlineBytes::Inline { .. })
    }
}

impl<const N: usize> From<&[u8]> for InlineBytes<N> {
    fn from(data: &[u8]) -> Self {
        if data.len() <= N {
            let mut bytes = [0u8; N];
            bytes[..data.len()].copy_from_slice(data);
            InlineBytes::Inline {
                len: data.len() as u8,
                bytes,
            }
        } else {
            InlineBytes::Heap(data.into())
        }
    }
}

impl<const N: usize> From<Vec<u8>> for InlineBytes<N> {
    fn from(data: Vec<u8>) -> Self {
        if data.len() <= N {
            Self::from(&data[..])
        } else {
            InlineBytes::Heap(data.into_boxed_slice())
        }
    }
}

impl<const N: usize> Borrow<[u8]> for InlineBytes<N> {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<const N: usize> std::ops::Deref for InlineBytes<N> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<const N: usize> PartialEq for InlineBytes<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl<const N: usize> Eq for InlineBytes<N> {}

impl<const N: usize> Hash for InlineBytes<N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl<const N: usize> std::fmt::Debug for InlineBytes<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hashbrown::HashMap;

    #[test]
    fn short_keys_are_inline_and_lookups_by_slice_work() {
        let short = Key::from(&b"key:000000000001"[..]);
        assert!(short.is_inline());
        let long = Key::from(&[b'x'; 23][..]);
        assert!(!long.is_inline());
        assert_eq!(std::mem::size_of::<Key>(), 24);
        let mut map = HashMap::new();
        map.insert(short.clone(), 1);
        map.insert(long, 2);
        map.insert(Key::from(&b""[..]), 3);
        assert_eq!(map.get(&b"key:000000000001"[..]), Some(&1));
        assert_eq!(map.get(&[b'x'; 23][..]), Some(&2));
        assert_eq!(map.get(&b""[..]), Some(&3));
        assert_eq!(map.get(&b"key:000000000002"[..]), None);
    }

    #[test]
    fn short_values_fit_forty_bytes() {
        assert_eq!(std::mem::size_of::<ShortStr>(), 40);
        let at_limit = ShortStr::from(vec![b'v'; SHORT_VALUE_MAX]);
        assert!(at_limit.is_inline());
        assert_eq!(&*at_limit, &[b'v'; SHORT_VALUE_MAX][..]);
        let over = ShortStr::from(vec![b'v'; SHORT_VALUE_MAX + 1]);
        assert!(!over.is_inline());
        assert_eq!(over.len(), SHORT_VALUE_MAX + 1);
    }
}
