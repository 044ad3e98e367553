//! Tests of `config`: loading from the command line and files, CONFIG GET/SET with
//! redis-server 7.0.15's exact replies, and CONFIG REWRITE. Expected texts were taken from the
//! local redis-server.

use std::ffi::OsString;
use std::path::PathBuf;

use super::*;

fn args(list: &[&str]) -> Vec<OsString> {
    std::iter::once("solikv")
        .chain(list.iter().copied())
        .map(OsString::from)
        .collect()
}

fn load(list: &[&str]) -> Result<Config, ConfigError> {
    Config::from_args(args(list))
}

fn set(c: &mut Config, pairs: &[(&str, &str)]) -> Result<(), String> {
    let pairs: Vec<(&[u8], &[u8])> = pairs
        .iter()
        .map(|(n, v)| (n.as_bytes(), v.as_bytes()))
        .collect();
    c.set(&pairs)
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let unique = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "solikv-config-{tag}-{}-{unique}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn config_is_clone_and_send() {
    fn check<T: Clone + Send + 'static>() {}
    check::<Config>();
    check::<ConfigError>();
}

#[test]
fn defaults_match_redis_server() {
    let c = Config::defaults();
    assert_eq!(c.get("port").unwrap(), "6379");
    assert_eq!(c.get("bind").unwrap(), "* -::*");
    assert_eq!(c.get("save").unwrap(), "3600 1 300 100 60 10000");
    assert_eq!(
        c.get("client-output-buffer-limit").unwrap(),
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    );
    assert_eq!(c.get("proto-max-bulk-len").unwrap(), "536870912");
    assert_eq!(c.get("slave-read-only").unwrap(), "yes");
    assert_eq!(c.get("lua-time-limit").unwrap(), "5000");
    assert_eq!(
        c.get("dir").unwrap(),
        std::env::current_dir().unwrap().to_string_lossy()
    );
    assert_eq!(c.port(), 6379);
    assert_eq!(c.bind(), ["*", "-::*"]);
    assert_eq!((c.shards(), c.cores(), c.pin()), (0, 0, true));
    assert_eq!(c.requirepass(), None);
    assert_eq!(c.maxclients(), 10000);
    assert_eq!(c.proto_max_bulk_len(), 536870912);
    assert_eq!(c.client_query_buffer_limit(), 1 << 30);
    assert!(!c.cluster_enabled());
    assert_eq!(
        (c.hz(), c.timeout(), c.tcp_backlog(), c.tcp_keepalive()),
        (10, 0, 511, 300)
    );
    assert_eq!(c.loglevel(), "notice");
    assert_eq!(c.config_file(), None);
    assert!(c.get("no-such").is_none());
}

#[test]
fn command_line_forms() {
    let c = load(&[
        "--port",
        "7000",
        "--cluster-enabled",
        "--save",
        "",
        "--bind",
        "127.0.0.1",
        "::1",
        "--slowlog-log-slower-than",
        "-1",
        "--maxmemory",
        "1gb",
        "--requirepass",
        "s3cret",
        "--shards",
        "8",
        "--cores",
        "2",
        "--pin",
        "no",
        "--loglevel",
        "WARNING",
    ])
    .unwrap();
    assert_eq!(c.port(), 7000);
    assert!(c.cluster_enabled());
    assert_eq!(c.get("save").unwrap(), "");
    assert_eq!(c.bind(), ["127.0.0.1", "::1"]);
    assert_eq!(c.get("slowlog-log-slower-than").unwrap(), "-1");
    assert_eq!(c.get("maxmemory").unwrap(), "1073741824");
    assert_eq!(c.requirepass(), Some(b"s3cret".to_vec()));
    assert_eq!((c.shards(), c.cores(), c.pin()), (8, 2, false));
    assert_eq!(c.loglevel(), "warning");
    let c = load(&[
        "--cluster-enabled",
        "yes",
        "--bind",
        "*",
        "-::*",
        "--port",
        "7001",
    ])
    .unwrap();
    assert!(c.cluster_enabled());
    assert_eq!(c.bind(), ["*", "-::*"]);
    assert_eq!(c.port(), 7001);
    let c = load(&["--port=7002", "--slaveof", "10.0.0.1", "6380"]).unwrap();
    assert_eq!(c.port(), 7002);
    assert_eq!(c.get("replicaof").unwrap(), "10.0.0.1 6380");
}

