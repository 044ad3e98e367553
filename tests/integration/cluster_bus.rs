//! The cluster bus end to end, with real processes: `redis-cli --cluster create` of three
//! masters and `--cluster check`, clients that follow redirects (`redis-cli -c`, the `redis`
//! crate's cluster client, redis-py's `RedisCluster`), CLUSTER SLOTS as memtier parses it,
//! CLUSTER LINKS, failure detection after kill -9 and recovery after a restart, a master cut
//! off from the others going down, garbage on a bus port, a MEET that gossip spreads to every
//! node, a node restarted at a new address, equal config epochs made distinct, and a handshake
//! with nobody expiring.
//!
//! Every node gets a port whose bus port (+10000) was free, its own directory (nodes.conf),
//! and a short `cluster-node-timeout` so failure detection is quick. Conditions are polled
//! with deadlines. With `SOLIKV_TEST_SERVER=redis` the nodes are redis-server, which
//! validates the tests (it passes them, FAIL within 2 × node-timeout included).

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::harness::{require_tool, subject_is_redis};
use super::resp::{decode, Conn, Value};

/// How long any convergence may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(30);
/// cluster-node-timeout of the nodes, in ms.
const NODE_TIMEOUT_MS: u64 = 1500;

/// A free port below 55535 whose bus port (+10000) is free as well.
fn cluster_port() -> u16 {
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        if port < 55535 && TcpListener::bind(("127.0.0.1", port + 10000)).is_ok() {
            return port;
        }
    }
}

