//! Authentication, checked against the oracle: `--requirepass`, NOAUTH and WRONGPASS texts,
//! HELLO with AUTH, and the stricter framing limits for unauthenticated clients.

use std::time::Duration;

use super::harness::Pair;
use super::resp::{escape, Ending};

#[test]
fn auth_flow_with_requirepass() {
    let pair = Pair::start(&["--requirepass", "pw"]);
    let mut c = pair.conns();
    c.check_all(&[
        "GET k",
        "SET k v",
        "PING",
        "ECHO hi",
        "HELLO 3",
        "HELLO 2 AUTH default wrong",
        "AUTH wrong",
        "AUTH default wrong",
        "AUTH nobody pw",
        "AUTH",
        "AUTH a b c",
        "GET k",
        "AUTH pw",
        "SET k v",
        "GET k",
        "AUTH wrong",
        "GET k",
        "AUTH default pw",
        "DBSIZE",
    ]);
    // HELLO can authenticate and switch protocol at once; the id field differs, so only the
    // first bytes (map header) are compared.
    let mut c = pair.conns();
    let (got, want) = c.both(&[b"HELLO", b"3", b"AUTH", b"default", b"pw"]);
    assert_eq!(got.first(), Some(&b'%'), "{}", escape(&got));
    assert_eq!(want.first(), Some(&b'%'), "{}", escape(&want));
    c.check_all(&["GET k", "GET missing"]);
}

#[test]
fn auth_without_a_password_configured() {
    let pair = Pair::start(&[]);
    pair.conns().check_all(&[
        "AUTH pw",
        "AUTH default pw",
        "AUTH default nopass",
        "AUTH x y",
    ]);
}

/// Before authentication redis-server refuses multibulk counts above 10 and bulk lengths
/// above 16 KiB with a protocol error and closes the connection.
#[test]
fn unauthenticated_clients_get_small_framing_limits() {
    let pair = Pair::start(&["--requirepass", "pw"]);
    let cases: &[(&[u8], &str)] = &[
        (
            b"*11\r\n",
            "-ERR Protocol error: unauthenticated multibulk length\\r\\n",
        ),
        (
            b"*1\r\n$16385\r\n",
            "-ERR Protocol error: unauthenticated bulk length\\r\\n",
        ),
        // Within the count limit but incomplete: no reply, connection kept.
        (b"*10\r\n$4\r\nPING\r\n", ""),
    ];
    for (input, oracle_says) in cases {
        let mut transcripts = Vec::new();
        for server in [&pair.subject, &pair.oracle] {
            let mut conn = server.conn();
            conn.send_lossy(input);
            let (bytes, ending) = conn.read_to_end(Duration::from_millis(1500));
            transcripts.push((escape(&bytes), ending));
        }
        let expected_ending = if oracle_says.is_empty() {
            Ending::StillOpen
        } else {
            Ending::Closed
        };
        assert_eq!(transcripts[1], (oracle_says.to_string(), expected_ending));
        assert_eq!(
            transcripts[0],
            transcripts[1],
            "after \"{}\" (left: subject, right: oracle)",
            escape(input)
        );
    }
    // Within the limits an unauthenticated client is answered NOAUTH and stays connected.
    let mut c = pair.conns();
    c.check_raw(b"*10\r\n$3\r\nGET\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n", 1);
    let big = vec![b'x'; 16_384];
    c.check(&[b"ECHO", &big]);
    c.check_str(&["AUTH", "pw"]);
    // Authenticated, the limits are the normal ones.
    c.check(&[b"ECHO", &vec![b'y'; 100_000]]);
    let keys: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
    let mut mget = vec!["MGET"];
    mget.extend(keys.iter().map(String::as_str));
    c.check_str(&mget);
}