#[test]
fn command_line_keeps_order_of_repeated_directives() {
    let c = load(&["--save", "100", "1", "--port", "1", "--save", "200", "2"]).unwrap();
    assert_eq!(c.get("save").unwrap(), "100 1 200 2");
    let c = load(&["--save", "", "--save", "100", "1"]).unwrap();
    assert_eq!(c.get("save").unwrap(), "100 1");
    let c = load(&["--replicaof", "a", "1", "--slaveof", "b", "2"]).unwrap();
    assert_eq!(c.get("replicaof").unwrap(), "b 2");
    let c = load(&["--appendonly", "--port", "5", "--appendonly", "no"]).unwrap();
    assert_eq!(c.get("appendonly").unwrap(), "no");
    let c = load(&["--appendonly", "no", "--port", "5", "--appendonly"]).unwrap();
    assert_eq!(c.get("appendonly").unwrap(), "yes");
}

#[test]
fn command_line_errors_are_one_line() {
    let e = load(&["--port", "abc"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "command line: directive '--port': argument couldn't be parsed into an integer"
    );
    let e = load(&["--port", "70000"]).unwrap_err();
    assert_eq!(e.reason, "argument must be between 0 and 65535 inclusive");
    let e = load(&["--hz", "1", "2"]).unwrap_err();
    assert_eq!(e.reason, "wrong number of arguments");
    let e = load(&["--no-such-thing", "1"]).unwrap_err();
    assert_eq!(e.location, "command line");
    assert!(e.to_string().contains("--no-such-thing"), "{e}");
    assert!(!e.to_string().contains('\n'));
    let e = load(&["--port", "7000", "--bogus"]).unwrap_err();
    assert!(e.to_string().contains("--bogus"), "{e}");
    let e = load(&["--save", "100"]).unwrap_err();
    assert_eq!(e.reason, "Invalid save parameters");
    let e = load(&["--appendfsync", "sometimes"]).unwrap_err();
    assert_eq!(
        e.reason,
        "argument(s) must be one of the following: everysec, always, no"
    );
    let e = load(&["--dir", "/nonexistent/solikv"]).unwrap_err();
    assert_eq!(e.reason, "No such file or directory");
    let e = load(&["/nonexistent/solikv.conf"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/nonexistent/solikv.conf: can't open config file: No such file or directory"
    );
}

#[test]
fn help_lists_every_directive() {
    let mut cmd = cli::command();
    let help = cmd.render_long_help().to_string();
    for d in DIRECTIVES {
        assert!(
            help.contains(&format!("--{} ", d.name)),
            "{} missing from --help",
            d.name
        );
    }
    assert!(help.contains("SoliKV:"));
    assert!(help.contains("Cluster:"));
    cmd.debug_assert();
}

#[test]
fn file_with_comments_quotes_and_overrides() {
    let tmp = TempDir::new("file");
    let path = tmp.file(
        "solikv.conf",
        "# SoliKV test\n\nport 7100\n  # indented comment\nrequirepass \"p a\\x41ss\"\n\
         SAVE 900 1\nsave 300 10\nbind 127.0.0.1 ::1\nmasterauth 'it\\'s'\n\
         client-output-buffer-limit pubsub 32mb 8mb 60\nhash-max-ziplist-entries 64\n",
    );
    let c = load(&[path.to_str().unwrap(), "--port", "7200"]).unwrap();
    assert_eq!(c.port(), 7200);
    assert_eq!(c.requirepass(), Some(b"p aAss".to_vec()));
    assert_eq!(c.get("save").unwrap(), "900 1 300 10");
    assert_eq!(c.bind(), ["127.0.0.1", "::1"]);
    assert_eq!(c.get("masterauth").unwrap(), "it's");
    assert_eq!(
        c.get("client-output-buffer-limit").unwrap(),
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    );
    assert_eq!(c.get("hash-max-listpack-entries").unwrap(), "64");
    assert_eq!(c.config_file(), Some(std::fs::canonicalize(&path).unwrap()));
}

#[test]
fn file_errors_name_file_and_line() {
    let tmp = TempDir::new("errors");
    let cases = [
        (
            "port 1\nhz abc\n",
            2,
            "hz",
            "argument couldn't be parsed into an integer",
        ),
        (
            "\n\nfoo bar\n",
            3,
            "foo",
            "Bad directive or wrong number of arguments",
        ),
        (
            "appendonly maybe\n",
            1,
            "appendonly",
            "argument must be 'yes' or 'no'",
        ),
        (
            "include /etc/other.conf\n",
            1,
            "include",
            "include is not supported; merge the files instead",
        ),
        (
            "maxmemory 1.5gb\n",
            1,
            "maxmemory",
            "argument must be a memory value",
        ),
        (
            "replicaof localhost\n",
            1,
            "replicaof",
            "wrong number of arguments",
        ),
        (
            "cluster-enabled\n",
            1,
            "cluster-enabled",
            "wrong number of arguments",
        ),
    ];
    for (text, line, directive, reason) in cases {
        let path = tmp.file("bad.conf", text);
        let e = load(&[path.to_str().unwrap()]).unwrap_err();
        let shown = path.display();
        assert_eq!(
            e.to_string(),
            format!("{shown}:{line}: directive '{directive}': {reason}")
        );
    }
    let path = tmp.file("quotes.conf", "port 1\nrequirepass \"abc\n");
    let e = load(&[path.to_str().unwrap()]).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}:2: Unbalanced quotes in configuration line",
            path.display()
        )
    );
}

