//! Wire-protocol behaviour, checked against the oracle: malformed requests (same error bytes,
//! connection closed the same way), inline commands, big pipelines, requests split across many
//! writes, and RESP3 negotiation with HELLO.

use std::time::Duration;

use super::harness::{DiffConn, Pair};
use super::resp::{decode, encode, escape, Conn, Ending, Value};

/// How long to wait for a server to close a connection after a protocol error.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `input` on fresh connections to both servers and reads until each closes; the bytes
/// received and the way the connection ended must match, and the oracle must have closed.
fn same_transcript_then_close(pair: &Pair, input: &[u8]) -> Vec<u8> {
    let mut transcripts = Vec::new();
    for server in [&pair.subject, &pair.oracle] {
        let mut conn = server.conn();
        conn.send_lossy(input);
        transcripts.push(conn.read_to_end(CLOSE_TIMEOUT));
    }
    let (want, want_end) = transcripts.pop().expect("oracle transcript");
    let (got, got_end) = transcripts.pop().expect("subject transcript");
    let shown = escape(&input[..input.len().min(80)]);
    assert_eq!(want_end, Ending::Closed, "oracle kept \"{shown}\" open");
    assert_eq!(
        (escape(&got), got_end),
        (escape(&want), want_end),
        "transcript for \"{shown}\" (left: subject, right: oracle)"
    );
    want
}

#[test]
fn malformed_requests_get_the_same_error_and_close() {
    let pair = Pair::start(&[]);
    let long_digits = vec![b'1'; 70_000];
    let cases: Vec<Vec<u8>> = vec![
        b"*x\r\n".to_vec(),
        b"*1\r\n+foo\r\n".to_vec(),
        b"*1\r\n$-5\r\n".to_vec(),
        b"*1\r\n$x\r\n".to_vec(),
        b"*3000000000\r\n".to_vec(),
        b"SET k3 'it''s'\r\n".to_vec(),
        b"*1\r\n$600000000\r\n".to_vec(),
        b"*1\r\n$99999999999999999999\r\n".to_vec(),
        b"SET \"foo bar\r\n".to_vec(),
        b"SET 'foo\r\n".to_vec(),
        b"SET \"a\"b\r\n".to_vec(),
        vec![b'a'; 70_000],
        [b"*".as_slice(), &long_digits].concat(),
        [b"*1\r\n$".as_slice(), &long_digits].concat(),
        b"PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n".to_vec(),
        // The offending byte is echoed as sent, not re-encoded.
        b"*1\r\n\xfa\r\n".to_vec(),
    ];
    for input in cases {
        let reply = same_transcript_then_close(&pair, &input);
        assert!(
            reply.windows(15).any(|w| w == b"Protocol error:"),
            "oracle reply to \"{}\" is not a protocol error: \"{}\"",
            escape(&input[..input.len().min(80)]),
            escape(&reply)
        );
    }
    // Both servers survive all of that.
    pair.conns().check_str(&["PING"]);
}

/// HTTP sent to the port (a `POST` request line or a `Host:` header) closes the connection
/// without answering anything of the read that carried it, as redis-server does against
/// cross-protocol scripting.
#[test]
fn http_requests_are_dropped_without_a_reply() {
    let pair = Pair::start(&[]);
    let cases: [&[u8]; 5] = [
        b"POST / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        b"PING\r\nHost: x\r\nPING\r\n",
        b"*1\r\n$4\r\npost\r\n",
        b"MULTI\r\nSET k v\r\nHOST:\r\nEXEC\r\n",
    ];
    for input in cases {
        let reply = same_transcript_then_close(&pair, input);
        assert!(reply.is_empty(), "{}", escape(&reply));
    }
    // Nothing of the aborted transaction ran, and both servers still serve.
    let mut c = pair.conns();
    c.check_str(&["EXISTS", "k"]);
    c.check_str(&["PING"]);
}

#[test]
fn lenient_framing_matches_redis() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    // Empty and negative multibulk counts and blank lines are ignored.
    c.check_raw(b"*0\r\n*-1\r\n*-2\r\n\r\n\n   \r\nPING\r\n", 1);
    // Like redis-server, the two bytes after a bulk payload are skipped without inspection.
    c.check_raw(b"*2\r\n$4\r\nECHOxx$2\r\nhixx", 1);
    // A bare LF ends an inline command.
    c.check_raw(b"PING\nPING\r\n", 2);
}

#[test]
fn inline_commands_match() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let inputs: &[(&[u8], usize)] = &[
        (b"SET k v\r\n", 1),
        (b"GET k\r\n", 1),
        (b"  SET   k2   \"a b\\x41\\n\\\"\"  \r\n", 1),
        (b"GET k2\r\n", 1),
        (b"SET k3 'it\\'s'\r\n", 1),
        (b"GET k3\r\n", 1),
        (b"ECHO \"\"\r\n", 1),
        (b"echo \"\\t\\r\\a\\b\\xzz\"\r\n", 1),
        (b"get\r\n", 1),
        (b"NOSUCHCMD a b\r\n", 1),
        (b"MGET k k2 k3 missing\r\n", 1),
    ];
    for (input, replies) in inputs {
        c.check_raw(input, *replies);
    }
}

