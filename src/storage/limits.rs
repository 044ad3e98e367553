//! The encoding thresholds value types read when they grow: `zset-max-listpack-entries`,
//! `zset-max-listpack-value` and `hll-sparse-max-bytes`.
//!
//! Pure data. Each data core copies the current values into its keyspace before running a
//! command (see `shard::core::CoreCtx::keyspace`), so CONFIG SET takes effect for the next
//! command on every core, as in redis-server.

/// Thresholds between compact and general encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodingLimits {
    /// Most members a listpack-encoded sorted set holds.
    pub zset_max_listpack_entries: usize,
    /// Longest member a listpack-encoded sorted set holds.
    pub zset_max_listpack_value: usize,
    /// Largest sparse HyperLogLog, header included, before it turns dense.
    pub hll_sparse_max_bytes: usize,
}

impl Default for EncodingLimits {
    /// redis-server's defaults.
    fn default() -> Self {
        EncodingLimits {
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            hll_sparse_max_bytes: 3000,
        }
    }
}
