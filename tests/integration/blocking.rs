//! Blocking pops (BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP) with
//! several real connections: scripted scenarios run in lockstep against SoliKV (two data
//! cores) and the redis-server oracle, every reply compared byte for byte; plus SoliKV-only
//! checks of keys spread over both cores (served exactly once, BLMOVE across cores) and of
//! clients that disconnect while blocked.

use std::time::{Duration, Instant};

use solikv::topology::key_slot;

use super::cluster::cluster_port;
use super::harness::{words, DiffConn, Pair, Server};
use super::resp::{encode, escape, Conn};

const DEADLINE: Duration = Duration::from_secs(10);

/// Several connections to both servers, driven by one script.
struct Scenario {
    pair: Pair,
    conns: Vec<DiffConn>,
}

impl Scenario {
    fn start(nconns: usize) -> Scenario {
        Scenario::on(Pair::start(&["--cores", "2"]), nconns)
    }

    fn on(pair: Pair, nconns: usize) -> Scenario {
        let conns = (0..nconns).map(|_| pair.conns()).collect();
        Scenario { pair, conns }
    }

    /// Sends `line` on connection `i` of both servers without reading a reply.
    fn send(&mut self, i: usize, line: &str) {
        let args = words(line);
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let req = encode(&args);
        self.conns[i].subject.send(&req);
        self.conns[i].oracle.send(&req);
    }

    /// Reads one reply on connection `i` of both servers; they must be equal.
    fn reply(&mut self, i: usize) -> Vec<u8> {
        let c = &mut self.conns[i];
        let got = c.subject.try_read_reply(DEADLINE).expect("subject replies");
        let want = c.oracle.try_read_reply(DEADLINE).expect("oracle replies");
        assert_eq!(
            escape(&got),
            escape(&want),
            "connection {i} (subject, oracle)"
        );
        got
    }

    /// Runs `line` on connection `i` and compares the replies.
    fn call(&mut self, i: usize, line: &str) -> Vec<u8> {
        self.send(i, line);
        self.reply(i)
    }

    /// Switches connection `i` to RESP3 (the HELLO replies differ in the client id).
    fn hello3(&mut self, i: usize) {
        let (a, b) = self.conns[i].both(&[b"HELLO", b"3"]);
        assert!(a.starts_with(b"%") && b.starts_with(b"%"));
    }

    /// Sends a command expected to block on connection `i`, and waits until both servers
    /// count `blocked` blocked clients.
    fn block(&mut self, i: usize, line: &str, blocked: usize) {
        self.send(i, line);
        self.wait_blocked(blocked);
    }

    fn wait_blocked(&mut self, blocked: usize) {
        wait_blocked(&self.pair.subject, blocked);
        wait_blocked(&self.pair.oracle, blocked);
    }

    /// Asserts that connection `i` has no reply pending on either server.
    fn still_blocked(&mut self, i: usize) {
        let c = &mut self.conns[i];
        let quiet = Duration::from_millis(100);
        assert!(c.subject.try_read_reply(quiet).is_err(), "subject replied");
        assert!(c.oracle.try_read_reply(quiet).is_err(), "oracle replied");
    }
}

/// The server's `blocked_clients` figure.
fn blocked_clients(server: &Server) -> usize {
    let mut c = server.conn();
    let info = c.call(&[b"INFO", b"clients"]);
    let text = String::from_utf8_lossy(&info);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("blocked_clients:"))
        .expect("INFO clients shows blocked_clients");
    line.trim().parse().expect("a count")
}