#[test]
fn get_matching_follows_redis_rules() {
    let c = Config::defaults();
    let get = |patterns: &[&str]| -> Vec<(String, String)> {
        let p: Vec<&[u8]> = patterns.iter().map(|p| p.as_bytes()).collect();
        c.get_matching(&p)
    };
    let all = get(&["*"]);
    assert_eq!(all.len(), 196);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"slaveof") && names.contains(&"replicaof"));
    assert!(names.contains(&"hash-max-ziplist-value"));
    // Exact names keep the spelling asked for; a name is reported once, case ignored.
    assert_eq!(
        get(&["HZ", "Hz", "hz"]),
        [("HZ".to_string(), "10".to_string())]
    );
    assert_eq!(
        get(&["slave-read-only", "SLAVE-READ-*"]),
        [("slave-read-only".to_string(), "yes".to_string())]
    );
    let mut both = get(&["slave-read-*", "replica-read-*"]);
    both.sort();
    assert_eq!(
        both,
        [
            ("replica-read-only".into(), "yes".into()),
            ("slave-read-only".into(), "yes".into())
        ]
    );
    assert!(get(&["nonexist"]).is_empty());
    assert_eq!(
        get(&["maxmemory-p*"]),
        [("maxmemory-policy".into(), "noeviction".into())]
    );
    assert_eq!(get(&["[H]z"]), [("hz".into(), "10".into())]);
    assert_eq!(get(&["port", "port"]).len(), 1);
}

