//! The encoding limits that decide when a small hash or set takes its big encoding:
//! redis-server's `hash-max-listpack-entries`, `hash-max-listpack-value` and
//! `set-max-intset-entries`.
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
}

impl Default for Limits {
    /// redis-server 7.0's defaults.
    fn default() -> Self {
        Limits {
            hash_entries: 512,
            hash_value: 64,
            set_intset_entries: 512,
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
            _ => None,
        });
        assert_eq!(limits.hash_entries, 3);
        assert_eq!(limits.hash_value, 64);
        assert_eq!(limits.set_intset_entries, 512);
    }
}
