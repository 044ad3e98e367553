//! Client input through a data core's receive ring (`net::poller`, `net::buffers`): more
//! connections holding unread input than the core has receive buffers, pipelines far larger
//! than the chunks a connection may have waiting, and many active clients whose requests an
//! idle core gathers (`net::poller::batch`). Each scenario also runs against the
//! redis-server oracle, with the same expected replies.

use std::io::Read;
use std::time::{Duration, Instant};

use super::harness::Server;
use super::resp::{encode, Conn};

/// More than the 256 receive buffers of a data core.
const BLOCKED_CLIENTS: usize = 300;

/// Waits until `INFO clients` on `conn` reports `n` blocked clients.
fn wait_blocked(conn: &mut Conn, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let want = format!("blocked_clients:{n}\r\n");
    loop {
        let info = conn.call(&[b"INFO", b"clients"]);
        if String::from_utf8_lossy(&info).contains(&want) {
            return;
        }
        assert!(Instant::now() < deadline, "never saw {want:?} in {info:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Clients blocked in BLPOP each send one more command, which waits unread (in a receive
/// buffer on SoliKV) until they are served. With more such clients than buffers, a new
/// client is still served (a 200 kB value too), and every blocked client then gets its element
/// and its PONG.
fn blocked_clients_holding_input(server: &Server) {
    let mut blocked: Vec<Conn> = (0..BLOCKED_CLIENTS)
        .map(|i| {
            let mut conn = server.conn();
            conn.send(&encode(&[b"BLPOP", format!("queue:{i}").as_bytes(), b"0"]));
            conn
        })
        .collect();
    let mut admin = server.conn();
    wait_blocked(&mut admin, BLOCKED_CLIENTS);
    for conn in &mut blocked {
        conn.send(&encode(&[b"PING"]));
    }
    // Give the PINGs time to arrive and be taken into the server's buffers.
    std::thread::sleep(Duration::from_millis(300));
    let mut fresh = server.conn();
    assert_eq!(fresh.call(&[b"SET", b"fresh", b"1"]), b"+OK\r\n");
    assert_eq!(fresh.call(&[b"GET", b"fresh"]), b"$1\r\n1\r\n");
    // A value of several receive buffers' size, read while none may be free.
    let big: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    assert_eq!(fresh.call(&[b"SET", b"big", &big]), b"+OK\r\n");
    let mut want = format!("${}\r\n", big.len()).into_bytes();
    want.extend_from_slice(&big);
    want.extend_from_slice(b"\r\n");
    assert!(fresh.call(&[b"GET", b"big"]) == want, "GET big differs");
    for i in 0..BLOCKED_CLIENTS {
        let key = format!("queue:{i}");
        assert_eq!(fresh.call(&[b"RPUSH", key.as_bytes(), b"v"]), b":1\r\n");
    }
    for (i, conn) in blocked.iter_mut().enumerate() {
        let key = format!("queue:{i}");
        let want = format!("*2\r\n${}\r\n{key}\r\n$1\r\nv\r\n", key.len());
        assert_eq!(
            String::from_utf8_lossy(&conn.read_reply()),
            want,
            "client {i}"
        );
        assert_eq!(conn.read_reply(), b"+PONG\r\n", "client {i}");
    }
}

#[test]
fn more_clients_holding_unread_input_than_receive_buffers() {
    let server = Server::start(&["--cores", "1"]);
    blocked_clients_holding_input(&server);
    blocked_clients_holding_input(&Server::oracle());
}

/// One write of `COMMANDS` INCRs (about 1.6 MB, a hundred receive buffers) while the replies
/// are read on another thread: all are applied once, in order.
fn long_pipeline(server: &Server) {
    const COMMANDS: usize = 60_000;
    let mut conn = server.conn();
    let mut reader = conn.writer();
    let replies = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let want_len: usize = (1..=COMMANDS).map(|n| format!(":{n}\r\n").len()).sum();
        reader
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        while got.len() < want_len {
            let n = reader.read(&mut buf).expect("read replies");
            assert!(n > 0, "connection closed after {} bytes", got.len());
            got.extend_from_slice(&buf[..n]);
        }
        got
    });
    let one = encode(&[b"INCR", b"pipelined:counter"]);
    conn.send(&one.repeat(COMMANDS));
    let got = replies.join().expect("reader thread");
    let want: String = (1..=COMMANDS).map(|n| format!(":{n}\r\n")).collect();
    assert!(
        got == want.as_bytes(),
        "replies differ from :1 .. :{COMMANDS}"
    );
}

#[test]
fn pipeline_longer_than_the_chunks_a_connection_may_queue() {
    long_pipeline(&Server::start(&["--cores", "1"]));
    long_pipeline(&Server::oracle());
}

/// Clients that send PING and QUIT and wait for the close, while other clients connect and
/// send at once: a closed connection's descriptor number goes to a new one immediately, and
/// no receive of the old connection may take the new one's input.
fn close_and_open_concurrently(server: &Server) {
    const ROUNDS: usize = 1_000;
    let port = server.port;
    let deadline = Instant::now() + Duration::from_secs(60);
    let closer = std::thread::spawn(move || {
        for i in 0..ROUNDS {
            if Instant::now() > deadline {
                return i;
            }
            let mut conn = Conn::connect(port);
            conn.send(b"PING\r\nQUIT\r\n");
            let (got, ending) = conn.read_to_end(Duration::from_secs(10));
            assert_eq!(got, b"+PONG\r\n+OK\r\n", "closing client {i}");
            assert!(matches!(ending, super::resp::Ending::Closed), "client {i}");
        }
        ROUNDS
    });
    for i in 0..ROUNDS {
        if Instant::now() > deadline {
            break;
        }
        let mut conn = Conn::connect(port);
        let word = format!("w{i}");
        let want = format!("${}\r\n{word}\r\n", word.len());
        let got = conn.call(&[b"ECHO", word.as_bytes()]);
        assert_eq!(String::from_utf8_lossy(&got), want, "opening client {i}");
    }
    let closed = closer.join().expect("closing clients");
    assert!(closed > 0, "no closing client ran");
}

#[test]
fn closing_connections_never_take_new_connections_input() {
    close_and_open_concurrently(&Server::start(&["--cores", "1"]));
    close_and_open_concurrently(&Server::oracle());
}

/// Active connections: enough that an idle core gathers several requests per wake-up.
const ACTIVE_CLIENTS: usize = 48;

/// Many connections take turns in a closed loop (each sends once its previous reply is back),
/// then fewer than a batch send, then one connection alone: every request is answered, in
/// order, however many others are in flight.
fn many_clients_then_few(server: &Server) {
    let mut conns: Vec<Conn> = (0..ACTIVE_CLIENTS).map(|_| server.conn()).collect();
    for round in 1..=200usize {
        for (i, conn) in conns.iter_mut().enumerate() {
            conn.send(&encode(&[b"INCR", format!("gather:{i}").as_bytes()]));
        }
        for (i, conn) in conns.iter_mut().enumerate() {
            let want = format!(":{round}\r\n");
            assert_eq!(
                String::from_utf8_lossy(&conn.read_reply()),
                want,
                "client {i}"
            );
        }
    }
    for round in 201..=300usize {
        for (i, conn) in conns.iter_mut().enumerate().take(3) {
            let want = format!(":{round}\r\n");
            let got = conn.call(&[b"INCR", format!("gather:{i}").as_bytes()]);
            assert_eq!(String::from_utf8_lossy(&got), want, "client {i}");
        }
    }
    let alone = &mut conns[ACTIVE_CLIENTS - 1];
    for round in 201..=500usize {
        let key = format!("gather:{}", ACTIVE_CLIENTS - 1);
        let got = alone.call(&[b"INCR", key.as_bytes()]);
        assert_eq!(String::from_utf8_lossy(&got), format!(":{round}\r\n"));
    }
}

#[test]
fn requests_of_many_clients_are_gathered_and_all_answered() {
    many_clients_then_few(&Server::start(&["--cores", "1"]));
    many_clients_then_few(&Server::start(&["--cores", "1", "--io-gather-usec", "0"]));
    many_clients_then_few(&Server::start(&[
        "--cores",
        "2",
        "--io-gather-usec",
        "1000",
    ]));
    many_clients_then_few(&Server::oracle());
}
