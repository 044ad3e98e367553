//! The keyspace of one data core: its shards, each holding one hashbrown table per slot.
//!
//! Synchronous and owned by exactly one data core; never shared, never awaited on. A shard
//! owns the slots `s` with `s % nshards == shard`, and shard `k` lives on core `k % ncores`,
//! so any slot range spreads over every core. Per-slot tables make `COUNTKEYSINSLOT` O(1) and
//! let SCAN, slot migration and flushes walk one slot at a time.
//!
//! Expiry is lazy (an expired key is removed when a command looks it up) plus an active cycle
//! ([`Keyspace::active_expire`]) that each core runs on a timer with a bounded budget.

use hashbrown::HashMap;

use super::key::Key;
use super::limits::Limits;
use super::ready::ReadyKeys;
use super::value::Value;
use super::watch::Watches;
use crate::topology::{key_slot, SlotId, SLOT_COUNT};

/// Expiry time in Unix milliseconds; 0 means the key does not expire.
pub type ExpireAt = i64;

/// Asks the CPU to load the cache line at `p`; a hint with no effect on memory contents.
#[inline(always)]
fn prefetch_line(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching never faults and reads nothing the program observes; SSE is part
    // of the x86-64 baseline.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// One key's record.
#[derive(Clone, Debug)]
pub struct Entry {
    pub value: Value,
    expire_at: ExpireAt,
    /// Last access, in seconds of the keyspace clock (OBJECT IDLETIME).
    access: u32,
}

impl Entry {
    pub fn expire_at(&self) -> ExpireAt {
        self.expire_at
    }

    pub fn is_expired(&self, now_ms: i64) -> bool {
        self.expire_at != 0 && self.expire_at <= now_ms
    }

    pub fn idle_seconds(&self, now_ms: i64) -> u64 {
        ((now_ms / 1000) as u32).saturating_sub(self.access) as u64
    }
}

/// All keys of one slot, with the count of keys that carry a TTL.
#[derive(Default, Debug)]
struct SlotTable {
    map: HashMap<Key, Entry>,
    volatile: usize,
}

impl SlotTable {
    /// Accounts for an entry that left the table; returns it unless it had already expired.
    fn retire(&mut self, old: Entry, now_ms: i64) -> Option<Entry> {
        if old.expire_at != 0 {
            self.volatile -= 1;
        }
        (!old.is_expired(now_ms)).then_some(old)
    }
}

/// One shard: the tables of the slots it owns, indexed by `slot / nshards`.
#[derive(Debug)]
struct Shard {
    tables: Vec<SlotTable>,
    /// Next table the active expiry cycle visits.
    expire_cursor: usize,
}

/// The shards of one data core.
#[derive(Debug)]
pub struct Keyspace {
    shards: Vec<Shard>,
    core: usize,
    ncores: usize,
    nshards: usize,
    /// Wall clock for the command being executed, in Unix milliseconds.
    pub now_ms: i64,
    /// When set, reads do not update access times (CLIENT NO-TOUCH).
    pub no_touch: bool,
    /// When small hashes and sets take their big encodings.
    pub limits: Limits,
    /// Keys connections WATCH on this core; every change below is reported to it.
    pub watches: Watches,
    /// Keys blocked clients wait on; every value stored below is reported to it.
    pub ready: ReadyKeys,
}

impl Keyspace {
    /// The keyspace of `core` out of `ncores`, for a node split into `nshards` shards.
    pub fn new(core: usize, ncores: usize, nshards: usize) -> Self {
        assert!(nshards >= ncores && core < ncores && nshards <= SLOT_COUNT);
        let local = (core..nshards).step_by(ncores).count();
        let shards = (0..local)
            .map(|i| {
                let shard = core + i * ncores;
                let tables = (shard..SLOT_COUNT).step_by(nshards).count();
                Shard {
                    tables: (0..tables).map(|_| SlotTable::default()).collect(),
                    expire_cursor: 0,
                }
            })
            .collect();
        Keyspace {
            shards,
            core,
            ncores,
            nshards,
            now_ms: crate::clock::unix_ms(),
            no_touch: false,
            limits: Limits::default(),
            watches: Watches::default(),
            ready: ReadyKeys::default(),
        }
    }

    pub fn nshards(&self) -> usize {
        self.nshards
    }

    /// The shard that owns `slot`.
    pub fn shard_of_slot(nshards: usize, slot: SlotId) -> usize {
        slot.index() % nshards
    }

    /// The data core that owns `slot`.
    pub fn core_of_slot(nshards: usize, ncores: usize, slot: SlotId) -> usize {
        Self::shard_of_slot(nshards, slot) % ncores
    }

    /// Whether this core owns `key`.
    pub fn owns(&self, key: &[u8]) -> bool {
        Self::core_of_slot(self.nshards, self.ncores, key_slot(key)) == self.core
    }

    fn table(&mut self, slot: SlotId) -> &mut SlotTable {
        let shard = slot.index() % self.nshards;
        debug_assert_eq!(
            shard % self.ncores,
            self.core,
            "slot routed to the wrong core"
        );
        &mut self.shards[shard / self.ncores].tables[slot.index() / self.nshards]
    }

    /// [`Keyspace::table`] and the watched-key registry, borrowed together.
    fn table_and_watches(&mut self, slot: SlotId) -> (&mut SlotTable, &mut Watches) {
        let shard = slot.index() % self.nshards;
        debug_assert_eq!(
            shard % self.ncores,
            self.core,
            "slot routed to the wrong core"
        );
        let table = &mut self.shards[shard / self.ncores].tables[slot.index() / self.nshards];
        (table, &mut self.watches)
    }

    fn table_ref(&self, slot: SlotId) -> &SlotTable {
        let shard = slot.index() % self.nshards;
        &self.shards[shard / self.ncores].tables[slot.index() / self.nshards]
    }

    fn clock_seconds(&self) -> u32 {
        (self.now_ms / 1000) as u32
    }

    /// Looks `key` up for a command, removing it first if it has expired, and records the
    /// access unless the client asked not to.
    pub fn get(&mut self, key: &[u8]) -> Option<&mut Entry> {
        let touch = !self.no_touch;
        self.lookup(key, touch)
    }

    /// Looks `key` up without updating its access time (TYPE, TTL, OBJECT, EXISTS).
    pub fn get_no_touch(&mut self, key: &[u8]) -> Option<&mut Entry> {
        self.lookup(key, false)
    }

    fn lookup(&mut self, key: &[u8], touch: bool) -> Option<&mut Entry> {
        let now = self.now_ms;
        let clock = self.clock_seconds();
        let (table, watches) = self.table_and_watches(key_slot(key));
        if table.volatile > 0 && table.map.get(key).is_some_and(|e| e.is_expired(now)) {
            table.map.remove(key);
            table.volatile -= 1;
            if !watches.is_empty() {
                watches.touch_reclaimed(key);
            }
            return None;
        }
        let entry = table.map.get_mut(key)?;
        if touch {
            entry.access = clock;
        }
        Some(entry)
    }

    /// Looks `key` up without side effects (no expiry removal, no access time), for commands
    /// that read several keys at once after looking each one up with [`Keyspace::get`].
    pub fn peek(&self, key: &[u8]) -> Option<&Entry> {
        let now = self.now_ms;
        let entry = self.table_ref(key_slot(key)).map.get(key)?;
        (!entry.is_expired(now)).then_some(entry)
    }

    /// Starts loading into the cache what looking these keys up will touch: first every
    /// key's slot table, then (now that those are near) each table's entry and the value's
    /// heap block. The loads of different keys overlap, which a command-by-command lookup
    /// cannot do. Has no effect on the data. Keys of other cores are skipped.
    pub fn prefetch(&self, keys: &[&[u8]]) {
        let mut mine = [(SlotId(0), &[][..]); 32];
        let mut n = 0;
        for &key in keys.iter().take(mine.len()) {
            let slot = key_slot(key);
            if self.prefetch_slot_table(slot) {
                mine[n] = (slot, key);
                n += 1;
            }
        }
        for &(slot, key) in &mine[..n] {
            if let Some(entry) = self.table_ref(slot).map.get(key) {
                if let Some(p) = entry.value.heap_ptr() {
                    prefetch_line(p);
                }
            }
        }
    }

    /// Starts loading the slot table of `key` (when this core owns it) into the cache: the
    /// first of a lookup's dependent loads. Has no effect on the data.
    pub fn prefetch_table(&self, key: &[u8]) {
        self.prefetch_slot_table(key_slot(key));
    }

    /// Starts loading the table of `slot` (both cache lines it may span) when this core owns
    /// it; returns whether it does.
    fn prefetch_slot_table(&self, slot: SlotId) -> bool {
        if Self::core_of_slot(self.nshards, self.ncores, slot) != self.core {
            return false;
        }
        let start = self.table_ref(slot) as *const SlotTable as *const u8;
        prefetch_line(start);
        prefetch_line(start.wrapping_add(std::mem::size_of::<SlotTable>() - 1));
        true
    }

    /// Whether `key` exists (and has not expired).
    pub fn contains(&mut self, key: &[u8]) -> bool {
        self.lookup(key, false).is_some()
    }

    /// Records an access to `key` even when the client asked not to touch keys (TOUCH);
    /// false when the key is absent.
    pub fn touch(&mut self, key: &[u8]) -> bool {
        self.lookup(key, true).is_some()
    }

    /// Stores `value` under `key` with the given expiry, replacing any previous entry, which
    /// is returned.
    pub fn insert(&mut self, key: &[u8], value: Value, expire_at: ExpireAt) -> Option<Entry> {
        if !self.ready.is_idle() {
            self.ready.note(key, &value);
        }
        let now = self.now_ms;
        let access = self.clock_seconds();
        let table = self.table(key_slot(key));
        let entry = Entry {
            value,
            expire_at,
            access,
        };
        if expire_at != 0 {
            table.volatile += 1;
        }
        let old = match table.map.get_mut(key) {
            Some(slot) => Some(std::mem::replace(slot, entry)),
            None => {
                table.map.insert(key.into(), entry);
                None
            }
        };
        let old = old.and_then(|old| table.retire(old, now));
        self.watches_touch(key);
        old
    }

    /// Reports a change of `key` to the watched-key registry.
    fn watches_touch(&mut self, key: &[u8]) {
        if !self.watches.is_empty() {
            self.watches.touch(key);
        }
    }

    /// Whether `key` is stored (`Some`) and, if so, whether it has expired, without side
    /// effects (WATCH and EXEC need to tell an expired key from an absent one).
    pub fn stored_expired(&self, key: &[u8]) -> Option<bool> {
        let now = self.now_ms;
        let entry = self.table_ref(key_slot(key)).map.get(key)?;
        Some(entry.is_expired(now))
    }

    /// Stores `value` under `key`, keeping the existing TTL when the key exists.
    pub fn insert_keep_ttl(&mut self, key: &[u8], value: Value) {
        if !self.ready.is_idle() {
            self.ready.note(key, &value);
        }
        match self.get(key) {
            Some(entry) => {
                entry.value = value;
                self.watches_touch(key);
            }
            None => {
                self.insert(key, value, 0);
            }
        }
    }

    /// Removes `key`; returns its entry if it existed and had not expired.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let now = self.now_ms;
        let table = self.table(key_slot(key));
        let old = table.map.remove(key)?;
        let old = table.retire(old, now);
        if !self.watches.is_empty() {
            match old {
                Some(_) => self.watches.touch(key),
                None => self.watches.touch_reclaimed(key),
            }
        }
        old
    }

    /// Sets (or with 0 clears) the expiry of an existing key; false when the key is absent.
    pub fn set_expire(&mut self, key: &[u8], expire_at: ExpireAt) -> bool {
        if self.lookup(key, false).is_none() {
            return false;
        }
        let table = self.table(key_slot(key));
        let entry = table.map.get_mut(key).expect("key was just found");
        match (entry.expire_at != 0, expire_at != 0) {
            (false, true) => table.volatile += 1,
            (true, false) => table.volatile -= 1,
            _ => {}
        }
        entry.expire_at = expire_at;
        self.watches_touch(key);
        true
    }

    /// Number of keys stored on this core, including expired keys not yet reclaimed (as
    /// redis-server's DBSIZE).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .flat_map(|s| s.tables.iter())
            .map(|t| t.map.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of keys with a TTL on this core.
    pub fn volatile_len(&self) -> usize {
        self.shards
            .iter()
            .flat_map(|s| s.tables.iter())
            .map(|t| t.volatile)
            .sum()
    }

    /// Number of keys in `slot` (which must belong to this core).
    pub fn count_in_slot(&self, slot: SlotId) -> usize {
        self.table_ref(slot).map.len()
    }

    /// Removes every key on this core.
    pub fn clear(&mut self) {
        if !self.watches.is_empty() {
            // Callers may not have set the clock; expired watched keys must count as such.
            self.now_ms = crate::clock::unix_ms();
            let mut watches = std::mem::take(&mut self.watches);
            watches.touch_flushed(|key| self.stored_expired(key));
            self.watches = watches;
        }
        for shard in &mut self.shards {
            for table in &mut shard.tables {
                *table = SlotTable::default();
            }
        }
    }

    /// Calls `f` for every live key on this core.
    pub fn for_each_key(&self, mut f: impl FnMut(&[u8], &Entry)) {
        let now = self.now_ms;
        for shard in &self.shards {
            for table in &shard.tables {
                for (k, e) in &table.map {
                    if !e.is_expired(now) {
                        f(k, e);
                    }
                }
            }
        }
    }

    /// Position of the shard-local table holding `slot` within the scan order of `shard`.
    pub fn tables_per_shard(nshards: usize, shard: usize) -> usize {
        (shard..SLOT_COUNT).step_by(nshards).count()
    }

    /// Visits the live keys of table `index` of global shard `shard` (owned by this core).
    pub fn for_each_in_table(&self, shard: usize, index: usize, mut f: impl FnMut(&[u8], &Entry)) {
        let now = self.now_ms;
        let table = &self.shards[shard / self.ncores].tables[index];
        for (k, e) in &table.map {
            if !e.is_expired(now) {
                f(k, e);
            }
        }
    }

    /// A random live key on this core, if any.
    pub fn random_key(&self, seed: u64) -> Option<Vec<u8>> {
        let total = self.len();
        if total == 0 {
            return None;
        }
        let now = self.now_ms;
        // Try a few random positions so a core full of expired keys still finishes quickly.
        for attempt in 0..16u64 {
            let mut pick = (splitmix(seed.wrapping_add(attempt)) % total as u64) as usize;
            for table in self.shards.iter().flat_map(|s| s.tables.iter()) {
                if pick < table.map.len() {
                    let (k, e) = table.map.iter().nth(pick).expect("index within table");
                    if !e.is_expired(now) {
                        return Some(k.to_vec());
                    }
                    break;
                }
                pick -= table.map.len();
            }
        }
        None
    }

    /// One bounded active-expiry step: visits tables holding keys with a TTL, starting where
    /// the last step stopped, until about `budget` entries were examined. Returns the number
    /// of keys removed.
    pub fn active_expire(&mut self, budget: usize) -> usize {
        let now = self.now_ms;
        let mut removed = 0;
        for shard in &mut self.shards {
            let ntables = shard.tables.len();
            let mut examined = 0;
            let mut visited = 0;
            while examined < budget && visited < ntables {
                let index = shard.expire_cursor % ntables;
                shard.expire_cursor = (index + 1) % ntables;
                visited += 1;
                let table = &mut shard.tables[index];
                if table.volatile == 0 {
                    continue;
                }
                examined += table.map.len();
                let before = table.map.len();
                let watches = &mut self.watches;
                table.map.retain(|k, e| {
                    let expired = e.is_expired(now);
                    if expired && !watches.is_empty() {
                        watches.touch_reclaimed(k.as_bytes());
                    }
                    !expired
                });
                let gone = before - table.map.len();
                table.volatile -= gone;
                removed += gone;
            }
        }
        removed
    }
}

/// A small mixing function for random choices that need no cryptographic quality.
pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ks() -> Keyspace {
        Keyspace::new(0, 1, 4)
    }

    #[test]
    fn insert_get_remove() {
        let mut k = ks();
        assert!(k.insert(b"a", Value::string(b"1"), 0).is_none());
        assert_eq!(k.get(b"a").unwrap().value, Value::Int(1));
        assert!(k.insert(b"a", Value::string(b"x"), 0).is_some());
        assert_eq!(k.len(), 1);
        assert!(k.remove(b"a").is_some());
        assert!(k.get(b"a").is_none());
        assert!(k.is_empty());
    }

    #[test]
    fn lazy_and_active_expiry() {
        let mut k = ks();
        k.now_ms = 1_000;
        k.insert(b"a", Value::string(b"1"), 2_000);
        k.insert(b"b", Value::string(b"1"), 2_000);
        k.insert(b"c", Value::string(b"1"), 0);
        assert_eq!(k.volatile_len(), 2);
        k.now_ms = 2_000;
        assert!(k.get(b"a").is_none());
        assert_eq!(k.len(), 2);
        assert_eq!(k.active_expire(1000), 1);
        assert_eq!(k.len(), 1);
        assert_eq!(k.volatile_len(), 0);
    }

    #[test]
    fn set_expire_tracks_volatile_count() {
        let mut k = ks();
        k.insert(b"a", Value::string(b"1"), 0);
        assert!(k.set_expire(b"a", k.now_ms + 10_000));
        assert_eq!(k.volatile_len(), 1);
        assert!(k.set_expire(b"a", 0));
        assert_eq!(k.volatile_len(), 0);
        assert!(!k.set_expire(b"missing", 5));
    }

    #[test]
    fn touch_ignores_no_touch() {
        let mut k = ks();
        k.now_ms = 1_000;
        k.insert(b"a", Value::string(b"1"), 0);
        k.no_touch = true;
        k.now_ms = 9_000;
        k.get(b"a");
        assert_eq!(k.get_no_touch(b"a").unwrap().idle_seconds(9_000), 8);
        assert!(k.touch(b"a"));
        assert_eq!(k.get_no_touch(b"a").unwrap().idle_seconds(9_000), 0);
        assert!(!k.touch(b"missing"));
    }

    #[test]
    fn cores_own_interleaved_slots() {
        let a = Keyspace::new(0, 2, 4);
        let b = Keyspace::new(1, 2, 4);
        let key = b"foo"; // slot 12182 → shard 2 → core 0
        assert!(a.owns(key));
        assert!(!b.owns(key));
        assert_eq!(Keyspace::tables_per_shard(4, 0), 4096);
    }
}
