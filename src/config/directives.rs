//! The directive table: every directive redis-server 7.0 lists in `CONFIG GET *`, plus
//! SoliKV's own (`shards`, `cores`, `pin`, `io-gather-usec`) and redis-server's hidden ones,
//! each with its value kind, its default exactly as `CONFIG GET` prints it, whether `CONFIG
//! SET` may change it, and whether SoliKV acts on it or only accepts it so that existing
//! redis.conf files and tools keep working.
//!
//! Pure data plus name lookup; imported by the rest of `config` only.

/// How a directive's value is parsed, validated and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `yes` or `no`, any case.
    Bool,
    /// A decimal integer within bounds.
    Int { min: i64, max: i64 },
    /// A byte count with an optional unit (`b`, `k`, `kb`, `m`, `mb`, `g`, `gb`).
    Memory { min: u64, max: u64 },
    /// One of the listed words, any case.
    Enum(&'static [&'static str]),
    /// Any string.
    Str,
    /// File permissions in octal, at most `777`.
    Octal,
    /// Addresses to listen on, one or more.
    Bind,
    /// `<seconds> <changes>` pairs, or nothing.
    Save,
    /// `<class> <hard> <soft> <soft-seconds>` groups updating the listed classes.
    ClientOutputBufferLimit,
    /// `<host> <port>`, or `no one`.
    Replicaof,
    /// Keyspace notification class letters.
    KeyspaceEvents,
    /// Percentiles between 0 and 100.
    Percentiles,
    /// Three OOM score adjustments between -2000 and 2000.
    OomScoreAdjValues,
    /// An existing directory; printed as an absolute path.
    Dir,
    /// A byte count or a percentage such as `10%`.
    MemoryOrPercent,
    /// A hostname made of letters, digits, `-` and `.`.
    Hostname,
}

impl Kind {
    /// Whether the directive takes several words in a config file or on the command line
    /// (and a space-separated list in CONFIG SET).
    pub fn is_multi(self) -> bool {
        matches!(
            self,
            Kind::Bind
                | Kind::Save
                | Kind::ClientOutputBufferLimit
                | Kind::Replicaof
                | Kind::Percentiles
                | Kind::OomScoreAdjValues
        )
    }
}

/// Who may change a directive once the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// CONFIG SET may change it.
    Mutable,
    /// Only the config file or the command line may set it.
    Immutable,
    /// CONFIG SET may change it only when `enable-protected-configs` allows it.
    Protected,
}

/// Whether SoliKV acts on a directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// The server reads and honours the value.
    Applied,
    /// Accepted, validated, reported and rewritten, but without effect.
    Ignored,
}

/// Section of `--help` a directive is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Solikv,
    Network,
    General,
    Security,
    Clients,
    Memory,
    Persistence,
    Replication,
    Cluster,
    Encoding,
    Acl,
    Tls,
    /// redis-server's hidden directives (test and debug knobs): CONFIG GET reports them only
    /// when asked by exact name, never through a pattern.
    Hidden,
}

impl Group {
    /// Every group, in `--help` order.
    pub const ALL: [Group; 13] = [
        Group::Solikv,
        Group::Network,
        Group::General,
        Group::Security,
        Group::Clients,
        Group::Memory,
        Group::Persistence,
        Group::Replication,
        Group::Cluster,
        Group::Encoding,
        Group::Acl,
        Group::Tls,
        Group::Hidden,
    ];

    /// The `--help` heading of the group.
    pub fn heading(self) -> &'static str {
        match self {
            Group::Solikv => "SoliKV",
            Group::Network => "Network",
            Group::General => "General",
            Group::Security => "Security",
            Group::Clients => "Clients",
            Group::Memory => "Memory",
            Group::Persistence => "Persistence",
            Group::Replication => "Replication",
            Group::Cluster => "Cluster",
            Group::Encoding => "Encoding",
            Group::Acl => "ACL",
            Group::Tls => "TLS",
            Group::Hidden => "Hidden (reported by CONFIG GET of the exact name only)",
        }
    }
}

/// One configuration directive.
#[derive(Debug, Clone, Copy)]
pub struct Directive {
    pub name: &'static str,
    pub kind: Kind,
    /// The default as `CONFIG GET` prints it; `dir`'s empty default means the working
    /// directory at start-up.
    pub default: &'static str,
    pub access: Access,
    pub support: Support,
    pub group: Group,
    pub doc: &'static str,
}

