//! Cluster-bus gossip cost: bytes per second each node sends in a steady-state cluster of 10,
//! 100 and 1000 primaries, for Redis's clusterMsg encoding and for SoliKV's, with the ratio.
//!
//! `cargo bench --bench gossip [-- NODE_TIMEOUT_MS]` (harness = false; default 15000, Redis's
//! `cluster-node-timeout` default). It is a simulation, not a timing: the figures do not
//! depend on the machine.
//!
//! # Model
//!
//! Message *counts* come from simulating every node with Redis 7.0's rules (clusterCron and
//! the gossip section handling), the same for both encodings:
//!
//! - each node runs its cron every 100 ms; every 10th run (once a second) it samples 5 random
//!   nodes and PINGs the one whose last PONG is oldest, among those with no PING in flight;
//! - every run it also PINGs each node with no PING in flight whose last PONG is older than
//!   node-timeout / 2;
//! - every PING is answered by a PONG; the round trip is taken as instant (loopback-like), so
//!   a PING is never in flight at the next cron run;
//! - every PING and PONG carries `max(3, nodes / 10)` gossip entries (at most nodes - 2) about
//!   random other nodes, plus every PFAIL node (none in the steady state);
//! - a receiver takes a gossiped PONG time (whole seconds, as on Redis's wire) as its own last
//!   PONG time for that node when it is newer and no PING to it is in flight, which spares
//!   many of the node-timeout / 2 PINGs.
//!
//! Nodes start having last heard from each other at random times within node-timeout / 2;
//! simulated time is 90 s, of which the first 30 s are not counted.
//!
//! Message *sizes*:
//!
//! - Redis 7.0: the 2256-byte clusterMsg header (of which 2048 bytes are the slot bitmap) plus
//!   104 bytes per gossip entry, no ping extensions (no hostname set, nothing forgotten).
//! - SoliKV: the exact length of [`encode`] output for such a PING (16-byte frame header
//!   included): packed 20-byte node ids, 16-byte IPs, slot claims as a digest only, since
//!   claims do not change in the steady state. The size of a message that carries the
//!   ranges (first message on a link, or after a change) is printed too.
//!
//! Only bus payload bytes are counted (no TCP/IP headers), per node, sent (each node receives
//! as much on average).

use solikv::cluster::bus::message::{
    encode, gossip_wanted, node_flags, Body, Gossip, GossipEntry, Message, NodeId, Sender,
    SlotClaims, WireIp, CLUSTER_OK,
};
use solikv::cluster::bus::slots::SlotRange;

const REDIS_HEADER: usize = 2256;
const REDIS_GOSSIP_ENTRY: usize = 104;
const CRON_MS: u64 = 100;
const SIM_MS: u64 = 90_000;
const WARMUP_MS: u64 = 30_000;

/// xorshift64: deterministic, so every run prints the same figures.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One node's view of the others: last PONG time (ms) per node.
struct Cluster {
    n: usize,
    pong: Vec<u64>,
    rng: Rng,
    messages: u64,
}

impl Cluster {
    /// A cluster whose nodes last heard from each other at random times in the last
    /// node-timeout / 2 before the start, so they do not all ping at once.
    fn new(n: usize, node_timeout: u64) -> Cluster {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ n as u64);
        let pong = (0..n * n)
            .map(|_| rng.below(node_timeout as usize / 2 + 1) as u64)
            .collect();
        Cluster {
            n,
            pong,
            rng,
            messages: 0,
        }
    }

    /// `from` PINGs `to` at `now`; `to` answers with a PONG. Both carry gossip.
    fn ping(&mut self, from: usize, to: usize, now: u64, counted: bool) {
        self.gossip(from, to, now);
        self.gossip(to, from, now);
        self.pong[from * self.n + to] = now;
        if counted {
            self.messages += 2;
        }
    }

    /// `sender` tells `receiver` about random nodes: the receiver adopts newer PONG times.
    fn gossip(&mut self, sender: usize, receiver: usize, now: u64) {
        let n = self.n;
        for _ in 0..gossip_wanted(n) {
            let about = self.rng.below(n);
            if about == sender || about == receiver {
                continue;
            }
            let seen = self.pong[sender * n + about] / 1000 * 1000;
            let mine = &mut self.pong[receiver * n + about];
            if seen > *mine && seen <= now + 500 {
                *mine = seen;
            }
        }
    }

    /// Runs the whole cluster; returns messages sent per node per second after warm-up.
    fn run(&mut self, node_timeout: u64) -> f64 {
        let n = self.n;
        let mut now = node_timeout / 2;
        let mut tick = 0u64;
        while now < node_timeout / 2 + SIM_MS {
            let counted = now >= node_timeout / 2 + WARMUP_MS;
            for node in 0..n {
                // Each node's once-a-second ping happens on its own tick phase.
                if (tick + node as u64) % 10 == 0 {
                    let mut best: Option<usize> = None;
                    for _ in 0..5 {
                        let cand = self.rng.below(n);
                        if cand == node {
                            continue;
                        }
                        let older = best
                            .is_none_or(|b| self.pong[node * n + cand] < self.pong[node * n + b]);
                        if older {
                            best = Some(cand);
                        }
                    }
                    if let Some(to) = best {
                        self.ping(node, to, now, counted);
                    }
                }
                for peer in 0..n {
                    if peer != node && now - self.pong[node * n + peer].min(now) > node_timeout / 2
                    {
                        self.ping(node, peer, now, counted);
                    }
                }
            }
            now += CRON_MS;
            tick += 1;
        }
        self.messages as f64 / n as f64 / ((SIM_MS - WARMUP_MS) as f64 / 1000.0)
    }
}