#[test]
fn pipeline_of_ten_thousand_commands_in_one_write() {
    const COMMANDS: usize = 10_000;
    let pair = Pair::start(&[]);
    let mut input = Vec::new();
    for i in 0..COMMANDS {
        let key = format!("p{}", i % 100);
        let req = match i % 4 {
            0 => encode(&[b"SET", key.as_bytes(), i.to_string().as_bytes()]),
            1 => encode(&[b"GET", key.as_bytes()]),
            2 => encode(&[b"INCR", key.as_bytes()]),
            _ => format!("APPEND {key} x\r\n").into_bytes(),
        };
        input.extend_from_slice(&req);
    }
    let mut replies = Vec::new();
    for server in [&pair.subject, &pair.oracle] {
        let mut conn = server.conn();
        // Written from another thread so a server that stops reading while its replies are
        // unread cannot deadlock the test.
        let mut writer = conn.writer();
        let bytes = input.clone();
        let handle = std::thread::spawn(move || std::io::Write::write_all(&mut writer, &bytes));
        let got: Vec<Vec<u8>> = (0..COMMANDS).map(|_| conn.read_reply()).collect();
        handle
            .join()
            .expect("writer thread")
            .expect("pipeline written");
        replies.push(got);
    }
    for (i, (got, want)) in replies[0].iter().zip(&replies[1]).enumerate() {
        assert_eq!(escape(got), escape(want), "pipelined reply #{i}");
    }
}

#[test]
fn requests_split_across_many_writes() {
    let pair = Pair::start(&[]);
    let mut input = encode(&[b"SET", b"split", b"a\r\nb\x00c"]);
    input.extend_from_slice(&encode(&[b"GET", b"split"]));
    input.extend_from_slice(b"ECHO inline\r\n");
    input.extend_from_slice(&encode(&[b"STRLEN", b"split"]));
    let mut c = pair.conns();
    for conn in [&mut c.subject, &mut c.oracle] {
        for byte in input.chunks(1) {
            conn.send(byte);
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    for i in 0..4 {
        let got = c.subject.read_reply();
        let want = c.oracle.read_reply();
        assert_eq!(escape(&got), escape(&want), "reply #{i}");
    }
}

/// The HELLO reply with the fields that legitimately differ between servers (`server`,
/// `version`, `id`) removed.
fn hello_fields(raw: &[u8]) -> Vec<(String, String)> {
    let (value, _) = decode(raw)
        .expect("decodable HELLO reply")
        .expect("complete HELLO reply");
    let pairs: Vec<(Value, Value)> = match value {
        Value::Map(m) => m,
        Value::Array(Some(items)) => items
            .chunks(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect(),
        other => panic!("HELLO reply is not a map: {other:?}"),
    };
    pairs
        .into_iter()
        .map(|(k, v)| {
            let key = String::from_utf8_lossy(k.bytes().expect("HELLO field name")).into_owned();
            let shown = match key.as_str() {
                "server" | "version" | "id" => "(varies)".to_string(),
                _ => format!("{v:?}"),
            };
            (key, shown)
        })
        .collect()
}

/// Sends HELLO to both and compares the replies up to [`hello_fields`].
fn check_hello(c: &mut DiffConn, args: &[&str]) {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    let (got, want) = c.both(&args);
    if want.starts_with(b"-") {
        assert_eq!(escape(&got), escape(&want), "HELLO error");
        return;
    }
    assert_eq!(got.first(), want.first(), "HELLO reply type");
    assert_eq!(hello_fields(&got), hello_fields(&want), "HELLO fields");
}

#[test]
fn resp3_negotiation_with_hello() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&["SET k v", "GET missing", "MGET k missing"]);
    check_hello(&mut c, &["HELLO"]);
    check_hello(&mut c, &["HELLO", "3"]);
    c.check_all(&[
        "GET missing",
        "MGET k missing",
        "INCRBYFLOAT f 1.5",
        "SET k v GET",
        "SET k2 v NX GET",
        "LCS k k2 IDX",
        "DEL k2",
        "PING",
    ]);
    check_hello(&mut c, &["HELLO", "4"]);
    check_hello(&mut c, &["HELLO", "1"]);
    check_hello(&mut c, &["HELLO", "x"]);
    check_hello(&mut c, &["HELLO", "3", "SETNAME", "my-client"]);
    check_hello(&mut c, &["HELLO", "3", "SETNAME", "bad name"]);
    check_hello(&mut c, &["HELLO", "3", "BOGUS"]);
    check_hello(&mut c, &["HELLO", "2"]);
    c.check_all(&["GET missing", "MGET k missing"]);
    check_hello(&mut c, &["HELLO", "3", "AUTH", "default", "nopass"]);
}

#[test]
fn hello_4_is_noproto() {
    let pair = Pair::start(&[]);
    let mut conn = Conn::connect(pair.oracle.port);
    assert_eq!(
        escape(&conn.call(&[b"HELLO", b"4"])),
        escape(b"-NOPROTO unsupported protocol version\r\n")
    );
    let mut conn = Conn::connect(pair.subject.port);
    assert_eq!(
        escape(&conn.call(&[b"HELLO", b"4"])),
        escape(b"-NOPROTO unsupported protocol version\r\n")
    );
}