const I32_MIN: i64 = i32::MIN as i64;
const I32_MAX: i64 = i32::MAX as i64;
const U32_MAX: i64 = u32::MAX as i64;
const I64_MAX: i64 = i64::MAX;
const MEM_MAX: u64 = i64::MAX as u64;
const U64_MAX: u64 = u64::MAX;

macro_rules! table {
    ($($name:literal, $kind:expr, $default:literal, $access:ident, $support:ident, $group:ident,
        $doc:literal;)*) => {
        /// Every directive, SoliKV's first, then redis-server's in name order, its hidden ones
        /// last.
        pub static DIRECTIVES: &[Directive] = {
            use Kind::*;
            &[$(Directive {
                name: $name,
                kind: $kind,
                default: $default,
                access: Access::$access,
                support: Support::$support,
                group: Group::$group,
                doc: $doc,
            }),*]
        };
    };
}

table! {
    "shards", Int { min: 0, max: 1024 }, "0", Immutable, Applied, Solikv,
        "Internal shards (0 = one per data core)";
    "cores", Int { min: 0, max: 1024 }, "0", Immutable, Applied, Solikv,
        "Data cores (0 = every available CPU but one, at least one)";
    "pin", Bool, "yes", Immutable, Applied, Solikv,
        "Pin each data core to its own CPU";
    "io-gather-usec", Int { min: 0, max: 1000 }, "50", Immutable, Applied, Solikv,
        "Microseconds an idle data core may wait to take several clients' requests at once (0 = never)";
    "acl-pubsub-default", Enum(&["allchannels", "resetchannels"]), "resetchannels", Mutable, Ignored, Acl,
        "Default pub/sub channel permission of new ACL users";
    "aclfile", Str, "", Immutable, Ignored, Acl,
        "External ACL user file";
    "acllog-max-len", Int { min: 0, max: I64_MAX }, "128", Mutable, Ignored, Acl,
        "Maximum entries kept in ACL LOG";
    "active-defrag-cycle-max", Int { min: 1, max: 99 }, "25", Mutable, Ignored, Memory,
        "Maximal CPU percent spent on active defragmentation";
    "active-defrag-cycle-min", Int { min: 1, max: 99 }, "1", Mutable, Ignored, Memory,
        "Minimal CPU percent spent on active defragmentation";
    "active-defrag-ignore-bytes", Memory { min: 1, max: MEM_MAX }, "104857600", Mutable, Ignored, Memory,
        "Fragmentation waste below which defragmentation does not start";
    "active-defrag-max-scan-fields", Int { min: 1, max: I64_MAX }, "1000", Mutable, Ignored, Memory,
        "Fields of a big value scanned in one defragmentation step";
    "active-defrag-threshold-lower", Int { min: 0, max: 1000 }, "10", Mutable, Ignored, Memory,
        "Fragmentation percent that starts defragmentation";
    "active-defrag-threshold-upper", Int { min: 0, max: 1000 }, "100", Mutable, Ignored, Memory,
        "Fragmentation percent at which defragmentation works hardest";
    "active-expire-effort", Int { min: 1, max: 10 }, "1", Mutable, Ignored, Memory,
        "Effort spent on active expiry, 1 to 10";
    "activedefrag", Bool, "no", Mutable, Ignored, Memory,
        "Enable active defragmentation";
    "activerehashing", Bool, "yes", Mutable, Ignored, Memory,
        "Rehash main tables incrementally in the background";
    "always-show-logo", Bool, "no", Immutable, Ignored, General,
        "Print the ASCII logo at start-up";
    "aof-disable-auto-gc", Bool, "no", Mutable, Ignored, Persistence,
        "Keep old append-only file history instead of deleting it";
    "aof-load-truncated", Bool, "yes", Mutable, Ignored, Persistence,
        "Load a truncated append-only file instead of refusing to start";
    "aof-rewrite-incremental-fsync", Bool, "yes", Mutable, Ignored, Persistence,
        "Fsync the append-only rewrite every 4 MB";
    "aof-timestamp-enabled", Bool, "no", Mutable, Ignored, Persistence,
        "Write timestamp annotations into the append-only file";
    "aof-use-rdb-preamble", Bool, "yes", Mutable, Ignored, Persistence,
        "Start rewritten append-only files with a snapshot";
    "aof_rewrite_cpulist", Str, "", Immutable, Ignored, General,
        "CPUs for the append-only rewrite child";
    "appenddirname", Str, "appendonlydir", Immutable, Applied, Persistence,
        "Directory (inside dir) holding append-only files";
    "appendfilename", Str, "appendonly.aof", Immutable, Applied, Persistence,
        "Base name of append-only files";
    "appendfsync", Enum(&["everysec", "always", "no"]), "everysec", Mutable, Applied, Persistence,
        "When to fsync the append-only file";
    "appendonly", Bool, "no", Mutable, Applied, Persistence,
        "Enable the append-only journal";
    "auto-aof-rewrite-min-size", Memory { min: 0, max: MEM_MAX }, "67108864", Mutable, Ignored, Persistence,
        "Minimal append-only size before an automatic rewrite";
    "auto-aof-rewrite-percentage", Int { min: 0, max: I32_MAX }, "100", Mutable, Ignored, Persistence,
        "Growth percent that triggers an automatic rewrite";
    "bgsave_cpulist", Str, "", Immutable, Ignored, General,
        "CPUs for the background save child";
    "bind", Bind, "* -::*", Mutable, Applied, Network,
        "Addresses to listen on (several allowed; a leading - marks optional)";
    "bind-source-addr", Str, "", Mutable, Ignored, Network,
        "Source address for outgoing connections";
    "bio_cpulist", Str, "", Immutable, Ignored, General,
        "CPUs for background I/O threads";
    "busy-reply-threshold", Int { min: 0, max: I64_MAX }, "5000", Mutable, Applied, General,
        "Milliseconds a script may run before BUSY replies";
    "client-output-buffer-limit", ClientOutputBufferLimit, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", Mutable, Ignored, Clients,
        "Per class output limits: <class> <hard> <soft> <soft-seconds>";
    "client-query-buffer-limit", Memory { min: 1048576, max: MEM_MAX }, "1073741824", Mutable, Applied, Clients,
        "Maximal size of one client query buffer";
    "cluster-allow-pubsubshard-when-down", Bool, "yes", Mutable, Ignored, Cluster,
        "Allow shard pub/sub while the cluster is down";
    "cluster-allow-reads-when-down", Bool, "no", Mutable, Applied, Cluster,
        "Serve reads while the cluster is down";
    "cluster-allow-replica-migration", Bool, "yes", Mutable, Ignored, Cluster,
        "Let replicas migrate to orphaned primaries";
    "cluster-announce-bus-port", Int { min: 0, max: 65535 }, "0", Mutable, Applied, Cluster,
        "Cluster bus port announced to other nodes (0 = port + 10000)";
    "cluster-announce-hostname", Hostname, "", Mutable, Applied, Cluster,
        "Hostname announced to other nodes";
    "cluster-announce-ip", Str, "", Mutable, Applied, Cluster,
        "IP address announced to other nodes";
    "cluster-announce-port", Int { min: 0, max: 65535 }, "0", Mutable, Applied, Cluster,
        "Client port announced to other nodes (0 = port)";
    "cluster-announce-tls-port", Int { min: 0, max: 65535 }, "0", Mutable, Ignored, Cluster,
        "TLS client port announced to other nodes";
    "cluster-config-file", Str, "nodes.conf", Immutable, Applied, Cluster,
        "File where the node keeps its cluster state";
    "cluster-enabled", Bool, "no", Immutable, Applied, Cluster,
        "Run as a Redis Cluster node";
    "cluster-link-sendbuf-limit", Memory { min: 0, max: U64_MAX }, "0", Mutable, Ignored, Cluster,
        "Send buffer limit of one cluster bus link (0 = none)";
    "cluster-migration-barrier", Int { min: 0, max: I32_MAX }, "1", Mutable, Ignored, Cluster,
        "Replicas a primary keeps before one may migrate";
    "cluster-node-timeout", Int { min: 0, max: I64_MAX }, "15000", Mutable, Applied, Cluster,
        "Milliseconds before an unreachable node is considered failing";
    "cluster-port", Int { min: 0, max: 65535 }, "0", Immutable, Applied, Cluster,
        "Cluster bus port (0 = port + 10000)";
    "cluster-preferred-endpoint-type", Enum(&["ip", "hostname", "unknown-endpoint"]), "ip", Mutable, Applied, Cluster,
        "Endpoint shown in redirects and CLUSTER SHARDS";
    "cluster-replica-no-failover", Bool, "no", Mutable, Applied, Cluster,
        "Never fail over this replica automatically";
    "cluster-replica-validity-factor", Int { min: 0, max: I32_MAX }, "10", Mutable, Ignored, Cluster,
        "Factor bounding how stale a replica may be to fail over";
    "cluster-require-full-coverage", Bool, "yes", Mutable, Applied, Cluster,
        "Refuse queries when some slot is not covered";
    "crash-log-enabled", Bool, "yes", Mutable, Ignored, General,
        "Write a crash log on fatal signals";
    "crash-memcheck-enabled", Bool, "yes", Mutable, Ignored, General,
        "Run a memory test after a crash";
    "daemonize", Bool, "no", Immutable, Applied, General,
        "Run in the background";
    "databases", Int { min: 1, max: I32_MAX }, "16", Immutable, Applied, General,
        "Number of logical databases";
    "dbfilename", Str, "dump.rdb", Protected, Applied, Persistence,
        "Snapshot file name";
    "dir", Dir, "", Protected, Applied, Persistence,
        "Working directory for snapshots, journals and nodes.conf";
    "disable-thp", Bool, "yes", Immutable, Ignored, General,
        "Disable transparent huge pages for the process";
    "dynamic-hz", Bool, "yes", Mutable, Ignored, General,
        "Scale hz with the number of clients";
    "enable-debug-command", Enum(&["no", "yes", "local"]), "no", Immutable, Applied, General,
        "Allow DEBUG: no, yes or local";
    "enable-module-command", Enum(&["no", "yes", "local"]), "no", Immutable, Ignored, General,
        "Allow MODULE: no, yes or local";
    "enable-protected-configs", Enum(&["no", "yes", "local"]), "no", Immutable, Ignored, General,
        "Allow CONFIG SET of protected directives: no, yes or local";
    "hash-max-listpack-entries", Int { min: 0, max: I64_MAX }, "512", Mutable, Applied, Encoding,
        "Hash entries kept in the compact encoding";
    "hash-max-listpack-value", Memory { min: 0, max: MEM_MAX }, "64", Mutable, Applied, Encoding,
        "Largest hash value kept in the compact encoding";
    "hll-sparse-max-bytes", Memory { min: 0, max: MEM_MAX }, "3000", Mutable, Applied, Encoding,
        "Largest sparse HyperLogLog";
    "hz", Int { min: 0, max: I32_MAX }, "10", Mutable, Applied, General,
        "Background task frequency per second (1 to 500)";
    "ignore-warnings", Str, "", Mutable, Ignored, General,
        "Start-up warnings to silence";
    "io-threads", Int { min: 1, max: 128 }, "1", Immutable, Ignored, General,
        "I/O threads (SoliKV uses cores instead)";
    "io-threads-do-reads", Bool, "no", Immutable, Ignored, General,
        "Let I/O threads read too";
    "jemalloc-bg-thread", Bool, "yes", Mutable, Ignored, Memory,
        "Let jemalloc purge in a background thread";
    "latency-monitor-threshold", Int { min: 0, max: I64_MAX }, "0", Mutable, Ignored, General,
        "Milliseconds above which events are sampled (0 = off)";
    "latency-tracking", Bool, "yes", Mutable, Ignored, General,
        "Track per-command latency";
    "latency-tracking-info-percentiles", Percentiles, "50 99 99.9", Mutable, Ignored, General,
        "Percentiles reported by INFO latencystats";
    "lazyfree-lazy-eviction", Bool, "no", Mutable, Ignored, Memory,
        "Free evicted values in the background";
    "lazyfree-lazy-expire", Bool, "no", Mutable, Ignored, Memory,
        "Free expired values in the background";
    "lazyfree-lazy-server-del", Bool, "no", Mutable, Ignored, Memory,
        "Free values overwritten by the server in the background";
    "lazyfree-lazy-user-del", Bool, "no", Mutable, Ignored, Memory,
        "Make DEL behave like UNLINK";
    "lazyfree-lazy-user-flush", Bool, "no", Mutable, Ignored, Memory,
        "Make FLUSHALL and FLUSHDB asynchronous by default";
    "lfu-decay-time", Int { min: 0, max: I32_MAX }, "1", Mutable, Ignored, Memory,
        "Minutes after which an LFU counter decays";
    "lfu-log-factor", Int { min: 0, max: I32_MAX }, "10", Mutable, Ignored, Memory,
        "LFU counter logarithm factor";
    "list-compress-depth", Int { min: 0, max: I32_MAX }, "0", Mutable, Ignored, Encoding,
        "List nodes at each end left uncompressed (0 = none compressed)";
    "list-max-listpack-size", Int { min: I32_MIN, max: I32_MAX }, "-2", Mutable, Ignored, Encoding,
        "List node size: entries if positive, -1..-5 for 4 KB..64 KB";
    "logfile", Str, "", Immutable, Applied, General,
        "Log file (\"\" = standard output)";
    "loglevel", Enum(&["debug", "verbose", "notice", "warning"]), "notice", Mutable, Applied, General,
        "Log verbosity";
    "masterauth", Str, "", Mutable, Applied, Replication,
        "Password used to authenticate to the primary";
    "masteruser", Str, "", Mutable, Ignored, Replication,
        "ACL user used to authenticate to the primary";
    "maxclients", Int { min: 1, max: U32_MAX }, "10000", Mutable, Applied, Clients,
        "Maximal number of connected clients";
    "maxmemory", Memory { min: 0, max: U64_MAX }, "0", Mutable, Ignored, Memory,
        "Memory limit for data (0 = none)";
    "maxmemory-clients", MemoryOrPercent, "0", Mutable, Ignored, Memory,
        "Memory limit for all clients together, bytes or percent of maxmemory";
    "maxmemory-eviction-tenacity", Int { min: 0, max: 100 }, "10", Mutable, Ignored, Memory,
        "Eviction effort per command, 0 to 100";
    "maxmemory-policy", Enum(&["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"]), "noeviction", Mutable, Ignored, Memory,
        "What to evict when maxmemory is reached";
    "maxmemory-samples", Int { min: 1, max: I32_MAX }, "5", Mutable, Ignored, Memory,
        "Keys sampled per eviction";
    "min-replicas-max-lag", Int { min: 0, max: I32_MAX }, "10", Mutable, Ignored, Replication,
        "Seconds of lag under which a replica counts as good";
    "min-replicas-to-write", Int { min: 0, max: I32_MAX }, "0", Mutable, Ignored, Replication,
        "Good replicas needed to accept writes";
    "no-appendfsync-on-rewrite", Bool, "no", Mutable, Ignored, Persistence,
        "Skip fsync while a rewrite is running";
    "notify-keyspace-events", KeyspaceEvents, "", Mutable, Ignored, General,
        "Keyspace notification classes, e.g. KEA";
    "oom-score-adj", Enum(&["no", "yes", "relative", "absolute"]), "no", Mutable, Ignored, General,
        "Manage the OOM score: no, yes, relative or absolute";
    "oom-score-adj-values", OomScoreAdjValues, "0 200 800", Mutable, Ignored, General,
        "OOM score adjustments for primary, replica and child";
    "pidfile", Str, "", Immutable, Applied, General,
        "File where the process id is written";
    "port", Int { min: 0, max: 65535 }, "6379", Mutable, Applied, Network,
        "TCP port for clients (0 = no TCP listener)";
    "proc-title-template", Str, "{title} {listen-addr} {server-mode}", Mutable, Ignored, General,
        "Process title template";
    "propagation-error-behavior", Enum(&["ignore", "panic", "panic-on-replicas"]), "ignore", Mutable, Ignored, Replication,
        "What a replica does when a replicated command fails";
    "protected-mode", Bool, "yes", Mutable, Ignored, Network,
        "Refuse remote clients when no password and no bind are set";
    "proto-max-bulk-len", Memory { min: 1048576, max: MEM_MAX }, "536870912", Mutable, Applied, Clients,
        "Largest bulk string a client may send";
    "rdb-del-sync-files", Bool, "no", Mutable, Ignored, Persistence,
        "Delete snapshots used only for replication";
    "rdb-save-incremental-fsync", Bool, "yes", Mutable, Ignored, Persistence,
        "Fsync the snapshot every 4 MB while writing it";
    "rdbchecksum", Bool, "yes", Immutable, Ignored, Persistence,
        "Checksum snapshots";
    "rdbcompression", Bool, "yes", Mutable, Ignored, Persistence,
        "Compress strings in snapshots";
    "repl-backlog-size", Memory { min: 1, max: MEM_MAX }, "1048576", Mutable, Ignored, Replication,
        "Replication backlog size";
    "repl-backlog-ttl", Int { min: 0, max: I64_MAX }, "3600", Mutable, Ignored, Replication,
        "Seconds before a backlog without replicas is freed";
    "repl-disable-tcp-nodelay", Bool, "no", Mutable, Ignored, Replication,
        "Disable TCP_NODELAY on replication links";
    "repl-diskless-load", Enum(&["disabled", "on-empty-db", "swapdb"]), "disabled", Mutable, Ignored, Replication,
        "How a replica loads the snapshot it receives";
    "repl-diskless-sync", Bool, "yes", Mutable, Ignored, Replication,
        "Send snapshots to replicas without touching disk";
    "repl-diskless-sync-delay", Int { min: 0, max: I32_MAX }, "5", Mutable, Ignored, Replication,
        "Seconds to wait for more replicas before a diskless sync";
    "repl-diskless-sync-max-replicas", Int { min: 0, max: I32_MAX }, "0", Mutable, Ignored, Replication,
        "Replicas that start a diskless sync early (0 = no limit)";
    "repl-ping-replica-period", Int { min: 1, max: I32_MAX }, "10", Mutable, Ignored, Replication,
        "Seconds between pings from primary to replicas";
    "repl-timeout", Int { min: 1, max: I32_MAX }, "60", Mutable, Ignored, Replication,
        "Replication timeout in seconds";
    "replica-announce-ip", Str, "", Mutable, Ignored, Replication,
        "IP address a replica reports to its primary";
    "replica-announce-port", Int { min: 0, max: 65535 }, "0", Mutable, Ignored, Replication,
        "Port a replica reports to its primary";
    "replica-announced", Bool, "yes", Mutable, Ignored, Replication,
        "Show this replica to Sentinel";
    "replica-ignore-disk-write-errors", Bool, "no", Mutable, Ignored, Replication,
        "Keep replicating after a disk write error";
    "replica-ignore-maxmemory", Bool, "yes", Mutable, Ignored, Replication,
        "Replicas do not evict on their own";
    "replica-lazy-flush", Bool, "no", Mutable, Ignored, Replication,
        "Flush asynchronously before loading a full sync";
    "replica-priority", Int { min: 0, max: I32_MAX }, "100", Mutable, Ignored, Replication,
        "Priority for promotion by Sentinel (0 = never)";
    "replica-read-only", Bool, "yes", Mutable, Ignored, Replication,
        "Replicas refuse writes";
    "replica-serve-stale-data", Bool, "yes", Mutable, Ignored, Replication,
        "Replicas answer while out of sync";
    "replicaof", Replicaof, "", Immutable, Applied, Replication,
        "Replicate from <host> <port>";
    "requirepass", Str, "", Mutable, Applied, Security,
        "Password of the default user (\"\" = none)";
    "sanitize-dump-payload", Enum(&["no", "yes", "clients"]), "no", Mutable, Ignored, Security,
        "Deep-check RESTORE payloads: no, yes or clients";
    "save", Save, "3600 1 300 100 60 10000", Mutable, Applied, Persistence,
        "Snapshot after <seconds> if <changes> happened, repeated pairs; \"\" = off";
    "server_cpulist", Str, "", Immutable, Ignored, General,
        "CPUs for the main thread";
    "set-max-intset-entries", Int { min: 0, max: I64_MAX }, "512", Mutable, Applied, Encoding,
        "Set members kept in the integer-set encoding";
    "set-proc-title", Bool, "yes", Immutable, Ignored, General,
        "Change the process title";
    "shutdown-on-sigint", Enum(&["default", "save", "nosave", "now", "force"]), "default", Mutable, Ignored, General,
        "What SIGINT does: default, save, nosave, now, force";
    "shutdown-on-sigterm", Enum(&["default", "save", "nosave", "now", "force"]), "default", Mutable, Ignored, General,
        "What SIGTERM does: default, save, nosave, now, force";
    "shutdown-timeout", Int { min: 0, max: I32_MAX }, "10", Mutable, Ignored, General,
        "Seconds to wait for replicas at shutdown";
    "slowlog-log-slower-than", Int { min: -1, max: I64_MAX }, "10000", Mutable, Ignored, General,
        "Microseconds above which commands are logged (-1 = off)";
    "slowlog-max-len", Int { min: 0, max: I64_MAX }, "128", Mutable, Ignored, General,
        "Maximal slow log length";
    "socket-mark-id", Int { min: 0, max: U32_MAX }, "0", Immutable, Ignored, Network,
        "SO_MARK of listening sockets";
    "stop-writes-on-bgsave-error", Bool, "yes", Mutable, Ignored, Persistence,
        "Refuse writes after a failed background save";
    "stream-node-max-bytes", Memory { min: 0, max: MEM_MAX }, "4096", Mutable, Ignored, Encoding,
        "Largest stream node";
    "stream-node-max-entries", Int { min: 0, max: I64_MAX }, "100", Mutable, Ignored, Encoding,
        "Entries per stream node";
    "supervised", Enum(&["upstart", "systemd", "auto", "no"]), "no", Immutable, Ignored, General,
        "Supervision interaction: upstart, systemd, auto, no";
    "syslog-enabled", Bool, "no", Immutable, Ignored, General,
        "Log to syslog";
    "syslog-facility", Enum(&["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"]), "local0", Immutable, Ignored, General,
        "Syslog facility";
    "syslog-ident", Str, "redis", Immutable, Ignored, General,
        "Syslog identity";
    "tcp-backlog", Int { min: 0, max: I32_MAX }, "511", Immutable, Applied, Network,
        "Listen backlog";
    "tcp-keepalive", Int { min: 0, max: I32_MAX }, "300", Mutable, Applied, Network,
        "Seconds between TCP keepalive probes (0 = off)";
    "timeout", Int { min: 0, max: I32_MAX }, "0", Mutable, Applied, Network,
        "Close idle clients after this many seconds (0 = never)";
    "tls-auth-clients", Enum(&["no", "yes", "optional"]), "yes", Mutable, Ignored, Tls,
        "Require client certificates: no, yes, optional";
    "tls-ca-cert-dir", Str, "", Mutable, Ignored, Tls,
        "Directory of CA certificates";
    "tls-ca-cert-file", Str, "", Mutable, Ignored, Tls,
        "CA certificate file";
    "tls-cert-file", Str, "", Mutable, Ignored, Tls,
        "Server certificate file";
    "tls-ciphers", Str, "", Mutable, Ignored, Tls,
        "TLS 1.2 cipher list";
    "tls-ciphersuites", Str, "", Mutable, Ignored, Tls,
        "TLS 1.3 cipher suites";
    "tls-client-cert-file", Str, "", Mutable, Ignored, Tls,
        "Certificate for outgoing connections";
    "tls-client-key-file", Str, "", Mutable, Ignored, Tls,
        "Key for outgoing connections";
    "tls-client-key-file-pass", Str, "", Mutable, Ignored, Tls,
        "Passphrase of tls-client-key-file";
    "tls-cluster", Bool, "no", Mutable, Ignored, Tls,
        "Use TLS on the cluster bus";
    "tls-dh-params-file", Str, "", Mutable, Ignored, Tls,
        "Diffie-Hellman parameters file";
    "tls-key-file", Str, "", Mutable, Ignored, Tls,
        "Server key file";
    "tls-key-file-pass", Str, "", Mutable, Ignored, Tls,
        "Passphrase of tls-key-file";
    "tls-port", Int { min: 0, max: 65535 }, "0", Mutable, Ignored, Tls,
        "TLS port for clients (0 = none)";
    "tls-prefer-server-ciphers", Bool, "no", Mutable, Ignored, Tls,
        "Prefer the server cipher order";
    "tls-protocols", Str, "", Mutable, Ignored, Tls,
        "Allowed TLS protocol versions";
    "tls-replication", Bool, "no", Mutable, Ignored, Tls,
        "Use TLS for replication links";
    "tls-session-cache-size", Int { min: 0, max: I32_MAX }, "20480", Mutable, Ignored, Tls,
        "TLS session cache entries";
    "tls-session-cache-timeout", Int { min: 0, max: I32_MAX }, "300", Mutable, Ignored, Tls,
        "TLS session cache timeout in seconds";
    "tls-session-caching", Bool, "yes", Mutable, Ignored, Tls,
        "Enable TLS session caching";
    "tracking-table-max-keys", Int { min: 0, max: I64_MAX }, "1000000", Mutable, Ignored, Clients,
        "Keys tracked for client-side caching";
    "unixsocket", Str, "", Immutable, Ignored, Network,
        "Unix socket path (\"\" = none)";
    "unixsocketperm", Octal, "0", Immutable, Ignored, Network,
        "Unix socket permissions, in octal";
    "zset-max-listpack-entries", Int { min: 0, max: I64_MAX }, "128", Mutable, Applied, Encoding,
        "Sorted set entries kept in the compact encoding";
    "zset-max-listpack-value", Memory { min: 0, max: MEM_MAX }, "64", Mutable, Applied, Encoding,
        "Largest sorted set member kept in the compact encoding";
    "key-load-delay", Int { min: I32_MIN, max: I32_MAX }, "0", Mutable, Ignored, Hidden,
        "Delay per key while loading data (a redis-server test knob)";
    "loading-process-events-interval-bytes", Int { min: 1024, max: I32_MAX }, "2097152", Mutable,
        Ignored, Hidden, "Bytes loaded between event loop passes (a redis-server test knob)";
    "lua-enable-deprecated-api", Bool, "no", Immutable, Ignored, Hidden,
        "Deprecated Lua API access (a redis-server knob)";
    "rdb-key-save-delay", Int { min: I32_MIN, max: I32_MAX }, "0", Mutable, Ignored, Hidden,
        "Delay per key while saving data (a redis-server test knob)";
    "use-exit-on-panic", Bool, "no", Mutable, Ignored, Hidden,
        "Exit instead of aborting on a panic (a redis-server test knob)";
    "watchdog-period", Int { min: 0, max: I32_MAX }, "0", Mutable, Ignored, Hidden,
        "Software watchdog period in milliseconds (a redis-server debug knob)";
}

