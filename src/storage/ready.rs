//! The keys blocked clients wait on, and which of them became ready (BLPOP, BZPOPMIN, ...).
//!
//! Synchronous and owned by the core's [`super::Keyspace`]: every store of a value under a key
//! passes through [`ReadyKeys::note`], which records the key when some client waits on it and
//! the new value is a list or a sorted set. Lists and sorted sets are never kept empty and a
//! client only blocks on a key that holds no such value, so a value stored under a waited
//! key is the one way such a key becomes ready. The core's blocking registry
//! (`shard::blocking`) takes the recorded keys once the current command or transaction has
//! finished and serves the waiting clients. A core nobody blocks on pays one emptiness check.

use std::task::Waker;

use hashbrown::HashSet;

use super::key::Key;
use super::value::Value;

/// Waited keys of one core and those that became ready since the last serve.
#[derive(Debug, Default)]
pub struct ReadyKeys {
    waited: HashSet<Key>,
    ready: Vec<Key>,
    /// The core's serving task, woken when a key becomes ready.
    waker: Option<Waker>,
}

impl ReadyKeys {
    /// Whether no client waits on any key of this core.
    pub fn is_idle(&self) -> bool {
        self.waited.is_empty()
    }

    /// Marks `key` as waited on by at least one client.
    pub fn wait(&mut self, key: &[u8]) {
        if !self.waited.contains(key) {
            self.waited.insert(Key::from(key));
        }
    }

    /// No client waits on `key` any more.
    pub fn unwait(&mut self, key: &[u8]) {
        self.waited.remove(key);
    }

    /// Records that `value` was stored under `key`.
    pub fn note(&mut self, key: &[u8], value: &Value) {
        if !matches!(value, Value::List(_) | Value::ZSet(_)) || !self.waited.contains(key) {
            return;
        }
        if !self.ready.iter().any(|k| k.as_bytes() == key) {
            self.ready.push(Key::from(key));
            if let Some(waker) = self.waker.take() {
                waker.wake();
            }
        }
    }

    /// Whether some key became ready since the last [`ReadyKeys::take`].
    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The keys that became ready, in the order they did.
    pub fn take(&mut self) -> Vec<Key> {
        std::mem::take(&mut self.ready)
    }

    /// Asks for `waker` to be woken when a key becomes ready.
    pub fn wake_on_ready(&mut self, waker: &Waker) {
        self.waker = Some(waker.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::list::List;

    #[test]
    fn only_waited_keys_given_a_list_or_zset_become_ready() {
        let mut r = ReadyKeys::default();
        let list = Value::List(Box::<List>::default());
        r.note(b"k", &list);
        assert!(!r.has_ready(), "nobody waits on k");
        r.wait(b"k");
        r.note(b"k", &Value::string(b"x"));
        assert!(
            !r.has_ready(),
            "a string does not wake list or zset waiters"
        );
        r.note(b"k", &list);
        r.note(b"k", &list);
        let ready = r.take();
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].as_bytes(), b"k");
        r.unwait(b"k");
        assert!(r.is_idle());
    }
}
