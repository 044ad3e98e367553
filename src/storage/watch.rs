//! The watched-key registry of one data core (WATCH ... EXEC).
//!
//! Synchronous and owned by the core's [`super::Keyspace`], which reports every change to a
//! key here (writes, deletions, expiry, flushes). Only keys some connection watches have an
//! entry, so a core nobody watches on pays one emptiness check per change. Each entry counts
//! its watchers and carries a version that every change bumps; a connection records the
//! version at WATCH time and EXEC compares it under the transaction's locks.
//!
//! Expiry follows redis-server 7.0: a key that had already expired when it was watched may be
//! reclaimed (lazily, actively or by a flush) without invalidating the watch; a key that was
//! alive when watched and has expired since invalidates it, reclaimed or not.

use hashbrown::HashMap;

use super::key::Key;

#[derive(Debug, Default)]
struct Watched {
    watchers: u32,
    version: u64,
    /// The version that the last reclaim of the expired key produced (0: none).
    reclaimed_at: u64,
}

/// What a connection remembers of one watched key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WatchMark {
    pub version: u64,
    /// The key was stored but already expired when it was watched.
    pub expired: bool,
}

/// Watched keys of one core.
#[derive(Debug, Default)]
pub struct Watches {
    keys: HashMap<Key, Watched>,
}

impl Watches {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds a watcher of `key`; `expired` says whether the key is stored but expired now.
    pub fn watch(&mut self, key: &[u8], expired: bool) -> WatchMark {
        let entry = match self.keys.get_mut(key) {
            Some(entry) => entry,
            None => self.keys.entry(Key::from(key)).or_default(),
        };
        entry.watchers += 1;
        WatchMark {
            version: entry.version,
            expired,
        }
    }

    /// Removes one watcher of `key`; the entry goes with the last one.
    pub fn unwatch(&mut self, key: &[u8]) {
        if let Some(entry) = self.keys.get_mut(key) {
            entry.watchers -= 1;
            if entry.watchers == 0 {
                self.keys.remove(key);
            }
        }
    }

    /// Records a change to `key`.
    pub fn touch(&mut self, key: &[u8]) {
        if let Some(entry) = self.keys.get_mut(key) {
            entry.version += 1;
        }
    }

    /// Records that the expired `key` was reclaimed.
    pub fn touch_reclaimed(&mut self, key: &[u8]) {
        if let Some(entry) = self.keys.get_mut(key) {
            entry.version += 1;
            entry.reclaimed_at = entry.version;
        }
    }

    /// Records a flush of the whole keyspace: `stored(key)` says whether a watched key was
    /// stored (`Some`) and whether it had expired.
    pub fn touch_flushed(&mut self, stored: impl Fn(&[u8]) -> Option<bool>) {
        for (key, entry) in self.keys.iter_mut() {
            match stored(key.as_bytes()) {
                None => {}
                Some(false) => entry.version += 1,
                Some(true) => {
                    entry.version += 1;
                    entry.reclaimed_at = entry.version;
                }
            }
        }
    }

    /// Keys watched on this core, for the active expiry cycle to report reclaims.
    pub fn contains(&self, key: &[u8]) -> bool {
        self.keys.contains_key(key)
    }

    /// Whether `key` is as it was when `mark` was taken; `expired_now` says whether it is
    /// stored but expired at this moment.
    pub fn unchanged(&self, key: &[u8], mark: WatchMark, expired_now: bool) -> bool {
        let Some(entry) = self.keys.get(key) else {
            return false;
        };
        if entry.version == mark.version {
            return mark.expired || !expired_now;
        }
        // Only the reclaim of a key that was already expired when watched happened since.
        mark.expired && entry.version == mark.version + 1 && entry.reclaimed_at == entry.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_invalidate_marks_of_watched_keys_only() {
        let mut w = Watches::default();
        assert!(w.is_empty());
        let mark = w.watch(b"k", false);
        w.touch(b"other");
        assert!(w.unchanged(b"k", mark, false));
        assert!(
            !w.unchanged(b"k", mark, true),
            "alive when watched, expired now"
        );
        w.touch(b"k");
        assert!(!w.unchanged(b"k", mark, false));
    }

    #[test]
    fn reclaiming_a_key_expired_at_watch_time_is_no_change() {
        let mut w = Watches::default();
        let mark = w.watch(b"k", true);
        assert!(w.unchanged(b"k", mark, true));
        w.touch_reclaimed(b"k");
        assert!(w.unchanged(b"k", mark, false));
        w.touch(b"k");
        assert!(!w.unchanged(b"k", mark, false));

        let alive = w.watch(b"j", false);
        w.touch_reclaimed(b"j");
        assert!(!w.unchanged(b"j", alive, false));
    }

    #[test]
    fn flush_touches_stored_keys_and_last_unwatch_drops_the_entry() {
        let mut w = Watches::default();
        let a = w.watch(b"a", false);
        let b = w.watch(b"b", false);
        let c = w.watch(b"c", true);
        w.touch_flushed(|k| match k {
            b"a" => Some(false),
            b"c" => Some(true),
            _ => None,
        });
        assert!(!w.unchanged(b"a", a, false));
        assert!(w.unchanged(b"b", b, false));
        assert!(w.unchanged(b"c", c, false));
        let again = w.watch(b"a", false);
        w.unwatch(b"a");
        assert!(w.unchanged(b"a", again, false));
        w.unwatch(b"a");
        w.unwatch(b"b");
        w.unwatch(b"c");
        assert!(w.is_empty());
    }
}