/// Other names redis-server accepts for a directive, as `(alias, directive)`. CONFIG GET
/// reports them as separate entries, like redis-server does.
pub static ALIASES: &[(&str, &str)] = &[
    ("lua-time-limit", "busy-reply-threshold"),
    ("cluster-slave-no-failover", "cluster-replica-no-failover"),
    (
        "cluster-slave-validity-factor",
        "cluster-replica-validity-factor",
    ),
    ("hash-max-ziplist-entries", "hash-max-listpack-entries"),
    ("hash-max-ziplist-value", "hash-max-listpack-value"),
    ("list-max-ziplist-size", "list-max-listpack-size"),
    ("min-slaves-max-lag", "min-replicas-max-lag"),
    ("min-slaves-to-write", "min-replicas-to-write"),
    ("repl-ping-slave-period", "repl-ping-replica-period"),
    ("slave-announce-ip", "replica-announce-ip"),
    ("slave-announce-port", "replica-announce-port"),
    ("slave-ignore-maxmemory", "replica-ignore-maxmemory"),
    ("slave-lazy-flush", "replica-lazy-flush"),
    ("slave-priority", "replica-priority"),
    ("slave-read-only", "replica-read-only"),
    ("slave-serve-stale-data", "replica-serve-stale-data"),
    ("slaveof", "replicaof"),
    ("zset-max-ziplist-entries", "zset-max-listpack-entries"),
    ("zset-max-ziplist-value", "zset-max-listpack-value"),
];

