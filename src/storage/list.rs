//! The list value: a double-ended queue of byte strings.
//!
//! Synchronous; owned by the data core that owns the key. redis-server 7.0 stores every list
//! as a `quicklist` (a linked list of listpacks), so that is the encoding reported whatever
//! the size. A ring buffer gives O(1) pushes and pops at both ends and O(1) indexing.

use std::collections::VecDeque;

/// A list value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct List {
    pub items: VecDeque<Box<[u8]>>,
}

impl List {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// The position of Redis index `index` (negative counts from the tail), if in range.
    pub fn position(&self, index: i64) -> Option<usize> {
        let len = self.len() as i64;
        let pos = if index < 0 { len + index } else { index };
        (0..len).contains(&pos).then_some(pos as usize)
    }

    /// The positions an inclusive Redis range `start..=end` covers (LRANGE, LTRIM), clamped
    /// as redis-server clamps them; `None` when empty.
    pub fn range(&self, start: i64, end: i64) -> Option<(usize, usize)> {
        let len = self.len() as i64;
        let mut start = if start < 0 { len + start } else { start };
        let mut end = if end < 0 { len + end } else { end };
        if start < 0 {
            start = 0;
        }
        if start > end || start >= len {
            return None;
        }
        if end >= len {
            end = len - 1;
        }
        Some((start as usize, end as usize))
    }

    /// Approximate heap bytes.
    pub fn heap_size(&self) -> usize {
        self.items.capacity() * 16 + self.items.iter().map(|b| b.len()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize) -> List {
        List {
            items: (0..n).map(|i| i.to_string().into_bytes().into()).collect(),
        }
    }

    #[test]
    fn ranges_clamp_like_redis() {
        let l = list(5);
        assert_eq!(l.range(0, -1), Some((0, 4)));
        assert_eq!(l.range(-100, 100), Some((0, 4)));
        assert_eq!(l.range(3, 1), None);
        assert_eq!(l.range(5, 10), None);
        assert_eq!(l.range(-2, -1), Some((3, 4)));
        assert_eq!(l.range(0, -6), None);
        assert_eq!(list(0).range(0, -1), None);
        assert_eq!(l.position(-1), Some(4));
        assert_eq!(l.position(5), None);
        assert_eq!(l.position(-6), None);
    }
}
