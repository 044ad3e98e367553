//! The one integration test binary (one link instead of one per file).
//!
//! Every test spawns real servers on free loopback ports: the server under test (the `solikv`
//! binary, or redis-server when `SOLIKV_TEST_SERVER=redis`) and, for differential checks, the
//! redis-server oracle whose replies are the specification. redis-server and redis-cli must be
//! installed (`apt-get install redis-server redis-tools`); tests fail, never skip, without them.
//!
//! Environment:
//!
//! - `SOLIKV_TEST_SERVER=redis`: run redis-server in place of SoliKV (validates the tests).
//! - `SOLIKV_DIFF_SEED=n`: replay one differential seed; `SOLIKV_DIFF_LEN=n`: steps per seed.
//!
//! # Layout
//!
//! - `harness`: spawning servers, paired connections.
//! - `resp`: raw connections reading exactly one RESP2/RESP3 reply; a reply decoder.
//! - `gen`, `gen_collections`, `gen_zset`, `gen_bits`, `differential`: seeded random command
//!   streams compared against the oracle.
//! - `strings`, `keyspace`, `hash`, `set`, `list`, `zset`, `bitmap`, `hll`: targeted
//!   differential checks per command family (the collection ones also through the `redis`
//!   crate and across two data cores).
//! - `pubsub`: subscribe sequences and random streams against the oracle, delivery across
//!   data cores, RESP3 pushes, the `redis` crate's PubSub, the output buffer limit.
//! - `gen_multi`: MULTI/EXEC blocks for the differential streams; `gen_lua`: EVAL steps.
//! - `scripting`: Lua scripts against the oracle, the shared script cache, atomicity across
//!   data cores, BUSY and SCRIPT KILL, cluster-mode key rules.
//! - `scripting_libs`: the `cmsgpack` and `struct` Lua libraries against the oracle, with
//!   seeded random values, byte strings and formats.
//! - `blocking`: blocking pops with several connections against the oracle (FIFO order,
//!   timeouts, wake-ups by pushes, EXEC and RENAME), across data cores, disconnects.
//! - `multi`: MULTI/EXEC/WATCH against the oracle, WATCH invalidation from other connections,
//!   cross-core EXEC atomicity.
//! - `protocol`: malformed input, inline commands, pipelining, partial writes, RESP3.
//! - `auth`: `--requirepass`, NOAUTH/WRONGPASS, unauthenticated framing limits.
//! - `atomicity`: cross-core MSET/RENAME are never observed half-applied.
//! - `client_cmd`: CLIENT LIST / KILL filters, the `cmd=` and `idle=` fields, SETINFO errors.
//! - `config_cmd`: CONFIG GET/SET of redis-server's hidden directives.
//! - `connection`: connection lifecycle (QUIT, many clients, abrupt disconnects).
//! - `client_crate`, `redis_cli`: real clients (the `redis` crate, the `redis-cli` binary).
//! - `cluster`: cluster mode with real nodes (redirects, migrations, nodes.conf, CLUSTER replies
//!   and the random streams compared with a redis-server cluster node).
//! - `cluster_bus`: multi-node clusters joined by the bus (redis-cli --cluster create, cluster
//!   clients, failure detection, gossip).
//! - `cluster_script`: `scripts/cluster.sh start/create/stop` with six nodes and replicas.

mod integration {
    pub mod atomicity;
    pub mod auth;
    pub mod bitmap;
    pub mod blocking;
    pub mod client_cmd;
    pub mod client_crate;
    pub mod cluster;
    pub mod cluster_bus;
    pub mod cluster_script;
    pub mod config_cmd;
    pub mod connection;
    pub mod differential;
    pub mod gen;
    pub mod gen_bits;
    pub mod gen_collections;
    pub mod gen_lua;
    pub mod gen_multi;
    pub mod gen_zset;
    pub mod harness;
    pub mod hash;
    pub mod hll;
    pub mod info;
    pub mod keyspace;
    pub mod list;
    pub mod multi;
    pub mod protocol;
    pub mod pubsub;
    pub mod receive;
    pub mod redis_cli;
    pub mod resp;
    pub mod scripting;
    pub mod scripting_libs;
    pub mod set;
    pub mod strings;
    pub mod zset;
}