fn node(i: usize) -> NodeId {
    let mut id = [0u8; 20];
    id[..8].copy_from_slice(&(i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    NodeId(id)
}

/// A steady-state PING from a primary owning `ranges`, with `entries` gossip entries.
fn soli_ping(entries: usize, ranges: &[SlotRange], full_claims: bool) -> usize {
    let ip = WireIp::from_ip("10.0.0.1".parse().expect("ip"));
    let msg = Message {
        sender: Sender {
            id: node(0),
            current_epoch: 1234,
            config_epoch: 17,
            repl_offset: 987_654_321,
            primary: None,
            shard_id: node(0),
            ip,
            port: 7000,
            cport: 17000,
            flags: node_flags::MASTER,
            state: CLUSTER_OK,
            mflags: 0,
            hostname: String::new(),
            slots: if full_claims {
                SlotClaims::full(ranges.to_vec())
            } else {
                SlotClaims::digest_of(ranges)
            },
        },
        body: Body::Ping(Gossip {
            entries: (1..=entries)
                .map(|i| GossipEntry {
                    id: node(i),
                    ping_sent: 0,
                    pong_received: 1_763_000_000,
                    ip,
                    port: 7000,
                    cport: 17000,
                    flags: node_flags::MASTER,
                })
                .collect(),
            forgotten: Vec::new(),
        }),
    };
    let mut out = Vec::new();
    encode(&msg, &mut out).expect("valid message");
    out.len()
}

fn main() {
    let node_timeout: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(15_000);
    println!("cluster bus gossip cost, steady state, node-timeout {node_timeout} ms");
    println!(
        "{:>6} {:>7} {:>9} {:>9} {:>9} {:>12} {:>12} {:>6}",
        "nodes", "gossip", "msgs/s", "redis B", "soli B", "redis B/s", "soli B/s", "ratio"
    );
    for n in [10usize, 100, 1000] {
        let wanted = gossip_wanted(n);
        let rate = Cluster::new(n, node_timeout).run(node_timeout);
        // A primary of an evenly split cluster owns one contiguous range.
        let share = (16384 / n) as u16;
        let ranges = [SlotRange::new(0, share - 1)];
        let redis = REDIS_HEADER + wanted * REDIS_GOSSIP_ENTRY;
        let soli = soli_ping(wanted, &ranges, false);
        let (redis_bps, soli_bps) = (rate * redis as f64, rate * soli as f64);
        println!(
            "{n:>6} {wanted:>7} {rate:>9.2} {redis:>9} {soli:>9} {redis_bps:>12.0} {soli_bps:>12.0} {:>5.1}x",
            redis_bps / soli_bps
        );
    }
    let one = [SlotRange::new(0, 5460)];
    let fragmented: Vec<SlotRange> = (0..100)
        .map(|i| SlotRange::new(i * 100, i * 100 + 49))
        .collect();
    println!(
        "SoliKV PING with 3 entries: {} B with a digest only, {} B with 1 range, {} B with 100 ranges",
        soli_ping(3, &one, false),
        soli_ping(3, &one, true),
        soli_ping(3, &fragmented, true)
    );
}
