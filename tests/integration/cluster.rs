//! Cluster mode with real processes: one node serving every slot, redirects between two nodes
//! whose nodes.conf the test writes (MOVED, ASK/ASKING/TRYAGAIN during a migration, CROSSSLOT,
//! CLUSTERDOWN), `redis-cli -c` following a MOVED, restarts keeping the node id and slots, and
//! a corrupt nodes.conf stopping start-up.
//!
//! Nodes run in a directory the test owns (nodes.conf lives there) on a port whose bus port
//! (+10000) is free too. With `SOLIKV_TEST_SERVER=redis` the same tests run against
//! redis-server, which validates them (its cluster bus connects the two nodes; SoliKV's bus
//! is a separate piece).

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::differential::run_on;
use super::harness::{require_tool, subject_is_redis, Pair, Server};
use super::resp::Conn;

const DEADLINE: Duration = Duration::from_secs(20);

/// A free port below 55535 whose bus port (+10000) is free as well.
pub fn cluster_port() -> u16 {
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        if port < 55535 && TcpListener::bind(("127.0.0.1", port + 10000)).is_ok() {
            return port;
        }
    }
}

/// A scratch directory removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!(
            "solikv-cluster-{tag}-{}-{}",
            std::process::id(),
            cluster_port()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create dir");
        Dir(dir)
    }

    fn nodes_conf(&self) -> PathBuf {
        self.0.join("nodes.conf")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// One cluster-mode node, killed on drop.
struct Node {
    child: Child,
    port: u16,
    log: PathBuf,
}

fn spawn(dir: &Path, port: u16) -> Child {
    spawn_as(subject_is_redis(), dir, port)
}

/// Spawns redis-server (`redis`) or solikv as a cluster node.
fn spawn_as(redis: bool, dir: &Path, port: u16) -> Child {
    let log = fs::File::create(dir.join(format!("node-{port}.log"))).expect("log");
    let mut cmd = if redis {
        require_tool("redis-server");
        let mut c = Command::new("redis-server");
        c.args(["--save", "", "--appendonly", "no"]);
        c
    } else {
        let mut c = Command::new(env!("CARGO_BIN_EXE_solikv"));
        c.args(["--cores", "2", "--pin", "no"]);
        c
    };
    cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--cluster-enabled", "yes", "--cluster-node-timeout", "5000"])
        .arg("--dir")
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("spawn node")
}

impl Node {
    fn start(dir: &Path, port: u16) -> Node {
        Node::start_as(subject_is_redis(), dir, port)
    }

    fn start_as(redis: bool, dir: &Path, port: u16) -> Node {
        let mut node = Node {
            child: spawn_as(redis, dir, port),
            port,
            log: dir.join(format!("node-{port}.log")),
        };
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Ok(Some(status)) = node.child.try_wait() {
                panic!("node exited at start-up ({status}): {}", node.log());
            }
            if ping(port) {
                return node;
            }
            assert!(
                Instant::now() < deadline,
                "node did not start: {}",
                node.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn conn(&self) -> Conn {
        Conn::connect(self.port)
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// One command, its raw reply as text.
    fn call(&self, line: &str) -> String {
        let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        String::from_utf8_lossy(&self.conn().call(&args)).into_owned()
    }

    /// A field of CLUSTER INFO.
    fn info_field(&self, name: &str) -> String {
        let info = self.call("CLUSTER INFO");
        info.split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
            .unwrap_or_default()
    }

    /// Waits until CLUSTER INFO shows `cluster_state:<want>`.
    fn wait_state(&self, want: &str) {
        let deadline = Instant::now() + DEADLINE;
        while self.info_field("cluster_state") != want {
            assert!(
                Instant::now() < deadline,
                "cluster_state never became {want}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `line` is answered with `want`.
    fn wait_reply(&self, line: &str, want: &str) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let got = self.call(line);
            if got == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{line}: still {got:?}, want {want:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn myid(&self) -> String {
        let reply = self.call("CLUSTER MYID");
        reply.lines().nth(1).unwrap_or_default().to_string()
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- node {} log ---\n{}", self.port, self.log());
        }
    }
}

/// Whether a PING on a fresh connection gets PONG (any failure: not yet).
fn ping(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut reply = [0u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
}

/// A key whose slot satisfies `pred`, with its slot.
fn key_where(prefix: &str, pred: impl Fn(u16) -> bool) -> (String, u16) {
    (0..1_000_000)
        .map(|i| format!("{prefix}{i}"))
        .map(|k| {
            let slot = solikv::topology::key_slot(k.as_bytes()).0;
            (k, slot)
        })
        .find(|(_, s)| pred(*s))
        .expect("a key")
}

/// Hex node ids for hand-written nodes.conf files.
const ID_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const ID_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";

/// nodes.conf for a node `me` of a two-node cluster: A on `pa` owns `a_slots`, B on `pb`
/// owns the rest.
fn two_node_conf(me: &str, pa: u16, pb: u16, a_slots: &str, b_slots: &str) -> String {
    let flags = |id: &str| {
        if id == me {
            "myself,master"
        } else {
            "master"
        }
    };
    let line = |id: &str, port: u16, epoch: u32, slots: &str| {
        let line = format!(
            "{id} 127.0.0.1:{port}@{} {} - 0 0 {epoch} connected {slots}",
            port + 10000,
            flags(id)
        );
        line.trim_end().to_string()
    };
    format!(
        "{}\n{}\nvars currentEpoch 2 lastVoteEpoch 0\n",
        line(ID_A, pa, 1, a_slots),
        line(ID_B, pb, 2, b_slots)
    )
}

/// Two nodes from hand-written nodes.conf files.
fn two_nodes(a_slots: &str, b_slots: &str) -> (Dir, Dir, Node, Node) {
    let (da, db) = (Dir::new("a"), Dir::new("b"));
    let (pa, pb) = (cluster_port(), cluster_port());
    fs::write(
        da.nodes_conf(),
        two_node_conf(ID_A, pa, pb, a_slots, b_slots),
    )
    .unwrap();
    fs::write(
        db.nodes_conf(),
        two_node_conf(ID_B, pa, pb, a_slots, b_slots),
    )
    .unwrap();
    let a = Node::start(&da.0, pa);
    let b = Node::start(&db.0, pb);
    (da, db, a, b)
}

#[test]
fn single_node_serves_every_slot() {
    let dir = Dir::new("single");
    let n = Node::start(&dir.0, cluster_port());
    assert_eq!(n.call("GET foo"), "-CLUSTERDOWN Hash slot not served\r\n");
    assert!(n.call("INFO cluster").contains("cluster_enabled:1\r\n"));
    assert_eq!(n.call("CLUSTER ADDSLOTSRANGE 0 100"), "+OK\r\n");
    let (low, low_slot) = key_where("k", |s| s <= 100);
    n.wait_state("fail");
    assert_eq!(
        n.call(&format!("GET {low}")),
        "-CLUSTERDOWN The cluster is down\r\n"
    );
    n.call("CONFIG SET cluster-allow-reads-when-down yes");
    n.wait_reply(&format!("GET {low}"), "$-1\r\n");
    assert_eq!(
        n.call(&format!("SET {low} v")),
        "-CLUSTERDOWN The cluster is down and only accepts read commands\r\n"
    );
    n.call("CONFIG SET cluster-allow-reads-when-down no");
    n.call("CONFIG SET cluster-require-full-coverage no");
    n.wait_state("ok");
    assert_eq!(n.call(&format!("SET {low} v")), "+OK\r\n");
    // redis-server re-evaluates a healthy cluster's state only on a change, so turning full
    // coverage back on waits for the slots being added below.
    n.call("CONFIG SET cluster-require-full-coverage yes");
    assert_eq!(n.call("CLUSTER ADDSLOTSRANGE 101 16383"), "+OK\r\n");
    n.wait_state("ok");
    assert_eq!(n.info_field("cluster_slots_assigned"), "16384");
    let mut c = n.conn();
    assert_eq!(c.call(&[b"SET", low.as_bytes(), b"v"]), b"+OK\r\n");
    assert_eq!(c.call(&[b"GET", low.as_bytes()]), b"$1\r\nv\r\n");
    assert_eq!(
        c.call(&[b"MSET", b"a", b"1", b"b", b"2"]),
        b"-CROSSSLOT Keys in request don't hash to the same slot\r\n"
    );
    assert_eq!(c.call(&[b"MSET", b"{t}a", b"1", b"{t}b", b"2"]), b"+OK\r\n");
    assert_eq!(
        c.call(&[b"MGET", b"{t}a", b"{t}b"]),
        b"*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    );
    assert_eq!(
        c.call(&[b"SELECT", b"1"]),
        b"-ERR SELECT is not allowed in cluster mode\r\n"
    );
    let t_slot = solikv::topology::key_slot(b"{t}").0;
    assert_eq!(
        n.call(&format!("CLUSTER COUNTKEYSINSLOT {t_slot}")),
        ":2\r\n"
    );
    let keys = n.call(&format!("CLUSTER GETKEYSINSLOT {t_slot} 10"));
    assert!(keys.starts_with("*2\r\n") && keys.contains("{t}a") && keys.contains("{t}b"));
    assert_eq!(
        n.call(&format!("CLUSTER KEYSLOT {low}")),
        format!(":{low_slot}\r\n")
    );
    let nodes = n.call("CLUSTER NODES");
    let id = n.myid();
    assert!(
        nodes.contains(" myself,master - 0 ") && nodes.contains(&id),
        "{nodes}"
    );
    assert!(nodes.ends_with(" connected 0-16383\n\r\n"), "{nodes}");
    assert_eq!(c.call(&[b"READONLY"]), b"+OK\r\n");
    assert_eq!(c.call(&[b"READWRITE"]), b"+OK\r\n");
}

#[test]
fn moved_between_two_nodes_and_redis_cli_follows_it() {
    let (_da, _db, a, b) = two_nodes("0-8191", "8192-16383");
    a.wait_state("ok");
    b.wait_state("ok");
    let (key, slot) = key_where("m", |s| s >= 8192);
    assert_eq!(
        a.call(&format!("GET {key}")),
        format!("-MOVED {slot} 127.0.0.1:{}\r\n", b.port)
    );
    assert_eq!(a.myid(), ID_A);
    assert_eq!(a.info_field("cluster_known_nodes"), "2");
    let slots = a.call("CLUSTER SLOTS");
    assert!(slots.starts_with(&format!(
        "*2\r\n*3\r\n:0\r\n:8191\r\n*4\r\n$9\r\n127.0.0.1\r\n:{}\r\n$40\r\n{ID_A}\r\n",
        a.port
    )));
    require_tool("redis-cli");
    let cli = |args: &[&str]| {
        let out = Command::new("redis-cli")
            .args(["-c", "-h", "127.0.0.1", "-p", &a.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(cli(&["SET", &key, "followed"]), "OK\n");
    assert_eq!(cli(&["GET", &key]), "followed\n");
    assert_eq!(b.call(&format!("GET {key}")), "$8\r\nfollowed\r\n");
    let check = Command::new("redis-cli")
        .args(["--cluster", "check", &format!("127.0.0.1:{}", a.port)])
        .output()
        .expect("redis-cli --cluster check");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(
        report.contains("[OK] All nodes agree about slots configuration."),
        "{report}"
    );
    assert!(report.contains("[OK] All 16384 slots covered."), "{report}");
}

#[test]
fn ask_asking_and_tryagain_during_a_migration() {
    let (_da, _db, a, b) = two_nodes("0-16383", "");
    a.wait_state("ok");
    b.wait_state("ok");
    let (k1, slot) = key_where("{mig}", |_| true);
    let k2 = "{mig}other".to_string();
    assert_eq!(a.call(&format!("SET {k1} v")), "+OK\r\n");
    assert_eq!(
        a.call(&format!("CLUSTER SETSLOT {slot} MIGRATING {ID_B}")),
        "+OK\r\n"
    );
    assert_eq!(
        b.call(&format!("CLUSTER SETSLOT {slot} IMPORTING {ID_A}")),
        "+OK\r\n"
    );
    let ask = format!("-ASK {slot} 127.0.0.1:{}\r\n", b.port);
    assert_eq!(a.call(&format!("GET {k1}")), "$1\r\nv\r\n");
    assert_eq!(a.call(&format!("GET {k2}")), ask);
    assert_eq!(
        a.call(&format!("MGET {k1} {k2}")),
        "-TRYAGAIN Multiple keys request during rehashing of slot\r\n"
    );
    let moved = format!("-MOVED {slot} 127.0.0.1:{}\r\n", a.port);
    assert_eq!(b.call(&format!("GET {k2}")), moved);
    let mut c = b.conn();
    let get = [b"GET".as_slice(), k2.as_bytes()];
    assert_eq!(c.call(&[b"ASKING"]), b"+OK\r\n");
    assert_eq!(c.call(&get), b"$-1\r\n");
    assert_eq!(c.call(&get), moved.as_bytes(), "ASKING lasts one command");
    assert_eq!(c.call(&[b"ASKING"]), b"+OK\r\n");
    assert_eq!(c.call(&[b"PING"]), b"+PONG\r\n");
    assert_eq!(c.call(&get), moved.as_bytes());
    assert_eq!(c.call(&[b"ASKING"]), b"+OK\r\n");
    assert_eq!(c.call(&[b"SET", k2.as_bytes(), b"new"]), b"+OK\r\n");
    assert_eq!(c.call(&[b"ASKING"]), b"+OK\r\n");
    assert_eq!(
        c.call(&[b"MGET", k2.as_bytes(), b"{mig}missing"]),
        b"-TRYAGAIN Multiple keys request during rehashing of slot\r\n"
    );
    let nodes = a.call("CLUSTER NODES");
    assert!(nodes.contains(&format!("[{slot}->-{ID_B}]")), "{nodes}");
    let nodes = b.call("CLUSTER NODES");
    assert!(nodes.contains(&format!("[{slot}-<-{ID_A}]")), "{nodes}");
    assert_eq!(a.call(&format!("CLUSTER SETSLOT {slot} STABLE")), "+OK\r\n");
    assert_eq!(a.call(&format!("GET {k2}")), "$-1\r\n");
}

#[test]
fn restart_keeps_node_id_epoch_and_slots() {
    let dir = Dir::new("restart");
    let n = Node::start(&dir.0, cluster_port());
    let id = n.myid();
    assert_eq!(n.call("CLUSTER ADDSLOTSRANGE 0 999 2000 2999"), "+OK\r\n");
    assert_eq!(n.call("CLUSTER BUMPEPOCH"), "+BUMPED 1\r\n");
    assert_eq!(n.call("CLUSTER SAVECONFIG"), "+OK\r\n");
    let saved = fs::read_to_string(dir.nodes_conf()).expect("nodes.conf written");
    assert!(
        saved.contains(&id) && saved.contains("myself,master"),
        "{saved}"
    );
    n.kill();
    // A fresh port: the old one may already serve as another test's ephemeral client port.
    let n = Node::start(&dir.0, cluster_port());
    assert_eq!(n.myid(), id);
    assert_eq!(n.info_field("cluster_my_epoch"), "1");
    assert_eq!(n.info_field("cluster_slots_assigned"), "2000");
    assert!(n.call("CLUSTER NODES").contains(" 0-999 2000-2999\n"));
}

#[test]
fn corrupt_nodes_conf_stops_start_up() {
    let dir = Dir::new("corrupt");
    let garbage = "this is not a nodes.conf line\n";
    fs::write(dir.nodes_conf(), garbage).unwrap();
    let mut child = spawn(&dir.0, cluster_port());
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a node with a corrupt nodes.conf kept running");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
    assert_eq!(fs::read_to_string(dir.nodes_conf()).unwrap(), garbage);
}

/// The same commands on a SoliKV node and a redis-server node started from the same
/// nodes.conf (one id, announced on the same ports) get byte-identical replies.
#[test]
fn single_node_replies_match_redis() {
    let conf = format!(
        "{ID_A} :0@0 myself,master - 0 0 0 connected\nvars currentEpoch 0 lastVoteEpoch 0\n"
    );
    let lines = [
        "CONFIG SET cluster-announce-port 7000",
        "CONFIG SET cluster-announce-bus-port 17000",
        "CLUSTER MYID",
        "CLUSTER NODES",
        "CLUSTER SLOTS",
        "CLUSTER SHARDS",
        "CLUSTER ADDSLOTS 5 6 7 100",
        "CLUSTER ADDSLOTSRANGE 200 300 1000 2000",
        "CLUSTER ADDSLOTS 6",
        "CLUSTER DELSLOTS 7",
        "CLUSTER DELSLOTSRANGE 1000 1500",
        "CLUSTER NODES",
        "CLUSTER SLOTS",
        "CLUSTER SHARDS",
        "CLUSTER COUNTKEYSINSLOT 5",
        "CLUSTER GETKEYSINSLOT 5 10",
        "CLUSTER KEYSLOT somekey",
        "CLUSTER COUNT-FAILURE-REPORTS aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
        "CLUSTER REPLICAS aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
        "CLUSTER SETSLOT 5 MIGRATING aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
        "CLUSTER NODES",
        "CLUSTER SETSLOT 5 STABLE",
        "CLUSTER BUMPEPOCH",
        "CLUSTER BUMPEPOCH",
        "CLUSTER SET-CONFIG-EPOCH 9",
        "CONFIG SET cluster-announce-hostname node-a.example",
        "CONFIG SET cluster-announce-ip 10.9.8.7",
        "CLUSTER NODES",
        "CLUSTER SLOTS",
        "CLUSTER SHARDS",
        "CONFIG SET cluster-preferred-endpoint-type hostname",
        "CLUSTER SLOTS",
        "CLUSTER SHARDS",
        "CONFIG SET cluster-preferred-endpoint-type unknown-endpoint",
        "CLUSTER SLOTS",
        "CLUSTER SHARDS",
        "CONFIG GET cluster-announce-ip",
        "CONFIG GET cluster-preferred-endpoint-type",
        "CLUSTER HELP",
        "CLUSTER FLUSHSLOTS",
        "CLUSTER NODES",
        "CLUSTER RESET SOFT",
        "CLUSTER NODES",
    ];
    for proto in ["2", "3"] {
        let (_dirs, ours, oracle) = same_node_pair(&conf, "diff");
        let (mut s, mut r) = (ours.conn(), oracle.conn());
        s.call(&[b"HELLO", proto.as_bytes()]);
        r.call(&[b"HELLO", proto.as_bytes()]);
        for line in lines {
            let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
            let (got, want) = (s.call(&args), r.call(&args));
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "RESP{proto}: {line}"
            );
        }
    }
}

/// The node under test and a redis-server node, each started from the same nodes.conf text
/// (so both have one node id), with their directories.
fn same_node_pair(conf: &str, tag: &str) -> ((Dir, Dir), Node, Node) {
    let (ds, dr) = (Dir::new(&format!("{tag}-s")), Dir::new(&format!("{tag}-r")));
    fs::write(ds.nodes_conf(), conf).unwrap();
    fs::write(dr.nodes_conf(), conf).unwrap();
    let ours = Node::start_as(subject_is_redis(), &ds.0, cluster_port());
    let oracle = Node::start_as(true, &dr.0, cluster_port());
    ((ds, dr), ours, oracle)
}

/// A node owning every slot, against a redis-server one: EXEC's cross-slot check counts
/// SPUBLISH's shard channel like a key, and a slot set MIGRATING to the node itself is served
/// here (its ASK would point back at it).
#[test]
fn exec_shard_channels_and_migrating_to_itself_match_redis() {
    let conf = format!(
        "{ID_A} :0@0 myself,master - 0 0 0 connected\nvars currentEpoch 0 lastVoteEpoch 0\n"
    );
    let lines = [
        "CLUSTER ADDSLOTSRANGE 0 16383",
        "MULTI",
        "GET k1",
        "SPUBLISH k2 x",
        "EXEC",
        "MULTI",
        "SPUBLISH k1 x",
        "SPUBLISH k2 x",
        "EXEC",
        "MULTI",
        "SET k1 v",
        "SPUBLISH k1 x",
        "EXEC",
        "DEL k1",
        &format!("CLUSTER SETSLOT 12706 MIGRATING {ID_A}"),
        "GET k1",
        "SET k1 v",
        "GET k1",
        "MGET k1 {k1}x",
        "CLUSTER SETSLOT 12706 STABLE",
        "GET k1",
    ];
    let (_dirs, ours, oracle) = same_node_pair(&conf, "exec");
    let (mut s, mut r) = (ours.conn(), oracle.conn());
    for (i, line) in lines.iter().enumerate() {
        let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        let (got, want) = (s.call(&args), r.call(&args));
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{line}"
        );
        if i == 0 {
            ours.wait_state("ok");
            oracle.wait_state("ok");
        }
    }
}

/// The random differential streams in cluster mode, against a redis-server cluster node: one
/// node owning every slot, so multi-key commands over several slots meet CROSSSLOT (and its
/// precedence over other errors) on both sides.
#[test]
fn differential_streams_in_cluster_mode() {
    let bus = (cluster_port() + 10000).to_string();
    let subject = Server::start(&[
        "--cores",
        "2",
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        &bus,
    ]);
    let bus = cluster_port() + 10000;
    let oracle = Server::oracle_with(&[
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        &bus.to_string(),
    ]);
    for server in [&subject, &oracle] {
        let mut c = server.conn();
        assert_eq!(
            c.call(&[b"CLUSTER", b"ADDSLOTSRANGE", b"0", b"16383"]),
            b"+OK\r\n"
        );
        let deadline = Instant::now() + DEADLINE;
        loop {
            let info = c.call(&[b"CLUSTER", b"INFO"]);
            if String::from_utf8_lossy(&info).contains("cluster_state:ok") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} never reached cluster_state:ok",
                server.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let pair = Pair { subject, oracle };
    run_on(&pair, 2);
    run_on(&pair, 3);
}

#[path = "pubsub_cluster.rs"]
mod pubsub_cluster;
