//! The runtime settings every data core reads: a copy per core, derived from the core's
//! [`Config`] copy and changed on every core at once by CONFIG SET through the mesh.

use std::path::PathBuf;

use crate::config::Config;

/// Settings the server runtime acts on.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub port: u16,
    pub bind: Vec<String>,
    /// Data cores to run; 0 = one per available CPU but one (see `runtime::layout`).
    pub cores: usize,
    /// Internal shards; 0 = one per data core.
    pub shards: usize,
    pub pin: bool,
    pub requirepass: Option<Vec<u8>>,
    pub proto_max_bulk_len: i64,
    pub client_query_buffer_limit: usize,
    pub maxclients: usize,
    pub hz: u32,
    pub tcp_backlog: u32,
    pub dir: PathBuf,
    pub cluster_enabled: bool,
    /// `client-output-buffer-limit` for Pub/Sub connections.
    pub pubsub_limit: super::pubsub::BufferLimit,
    /// `enable-debug-command`: who may run DEBUG.
    pub debug_command: Allowed,
    /// `busy-reply-threshold` (`lua-time-limit`), in milliseconds.
    pub busy_reply_ms: u64,
    /// `io-gather-usec`: how long an idle data core may wait for several requests at once.
    pub io_gather_us: u32,
}

/// Who may run a protected command (redis-server's `enable-debug-command` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    No,
    Yes,
    /// Clients connected from a loopback address.
    Local,
}

impl Allowed {
    fn parse(value: &str) -> Allowed {
        match value {
            "yes" => Allowed::Yes,
            "local" => Allowed::Local,
            _ => Allowed::No,
        }
    }

    /// Whether a client connected from `peer` may run the command (redis-server's
    /// `allowProtectedAction`: local means 127.0.0.1 or ::1 exactly).
    pub fn permits(self, peer: std::net::IpAddr) -> bool {
        match self {
            Allowed::Yes => true,
            Allowed::No => false,
            Allowed::Local => {
                peer == std::net::IpAddr::from([127, 0, 0, 1])
                    || peer == std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
            }
        }
    }
}

impl RunOptions {
    /// The settings `config` asks for.
    pub fn from_config(config: &Config) -> Self {
        RunOptions {
            port: config.port(),
            bind: config.bind(),
            cores: config.cores(),
            shards: config.shards(),
            pin: config.pin(),
            requirepass: config.requirepass().filter(|p| !p.is_empty()),
            proto_max_bulk_len: config.proto_max_bulk_len(),
            client_query_buffer_limit: config.client_query_buffer_limit(),
            maxclients: config.maxclients(),
            hz: config.hz(),
            tcp_backlog: config.tcp_backlog(),
            dir: config.dir(),
            cluster_enabled: config.cluster_enabled(),
            pubsub_limit: super::pubsub::BufferLimit::from_config(config),
            debug_command: Allowed::parse(&config.get("enable-debug-command").unwrap_or_default()),
            busy_reply_ms: config
                .get("busy-reply-threshold")
                .and_then(|v| v.parse().ok())
                .unwrap_or(5000),
            io_gather_us: config
                .get("io-gather-usec")
                .and_then(|v| v.parse().ok())
                .unwrap_or(50),
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            port: 6379,
            bind: vec!["*".to_string(), "-::*".to_string()],
            cores: 0,
            shards: 0,
            pin: true,
            requirepass: None,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit: 1024 * 1024 * 1024,
            maxclients: 10000,
            hz: 10,
            tcp_backlog: 511,
            dir: PathBuf::from("."),
            cluster_enabled: false,
            pubsub_limit: super::pubsub::BufferLimit::from_config(&Config::defaults()),
            debug_command: Allowed::No,
            busy_reply_ms: 5000,
            io_gather_us: 50,
        }
    }
}
