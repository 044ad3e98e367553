//! The cluster-* directives the control core acts on, read from the node's configuration:
//! ports, announce settings, the preferred endpoint type, timeouts and coverage rules.
//!
//! Pure; built on the main thread at start-up and again on the control core after each CONFIG
//! SET of a cluster directive.

use std::path::PathBuf;

use crate::config::Config;

/// What a node advertises as its endpoint in redirects, CLUSTER SLOTS and CLUSTER SHARDS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointType {
    Ip,
    Hostname,
    Unknown,
}

/// Settings from `cluster-*` directives (and `port`, `dir`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The client port this node listens on.
    pub port: u16,
    /// The bus port this node listens on (`cluster-port`, or port + 10000).
    pub bus_port: u16,
    pub announce_ip: String,
    pub announce_port: u16,
    pub announce_bus_port: u16,
    pub announce_hostname: String,
    pub preferred_endpoint: EndpointType,
    pub node_timeout_ms: u64,
    pub require_full_coverage: bool,
    pub allow_reads_when_down: bool,
    pub replica_no_failover: bool,
    /// `cluster-config-file` resolved against `dir`.
    pub config_file: PathBuf,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        let get = |name: &str| config.get(name).unwrap_or_default();
        let num = |name: &str| get(name).parse::<u64>().unwrap_or(0);
        let port = config.port();
        let cluster_port = num("cluster-port") as u16;
        let bus_port = if cluster_port != 0 {
            cluster_port
        } else {
            port.wrapping_add(10000)
        };
        Settings {
            port,
            bus_port,
            announce_ip: get("cluster-announce-ip"),
            announce_port: num("cluster-announce-port") as u16,
            announce_bus_port: num("cluster-announce-bus-port") as u16,
            announce_hostname: get("cluster-announce-hostname"),
            preferred_endpoint: match get("cluster-preferred-endpoint-type").as_str() {
                "hostname" => EndpointType::Hostname,
                "unknown-endpoint" => EndpointType::Unknown,
                _ => EndpointType::Ip,
            },
            node_timeout_ms: num("cluster-node-timeout"),
            require_full_coverage: get("cluster-require-full-coverage") == "yes",
            allow_reads_when_down: get("cluster-allow-reads-when-down") == "yes",
            replica_no_failover: get("cluster-replica-no-failover") == "yes",
            config_file: config.dir().join(get("cluster-config-file")),
        }
    }

    /// The client port this node announces.
    pub fn my_port(&self) -> u16 {
        if self.announce_port != 0 {
            self.announce_port
        } else {
            self.port
        }
    }

    /// The bus port this node announces.
    pub fn my_bus_port(&self) -> u16 {
        if self.announce_bus_port != 0 {
            self.announce_bus_port
        } else {
            self.bus_port
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::from_config(&Config::defaults())
    }
}
