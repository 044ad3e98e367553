//! The server under test driven by the real `redis-cli` binary, its output compared with what
//! the same invocation prints against the oracle: one-shot commands in raw and formatted
//! modes, RESP3, and `--pipe` mass insertion.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::harness::{require_tool, Pair, Server};
use super::resp::{encode, Conn, Value};

/// How long one redis-cli invocation may run.
const CLI_TIMEOUT: Duration = Duration::from_secs(60);

/// What one redis-cli run printed.
#[derive(Debug, PartialEq, Eq)]
struct Output {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// Runs `redis-cli -p PORT args...` feeding `stdin`, killed if it outlives [`CLI_TIMEOUT`].
fn redis_cli(server: &Server, args: &[&str], stdin: &[u8]) -> Output {
    require_tool("redis-cli");
    let mut child = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &server.port.to_string()])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn redis-cli");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let mut err = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + CLI_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait redis-cli") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("redis-cli {args:?} did not finish within {CLI_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    writer.join().expect("stdin writer");
    Output {
        stdout: String::from_utf8_lossy(&reader.join().expect("stdout reader")).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned(),
        code: status.code(),
    }
}

/// Runs the same invocation against both servers and asserts identical output.
fn same_output(pair: &Pair, args: &[&str], stdin: &[u8]) -> Output {
    let got = redis_cli(&pair.subject, args, stdin);
    let want = redis_cli(&pair.oracle, args, stdin);
    assert_eq!(
        got, want,
        "redis-cli {args:?} (left: subject, right: oracle)"
    );
    want
}

#[test]
fn one_shot_commands() {
    let pair = Pair::start(&[]);
    let invocations: &[&[&str]] = &[
        &["SET", "k", "v"],
        &["GET", "k"],
        &["--no-raw", "GET", "k"],
        &["--raw", "GET", "k"],
        &["GET", "missing"],
        &["--no-raw", "GET", "missing"],
        &["INCR", "n"],
        &["--no-raw", "INCR", "n"],
        &["MSET", "a", "1", "b", "two words"],
        &["--no-raw", "MGET", "a", "missing", "b"],
        &["MGET", "a", "missing", "b"],
        &["--no-raw", "INCR", "b"],
        &["NOSUCH"],
        &["--no-raw", "SET", "k"],
        &["-3", "--no-raw", "GET", "missing"],
        &["-3", "--no-raw", "LCS", "a", "b", "IDX"],
        &["--no-raw", "TTL", "k"],
        &["DBSIZE"],
    ];
    for args in invocations {
        same_output(&pair, args, b"");
    }
    let out = same_output(&pair, &["--no-raw", "GET", "k"], b"");
    assert_eq!(out.stdout, "\"v\"\n");
    let out = same_output(&pair, &["-x", "SET", "fromstdin"], b"piped\nvalue");
    assert_eq!(out.stdout.trim(), "OK");
    let out = same_output(&pair, &["GET", "fromstdin"], b"");
    assert_eq!(out.stdout, "piped\nvalue\n");
}

#[test]
fn pipe_mode_mass_insert() {
    const KEYS: usize = 10_000;
    let pair = Pair::start(&[]);
    let mut input = Vec::new();
    for i in 0..KEYS {
        let key = format!("mass:{i}");
        let value = format!("value-{i}");
        input.extend_from_slice(&encode(&[b"SET", key.as_bytes(), value.as_bytes()]));
    }
    let out = same_output(&pair, &["--pipe"], &input);
    assert!(
        out.stdout.contains(&format!("errors: 0, replies: {KEYS}")),
        "{}",
        out.stdout
    );
    for server in [&pair.subject, &pair.oracle] {
        let mut conn = Conn::connect(server.port);
        assert_eq!(
            conn.cmd(&["DBSIZE"]),
            Value::Int(KEYS as i64),
            "{}",
            server.name
        );
        assert_eq!(
            conn.cmd(&["GET", "mass:9999"]),
            Value::Bulk(Some(b"value-9999".to_vec()))
        );
    }
}