/// Waits until `server` counts `n` blocked clients.
fn wait_blocked(server: &Server, n: usize) {
    let start = Instant::now();
    loop {
        let now = blocked_clients(server);
        if now == n {
            return;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{}: {now} blocked clients, expected {n}",
            server.name
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Two key names owned by different data cores of a two-core SoliKV (one shard per core:
/// the slot's parity decides).
fn keys_on_both_cores(prefix: &str) -> (String, String) {
    let mut even = None;
    let mut odd = None;
    for i in 0.. {
        let key = format!("{prefix}{i}");
        let slot = key_slot(key.as_bytes()).index();
        if slot % 2 == 0 && even.is_none() {
            even = Some(key);
        } else if slot % 2 == 1 && odd.is_none() {
            odd = Some(key);
        }
        if let (Some(a), Some(b)) = (&even, &odd) {
            return (a.clone(), b.clone());
        }
    }
    unreachable!()
}

#[test]
fn waiters_on_one_key_are_served_in_arrival_order() {
    let mut s = Scenario::start(4);
    s.block(0, "BLPOP q 0", 1);
    s.block(1, "BRPOP q 0", 2);
    s.block(2, "BLPOP other q 0", 3);
    s.call(3, "RPUSH q a b c d");
    for i in 0..3 {
        s.reply(i);
    }
    s.wait_blocked(0);
    s.call(3, "LRANGE q 0 -1");
    // One push serves only as many waiters as it brought elements.
    s.block(0, "BLPOP q2 0", 1);
    s.block(1, "BLPOP q2 0", 2);
    s.call(3, "LPUSH q2 x");
    s.reply(0);
    s.still_blocked(1);
    s.call(3, "LPUSH q2 y");
    s.reply(1);
    // A waiter is served right after the push that fed it, before the pusher's next
    // pipelined command; the waiter's own pipelined commands run after its reply.
    for key in ["p1", "p2", "p3"] {
        let blpop = encode(&[b"BLPOP", key.as_bytes(), b"0"]);
        let ping = encode(&[b"PING"]);
        let both = [blpop, ping].concat();
        s.conns[0].subject.send(&both);
        s.conns[0].oracle.send(&both);
        s.wait_blocked(1);
        let push = encode(&[b"RPUSH", key.as_bytes(), b"v"]);
        let llen = encode(&[b"LLEN", key.as_bytes()]);
        s.conns[3].check_raw(&[push, llen].concat(), 2);
        s.reply(0);
        s.reply(0);
    }
}

#[test]
fn timeouts_and_argument_errors_match_oracle() {
    let mut s = Scenario::start(1);
    for line in [
        "BLPOP k 0.05",
        "BRPOP k j 0.01",
        "BRPOPLPUSH k d 0.01",
        "BLMOVE k d LEFT RIGHT 0.01",
        "BLMPOP 0.01 2 k j RIGHT COUNT 3",
        "BZPOPMIN z 0.01",
        "BZPOPMAX z y 0.01",
        "BZMPOP 0.01 1 z MAX",
        // Under a millisecond rounds up to one (`ceill`), rather than meaning "forever".
        "BLPOP k 0.0009",
        "BRPOP k 1e-300",
        "BRPOPLPUSH k d 0.001",
        "BLMOVE k d LEFT RIGHT 0.0001",
        "BLMPOP 0.0005 1 k LEFT",
        "BZPOPMIN z 0.0009",
        "BZPOPMAX z 1e-300",
        "BZMPOP 0.0009 1 z MIN",
        "BLPOP k -1",
        "BLPOP k abc",
        "BLPOP k nan",
        "BLPOP k inf",
        "BLPOP k 1e17",
        "BLMOVE k d UP LEFT 1",
        "BLMOVE k d LEFT LEFT x",
        "BLMPOP abc 0 k LEFT",
        "BLMPOP -1 1 k LEFT COUNT 0",
        "BLMPOP 1 2 k LEFT",
        "BLMPOP 1 1 k UP",
        "BLMPOP 1 1 k LEFT COUNT 1 COUNT 2",
        "BZMPOP abc 1 k MIN COUNT 0",
        "BZMPOP 1 1 k SIDEWAYS",
        "BLPOP k",
        "BZPOPMIN 1",
    ] {
        s.call(0, line);
    }
    s.call(0, "SET str x");
    for line in [
        "BLPOP str 0",
        "BLPOP nokey str 0",
        "BZPOPMIN str 0",
        "BLMOVE str d LEFT LEFT 0",
        "BLMPOP 0 2 nokey str LEFT",
        "RPUSH l a b c",
        "BLPOP l str 0",
        "BLMOVE l str LEFT LEFT 0",
        "BLMPOP 0 2 l str RIGHT COUNT 2",
        "ZADD z 1 a 2 b 3 c",
        "BZPOPMAX z 0",
        "BZMPOP 0 1 z MIN COUNT 5",
        "EXISTS z l",
    ] {
        s.call(0, line);
    }
    s.hello3(0);
    for line in [
        "BLPOP k 0.01",
        "BLMOVE k d LEFT RIGHT 0.01",
        "BZMPOP 0.01 1 z MAX",
        "ZADD z 1.5 a 2 b",
        "BZPOPMIN z 0",
        "BZMPOP 0 1 z MAX COUNT 2",
    ] {
        s.call(0, line);
    }
}

#[test]
fn pushes_from_other_connections_wake_every_kind_of_waiter() {
    let mut s = Scenario::start(2);
    s.hello3(0);
    s.block(0, "BLMPOP 0 2 a b RIGHT COUNT 2", 1);
    s.call(1, "RPUSH b 1 2 3");
    s.reply(0);
    s.block(0, "BZPOPMIN za zb 0", 1);
    s.call(1, "ZADD zb 2 two 1 one");
    s.reply(0);
    s.call(0, "BZMPOP 0 2 za zb MAX COUNT 5");
    s.block(0, "BZMPOP 0 2 za zb MAX COUNT 5", 1);
    s.call(1, "ZADD za 5 five 4 four");
    s.reply(0);
    s.conns[0].both(&[b"HELLO", b"2"]);
    s.block(0, "BRPOPLPUSH src dst 0", 1);
    s.call(1, "LPUSH src x");
    s.reply(0);
    s.call(1, "LRANGE dst 0 -1");
    s.block(0, "BLMOVE src dst RIGHT RIGHT 0", 1);
    s.call(1, "RPUSHX src nothing");
    s.still_blocked(0);
    s.call(1, "RPUSH src y");
    s.reply(0);
    s.call(1, "LRANGE dst 0 -1");
    s.call(1, "EXISTS src");
    s.block(0, "BZPOPMAX zc 0", 1);
    s.call(1, "ZADD zc 1 m");
    s.reply(0);
}

#[test]
fn exec_and_rename_wake_waiters_after_they_finish() {
    let mut s = Scenario::start(3);
    s.block(0, "BLPOP k 0", 1);
    s.call(1, "MULTI");
    s.call(1, "LPUSH k a");
    s.call(1, "LPUSH k b");
    s.call(1, "LLEN k");
    s.call(1, "EXEC");
    s.reply(0);
    s.call(1, "LRANGE k 0 -1");
    s.call(1, "DEL k");
    // Made ready and emptied again inside one transaction: the waiter keeps waiting.
    s.block(0, "BLPOP k 0", 1);
    s.call(1, "MULTI");
    s.call(1, "RPUSH k x");
    s.call(1, "DEL k");
    s.call(1, "EXEC");
    s.still_blocked(0);
    s.call(1, "RPUSH src y z");
    s.call(1, "RENAME src k");
    s.reply(0);
    s.call(1, "LRANGE k 0 -1");
    s.block(2, "BZPOPMIN zdst 0", 1);
    s.call(1, "ZADD zsrc 3 c");
    s.call(1, "COPY zsrc zdst");
    s.reply(2);
    s.call(1, "ZRANGE zsrc 0 -1");
    s.block(2, "BZMPOP 0 1 zout MAX COUNT 2", 1);
    s.call(1, "ZUNIONSTORE zout 2 zsrc zsrc");
    s.reply(2);
}

#[test]
fn serving_a_waiter_invalidates_watches_as_in_redis() {
    let mut s = Scenario::start(3);
    // A served BLMOVE pushes onto its destination in place: a WATCH on it must see that.
    s.call(0, "RPUSH dst x");
    s.call(0, "WATCH dst");
    s.block(1, "BLMOVE src dst LEFT RIGHT 0", 1);
    s.call(2, "RPUSH src y z");
    s.reply(1);
    s.call(0, "MULTI");
    s.call(0, "PING");
    s.call(0, "EXEC");
    // Rotating a one-element list onto itself leaves it as it was, and still counts.
    s.call(0, "RPUSH one a");
    for line in ["BLMOVE one one LEFT RIGHT 1", "BRPOPLPUSH one one 1"] {
        s.call(0, "WATCH one");
        s.call(1, line);
        s.call(0, "MULTI");
        s.call(0, "PING");
        s.call(0, "EXEC");
    }
    s.call(0, "LRANGE dst 0 -1");
}

#[test]
fn retyped_keys_keep_waiters_waiting() {
    let mut s = Scenario::start(2);
    s.block(0, "BLPOP k 0", 1);
    s.call(1, "SET k str");
    s.still_blocked(0);
    s.call(1, "ZADD k2 1 a");
    s.call(1, "RENAME k2 k");
    s.still_blocked(0);
    s.call(1, "DEL k");
    s.call(1, "RPUSH k v");
    s.reply(0);
    s.block(0, "BLMOVE src dst LEFT LEFT 0", 1);
    s.call(1, "SET dst str");
    s.call(1, "RPUSH src v");
    s.reply(0);
    s.call(1, "LRANGE src 0 -1");
}

#[test]
fn blocking_commands_inside_multi_do_not_block() {
    let mut s = Scenario::start(1);
    for line in [
        "MULTI",
        "BLPOP k 0",
        "BLMOVE k d LEFT LEFT 0",
        "BZPOPMIN z 0",
        "BLMPOP 0 1 k LEFT",
        "BZMPOP 0 1 z MIN",
        "BLPOP k -1",
        "RPUSH k a b",
        "ZADD z 1 m",
        "BLPOP k 0",
        "BRPOPLPUSH k d 0",
        "BZPOPMAX z 0",
        "EXEC",
    ] {
        s.call(0, line);
    }
}

#[test]
fn cross_core_waiter_is_served_exactly_once() {
    let server = Server::start(&["--cores", "2"]);
    let (a, b) = keys_on_both_cores("once");
    let mut waiter = server.conn();
    let mut pa = server.conn();
    let mut pb = server.conn();
    for round in 0..20 {
        waiter.send(&encode(&[
            b"BLPOP",
            a.as_bytes(),
            b"nokey",
            b.as_bytes(),
            b"0",
        ]));
        wait_blocked(&server, 1);
        // Both keys become ready at about the same time on different cores.
        pa.send(&encode(&[b"RPUSH", a.as_bytes(), b"x"]));
        pb.send(&encode(&[b"RPUSH", b.as_bytes(), b"y"]));
        assert_eq!(pa.read_reply(), b":1\r\n");
        assert_eq!(pb.read_reply(), b":1\r\n");
        let got = waiter.read_reply();
        let left = if got.windows(2).any(|w| w == b"\nx") {
            b.as_bytes()
        } else {
            a.as_bytes()
        };
        assert!(got.starts_with(b"*2\r\n"), "round {round}: {got:?}");
        assert_eq!(waiter.call(&[b"LLEN", left]), b":1\r\n", "round {round}");
        assert_eq!(
            waiter.call(&[b"DEL", a.as_bytes(), b.as_bytes()]),
            b":1\r\n",
            "round {round}: exactly one element was popped"
        );
    }
    wait_blocked(&server, 0);
}

#[test]
fn blmove_and_multi_key_waits_across_cores() {
    let server = Server::start(&["--cores", "2"]);
    let (src, dst) = keys_on_both_cores("mv");
    let mut waiter = server.conn();
    let mut other = server.conn();
    let cmd = [
        b"BLMOVE".as_slice(),
        src.as_bytes(),
        dst.as_bytes(),
        b"LEFT",
        b"RIGHT",
        b"0",
    ];
    waiter.send(&encode(&cmd));
    wait_blocked(&server, 1);
    assert_eq!(
        other.call(&[b"RPUSH", src.as_bytes(), b"a", b"b"]),
        b":2\r\n"
    );
    assert_eq!(waiter.read_reply(), b"$1\r\na\r\n");
    assert_eq!(
        other.call(&[b"LRANGE", dst.as_bytes(), b"0", b"-1"]),
        b"*1\r\n$1\r\na\r\n"
    );
    assert_eq!(
        other.call(&[b"LRANGE", src.as_bytes(), b"0", b"-1"]),
        b"*1\r\n$1\r\nb\r\n"
    );
    // A ready source is moved at once, across cores, as LMOVE would.
    assert_eq!(waiter.call(&cmd), b"$1\r\nb\r\n");
    assert_eq!(other.call(&[b"EXISTS", src.as_bytes()]), b":0\r\n");
    // BZMPOP over both cores, woken by the core that did not run the attempt.
    let (za, zb) = keys_on_both_cores("z");
    for key in [&za, &zb] {
        waiter.send(&encode(&[
            b"BZMPOP",
            b"0",
            b"2",
            za.as_bytes(),
            zb.as_bytes(),
            b"MIN",
        ]));
        wait_blocked(&server, 1);
        assert_eq!(
            other.call(&[b"ZADD", key.as_bytes(), b"1", b"m"]),
            b":1\r\n"
        );
        let want = format!(
            "*2\r\n${}\r\n{key}\r\n*1\r\n*2\r\n$1\r\nm\r\n$1\r\n1\r\n",
            key.len()
        );
        assert_eq!(escape(&waiter.read_reply()), escape(want.as_bytes()));
    }
    // A cross-core MULTI/EXEC that creates the key wakes the waiter once it ends.
    waiter.send(&encode(&[b"BLPOP", src.as_bytes(), b"0"]));
    wait_blocked(&server, 1);
    assert_eq!(other.call(&[b"MULTI"]), b"+OK\r\n");
    assert_eq!(
        other.call(&[b"RPUSH", src.as_bytes(), b"1", b"2"]),
        b"+QUEUED\r\n"
    );
    assert_eq!(other.call(&[b"SET", dst.as_bytes(), b"v"]), b"+QUEUED\r\n");
    assert_eq!(other.call(&[b"EXEC"]), b"*2\r\n:2\r\n+OK\r\n");
    let want = format!("*2\r\n${}\r\n{src}\r\n$1\r\n1\r\n", src.len());
    assert_eq!(escape(&waiter.read_reply()), escape(want.as_bytes()));
}

#[test]
fn disconnected_waiters_lose_no_elements() {
    let server = Server::start(&["--cores", "2"]);
    let (a, b) = keys_on_both_cores("gone");
    for _ in 0..5 {
        let mut waiter = server.conn();
        waiter.send(&encode(&[b"BLPOP", a.as_bytes(), b.as_bytes(), b"0"]));
        wait_blocked(&server, 1);
        drop(waiter);
        wait_blocked(&server, 0);
    }
    // Commands pipelined behind the blocking one do not hide the disconnect.
    let mut waiter = server.conn();
    let blpop = encode(&[b"BLPOP", a.as_bytes(), b"0"]);
    waiter.send(&[blpop, encode(&[b"LPUSH", b"late", b"1"])].concat());
    wait_blocked(&server, 1);
    drop(waiter);
    wait_blocked(&server, 0);
    let mut c = server.conn();
    assert_eq!(c.call(&[b"EXISTS", b"late"]), b":0\r\n");
    assert_eq!(c.call(&[b"RPUSH", a.as_bytes(), b"x"]), b":1\r\n");
    assert_eq!(c.call(&[b"RPUSH", b.as_bytes(), b"y"]), b":1\r\n");
    assert_eq!(c.call(&[b"LLEN", a.as_bytes()]), b":1\r\n");
    assert_eq!(c.call(&[b"LLEN", b.as_bytes()]), b":1\r\n");
    // A waiter that timed out is gone as well.
    assert_eq!(c.call(&[b"BLPOP", b"nokey", b"0.01"]), b"*-1\r\n");
    assert_eq!(c.call(&[b"RPUSH", b"nokey", b"z"]), b":1\r\n");
    assert_eq!(c.call(&[b"LLEN", b"nokey"]), b":1\r\n");
    // A killed waiter is let go too.
    let mut waiter = server.conn();
    let id = waiter.call(&[b"CLIENT", b"ID"]);
    let id = String::from_utf8_lossy(&id[1..id.len() - 2]).to_string();
    waiter.send(&encode(&[b"BLPOP", b"k", b"0"]));
    wait_blocked(&server, 1);
    assert_eq!(
        c.call(&[b"CLIENT", b"KILL", b"ID", id.as_bytes()]),
        b":1\r\n"
    );
    wait_blocked(&server, 0);
    let _ = Conn::connect(server.port);
}

#[test]
fn info_counts_blocked_clients_and_their_timeouts() {
    let mut s = Scenario::start(3);
    s.block(0, "BLPOP k 30", 1);
    s.block(1, "BZPOPMIN z 0", 2);
    let info = |server: &Server| {
        let mut c = server.conn();
        let text = String::from_utf8_lossy(&c.call(&[b"INFO", b"clients"])).to_string();
        text.lines()
            .filter(|l| l.starts_with("blocked_clients") || l.contains("timeout_table"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(info(&s.pair.subject), info(&s.pair.oracle));
    assert_eq!(
        info(&s.pair.subject),
        ["blocked_clients:2", "clients_in_timeout_table:1"]
    );
    let flags = |server: &Server| {
        let mut c = server.conn();
        let list = String::from_utf8_lossy(&c.call(&[b"CLIENT", b"LIST"])).to_string();
        list.matches("flags=b ").count()
    };
    assert_eq!(flags(&s.pair.subject), 2);
    assert_eq!(flags(&s.pair.oracle), 2);
    s.call(2, "RPUSH k v");
    s.reply(0);
    s.call(2, "ZADD z 1 m");
    s.reply(1);
    s.wait_blocked(0);
}

/// CLIENT UNBLOCK on a waiter (as a timeout and with the UNBLOCKED error) and on clients not
/// waiting; the replies of both servers, in order.
fn unblock_script(server: &Server) -> Vec<Vec<u8>> {
    let mut c = server.conn();
    let mut waiter = server.conn();
    let id = waiter.call(&[b"CLIENT", b"ID"]);
    let id = id[1..id.len() - 2].to_vec();
    let mut replies = vec![c.call(&[b"CLIENT", b"UNBLOCK", &id])];
    for (cmd, reason) in [
        (
            &[b"BLPOP".as_slice(), b"k", b"0"][..],
            b"TIMEOUT".as_slice(),
        ),
        (&[b"BLMOVE", b"k", b"d", b"LEFT", b"LEFT", b"0"], b"ERROR"),
        (&[b"BZPOPMIN", b"z", b"100"], b"timeout"),
    ] {
        waiter.send(&encode(cmd));
        wait_blocked(server, 1);
        replies.push(c.call(&[b"CLIENT", b"UNBLOCK", &id, reason]));
        replies.push(waiter.read_reply());
        wait_blocked(server, 0);
    }
    for bad in [
        &[b"CLIENT".as_slice(), b"UNBLOCK"][..],
        &[b"CLIENT", b"UNBLOCK", b"x"],
        &[b"CLIENT", b"UNBLOCK", b"1", b"maybe"],
        &[b"CLIENT", b"UNBLOCK", b"1", b"2", b"3"],
        &[b"CLIENT", b"UNBLOCK", b"-4"],
    ] {
        replies.push(c.call(bad));
    }
    replies.push(waiter.call(&[b"LPUSH", b"k", b"still"]));
    replies
}

#[test]
fn client_unblock_matches_oracle() {
    let pair = Pair::start(&["--cores", "2"]);
    let ours = unblock_script(&pair.subject);
    let theirs = unblock_script(&pair.oracle);
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(escape(a), escape(b));
    }
}

/// A cluster-mode node owning every slot (SoliKV with two data cores, or the oracle).
fn cluster_node(oracle: bool) -> Server {
    let bus = (cluster_port() + 10000).to_string();
    let flags = ["--cluster-enabled", "yes", "--cluster-port", &bus];
    let server = if oracle {
        Server::oracle_with(&flags)
    } else {
        Server::start(&[&["--cores", "2"][..], &flags].concat())
    };
    let mut c = server.conn();
    assert_eq!(
        c.call(&[b"CLUSTER", b"ADDSLOTSRANGE", b"0", b"16383"]),
        b"+OK\r\n"
    );
    let start = Instant::now();
    while !String::from_utf8_lossy(&c.call(&[b"CLUSTER", b"INFO"])).contains("cluster_state:ok") {
        assert!(start.elapsed() < DEADLINE, "{} never came up", server.name);
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

#[test]
fn cluster_mode_checks_slots_before_blocking() {
    let pair = Pair {
        subject: cluster_node(false),
        oracle: cluster_node(true),
    };
    let mut s = Scenario::on(pair, 2);
    s.call(0, "BLPOP a b 0");
    s.call(0, "BLMOVE {t}a other LEFT LEFT 0");
    s.call(0, "BLMPOP 0 2 {t}a {u}b LEFT");
    s.block(0, "BLPOP {t}a {t}b 0", 1);
    s.call(1, "RPUSH {t}b x");
    s.reply(0);
    s.block(0, "BZMPOP 0 2 {t}z {t}y MIN", 1);
    s.call(1, "ZADD {t}y 1 m");
    s.reply(0);
    // A waiter whose slot stops being served here is let go with the redirect.
    s.block(0, "BLPOP a 0", 1);
    s.call(1, "CLUSTER DELSLOTS 15495");
    s.reply(0);
    s.wait_blocked(0);
    s.call(0, "BLPOP a 0");
    s.call(0, "BLPOP a 0.01");
}

#[test]
fn many_workers_on_one_queue_each_get_one_job_in_order() {
    let server = Server::start(&["--cores", "2"]);
    let n = 40;
    let mut workers: Vec<Conn> = (0..n).map(|_| server.conn()).collect();
    for (i, w) in workers.iter_mut().enumerate() {
        w.send(&encode(&[b"BRPOP", b"jobs", b"0"]));
        wait_blocked(&server, i + 1);
    }
    let mut producer = server.conn();
    let jobs: Vec<Vec<u8>> = (0..n).map(|i| format!("job{i}").into_bytes()).collect();
    let mut push: Vec<&[u8]> = vec![b"LPUSH", b"jobs"];
    push.extend(jobs.iter().map(Vec::as_slice));
    assert_eq!(producer.call(&push), format!(":{n}\r\n").as_bytes());
    for (i, w) in workers.iter_mut().enumerate() {
        let want = format!("*2\r\n$4\r\njobs\r\n${}\r\njob{i}\r\n", jobs[i].len());
        assert_eq!(
            escape(&w.read_reply()),
            escape(want.as_bytes()),
            "worker {i}"
        );
    }
    wait_blocked(&server, 0);
    assert_eq!(producer.call(&[b"EXISTS", b"jobs"]), b":0\r\n");
}
