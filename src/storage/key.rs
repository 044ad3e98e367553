//! Keys as stored in the tables: short keys inline, longer ones on the heap.
//!
//! A lookup compares the probed key with the requested one; when the key lives behind a
//! pointer that comparison is a dependent cache miss, and every key costs an allocation.
//! Keys of up to [`INLINE_MAX`] bytes (most real keys) are stored in the table slot itself.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// Longest key stored inline.
pub const INLINE_MAX: usize = 22;

/// A stored key. Hashes and compares exactly like the `[u8]` it holds, so tables keyed by
/// `Key` are looked up with plain byte slices.
#[derive(Clone)]
pub enum Key {
    Inline { len: u8, bytes: [u8; INLINE_MAX] },
    Heap(Box<[u8]>),
}

impl Key {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..*len as usize],
            Key::Heap(b) => b,
        }
    }
}

impl From<&[u8]> for Key {
    fn from(key: &[u8]) -> Self {
        if key.len() <= INLINE_MAX {
            let mut bytes = [0u8; INLINE_MAX];
            bytes[..key.len()].copy_from_slice(key);
            Key::Inline {
                len: key.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(key.into())
        }
    }
}

impl Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl std::ops::Deref for Key {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl std::fmt::Debug for Key {
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
        assert!(matches!(short, Key::Inline { .. }));
        let long = Key::from(&[b'x'; 23][..]);
        assert!(matches!(long, Key::Heap(_)));
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
}
