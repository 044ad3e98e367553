//! The encoding limits that decide when a small value takes its big encoding: redis-server's
//! `hash-max-listpack-entries`, `hash-max-listpack-value`, `set-max-intset-entries`,
//! `zset-max-listpack-entries`, `zset-max-listpack-value` and `hll-sparse-max-bytes`.
//!
//! Plain data; each data core's keyspace holds a copy, refreshed by CONFIG SET on every core.

/// The limits in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A hash with more fields than this is a hashtable.
    pub hash_entries: usize,
    /// A hash with a field or value longer than this is a hashtable.
    pub hash_value: usize,
    /// A set with more integers than this is a hashtable.
    pub set_intset_entries: usize,
    /// A sorted set with more members than this is a skiplist.
    pub zset_entries: usize,
    /// A sorted set with a member longer than this is a skiplist.
    pub zset_value: usize,
    /// A sparse HyperLogLog longer than this (header included) turns dense.
    pub hll_sparse_bytes: usize,
}

impl Default for Limits {
    /// redis-server 7.0's defaults.
    fn default() -> Self {
        Limits {
            hash_entries: 512,
            hash_value: 64,
            set_intset_entries: 512,
            zset_entries: 128,
            zset_value: 64,
            hll_sparse_bytes: 3000,
        }
    }
}

impl Limits {
    /// The limits named by the directives `get` returns (as CONFIG GET prints them); a
    /// directive missing or unreadable keeps its default.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Limits {
        let read = |name: &str, default: usize| {
            get(name)
                .and_then(|v| v.parse::<u64>().ok())
                .map_or(default, |v| usize::try_from(v).unwrap_or(usize::MAX))
        };
        let d = Limits::default();
        Limits {
            hash_entries: read("hash-max-listpack-entries", d.hash_entries),
            hash_value: read("hash-max-listpack-value", d.hash_value),
            set_intset_entries: read("set-max-intset-entries", d.set_intset_entries),
            zset_entries: read("zset-max-listpack-entries", d.zset_entries),
            zset_value: read("zset-max-listpack-value", d.zset_value),
            hll_sparse_bytes: read("hll-sparse-max-bytes", d.hll_sparse_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives_and_keeps_defaults_otherwise() {
        let limits = Limits::from_lookup(|name| match name {
            "hash-max-listpack-entries" => Some("3".into()),
            "hash-max-listpack-value" => Some("junk".into()),
            "zset-max-listpack-entries" => Some("7".into()),
            "hll-sparse-max-bytes" => Some("0".into()),
            _ => None,
        });
        assert_eq!(limits.hash_entries, 3);
        assert_eq!(limits.hash_value, 64);
        assert_eq!(limits.set_intset_entries, 512);
        assert_eq!(limits.zset_entries, 7);
        assert_eq!(limits.zset_value, 64);
        assert_eq!(limits.hll_sparse_bytes, 0);
    }
}
