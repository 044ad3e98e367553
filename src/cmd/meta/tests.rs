//! Tests of the command table, key extraction and `COMMAND`, against bytes captured from
//! redis-server 7.0.15 (`testdata/` holds `COMMAND INFO` replies for every entry it knows).

use super::*;
use crate::protocol::reply::{Proto, Reply};

fn run(proto: Proto, line: &str) -> Vec<u8> {
    let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    let mut reply = Reply::new(proto);
    command(&args, &mut reply);
    reply.buf
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts byte equality, reporting only the neighbourhood of the first difference.
fn assert_same(ours: &[u8], oracle: &[u8]) {
    if ours == oracle {
        return;
    }
    let at = ours.iter().zip(oracle).take_while(|(a, b)| a == b).count();
    let from = at.saturating_sub(200);
    panic!(
        "first difference at byte {at}\nours:   {:?}\noracle: {:?}",
        text(&ours[from..(at + 100).min(ours.len())]),
        text(&oracle[from..(at + 100).min(oracle.len())])
    );
}

fn info_names() -> Vec<&'static str> {
    include_str!("testdata/info_names.txt").lines().collect()
}

#[test]
fn info_matches_oracle_for_every_entry() {
    let names = info_names();
    let line = format!("COMMAND INFO {}", names.join(" "));
    let oracle2: &[u8] = include_bytes!("testdata/info_all.resp2");
    let oracle3: &[u8] = include_bytes!("testdata/info_all.resp3");
    assert_same(&run(Proto::Resp2, &line), oracle2);
    assert_same(&run(Proto::Resp3, &line), oracle3);
}

/// `testdata/docs_own_words.*` is redis-server's `COMMAND DOCS` reply for the same names with
/// only the prose swapped for ours (summary, complexity, replaced_by) and `history` dropped.
#[test]
fn docs_match_oracle_apart_from_prose() {
    let line = format!("COMMAND DOCS {}", info_names().join(" "));
    let oracle2: &[u8] = include_bytes!("testdata/docs_own_words.resp2");
    let oracle3: &[u8] = include_bytes!("testdata/docs_own_words.resp3");
    assert_same(&run(Proto::Resp2, &line), oracle2);
    assert_same(&run(Proto::Resp3, &line), oracle3);
}

#[test]
fn get_and_lcs_entries_match_oracle_bytes() {
    let get2 = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
    let get3 = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
    let lcs3 = "*1\r\n*10\r\n$3\r\nlcs\r\n:-3\r\n~1\r\n+readonly\r\n:1\r\n:2\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";
    assert_eq!(text(&run(Proto::Resp2, "COMMAND INFO get")), get2);
    assert_eq!(text(&run(Proto::Resp3, "command info GET")), get3);
    assert_eq!(text(&run(Proto::Resp3, "COMMAND INFO lcs")), lcs3);
}

#[test]
fn container_entries_match_oracle_up_to_their_subcommands() {
    // redis-server lists subcommands in hash table order, which changes from one run to the
    // next, so containers are compared up to the subcommand array; each subcommand is compared
    // in `info_matches_oracle_for_every_entry`. redis-server 7.0.15 also has more CLIENT
    // subcommands than SoliKV and lacks SETINFO and NO-TOUCH.
    let heads = [
        (
            "client",
            "*1\r\n*10\r\n$6\r\nclient\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*12\r\n",
            "*1\r\n*10\r\n$6\r\nclient\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*12\r\n",
        ),
        (
            "command",
            "*1\r\n*10\r\n$7\r\ncommand\r\n:-1\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*1\r\n$29\r\nnondeterministic_output_order\r\n*0\r\n*7\r\n",
            "*1\r\n*10\r\n$7\r\ncommand\r\n:-1\r\n~2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@slow\r\n+@connection\r\n~1\r\n$29\r\nnondeterministic_output_order\r\n~0\r\n*7\r\n",
        ),
        (
            "config",
            "*1\r\n*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*5\r\n",
            "*1\r\n*10\r\n$6\r\nconfig\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*5\r\n",
        ),
        (
            "object",
            "*1\r\n*10\r\n$6\r\nobject\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*5\r\n",
            "*1\r\n*10\r\n$6\r\nobject\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*5\r\n",
        ),
    ];
    for (name, head2, head3) in heads {
        let line = format!("COMMAND INFO {name}");
        assert!(text(&run(Proto::Resp2, &line)).starts_with(head2), "{name}");
        assert!(text(&run(Proto::Resp3, &line)).starts_with(head3), "{name}");
    }
    let setinfo = "*1\r\n*10\r\n$14\r\nclient|setinfo\r\n:4\r\n*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*2\r\n$24\r\nrequest_policy:all_nodes\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n";
    assert_eq!(
        text(&run(Proto::Resp2, "COMMAND INFO client|setinfo")),
        setinfo
    );
    let getredir = "*1\r\n*10\r\n$15\r\nclient|getredir\r\n:2\r\n*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n";
    assert_eq!(
        text(&run(Proto::Resp2, "COMMAND INFO client|getredir")),
        getredir
    );
}

