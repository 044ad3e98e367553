//! `scripts/cluster.sh`, the counterpart of Redis's create-cluster utility, run as a user
//! would: `start 6` brings up six SoliKV nodes (the binary under test), `create 6 1` joins them
//! with `redis-cli --cluster create` as three masters with a replica each, and `stop 6` ends
//! them. The cluster is then checked with `redis-cli --cluster check` and through the nodes'
//! own CLUSTER NODES (every node sees three masters with slots and three replicas).
//! SoliKV-only: with `SOLIKV_TEST_SERVER=redis` there is nothing to test (the script starts
//! solikv with solikv's flags).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::harness::{require_tool, subject_is_redis};

const NODES: u16 = 6;

/// A base port whose nodes' ports (base+1 .. base+6) and bus ports (+10000) are all free.
fn free_base() -> u16 {
    let offset = (std::process::id() % 400) as u16 * 10;
    (0..400u16)
        .map(|i| 41_000 + (offset + i * 10) % 4_000)
        .find(|&base| {
            (1..=NODES).all(|i| {
                TcpListener::bind(("127.0.0.1", base + i)).is_ok()
                    && TcpListener::bind(("127.0.0.1", base + i + 10_000)).is_ok()
            })
        })
        .expect("a free range of ports for six nodes")
}

fn script(base: u16, dir: &Path, args: &[&str]) -> Output {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Command::new("bash")
        .arg(root.join("scripts/cluster.sh"))
        .args(args)
        .env("BASE", base.to_string())
        .env("DIR", dir)
        .env("SOLIKV", env!("CARGO_BIN_EXE_solikv"))
        .env("TIMEOUT", "1500")
        .stdin(Stdio::null())
        .output()
        .expect("run scripts/cluster.sh")
}

fn cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .arg("-p")
        .arg(port.to_string())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run redis-cli");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (masters with slots, replicas of a known master) in one node's CLUSTER NODES.
fn roles(port: u16) -> (usize, usize) {
    let text = cli(port, &["CLUSTER", "NODES"]);
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split(' ').collect())
        .filter(|f: &Vec<&str>| f.len() >= 8)
        .collect();
    let master_ids: Vec<&str> = lines
        .iter()
        .filter(|f| f[2].contains("master") && f.len() > 8)
        .map(|f| f[0])
        .collect();
    let replicas = lines
        .iter()
        .filter(|f| f[2].contains("slave") && master_ids.contains(&f[3]))
        .count();
    (master_ids.len(), replicas)
}

/// Stops the nodes even when an assertion fails.
struct Stop<'a>(u16, &'a Path);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        script(self.0, self.1, &["stop", "6"]);
        let _ = std::fs::remove_dir_all(self.1);
    }
}

#[test]
fn cluster_script_starts_creates_and_stops_six_nodes() {
    if subject_is_redis() {
        return;
    }
    require_tool("redis-cli");
    let base = free_base();
    let dir = std::env::temp_dir().join(format!("solikv-cluster-sh-{}", std::process::id()));
    let _stop = Stop(base, &dir);

    let started = script(base, &dir, &["start", "6"]);
    assert!(started.status.success(), "start: {started:?}");
    for i in 1..=NODES {
        assert_eq!(cli(base + i, &["PING"]).trim(), "PONG", "node {}", base + i);
        assert!(dir.join((base + i).to_string()).join("pid").exists());
    }

    let created = script(base, &dir, &["create", "6", "1"]);
    let text = String::from_utf8_lossy(&created.stdout);
    assert!(created.status.success(), "create:\n{text}");
    assert!(text.contains("[OK] All 16384 slots covered"), "{text}");

    let deadline = Instant::now() + Duration::from_secs(20);
    for i in 1..=NODES {
        let port = base + i;
        while roles(port) != (3, 3) || !cli(port, &["CLUSTER", "INFO"]).contains("cluster_state:ok")
        {
            assert!(
                Instant::now() < deadline,
                "node {port} never saw 3 masters and 3 replicas with cluster_state:ok:\n{}",
                cli(port, &["CLUSTER", "NODES"])
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let check = Command::new("redis-cli")
        .args(["--cluster", "check", &format!("127.0.0.1:{}", base + 1)])
        .stdin(Stdio::null())
        .output()
        .expect("redis-cli --cluster check");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "check:\n{text}");
    assert!(text.contains("[OK] All 16384 slots covered"), "{text}");
    assert!(!text.contains("[ERR]"), "{text}");

    let stopped = script(base, &dir, &["stop", "6"]);
    assert!(stopped.status.success(), "stop: {stopped:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    for i in 1..=NODES {
        while cli(base + i, &["PING"]).trim() == "PONG" {
            assert!(
                Instant::now() < deadline,
                "node {} still up after stop",
                base + i
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(!dir.join((base + i).to_string()).join("pid").exists());
    }
}