#[test]
fn set_and_get_round_trips() {
    let mut c = Config::defaults();
    set(
        &mut c,
        &[("maxmemory", "1Gb"), ("hz", "100"), ("timeout", "30")],
    )
    .unwrap();
    assert_eq!(c.get("maxmemory").unwrap(), "1073741824");
    assert_eq!((c.hz(), c.timeout()), (100, 30));
    set(&mut c, &[("hz", "100000")]).unwrap();
    assert_eq!(c.get("hz").unwrap(), "500");
    set(&mut c, &[("hz", "0")]).unwrap();
    assert_eq!(c.hz(), 1);
    set(
        &mut c,
        &[("appendonly", "YES"), ("maxmemory-policy", "ALLKEYS-LRU")],
    )
    .unwrap();
    assert_eq!(c.get("appendonly").unwrap(), "yes");
    assert_eq!(c.get("maxmemory-policy").unwrap(), "allkeys-lru");
    set(&mut c, &[("save", "")]).unwrap();
    assert_eq!(c.get("save").unwrap(), "");
    set(&mut c, &[("save", "20 1 10 0")]).unwrap();
    assert_eq!(c.get("save").unwrap(), "20 1 10 0");
    set(&mut c, &[("bind", "127.0.0.1 ::1")]).unwrap();
    assert_eq!(c.bind(), ["127.0.0.1", "::1"]);
    set(&mut c, &[("client-output-buffer-limit", "normal 1mb 2k 3")]).unwrap();
    set(
        &mut c,
        &[("client-output-buffer-limit", "replica 1 2 3 pubsub 4 5 6")],
    )
    .unwrap();
    assert_eq!(
        c.get("client-output-buffer-limit").unwrap(),
        "normal 1048576 2000 3 slave 1 2 3 pubsub 4 5 6"
    );
    set(&mut c, &[("notify-keyspace-events", "KEA")]).unwrap();
    assert_eq!(c.get("notify-keyspace-events").unwrap(), "AKE");
    for (given, shown) in [
        ("Elg", "glE"),
        ("EKndmtexzhsl$g", "AKEm"),
        ("Kn", "nK"),
        ("Etd", "tdE"),
        ("", ""),
    ] {
        set(&mut c, &[("notify-keyspace-events", given)]).unwrap();
        assert_eq!(c.get("notify-keyspace-events").unwrap(), shown, "{given}");
    }
    set(
        &mut c,
        &[("latency-tracking-info-percentiles", "1.50 0.1 1e1")],
    )
    .unwrap();
    assert_eq!(
        c.get("latency-tracking-info-percentiles").unwrap(),
        "1.5 0.1 10"
    );
    for (given, shown) in [
        ("10%", "10%"),
        ("0%", "0"),
        ("100%", "100%"),
        ("1k", "1000"),
    ] {
        set(&mut c, &[("maxmemory-clients", given)]).unwrap();
        assert_eq!(c.get("maxmemory-clients").unwrap(), shown);
    }
    set(
        &mut c,
        &[("slave-read-only", "no"), ("replica-read-only", "yes")],
    )
    .unwrap();
    assert_eq!(c.get("slave-read-only").unwrap(), "yes");
    set(&mut c, &[("requirepass", "pw"), ("port", "7777")]).unwrap();
    assert_eq!((c.requirepass(), c.port()), (Some(b"pw".to_vec()), 7777));
    set(&mut c, &[("requirepass", "")]).unwrap();
    assert_eq!(c.requirepass(), None);
}

#[test]
fn memory_values() {
    let mut c = Config::defaults();
    let cases = [
        ("1G", Some("1000000000")),
        ("1Gb", Some("1073741824")),
        ("1gB", Some("1073741824")),
        ("1K", Some("1000")),
        ("1kB", Some("1024")),
        ("", Some("0")),
        ("1b", Some("1")),
        ("1B", Some("1")),
        ("007", Some("7")),
        ("k", Some("0")),
        ("1m", Some("1000000")),
        ("1mb", Some("1048576")),
        ("99999999999999999999", Some("18446744073709551615")),
        ("1 gb", None),
        ("1.5gb", None),
        (" 1", None),
        ("1t", None),
        ("0x10", None),
        ("+5", None),
        ("1kbb", None),
        ("-1", None),
    ];
    for (given, want) in cases {
        let result = set(&mut c, &[("maxmemory", given)]);
        match want {
            Some(v) => {
                assert_eq!(result, Ok(()), "{given:?}");
                assert_eq!(c.get("maxmemory").unwrap(), v, "{given:?}");
            }
            None => assert_eq!(
                result.unwrap_err(),
                "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
                "{given:?}"
            ),
        }
    }
}