#[test]
fn lookup_is_case_insensitive_and_total() {
    assert_eq!(lookup(b"gEt").unwrap().name, "get");
    assert_eq!(lookup(b"INCRBYFLOAT").unwrap().arity, 3);
    assert!(lookup(b"nosuch").is_none());
    assert!(lookup(b"").is_none());
    assert!(lookup(&[b'a'; 64]).is_none());
    for (i, meta) in all().iter().enumerate() {
        assert!(std::ptr::eq(
            lookup(meta.name.as_bytes()).unwrap(),
            &all()[i]
        ));
        assert!(meta.name.len() <= table::MAX_NAME_LEN);
        assert!(!meta.summary.is_empty() && !meta.since.is_empty() && !meta.group.is_empty());
        for sub in meta.subcommands {
            assert!(sub.name.starts_with(&format!("{}|", meta.name)));
            let short = &sub.name[meta.name.len() + 1..];
            let upper = short.to_ascii_uppercase();
            assert!(std::ptr::eq(
                lookup_sub(meta, upper.as_bytes()).unwrap(),
                sub
            ));
        }
    }
    let client = lookup(b"client").unwrap();
    assert!(lookup_sub(client, b"pause").is_none());
    assert_eq!(lookup_full_name(b"CLIENT|No-Evict").unwrap().arity, 3);
    assert!(lookup_full_name(b"client|id|x").is_none());
    assert!(lookup_full_name(b"get|x").is_none());
    assert_eq!(
        resolve(&[b"object", b"Freq", b"k"]).unwrap().name,
        "object|freq"
    );
    assert_eq!(resolve(&[b"object"]).unwrap().name, "object");
    assert!(resolve(&[b"object", b"nosuch"]).is_none());
    assert_eq!(resolve(&[b"get", b"k"]).unwrap().name, "get");
}

#[test]
fn keys_follow_key_specs() {
    let keys = |line: &str| {
        let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        command_keys(resolve(&args).unwrap(), &args)
    };
    assert_eq!(keys("GET k"), Ok(vec![1]));
    assert_eq!(keys("MSET a 1 b 2"), Ok(vec![1, 3]));
    assert_eq!(keys("MSET a 1 b"), Ok(vec![1, 3]));
    assert_eq!(keys("DEL a b c"), Ok(vec![1, 2, 3]));
    assert_eq!(keys("RENAME a b"), Ok(vec![1, 2]));
    assert_eq!(keys("LCS a b IDX"), Ok(vec![1, 2]));
    assert_eq!(keys("OBJECT ENCODING k"), Ok(vec![2]));
    assert_eq!(keys("PING"), Ok(vec![]));
    assert_eq!(keys("GET a b"), Err(KeysError::WrongArity));
    assert_eq!(keys("OBJECT ENCODING"), Err(KeysError::WrongArity));
}

const KEYNUM_META: CommandMeta = CommandMeta {
    name: "lmpop",
    arity: -4,
    key_specs: &[KeySpec {
        notes: "",
        flags: &["RW"],
        begin_search: BeginSearch::Index(1),
        find_keys: FindKeys::Keynum {
            keynum_idx: 0,
            first_key: 1,
            key_step: 1,
        },
    }],
    ..CommandMeta::EMPTY
};

const KEYWORD_META: CommandMeta = CommandMeta {
    name: "xread",
    arity: -4,
    key_specs: &[KeySpec {
        notes: "",
        flags: &["RO"],
        begin_search: BeginSearch::Keyword {
            keyword: "STREAMS",
            start_from: 1,
        },
        find_keys: FindKeys::Range {
            last_key: -1,
            key_step: 1,
            limit: 2,
        },
    }],
    ..CommandMeta::EMPTY
};

