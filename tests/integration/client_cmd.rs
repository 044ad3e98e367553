//! CLIENT against the oracle: LIST's TYPE and ID filters, KILL's TYPE and USER filters, the
//! `cmd=` and `idle=` fields, and SETINFO's error order (Redis 7.2, checked on SoliKV alone
//! since the 7.0 oracle lacks SETINFO).
//!
//! CLIENT LIST lines differ between the servers in ids, ports and fields SoliKV does not
//! track, so the checks compare error replies byte for byte and, for lines, their count and
//! the fields that are deterministic.

use std::time::{Duration, Instant};

use super::harness::{subject_is_redis, words, DiffConn, Pair, Server};
use super::resp::{decode, encode, Conn};

const DEADLINE: Duration = Duration::from_secs(10);

/// The lines of a CLIENT LIST / CLIENT INFO reply.
fn lines(reply: &[u8]) -> Vec<String> {
    let (value, _) = decode(reply).expect("decodable").expect("complete");
    let text = value
        .bytes()
        .unwrap_or_else(|| panic!("not a string: {value:?}"));
    String::from_utf8_lossy(text)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The value of `name=` in one CLIENT LIST line.
fn field(line: &str, name: &str) -> String {
    let prefix = format!("{name}=");
    line.split(' ')
        .find_map(|f| f.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {name}= in {line}"))
        .to_string()
}

/// The connection's id, as a decimal argument.
fn client_id(conn: &mut Conn) -> String {
    let reply = conn.call(&[b"CLIENT", b"ID"]);
    String::from_utf8_lossy(&reply[1..reply.len() - 2]).into_owned()
}

/// The CLIENT LIST line of client `id`, as another connection sees it.
fn line_of(observer: &mut Conn, id: &str) -> String {
    let found = lines(&observer.call(&[b"CLIENT", b"LIST", b"ID", id.as_bytes()]));
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// Polls `CLIENT LIST args` on both servers until each lists `want` clients.
fn wait_for_count(c: &mut DiffConn, args: &[&[u8]], want: usize) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let (subject, oracle) = c.both(args);
        let counts = (lines(&subject).len(), lines(&oracle).len());
        if counts == (want, want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{args:?}: {counts:?}, want {want}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn client_list_and_kill_filter_errors_match_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "CLIENT LIST TYPE bogus",
        "CLIENT LIST TYPE",
        "CLIENT LIST ID",
        "CLIENT LIST ID abc",
        "CLIENT LIST ID 1 abc",
        "CLIENT LIST ID 1.5",
        "CLIENT LIST foo bar",
        "CLIENT LIST TYPE normal x",
        "CLIENT LIST TYPE bogus x",
        "CLIENT LIST ID 999999 -3 0",
        "CLIENT LIST TYPE master",
        "CLIENT LIST TYPE MASTER",
        "CLIENT LIST TYPE replica",
        "CLIENT LIST TYPE slave",
        "CLIENT LIST TYPE pubsub",
        "CLIENT KILL TYPE bogus",
        "CLIENT KILL TYPE bogus ID",
        "CLIENT KILL USER nobody",
        "CLIENT KILL USER DEFAULT",
        "CLIENT KILL USER nobody TYPE bogus",
        "CLIENT KILL ID 1 TYPE",
        "CLIENT KILL ID 0 TYPE bogus",
        "CLIENT KILL TYPE normal SKIPME maybe",
        "CLIENT KILL TYPE master",
        "CLIENT KILL TYPE slave",
        "CLIENT KILL TYPE pubsub",
        "CLIENT KILL USER default",
        "CLIENT KILL TYPE normal USER default",
        "CLIENT KILL NOSUCH x",
    ]);
    wait_for_count(&mut c, &[b"CLIENT", b"LIST", b"TYPE", b"normal"], 1);
    c.both(&[b"HELLO", b"3"]);
    c.check_all(&["CLIENT LIST ID 999999", "CLIENT LIST TYPE bogus"]);
}

#[test]
fn client_list_filters_select_the_same_clients_as_oracle() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    let servers: [&Server; 2] = [&pair.subject, &pair.oracle];
    let mut subscribers: Vec<Conn> = servers.iter().map(|s| s.conn()).collect();
    let mut resp3: Vec<Conn> = servers.iter().map(|s| s.conn()).collect();
    let ids: Vec<String> = subscribers.iter_mut().map(client_id).collect();
    for s in &mut subscribers {
        s.call(&[b"SUBSCRIBE", b"news", b"more"]);
    }
    for r in &mut resp3 {
        r.call(&[b"HELLO", b"3"]);
        r.call(&[b"SSUBSCRIBE", b"shard"]);
    }
    wait_for_count(&mut c, &[b"CLIENT", b"LIST", b"TYPE", b"pubsub"], 2);
    wait_for_count(&mut c, &[b"CLIENT", b"LIST", b"TYPE", b"NORMAL"], 1);
    wait_for_count(&mut c, &[b"CLIENT", b"LIST"], 3);
    // Each server's subscriber, listed by its own id, twice and around unknown ids.
    let list_twice = |server: &Server, id: &str| {
        let id = id.as_bytes();
        server
            .conn()
            .call(&[b"CLIENT", b"LIST", b"ID", id, b"999999", id])
    };
    let (subject, oracle) = (
        list_twice(&pair.subject, &ids[0]),
        list_twice(&pair.oracle, &ids[1]),
    );
    for (reply, id) in [(&subject, &ids[0]), (&oracle, &ids[1])] {
        let found = lines(reply);
        assert_eq!(found.len(), 2, "{found:?}");
        for line in &found {
            assert_eq!(field(line, "id"), *id);
            assert_eq!(
                (field(line, "flags"), field(line, "sub")),
                ("P".into(), "2".into())
            );
        }
    }
    // Leaving every channel makes a subscriber normal again.
    for s in &mut subscribers {
        s.call(&[b"UNSUBSCRIBE"]);
        s.read_reply();
    }
    wait_for_count(&mut c, &[b"CLIENT", b"LIST", b"TYPE", b"pubsub"], 1);
    wait_for_count(&mut c, &[b"CLIENT", b"LIST", b"TYPE", b"normal"], 2);
}

