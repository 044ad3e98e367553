//! Test servers and paired connections.
//!
//! [`Server::start`] spawns the server under test: the `solikv` binary, or redis-server in its
//! place when `SOLIKV_TEST_SERVER=redis` (which validates the tests themselves against the
//! oracle). [`Server::oracle`] always spawns redis-server, the behaviour SoliKV must match byte
//! for byte. Every server gets a free loopback port, its own scratch directory as working
//! directory, and a log file that is printed if the test fails; it is killed on drop.
//!
//! [`Pair`] runs both side by side and [`DiffConn`] sends each request to both and asserts the
//! replies are identical.

use std::fs::{self, File};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::resp::{encode, escape, Conn};

/// How long a server may take to answer its first PING.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// Attempts at starting a server, in case another process grabbed the free port in between.
const START_ATTEMPTS: usize = 3;
/// How much of a server's log a failing test prints.
const LOG_TAIL_LINES: usize = 60;
/// Command-line flags that only SoliKV knows, each followed by one value; they are dropped
/// when redis-server stands in for SoliKV.
const SOLIKV_ONLY_FLAGS: &[&str] = &["--cores", "--pin", "--shards"];

/// Returns a port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local_addr").port()
}

/// Panics with installation advice unless `tool` can be executed.
pub fn require_tool(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{tool}` is required by the integration tests (redis-server is the oracle): \
         install it with `apt-get install redis-server redis-tools`"
    );
}

/// Whether `SOLIKV_TEST_SERVER=redis` asks for redis-server in place of SoliKV.
pub fn subject_is_redis() -> bool {
    std::env::var("SOLIKV_TEST_SERVER").is_ok_and(|v| v == "redis")
}

/// A running server process, killed on drop.
pub struct Server {
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
    /// What it is, for messages: "solikv" or "redis-server".
    pub name: &'static str,
    dir: PathBuf,
    log: PathBuf,
}

impl Server {
    /// Starts the server under test with `extra` flags (SoliKV syntax).
    pub fn start(extra: &[&str]) -> Server {
        if subject_is_redis() {
            let mut kept = Vec::new();
            let mut it = extra.iter();
            while let Some(flag) = it.next() {
                if SOLIKV_ONLY_FLAGS.contains(flag) {
                    it.next();
                } else {
                    kept.push(*flag);
                }
            }
            return Server::oracle_with(&kept);
        }
        let mut args = Vec::new();
        if !extra.contains(&"--cores") {
            args.extend(["--cores", "1"]);
        }
        if !extra.contains(&"--pin") {
            args.extend(["--pin", "no"]);
        }
        args.extend_from_slice(extra);
        Server::spawn("solikv", env!("CARGO_BIN_EXE_solikv"), &[], &args)
    }

    /// Starts the redis-server oracle.
    pub fn oracle() -> Server {
        Server::oracle_with(&[])
    }

    /// Starts the redis-server oracle with extra flags (such as `--requirepass pw`).
    pub fn oracle_with(extra: &[&str]) -> Server {
        require_tool("redis-server");
        let base = ["--save", "", "--appendonly", "no", "--daemonize", "no"];
        Server::spawn("redis-server", "redis-server", &base, extra)
    }

    fn spawn(name: &'static str, program: &str, base: &[&str], extra: &[&str]) -> Server {
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let dir = scratch_dir();
            let log = dir.join("server.log");
            let log_file = File::create(&log).expect("create server log");
            let child = Command::new(program)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(base)
                .args(extra)
                .current_dir(&dir)
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().expect("clone log handle"))
                .stderr(log_file)
                .spawn()
                .unwrap_or_else(|e| panic!("spawning {program}: {e}"));
            let mut server = Server {
                child,
                port,
                name,
                dir,
                log,
            };
            match server.wait_ready() {
                Ok(()) => return server,
                Err(e) => last_error = format!("{e}\n--- {name} log ---\n{}", server.log()),
            }
        }
        panic!("{name} did not start after {START_ATTEMPTS} attempts: {last_error}");
    }

    /// Polls with PING until the server answers (PONG, or NOAUTH when a password is set).
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().map_err(|e| e.to_string())? {
                return Err(format!("{} exited during startup: {status}", self.name));
            }
            if let Ok(reply) = ping(self.port) {
                if reply.starts_with(b"+PONG") || reply.starts_with(b"-NOAUTH") {
                    return Ok(());
                }
                return Err(format!("unexpected PING reply \"{}\"", escape(&reply)));
            }
            if Instant::now() >= deadline {
                return Err(format!("no PONG within {STARTUP_TIMEOUT:?}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A raw RESP connection.
    pub fn conn(&self) -> Conn {
        Conn::connect(self.port)
    }

    /// A `redis` crate client for this server.
    pub fn client(&self) -> redis::Client {
        redis::Client::open(format!("redis://127.0.0.1:{}/", self.port)).expect("redis client")
    }

    /// A synchronous `redis` crate connection.
    pub fn redis_conn(&self) -> redis::Connection {
        self.client()
            .get_connection_with_timeout(Duration::from_secs(10))
            .expect("redis connection")
    }

    /// The last [`LOG_TAIL_LINES`] lines of the server's output so far.
    pub fn log(&self) -> String {
        match fs::read(&self.log) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let lines: Vec<&str> = text.lines().collect();
                lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
            }
            Err(e) => format!("(log unreadable: {e})"),
        }
    }

    /// Whether the process is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- {} (port {}) log ---\n{}",
                self.name,
                self.port,
                self.log()
            );
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// One PING on a fresh connection, with short timeouts.
fn ping(port: u16) -> std::io::Result<Vec<u8>> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(200))?;
    stream.set_read_timeout(Some(Duration::from_millis(500)))?;
    stream.write_all(b"PING\r\n")?;
    let mut reply = Vec::new();
    let mut chunk = [0u8; 256];
    while !reply.ends_with(b"\r\n") {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        reply.extend_from_slice(&chunk[..n]);
    }
    Ok(reply)
}

/// A fresh, empty directory under the system temp dir.
fn scratch_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("solikv-it-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The server under test and the oracle, started with the same flags.
pub struct Pair {
    pub subject: Server,
    pub oracle: Server,
}

impl Pair {
    /// Starts both; `extra` uses SoliKV syntax and is passed to the oracle minus SoliKV-only
    /// flags.
    pub fn start(extra: &[&str]) -> Pair {
        let subject = Server::start(extra);
        let mut oracle_flags = Vec::new();
        let mut it = extra.iter();
        while let Some(flag) = it.next() {
            if SOLIKV_ONLY_FLAGS.contains(flag) {
                it.next();
            } else {
                oracle_flags.push(*flag);
            }
        }
        Pair {
            subject,
            oracle: Server::oracle_with(&oracle_flags),
        }
    }

    /// A connection to each.
    pub fn conns(&self) -> DiffConn {
        DiffConn {
            subject: self.subject.conn(),
            oracle: self.oracle.conn(),
        }
    }
}

/// One connection to the server under test and one to the oracle, driven in lockstep.
pub struct DiffConn {
    pub subject: Conn,
    pub oracle: Conn,
}

impl DiffConn {
    /// Sends raw bytes to both and reads `replies` replies from each, asserting they match.
    pub fn check_raw(&mut self, bytes: &[u8], replies: usize) -> Vec<Vec<u8>> {
        self.subject.send(bytes);
        self.oracle.send(bytes);
        (0..replies)
            .map(|i| {
                let got = self.subject.read_reply();
                let want = self.oracle.read_reply();
                assert_eq!(
                    escape(&got),
                    escape(&want),
                    "reply #{i} to \"{}\" differs (left: subject, right: oracle)",
                    escape(bytes)
                );
                got
            })
            .collect()
    }

    /// Sends one command to both, asserts identical replies, returns the reply.
    pub fn check(&mut self, args: &[&[u8]]) -> Vec<u8> {
        self.check_raw(&encode(args), 1).remove(0)
    }

    /// [`DiffConn::check`] with string arguments.
    pub fn check_str(&mut self, args: &[&str]) -> Vec<u8> {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.check(&args)
    }

    /// Checks a series of commands, each written as words (see [`words`]).
    pub fn check_all(&mut self, lines: &[&str]) {
        for line in lines {
            let words = words(line);
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            self.check_str(&words);
        }
    }

    /// Sends one command to both and returns both raw replies without comparing them.
    pub fn both(&mut self, args: &[&[u8]]) -> (Vec<u8>, Vec<u8>) {
        let req = encode(args);
        self.subject.send(&req);
        self.oracle.send(&req);
        (self.subject.read_reply(), self.oracle.read_reply())
    }
}

/// Splits a command line at whitespace; single quotes group words (`'a b'`, `''` is empty).
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '\'' => {
                quoted = !quoted;
                current.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(word) = current.take() {
                    out.push(word);
                }
            }
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(!quoted, "unbalanced quote in test command {line:?}");
    out.extend(current);
    out
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(words("SET k 'a b'  ''"), ["SET", "k", "a b", ""]);
    assert_eq!(words(" GET  k "), ["GET", "k"]);
}

/// The oracle tools must be installed: the suite fails rather than skips without them.
#[test]
fn oracle_tools_are_installed_and_start() {
    require_tool("redis-server");
    require_tool("redis-cli");
    let oracle = Server::oracle();
    assert_eq!(
        oracle.conn().call(&[b"PING"]),
        b"+PONG\r\n",
        "{}",
        oracle.name
    );
}