#[test]
fn keynum_and_keyword_specs() {
    let keys = |meta: &CommandMeta, line: &str| {
        let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        command_keys(meta, &args)
    };
    assert_eq!(keys(&KEYNUM_META, "lmpop 2 a b left"), Ok(vec![2, 3]));
    for loose in ["01", "+1", "1x", "1.0", "\t1"] {
        let line = format!("lmpop {loose} a left");
        assert_eq!(keys(&KEYNUM_META, &line), Ok(vec![2]), "{loose}");
    }
    // A count below 1 means no keys at all, as redis-server's key functions for these
    // commands decide (ZUNIONSTORE's destination included).
    let zunionstore = lookup(b"zunionstore").unwrap();
    assert_eq!(keys(zunionstore, "zunionstore d 1 a"), Ok(vec![1, 3]));
    assert_eq!(
        keys(zunionstore, "zunionstore d x a"),
        Err(KeysError::InvalidArguments)
    );
    for bad in ["0", "x", "-0", "0x1", "5", "-1", "99999999999999999999"] {
        let line = format!("lmpop {bad} a left");
        assert_eq!(
            keys(&KEYNUM_META, &line),
            Err(KeysError::InvalidArguments),
            "{bad}"
        );
    }
    let xread = "xread COUNT 2 streams s1 s2 0 0";
    assert_eq!(keys(&KEYWORD_META, xread), Ok(vec![4, 5]));
    assert_eq!(keys(&KEYWORD_META, "xread COUNT 2 x"), Ok(vec![]));
    let mut reply = Reply::new(Proto::Resp2);
    write_info(&KEYWORD_META, &mut reply);
    let spec = "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$7\r\nkeyword\r\n$4\r\nspec\r\n*4\r\n$7\r\nkeyword\r\n$7\r\nSTREAMS\r\n$9\r\nstartfrom\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:2\r\n";
    assert!(text(&reply.buf).contains(spec));
}