#[test]
fn client_kill_by_type_matches_oracle() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    let servers: [&Server; 2] = [&pair.subject, &pair.oracle];
    let mut normal: Vec<Conn> = Vec::new();
    let mut subscribers: Vec<Conn> = Vec::new();
    for server in servers {
        for _ in 0..3 {
            let mut conn = server.conn();
            conn.call(&[b"PING"]);
            normal.push(conn);
        }
        let mut sub = server.conn();
        sub.call(&[b"PSUBSCRIBE", b"n*"]);
        subscribers.push(sub);
    }
    wait_for_count(&mut c, &[b"CLIENT", b"LIST"], 5);
    c.check_all(&["CLIENT KILL TYPE master", "CLIENT KILL TYPE normal"]);
    let (subject, oracle) = c.both(&[b"CLIENT", b"LIST", b"TYPE", b"normal"]);
    assert_eq!((lines(&subject).len(), lines(&oracle).len()), (1, 1));
    c.check_all(&[
        "CLIENT KILL TYPE pubsub SKIPME no",
        "CLIENT LIST TYPE pubsub",
    ]);
    for conn in normal.iter_mut().chain(subscribers.iter_mut()) {
        let (_, ending) = conn.read_to_end(DEADLINE);
        assert_eq!(ending, super::resp::Ending::Closed);
    }
    // SKIPME no and a TYPE that includes the caller: it is counted, answered, then closed.
    c.check_all(&["CLIENT KILL TYPE normal SKIPME no USER default"]);
    let (subject, _) = c.subject.read_to_end(DEADLINE);
    let (oracle, _) = c.oracle.read_to_end(DEADLINE);
    assert_eq!((subject, oracle), (Vec::new(), Vec::new()));
}