#[test]
fn set_errors_match_redis_server() {
    let mut c = Config::defaults();
    let failed = |name: &str, reason: &str| {
        format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}")
    };
    let cases: Vec<(Vec<(&str, &str)>, String)> = vec![
        (vec![("foo", "bar")], "ERR Unknown option or number of arguments for CONFIG SET - 'foo'".into()),
        (vec![("hz", "10"), ("HZ", "11")], failed("HZ", "duplicate parameter")),
        (vec![("hz", "1"), ("hz", "2"), ("foo", "bar")], failed("hz", "duplicate parameter")),
        (vec![("hz", "abc"), ("foo", "bar")], "ERR Unknown option or number of arguments for CONFIG SET - 'foo'".into()),
        (vec![("hz", "abc"), ("daemonize", "no")], failed("daemonize", "can't set immutable config")),
        (vec![("hz", "abc"), ("maxclients", "xyz")], failed("hz", "argument couldn't be parsed into an integer")),
        (vec![("dir", "/tmp")], failed("dir", "can't set protected config")),
        (vec![("dbfilename", "x.rdb")], failed("dbfilename", "can't set protected config")),
        (vec![("cluster-enabled", "yes")], failed("cluster-enabled", "can't set immutable config")),
        (vec![("replicaof", "")], failed("replicaof", "can't set immutable config")),
        (vec![("shards", "4")], failed("shards", "can't set immutable config")),
        (vec![("hz", "-1")], failed("hz", "argument must be between 0 and 2147483647 inclusive")),
        (vec![("maxclients", "99999999999")], failed("maxclients", "argument must be between 1 and 4294967295 inclusive")),
        (vec![("slowlog-log-slower-than", "-100000")], failed("slowlog-log-slower-than", "argument must be between -1 and 9223372036854775807 inclusive")),
        (vec![("list-max-listpack-size", "100000000000")], failed("list-max-listpack-size", "argument must be between -2147483648 and 2147483647 inclusive")),
        (vec![("proto-max-bulk-len", "1k")], failed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive")),
        (vec![("appendonly", "maybe")], failed("appendonly", "argument must be 'yes' or 'no'")),
        (vec![("maxmemory-policy", "x")], failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")),
        (vec![("save", "100")], failed("save", "Invalid save parameters")),
        (vec![("save", "0 0")], failed("save", "Invalid save parameters")),
        (vec![("save", "  10  2  ")], failed("save", "Invalid save parameters")),
        (vec![("save", "10 -2")], failed("save", "Invalid save parameters")),
        (vec![("client-output-buffer-limit", "master 1 2 3")], failed("client-output-buffer-limit", "Invalid client class specified in buffer limit configuration.")),
        (vec![("client-output-buffer-limit", "normal 1 2")], failed("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration.")),
        (vec![("client-output-buffer-limit", "normal 1 2 -3")], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")),
        (vec![("notify-keyspace-events", "KEq")], failed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")),
        (vec![("latency-tracking-info-percentiles", "50 x")], failed("latency-tracking-info-percentiles", "Invalid latency-tracking-info-percentiles parameters")),
        (vec![("latency-tracking-info-percentiles", "101")], failed("latency-tracking-info-percentiles", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")),
        (vec![("oom-score-adj-values", "1 2")], failed("oom-score-adj-values", "wrong number of arguments")),
        (vec![("oom-score-adj-values", "1 2 3000")], failed("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between -2000 and 2000.")),
        (vec![("maxmemory-clients", "101%")], failed("maxmemory-clients", "percentage argument must be less or equal to 100")),
        (vec![("maxmemory-clients", "x%")], failed("maxmemory-clients", "argument must be a memory or percent value")),
        (vec![("cluster-announce-hostname", "a_b")], failed("cluster-announce-hostname", "Hostnames may only contain alphanumeric characters, hyphens or dots")),
        (vec![("hz", "007")], failed("hz", "argument couldn't be parsed into an integer")),
        (vec![("hz", "+5")], failed("hz", "argument couldn't be parsed into an integer")),
        (vec![("hz", "-0")], failed("hz", "argument couldn't be parsed into an integer")),
        (vec![("hz", "")], failed("hz", "argument couldn't be parsed into an integer")),
    ];
    for (pairs, want) in cases {
        assert_eq!(set(&mut c, &pairs), Err(want), "{pairs:?}");
    }
}

#[test]
fn set_adjustments_like_redis_server() {
    let mut c = Config::defaults();
    set(&mut c, &[("repl-backlog-size", "1k")]).unwrap();
    assert_eq!(c.get("repl-backlog-size").unwrap(), "16384");
    let cob = c.get("client-output-buffer-limit");
    set(&mut c, &[("client-output-buffer-limit", "")]).unwrap();
    assert_eq!(c.get("client-output-buffer-limit"), cob);
    let tls = "Unable to update TLS configuration. Check server logs.";
    for (name, value) in [
        ("tls-port", "6380"),
        ("tls-replication", "yes"),
        ("tls-cluster", "yes"),
    ] {
        let want = format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {tls}");
        assert_eq!(set(&mut c, &[(name, value)]), Err(want));
    }
    set(&mut c, &[("tls-port", "0"), ("tls-cluster", "no")]).unwrap();
    // At start-up the backlog size is kept as given and hz is still clamped.
    let c = load(&["--repl-backlog-size", "1", "--hz", "100000"]).unwrap();
    assert_eq!(c.get("repl-backlog-size").unwrap(), "1");
    assert_eq!(c.hz(), 500);
}

#[test]
fn set_is_all_or_nothing() {
    let mut c = Config::defaults();
    let err = set(
        &mut c,
        &[("timeout", "30"), ("maxmemory", "1gb"), ("hz", "abc")],
    );
    assert!(err.is_err());
    assert_eq!(c.get("timeout").unwrap(), "0");
    assert_eq!(c.get("maxmemory").unwrap(), "0");
    assert_eq!(c.timeout(), 0);
}

#[test]
fn protected_configs_when_enabled() {
    let mut c = load(&["--enable-protected-configs", "yes"]).unwrap();
    let tmp = TempDir::new("protected");
    set(&mut c, &[("dir", tmp.0.to_str().unwrap())]).unwrap();
    assert_eq!(c.dir(), std::fs::canonicalize(&tmp.0).unwrap());
    assert_eq!(
        set(&mut c, &[("dir", "/nonexistent/dir")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory"
    );
}

#[test]
fn rewrite_without_file() {
    assert_eq!(
        Config::defaults().rewrite().unwrap_err(),
        "ERR The server is running without a config file"
    );
}

#[test]
fn rewrite_keeps_comments_and_order() {
    let tmp = TempDir::new("rewrite");
    let original = "# top comment\nport 7100\n\n# persistence\nsave 900 1\nsave 300 10\n\
                    include-me-not\nrequirepass old\n# tail comment\n";
    let path = tmp.file("solikv.conf", &original.replace("include-me-not\n", ""));
    let mut c = load(&[path.to_str().unwrap(), "--maxmemory", "100mb"]).unwrap();
    set(
        &mut c,
        &[
            ("port", "7200"),
            ("requirepass", "new pass"),
            ("hz", "20"),
            ("save", "60 5"),
        ],
    )
    .unwrap();
    c.rewrite().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "# top comment\nport 7200\n\n# persistence\nsave 60 5\n\nrequirepass \"new pass\"\n\
         # tail comment\n\n# Generated by CONFIG REWRITE\nhz 20\nmaxmemory 100mb\n"
    );
    // The rewritten file loads back to the same values, and a second rewrite is stable.
    let again = load(&[path.to_str().unwrap()]).unwrap();
    for (name, value) in c.get_matching(&[b"*"]) {
        assert_eq!(again.get(&name), Some(value), "{name}");
    }
    again.rewrite().unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let leftovers = std::fs::read_dir(&tmp.0).unwrap().count();
    assert_eq!(leftovers, 1, "temporary file left behind");
}

#[test]
fn rewrite_multi_line_directives() {
    let tmp = TempDir::new("rewrite-multi");
    let path = tmp.file("solikv.conf", "slaveof 10.0.0.1 6379\n");
    let mut c = load(&[path.to_str().unwrap(), "--save", ""]).unwrap();
    set(
        &mut c,
        &[
            ("client-output-buffer-limit", "normal 1mb 2 3"),
            ("bind", "127.0.0.1 ::1"),
            ("notify-keyspace-events", "KEA"),
        ],
    )
    .unwrap();
    c.rewrite().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "replicaof 10.0.0.1 6379\n\n# Generated by CONFIG REWRITE\nbind 127.0.0.1 ::1\n\
         client-output-buffer-limit normal 1mb 2 3\nnotify-keyspace-events \"AKE\"\nsave \"\"\n"
    );
    let again = load(&[path.to_str().unwrap()]).unwrap();
    assert_eq!(again.get("save").unwrap(), "");
    assert_eq!(
        again.get("client-output-buffer-limit"),
        c.get("client-output-buffer-limit")
    );
}

#[test]
fn every_default_parses_as_its_own_kind() {
    for d in DIRECTIVES {
        if d.kind == Kind::Dir {
            continue;
        }
        let words: Vec<&str> = if d.kind.is_multi() {
            d.default.split(' ').filter(|w| !w.is_empty()).collect()
        } else {
            vec![d.default]
        };
        if d.kind == Kind::Replicaof && words.is_empty() {
            continue;
        }
        let parsed = value::parse(d.kind, d.default, &words);
        assert_eq!(parsed.as_deref(), Ok(d.default), "{}", d.name);
    }
}