#[test]
fn getkeys_replies_and_errors_match_redis() {
    let r2 = |line: &str| text(&run(Proto::Resp2, line));
    assert_eq!(
        r2("COMMAND GETKEYS mset a 1 b 2"),
        "*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    );
    assert_eq!(r2("COMMAND getkeys object encoding k"), "*1\r\n$1\r\nk\r\n");
    assert_eq!(
        r2("COMMAND GETKEYS nosuch a"),
        "-ERR Invalid command specified\r\n"
    );
    assert_eq!(
        r2("COMMAND GETKEYS object foo k"),
        "-ERR Invalid command specified\r\n"
    );
    let no_keys = "-ERR The command has no key arguments\r\n";
    assert_eq!(r2("COMMAND GETKEYS ping x"), no_keys);
    assert_eq!(r2("COMMAND GETKEYS client id"), no_keys);
    let bad_count = "-ERR Invalid number of arguments specified for command\r\n";
    assert_eq!(r2("COMMAND GETKEYS get a b"), bad_count);
    assert_eq!(r2("COMMAND GETKEYS object encoding"), bad_count);
    assert_eq!(
        r2("COMMAND GETKEYS get"),
        "-ERR wrong number of arguments for 'command|getkeys' command\r\n"
    );
    assert_eq!(
        r2("COMMAND GETKEYSANDFLAGS rename a b"),
        "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"
    );
    assert_eq!(
        text(&run(Proto::Resp3, "COMMAND GETKEYSANDFLAGS rename a b")),
        "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n"
    );
}

/// `testdata/getkeys_cases.txt`: a command line, then redis-server's GETKEYS and
/// GETKEYSANDFLAGS replies with CR LF written as `\r\n`, separated by tabs.
#[test]
fn getkeys_cases_match_oracle() {
    for case in include_str!("testdata/getkeys_cases.txt").lines() {
        let fields: Vec<&str> = case.split('\t').collect();
        let [line, keys, flags] = fields[..] else {
            panic!("malformed case {case:?}");
        };
        let keys = keys.replace("\\r\\n", "\r\n");
        let flags = flags.replace("\\r\\n", "\r\n");
        assert_eq!(
            text(&run(Proto::Resp2, &format!("COMMAND GETKEYS {line}"))),
            keys,
            "{line}"
        );
        let with_flags = format!("COMMAND GETKEYSANDFLAGS {line}");
        assert_eq!(text(&run(Proto::Resp2, &with_flags)), flags, "{line}");
    }
}

#[test]
fn subcommand_dispatch_errors_match_redis() {
    let r2 = |line: &str| text(&run(Proto::Resp2, line));
    assert_eq!(
        r2("COMMAND foo"),
        "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n"
    );
    let long = "x".repeat(200);
    let expected = format!(
        "-ERR unknown subcommand '{}'. Try COMMAND HELP.\r\n",
        &long[..128]
    );
    assert_eq!(r2(&format!("COMMAND {long}")), expected);
    assert_eq!(
        r2("COMMAND COUNT x"),
        "-ERR wrong number of arguments for 'command|count' command\r\n"
    );
    assert_eq!(r2("command Count"), format!(":{}\r\n", all().len()));
}

#[test]
fn info_all_and_unknown_names() {
    let all_info = run(Proto::Resp2, "COMMAND");
    assert!(all_info.starts_with(format!("*{}\r\n*10\r\n", all().len()).as_bytes()));
    assert_eq!(all_info, run(Proto::Resp2, "COMMAND INFO"));
    let unknown2 = text(&run(Proto::Resp2, "COMMAND INFO nosuch"));
    assert_eq!(unknown2, "*1\r\n$-1\r\n");
    assert_eq!(
        text(&run(Proto::Resp3, "COMMAND INFO nosuch")),
        "*1\r\n_\r\n"
    );
}

#[test]
fn list_filters() {
    let r2 = |line: &str| text(&run(Proto::Resp2, line));
    let listed = r2("COMMAND LIST");
    let total: usize = all().iter().map(|m| 1 + m.subcommands.len()).sum();
    assert!(listed.starts_with(&format!("*{total}\r\n")));
    assert_eq!(
        r2("COMMAND LIST FILTERBY pattern CLIENT|I*"),
        "*2\r\n$9\r\nclient|id\r\n$11\r\nclient|info\r\n"
    );
    assert_eq!(
        r2("COMMAND LIST filterby PATTERN ping"),
        "*1\r\n$4\r\nping\r\n"
    );
    assert_eq!(r2("COMMAND LIST FILTERBY MODULE x"), "*0\r\n");
    assert_eq!(r2("COMMAND LIST FILTERBY ACLCAT @connection"), "*0\r\n");
    let conn = r2("COMMAND LIST FILTERBY aclcat CONNECTION");
    assert!(conn.contains("$4\r\nping\r\n") && conn.contains("$9\r\nclient|id\r\n"));
    assert!(!conn.contains("$6\r\nclient\r\n"));
    for bad in [
        "COMMAND LIST x",
        "COMMAND LIST FILTERBY",
        "COMMAND LIST FILTERBY foo x",
    ] {
        assert_eq!(r2(bad), "-ERR syntax error\r\n", "{bad}");
    }
}

#[test]
fn docs_shape() {
    let getset = text(&run(Proto::Resp3, "COMMAND DOCS nosuch getset"));
    assert!(getset.starts_with("%1\r\n$6\r\ngetset\r\n%8\r\n$7\r\nsummary\r\n"));
    assert!(getset.contains(
        "$9\r\ndoc_flags\r\n~1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n"
    ));
    let object = text(&run(Proto::Resp2, "COMMAND DOCS object"));
    assert!(object.starts_with("*2\r\n$6\r\nobject\r\n*10\r\n"));
    assert!(object.contains("$11\r\nsubcommands\r\n*10\r\n$15\r\nobject|encoding\r\n*10\r\n"));
    let sub = text(&run(Proto::Resp2, "COMMAND DOCS client|id"));
    assert!(sub.starts_with("*2\r\n$9\r\nclient|id\r\n*8\r\n$7\r\nsummary\r\n"));
    let everything = text(&run(Proto::Resp3, "COMMAND DOCS"));
    assert!(everything.starts_with(&format!("%{}\r\n", all().len())));
}

#[test]
fn help_is_an_array_of_simple_strings() {
    let help = text(&run(Proto::Resp2, "COMMAND HELP"));
    let lines: Vec<&str> = help.split("\r\n").filter(|l| !l.is_empty()).collect();
    let count: usize = lines[0][1..].parse().unwrap();
    assert_eq!(count, lines.len() - 1);
    assert!(lines[1..].iter().all(|l| l.starts_with('+')));
    assert!(lines[1].starts_with("+COMMAND <subcommand>"));
}

/// ZRANK and ZREVRANK take Redis 7.2's optional WITHSCORE (redis-server 7.0.15, the oracle
/// the captures come from, has arity 3 and no such argument): the entries are 7.0's with
/// arity -3 and the pure-token argument appended.
#[test]
fn rank_entries_follow_redis_7_2() {
    for name in ["zrank", "zrevrank"] {
        let info = format!("*1\r\n*10\r\n${}\r\n{name}\r\n:-3\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n", name.len());
        assert_eq!(
            text(&run(Proto::Resp2, &format!("COMMAND INFO {name}"))),
            info
        );
        let arguments = "$9\r\narguments\r\n*3\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n*4\r\n$4\r\nname\r\n$6\r\nmember\r\n$4\r\ntype\r\n$6\r\nstring\r\n*8\r\n$4\r\nname\r\n$9\r\nwithscore\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$9\r\nWITHSCORE\r\n$5\r\nflags\r\n*1\r\n+optional\r\n";
        let docs = text(&run(Proto::Resp2, &format!("COMMAND DOCS {name}")));
        assert!(docs.ends_with(arguments), "{docs:?}");
    }
}