#[test]
fn cmd_field_names_the_full_command_like_oracle() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let ids = (client_id(&mut c.subject), client_id(&mut c.oracle));
    let mut observers = (pair.subject.conn(), pair.oracle.conn());
    c.check_all(&["SET k v"]);
    for line in [
        "CONFIG GET maxmemory",
        "NOSUCH",
        "CONFIG NOSUB",
        "CONFIG",
        "config get maxmemory",
        "OBJECT ENCODING k",
        "SCRIPT EXISTS a",
        "COMMAND COUNT",
        "COMMAND",
        "PUBSUB NUMPAT",
        "client setname x",
        "CLIENT NOSUCH",
        "GET",
        "GET k",
        "MULTI",
        "SET a b",
        "OBJECT FREQ",
        "EXEC",
        "PING",
        "CLIENT GETNAME",
    ] {
        let words = words(line);
        let args: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        c.both(&args);
        let subject = field(&line_of(&mut observers.0, &ids.0), "cmd");
        let oracle = field(&line_of(&mut observers.1, &ids.1), "cmd");
        assert_eq!(subject, oracle, "cmd= after {line}");
    }
    let (subject, oracle) = c.both(&[b"CLIENT", b"INFO"]);
    assert_eq!(field(&lines(&subject)[0], "cmd"), "client|info");
    assert_eq!(field(&lines(&oracle)[0], "cmd"), "client|info");
}

#[test]
fn idle_counts_from_the_last_command_like_oracle() {
    let pair = Pair::start(&["--cores", "2"]);
    let mut c = pair.conns();
    let ids = (client_id(&mut c.subject), client_id(&mut c.oracle));
    let mut observers = (pair.subject.conn(), pair.oracle.conn());
    // Keys on both data cores, so a command served by the other core counts too.
    for key in ["k", "other", "third"] {
        std::thread::sleep(Duration::from_millis(1100));
        let idle = |observer: &mut Conn, id: &str| -> u64 {
            field(&line_of(observer, id), "idle").parse().unwrap()
        };
        assert!(idle(&mut observers.0, &ids.0) >= 1);
        assert!(idle(&mut observers.1, &ids.1) >= 1);
        // One batch, so that redis-server answers both in one event-loop pass (one clock
        // reading): its idle=0 is then certain.
        let batch = [
            encode(&[b"GET", key.as_bytes()]),
            encode(&[b"CLIENT", b"INFO"]),
        ]
        .concat();
        for conn in [&mut c.subject, &mut c.oracle] {
            conn.send(&batch);
            conn.read_reply();
            let info = lines(&conn.read_reply());
            assert_eq!(field(&info[0], "idle"), "0", "after GET {key}: {info:?}");
        }
        assert_eq!(field(&line_of(&mut observers.0, &ids.0), "idle"), "0");
    }
}

#[test]
fn setinfo_checks_the_attribute_before_the_value() {
    if subject_is_redis() {
        return; // CLIENT SETINFO is Redis 7.2; the oracle is 7.0.
    }
    let server = Server::start(&[]);
    let mut conn = server.conn();
    let cases: [(&[&[u8]], &[u8]); 6] = [
        (
            &[b"CLIENT", b"SETINFO", b"foo", b"a b"],
            b"-ERR Unrecognized option 'foo'\r\n",
        ),
        (
            &[b"CLIENT", b"SETINFO", b"foo", b"ok"],
            b"-ERR Unrecognized option 'foo'\r\n",
        ),
        (
            &[b"CLIENT", b"SETINFO", b"LIB-NAME", b"a b"],
            b"-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
        ),
        (
            &[b"CLIENT", b"SETINFO", b"lib-Ver", b"1\n2"],
            b"-ERR lib-Ver cannot contain spaces, newlines or special characters.\r\n",
        ),
        (&[b"CLIENT", b"SETINFO", b"Lib-Name", b"mylib"], b"+OK\r\n"),
        (&[b"CLIENT", b"SETINFO", b"LIB-VER", b"1.2"], b"+OK\r\n"),
    ];
    for (args, want) in cases {
        assert_eq!(conn.call(args), want, "{args:?}");
    }
    let info = lines(&conn.call(&[b"CLIENT", b"INFO"]));
    assert_eq!(
        (field(&info[0], "lib-name"), field(&info[0], "lib-ver")),
        ("mylib".into(), "1.2".into())
    );
}