/// Polls `cond` until it holds, failing with `what` (and `detail()` at that moment) after
/// `limit`.
fn wait_for(
    limit: Duration,
    what: &str,
    mut cond: impl FnMut() -> bool,
    detail: impl Fn() -> String,
) {
    let deadline = Instant::now() + limit;
    while !cond() {
        assert!(
            Instant::now() < deadline,
            "{what} (after {limit:?}):\n{}",
            detail()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One cluster-mode node with its own directory; killed (and the directory removed) on drop.
struct BusNode {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

impl BusNode {
    fn start() -> BusNode {
        let port = cluster_port();
        let dir = std::env::temp_dir().join(format!("solikv-bus-{}-{port}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("node dir");
        let mut node = BusNode {
            child: None,
            port,
            dir,
        };
        node.spawn();
        node
    }

    fn spawn(&mut self) {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("log"))
            .expect("log");
        let mut cmd = if subject_is_redis() {
            require_tool("redis-server");
            let mut c = Command::new("redis-server");
            c.args(["--save", "", "--appendonly", "no"]);
            c
        } else {
            let mut c = Command::new(env!("CARGO_BIN_EXE_solikv"));
            c.args(["--cores", "1", "--pin", "no"]);
            c
        };
        let timeout = NODE_TIMEOUT_MS.to_string();
        let child = cmd
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--cluster-enabled",
                "yes",
                "--cluster-node-timeout",
                &timeout,
            ])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("spawn node");
        self.child = Some(child);
        let deadline = Instant::now() + DEADLINE;
        while !ping(self.port) {
            let exited = self
                .child
                .as_mut()
                .map(|c| matches!(c.try_wait(), Ok(Some(_))));
            assert_ne!(
                exited,
                Some(true),
                "node exited at start-up:\n{}",
                self.log()
            );
            assert!(Instant::now() < deadline, "no PONG:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// kill -9.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn log(&self) -> String {
        let text = fs::read_to_string(self.dir.join("log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn call(&self, args: &[&str]) -> Value {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let raw = Conn::connect(self.port).call(&args);
        decode(&raw).expect("valid RESP").expect("a whole reply").0
    }

    /// A bulk, verbatim or simple reply as text.
    fn text(&self, args: &[&str]) -> String {
        match self.call(args) {
            v @ (Value::Bulk(_) | Value::Verbatim(_) | Value::Simple(_)) => {
                String::from_utf8_lossy(v.bytes().expect("bytes")).into_owned()
            }
            other => panic!("{args:?}: unexpected reply {other:?}"),
        }
    }

    fn info_field(&self, name: &str) -> String {
        let info = self.text(&["CLUSTER", "INFO"]);
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
            .unwrap_or_default()
    }

    fn myid(&self) -> String {
        self.text(&["CLUSTER", "MYID"])
    }

    /// CLUSTER NODES as (id, flags) pairs.
    fn node_flags(&self) -> Vec<(String, String)> {
        self.text(&["CLUSTER", "NODES"])
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                (f[0].to_string(), f[2].to_string())
            })
            .collect()
    }
}

impl Drop for BusNode {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("--- node {} log ---\n{}", self.port, self.log());
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn ping(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

/// Runs redis-cli with `args`, killed after [`DEADLINE`].
fn redis_cli(args: &[&str]) -> Output {
    require_tool("redis-cli");
    let mut child = Command::new("redis-cli")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn redis-cli");
    let deadline = Instant::now() + DEADLINE;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("redis-cli {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("redis-cli output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Three masters joined by `redis-cli --cluster create`, up on every node.
fn create_cluster() -> Vec<BusNode> {
    let nodes: Vec<BusNode> = (0..3).map(|_| BusNode::start()).collect();
    let addrs: Vec<String> = nodes.iter().map(BusNode::addr).collect();
    let mut args = vec!["--cluster", "create"];
    args.extend(addrs.iter().map(String::as_str));
    args.push("--cluster-yes");
    let out = redis_cli(&args);
    let text = stdout(&out);
    assert!(out.status.success(), "create failed:\n{text}");
    assert!(
        text.contains("[OK] All nodes agree about slots configuration."),
        "{text}"
    );
    assert!(text.contains("[OK] All 16384 slots covered"), "{text}");
    for n in &nodes {
        wait_for(
            DEADLINE,
            "cluster_state never became ok",
            || n.info_field("cluster_state") == "ok",
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
    nodes
}

#[test]
fn create_check_and_cluster_clients() {
    let nodes = create_cluster();
    let check = redis_cli(&["--cluster", "check", &nodes[1].addr()]);
    let text = stdout(&check);
    assert!(check.status.success(), "check failed:\n{text}");
    assert!(text.contains("[OK] All 16384 slots covered"), "{text}");
    assert!(!text.contains("[ERR]"), "{text}");

    // Every node knows the same three masters and the epochs redis-cli gave them.
    let ids: BTreeSet<String> = nodes.iter().map(BusNode::myid).collect();
    for n in &nodes {
        let seen: BTreeSet<String> = n.node_flags().into_iter().map(|(id, _)| id).collect();
        assert_eq!(seen, ids);
        assert_eq!(n.info_field("cluster_known_nodes"), "3");
        assert_eq!(n.info_field("cluster_size"), "3");
    }
    let epochs: BTreeSet<String> = nodes
        .iter()
        .map(|n| n.info_field("cluster_my_epoch"))
        .collect();
    assert_eq!(epochs.len(), 3, "distinct config epochs: {epochs:?}");

    // redis-cli -c follows MOVED from one node for keys in every node's slots.
    let port = nodes[0].port.to_string();
    for i in 0..12 {
        let key = format!("cli-key-{i}");
        let set = redis_cli(&["-c", "-p", &port, "SET", &key, &format!("v{i}")]);
        assert_eq!(stdout(&set).trim(), "OK");
        let get = redis_cli(&["-c", "-p", &nodes[2].port.to_string(), "GET", &key]);
        assert_eq!(stdout(&get).trim(), format!("v{i}"));
    }

    cluster_slots_parse_as_memtier_does(&nodes);
    links_show_both_directions(&nodes);
    redis_crate_cluster_client(&nodes);
    redis_py_cluster_client(&nodes);
}

/// memtier's `--cluster-mode` reads CLUSTER SLOTS as: start and end as integers, then
/// [ip, port (integer), id] per node.
fn cluster_slots_parse_as_memtier_does(nodes: &[BusNode]) {
    let ports: BTreeSet<i64> = nodes.iter().map(|n| i64::from(n.port)).collect();
    for n in nodes {
        let reply = n.call(&["CLUSTER", "SLOTS"]);
        let mut covered = 0;
        for range in reply.items().expect("an array") {
            let f = range.items().expect("a range entry");
            let (Value::Int(start), Value::Int(end)) = (&f[0], &f[1]) else {
                panic!("slot bounds must be integers: {range:?}");
            };
            assert!(0 <= *start && start <= end && *end < 16384);
            covered += end - start + 1;
            let node = f[2].items().expect("node entry");
            assert_eq!(node[0].bytes(), Some(&b"127.0.0.1"[..]));
            let Value::Int(port) = node[1] else {
                panic!("port must be an integer: {node:?}");
            };
            assert!(ports.contains(&port), "port {port} is not a node's");
        }
        assert_eq!(covered, 16384);
    }
}

/// Each node has a link to and a link from each other node.
fn links_show_both_directions(nodes: &[BusNode]) {
    for n in nodes {
        let others: BTreeSet<String> = nodes
            .iter()
            .filter(|o| o.port != n.port)
            .map(BusNode::myid)
            .collect();
        let links = || {
            let mut seen = BTreeSet::new();
            let reply = n.call(&["CLUSTER", "LINKS"]);
            for link in reply.items().unwrap_or_default() {
                let f = link.items().expect("a link");
                let field = |name: &str| {
                    let i = f.iter().position(|v| v.bytes() == Some(name.as_bytes()));
                    String::from_utf8_lossy(f[i.expect(name) + 1].bytes().unwrap_or_default())
                        .into_owned()
                };
                seen.insert((field("direction"), field("node")));
            }
            seen
        };
        let want: BTreeSet<(String, String)> = others
            .iter()
            .flat_map(|id| {
                [
                    ("to".to_string(), id.clone()),
                    ("from".to_string(), id.clone()),
                ]
            })
            .collect();
        wait_for(
            DEADLINE,
            "CLUSTER LINKS never showed every peer both ways",
            || links() == want,
            || format!("{:?}", links()),
        );
    }
}

fn redis_crate_cluster_client(nodes: &[BusNode]) {
    use redis::Commands;
    let urls: Vec<String> = nodes
        .iter()
        .map(|n| format!("redis://{}/", n.addr()))
        .collect();
    // Timeouts turn a node that stopped answering into a failure instead of a hang.
    let client = redis::cluster::ClusterClient::builder(urls)
        .connection_timeout(Duration::from_secs(10))
        .response_timeout(Duration::from_secs(10))
        .build()
        .expect("cluster client");
    let mut conn = client.get_connection().expect("cluster connection");
    for i in 0..10_000 {
        let _: () = conn.set(format!("crate:{i}"), i).expect("SET");
    }
    for i in 0..10_000 {
        let v: i64 = conn.get(format!("crate:{i}")).expect("GET");
        assert_eq!(v, i);
    }
    // The keys are spread over the three nodes.
    for n in nodes {
        let Value::Int(k) = n.call(&["DBSIZE"]) else {
            panic!("DBSIZE is an integer");
        };
        assert!(k > 2000, "node {} holds only {k} keys", n.port);
    }
}

const PY_CLUSTER: &str = r#"
import sys
from redis.cluster import RedisCluster
rc = RedisCluster(host="127.0.0.1", port=int(sys.argv[1]), socket_timeout=10,
                  socket_connect_timeout=10)
pipe = rc.pipeline()
for i in range(10000):
    pipe.set("py:%d" % i, i)
pipe.execute()
pipe = rc.pipeline()
for i in range(10000):
    pipe.get("py:%d" % i)
got = pipe.execute()
bad = [i for i, v in enumerate(got) if v != str(i).encode()]
assert not bad, bad[:5]
assert rc.get("py:1234") == b"1234"
print("ok", len(rc.get_primaries()))
"#;

/// redis-py's RedisCluster (PyPI `redis`, installed by scripts/test.sh).
fn redis_py_cluster_client(nodes: &[BusNode]) {
    let mut child = Command::new("python3")
        .args(["-c", PY_CLUSTER, &nodes[0].port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 must be installed for the redis-py test");
    let deadline = Instant::now() + DEADLINE;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("redis-py did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("python3 output");
    assert!(
        out.status.success(),
        "redis-py RedisCluster failed (scripts/test.sh installs redis-py: \
         `python3 -m pip install redis`):\n{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).trim(), "ok 3");
}

#[test]
fn killed_master_fails_then_rejoins_after_restart() {
    let mut nodes = create_cluster();
    let victim_id = nodes[2].myid();
    let killed = Instant::now();
    nodes[2].kill();
    let fail_limit = Duration::from_millis(2 * NODE_TIMEOUT_MS);
    for n in &nodes[..2] {
        let flagged = || {
            n.node_flags()
                .iter()
                .any(|(id, f)| *id == victim_id && f.split(',').any(|x| x == "fail"))
        };
        let limit = fail_limit.saturating_sub(killed.elapsed());
        wait_for(
            limit,
            "the killed master was not flagged fail",
            flagged,
            || n.text(&["CLUSTER", "NODES"]),
        );
        wait_for(
            fail_limit.saturating_sub(killed.elapsed()) + Duration::from_millis(200),
            "cluster_state did not become fail",
            || n.info_field("cluster_state") == "fail",
            || n.text(&["CLUSTER", "INFO"]),
        );
    }
    // Each survivor holds the other's failure report, kept fresh by gossip.
    for n in &nodes[..2] {
        let reports = || n.call(&["CLUSTER", "COUNT-FAILURE-REPORTS", &victim_id]);
        wait_for(
            DEADLINE,
            "no failure report from the other survivor",
            || reports() == Value::Int(1),
            || format!("{:?}", reports()),
        );
    }
    nodes[2].spawn();
    assert_eq!(
        nodes[2].myid(),
        victim_id,
        "the restarted node keeps its id"
    );
    for n in &nodes {
        wait_for(
            DEADLINE,
            "cluster_state did not come back to ok",
            || n.info_field("cluster_state") == "ok",
            || n.text(&["CLUSTER", "NODES"]),
        );
        assert!(n.node_flags().iter().all(|(_, f)| !f.contains("fail")));
    }

    // A master that can reach no other master is in the minority: it suspects both (PFAIL;
    // FAIL where a report from before the restart is still valid) and stops serving once the
    // node timeout has passed.
    nodes[1].kill();
    nodes[2].kill();
    let survivor = &nodes[0];
    let both_suspected = || {
        let flags = survivor.node_flags();
        flags.iter().filter(|(_, f)| f.contains("fail")).count() == 2
    };
    wait_for(
        DEADLINE,
        "the lone master did not suspect both others",
        both_suspected,
        || survivor.text(&["CLUSTER", "NODES"]),
    );
    assert_eq!(survivor.info_field("cluster_state"), "fail");
    // The data core gets the new routing view asynchronously.
    let down = Value::Error(b"CLUSTERDOWN The cluster is down".to_vec());
    wait_for(
        DEADLINE,
        "writes are still served",
        || survivor.call(&["SET", "k", "v"]) == down,
        || format!("{:?}", survivor.call(&["SET", "k", "v"])),
    );
}

#[test]
fn garbage_on_the_bus_port_and_a_fourth_node_by_gossip() {
    let nodes = create_cluster();
    let bus_port = nodes[0].port + 10000;
    let pongs = |n: &BusNode| {
        n.info_field("cluster_stats_messages_pong_received")
            .parse::<u64>()
            .unwrap_or(0)
    };
    let before = pongs(&nodes[0]);
    let mut junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    junk.extend_from_slice(b"GET / HTTP/1.0\r\n\r\n");
    for payload in [
        &junk[..],
        b"SKVB\x01\x00\x00\x00\x10\x00\x00\x00abcd0123456789abcdef",
    ] {
        let mut s = TcpStream::connect(("127.0.0.1", bus_port)).expect("bus port");
        s.set_read_timeout(Some(DEADLINE)).expect("timeout");
        let _ = s.write_all(payload);
        let mut buf = [0u8; 64];
        assert!(
            matches!(s.read(&mut buf), Ok(0) | Err(_)),
            "the bad link is closed"
        );
    }
    assert!(ping(nodes[0].port));
    wait_for(
        DEADLINE,
        "the node stopped receiving PONGs",
        || pongs(&nodes[0]) > before + 2,
        || nodes[0].text(&["CLUSTER", "INFO"]),
    );
    assert_eq!(nodes[0].info_field("cluster_state"), "ok");

    // A fourth node meets one member; gossip introduces it to the others.
    let mut fourth = BusNode::start();
    let reply = fourth.call(&["CLUSTER", "MEET", "127.0.0.1", &nodes[1].port.to_string()]);
    assert_eq!(reply, Value::Simple(b"OK".to_vec()));
    let mut ids: BTreeSet<String> = nodes.iter().map(BusNode::myid).collect();
    ids.insert(fourth.myid());
    for n in nodes.iter().chain([&fourth]) {
        wait_for(
            DEADLINE,
            "the fourth node did not become known everywhere",
            || {
                let seen = n.node_flags();
                seen.iter().all(|(_, f)| !f.contains("handshake"))
                    && seen.into_iter().map(|(id, _)| id).collect::<BTreeSet<_>>() == ids
            },
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
    wait_for(
        DEADLINE,
        "the fourth node does not see the cluster up",
        || fourth.info_field("cluster_state") == "ok",
        || fourth.text(&["CLUSTER", "INFO"]),
    );

    // Restarted on another port (same nodes.conf), it keeps its id and every node follows
    // the new address.
    let id = fourth.myid();
    fourth.kill();
    fourth.port = cluster_port();
    fourth.spawn();
    assert_eq!(fourth.myid(), id);
    let moved = format!(
        "{id} 127.0.0.1:{}@{} master - ",
        fourth.port,
        fourth.port + 10000
    );
    for n in &nodes {
        wait_for(
            DEADLINE,
            "the new address of the fourth node did not spread",
            || {
                let text = n.text(&["CLUSTER", "NODES"]);
                text.lines()
                    .any(|l| l.starts_with(&moved) && l.ends_with(" connected"))
            },
            || n.text(&["CLUSTER", "NODES"]),
        );
    }
}

#[test]
fn equal_config_epochs_become_distinct_and_dead_handshakes_expire() {
    let nodes: Vec<BusNode> = (0..3).map(|_| BusNode::start()).collect();
    for (n, range) in nodes
        .iter()
        .zip([["0", "5460"], ["5461", "10922"], ["10923", "16383"]])
    {
        let reply = n.call(&["CLUSTER", "ADDSLOTSRANGE", range[0], range[1]]);
        assert_eq!(reply, Value::Simple(b"OK".to_vec()));
        assert_eq!(n.info_field("cluster_my_epoch"), "0");
    }
    // Nobody listens on the fourth address: its handshake times out and the node is dropped.
    let nobody = cluster_port().to_string();
    for port in [
        &nodes[1].port.to_string(),
        &nodes[2].port.to_string(),
        &nobody,
    ] {
        let reply = nodes[0].call(&["CLUSTER", "MEET", "127.0.0.1", port]);
        assert_eq!(reply, Value::Simple(b"OK".to_vec()));
    }
    // CLUSTER NODES as each node sees it: id → config epoch (three lines once the
    // handshake with nobody has expired).
    let epochs = |n: &BusNode| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = n
            .text(&["CLUSTER", "NODES"])
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                (f[0].to_string(), f[6].to_string())
            })
            .collect();
        v.sort();
        v
    };
    let converged = || {
        let first = epochs(&nodes[0]);
        let distinct: BTreeSet<&String> = first.iter().map(|(_, e)| e).collect();
        first.len() == 3
            && distinct.len() == 3
            && nodes
                .iter()
                .all(|n| epochs(n) == first && n.info_field("cluster_state") == "ok")
    };
    wait_for(
        DEADLINE,
        "the config epochs did not become distinct and agreed",
        converged,
        || {
            nodes
                .iter()
                .map(|n| n.text(&["CLUSTER", "NODES"]))
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
}

#[path = "cluster_wide.rs"]
mod cluster_wide;
