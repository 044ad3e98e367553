//! Connection lifecycle: QUIT, clients that half-close or vanish mid-request, many concurrent
//! clients, and the connection-level commands (PING, ECHO) in both protocol versions.

use std::time::Duration;

use super::harness::{Pair, Server};
use super::resp::{escape, Conn, Ending, Value};

#[test]
fn quit_replies_ok_then_closes() {
    let pair = Pair::start(&[]);
    let mut transcripts = Vec::new();
    for server in [&pair.subject, &pair.oracle] {
        let mut conn = server.conn();
        conn.send(b"PING\r\nQUIT\r\nPING\r\n");
        let (bytes, ending) = conn.read_to_end(Duration::from_secs(5));
        transcripts.push((escape(&bytes), ending));
    }
    assert_eq!(transcripts[1].1, Ending::Closed, "oracle closed after QUIT");
    assert_eq!(
        transcripts[0], transcripts[1],
        "left: subject, right: oracle"
    );
}

#[test]
fn half_closed_client_still_gets_its_replies() {
    let pair = Pair::start(&[]);
    let mut transcripts = Vec::new();
    for server in [&pair.subject, &pair.oracle] {
        let mut conn = server.conn();
        conn.send(b"SET hc 1\r\nINCR hc\r\n");
        // Wait for both replies before half-closing, so the comparison does not hinge on when
        // the server notices end-of-file.
        let first = conn.read_reply();
        let second = conn.read_reply();
        conn.shutdown_write();
        let (rest, ending) = conn.read_to_end(Duration::from_secs(5));
        transcripts.push((escape(&[first, second, rest].concat()), ending));
    }
    assert_eq!(transcripts[1].1, Ending::Closed);
    assert_eq!(
        transcripts[0], transcripts[1],
        "left: subject, right: oracle"
    );
}

#[test]
fn ping_and_echo() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    for proto in ["2", "3"] {
        if proto == "3" {
            c.both(&[b"HELLO", b"3"]);
        }
        c.check_all(&[
            "PING",
            "PING hello",
            "PING ''",
            "PING a b",
            "ping",
            "ECHO",
            "ECHO x",
            "ECHO ''",
            "ECHO a b",
            "echo lower",
        ]);
        c.check(&[b"ECHO", b"\x00\r\n\xff"]);
    }
}

#[test]
fn abrupt_disconnects_do_not_hurt_the_server() {
    let mut server = Server::start(&[]);
    let partials: &[&[u8]] = &[
        b"*3\r\n$3\r\nSET\r\n$1\r\nk",
        b"*2\r\n$4\r\nECHO\r\n$100000\r\nabc",
        b"GET k",
        b"*1000\r\n",
    ];
    for partial in partials {
        let mut conn = server.conn();
        conn.send(partial);
        drop(conn);
    }
    // A client that disconnects while its big reply is still being written.
    let mut conn = server.conn();
    conn.call(&[b"SET", b"big", &vec![b'x'; 4 << 20]]);
    conn.send(&b"GET big\r\n".repeat(8));
    drop(conn);
    let mut conn = server.conn();
    assert_eq!(conn.cmd(&["PING"]), Value::Simple(b"PONG".to_vec()));
    assert_eq!(conn.cmd(&["EXISTS", "k"]), Value::Int(0));
    assert!(server.is_alive(), "server process exited");
}

#[test]
fn many_concurrent_clients() {
    const CLIENTS: usize = 40;
    const INCRS: usize = 200;
    let server = Server::start(&[]);
    let port = server.port;
    let handles: Vec<_> = (0..CLIENTS)
        .map(|i| {
            std::thread::spawn(move || {
                let mut conn = Conn::connect(port);
                let own = format!("own{i}");
                for _ in 0..INCRS {
                    conn.cmd(&["INCR", "shared"]);
                    conn.cmd(&["INCR", &own]);
                }
                conn.cmd(&["GET", &own])
            })
        })
        .collect();
    // Each read is bounded by the reply timeout, so the joins are too.
    for handle in handles {
        let own = handle.join().expect("client thread");
        assert_eq!(own, Value::Bulk(Some(INCRS.to_string().into_bytes())));
    }
    let mut conn = server.conn();
    assert_eq!(
        conn.cmd(&["GET", "shared"]),
        Value::Bulk(Some((CLIENTS * INCRS).to_string().into_bytes()))
    );
    assert_eq!(conn.cmd(&["DBSIZE"]), Value::Int(CLIENTS as i64 + 1));
}

/// SHUTDOWN's refused flag combinations answer a syntax error and leave the server running;
/// DEBUG's unknown subcommands and wrong argument counts get redis-server's wording.
#[test]
fn refused_shutdown_and_debug_errors_match_oracle() {
    let mut pair = Pair::start(&["--enable-debug-command", "yes"]);
    let mut c = pair.conns();
    c.check_all(&[
        "SHUTDOWN NOSAVE SAVE",
        "SHUTDOWN save nosave",
        "SHUTDOWN ABORT NOW",
        "SHUTDOWN ABORT FORCE",
        "SHUTDOWN NOW ABORT",
        "SHUTDOWN ABORT",
        "SHUTDOWN ABORT ABORT",
        "SHUTDOWN NOSAVE BOGUS",
        "DEBUG SLEEP",
        "DEBUG OBJECT",
        "DEBUG OBJECT k extra",
        "DEBUG FOO",
        "DEBUG help extra",
        "PING",
    ]);
    assert!(
        pair.subject.is_alive(),
        "SoliKV exited on a refused SHUTDOWN"
    );
}

/// DEBUG is refused unless `enable-debug-command` allows it, with redis-server's text, after
/// the arity check and inside MULTI too (EXECABORT); `local` allows loopback clients.
#[test]
fn debug_follows_enable_debug_command() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "DEBUG SLEEP 0",
        "DEBUG OBJECT k",
        "DEBUG",
        "debug nosuch",
        "MULTI",
        "DEBUG SLEEP 0",
        "PING",
        "EXEC",
    ]);
    let pair = Pair::start(&["--enable-debug-command", "local"]);
    let mut c = pair.conns();
    c.check_all(&["DEBUG SLEEP 0", "CONFIG GET enable-debug-command"]);
}

/// SELECT's index is a 32-bit integer: beyond it, redis-server's range error (checked with one
/// database, the only one SoliKV has).
#[test]
fn select_errors_match_redis() {
    let pair = Pair::start(&["--databases", "1"]);
    let mut c = pair.conns();
    c.check_all(&[
        "SELECT 0",
        "SELECT 1",
        "SELECT -1",
        "SELECT 2147483647",
        "SELECT 2147483648",
        "SELECT -2147483649",
        "SELECT 9223372036854775807",
        "SELECT x",
        "SELECT 1.5",
    ]);
}