/// Index in [`DIRECTIVES`] of the directive called `name` (any case), aliases included.
pub fn lookup(name: &str) -> Option<usize> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
        .map_or(name, |&(_, target)| target);
    DIRECTIVES
        .iter()
        .position(|d| d.name.eq_ignore_ascii_case(name))
}

/// Every name a CONFIG GET pattern can report, aliases included, with the directive it refers
/// to (hidden directives answer only to their exact name).
pub fn all_names() -> impl Iterator<Item = (&'static str, usize)> {
    let aliases = ALIASES.iter().filter_map(|&(alias, target)| {
        DIRECTIVES
            .iter()
            .position(|d| d.name == target)
            .map(|i| (alias, i))
    });
    DIRECTIVES
        .iter()
        .enumerate()
        .filter(|(_, d)| d.group != Group::Hidden)
        .map(|(i, d)| (d.name, i))
        .chain(aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_lowercase_and_aliases_resolve() {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in all_names() {
            assert!(seen.insert(name), "{name} listed twice");
            assert_eq!(name, name.to_ascii_lowercase());
        }
        for (alias, target) in ALIASES {
            assert_eq!(lookup(alias), lookup(target), "{alias}");
            assert!(lookup(target).is_some(), "{target}");
        }
        // 192 names in redis-server 7.0.15's CONFIG GET *, plus SoliKV's four.
        assert_eq!(seen.len(), 196);
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(lookup("HZ"), lookup("hz"));
        assert_eq!(lookup("SLAVEOF"), lookup("replicaof"));
        assert!(lookup("no-such-directive").is_none());
    }
}
