//! INFO figures that tools read, compared with the oracle after the same commands: the call,
//! rejection and failure counts of INFO commandstats, INFO errorstats, and
//! `total_error_replies`. Timings differ between servers, so `usec` is only checked for shape.

use std::collections::BTreeMap;

use super::harness::Pair;
use super::resp::{decode, Value};

/// `cmdstat_<name>` → (calls, rejected_calls, failed_calls), checking each line's field names
/// and that `usec_per_call` has two decimals.
fn commandstats(info: &[u8]) -> BTreeMap<String, (u64, u64, u64)> {
    let mut stats = BTreeMap::new();
    for line in text(info).lines() {
        let Some(rest) = line.strip_prefix("cmdstat_") else {
            continue;
        };
        let (name, fields) = rest.split_once(':').expect("name:fields");
        let fields: Vec<(&str, &str)> = fields
            .split(',')
            .map(|f| f.split_once('=').expect("field=value"))
            .collect();
        let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
        assert_eq!(
            names,
            [
                "calls",
                "usec",
                "usec_per_call",
                "rejected_calls",
                "failed_calls"
            ],
            "{line}"
        );
        let per_call = fields[2].1;
        assert!(
            per_call.split_once('.').is_some_and(|(_, d)| d.len() == 2),
            "{line}"
        );
        let n = |i: usize| fields[i].1.parse::<u64>().expect("count");
        stats.insert(name.to_string(), (n(0), n(3), n(4)));
    }
    stats
}

fn text(info: &[u8]) -> String {
    match decode(info) {
        Ok(Some((Value::Bulk(Some(b)), _))) => String::from_utf8(b).expect("utf-8 INFO"),
        other => panic!("INFO replied {other:?}"),
    }
}

fn lines_starting(info: &[u8], prefix: &str) -> Vec<String> {
    text(info)
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

#[test]
fn command_and_error_counts_match_redis() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "SET a",
        "SET a 1",
        "LPUSH a 1",
        "GET a",
        "NOSUCHCOMMAND x",
        "INCR a",
        "HSET h f",
        "HSET h f v",
        "HGET a f",
        "EXEC",
        "MULTI",
        "SET x",
        "GET a",
        "EXEC",
        "MULTI",
        "INCR h",
        "EXEC",
        "GET a b",
        "OBJECT NOSUCHSUB a",
        "OBJECT ENCODING a",
        "OBJECT ENCODING nosuchkey",
        "CONFIG GET maxmemory",
        "CONFIG GET",
    ]);
    let (subject, oracle) = c.both(&[b"INFO", b"commandstats"]);
    assert_eq!(commandstats(&subject), commandstats(&oracle));
    let (subject, oracle) = c.both(&[b"INFO", b"errorstats"]);
    assert_eq!(
        lines_starting(&subject, "errorstat_"),
        lines_starting(&oracle, "errorstat_")
    );
    let (subject, oracle) = c.both(&[b"INFO", b"stats"]);
    assert_eq!(
        lines_starting(&subject, "total_error_replies"),
        lines_starting(&oracle, "total_error_replies")
    );
    c.check_all(&["CONFIG RESETSTAT"]);
    let (subject, oracle) = c.both(&[b"INFO", b"commandstats"]);
    assert_eq!(commandstats(&subject), commandstats(&oracle));
    assert_eq!(
        commandstats(&subject).len(),
        1,
        "only CONFIG itself after RESETSTAT"
    );
}

/// INFO server lists redis-server's fields in its order (tools and client libraries parse
/// them), with the values that describe the machine equal: `os` (uname's system, release and
/// machine), `arch_bits`, `redis_mode`; SoliKV adds only its own `solikv_*` fields at the end.
#[test]
fn server_section_has_the_oracles_fields_in_order() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    let (ours, oracle) = c.both(&[b"INFO", b"server"]);
    let fields = |info: &[u8]| -> Vec<(String, String)> {
        text(info)
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(name, _)| !name.starts_with("solikv_"))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    let (ours, oracle) = (fields(&ours), fields(&oracle));
    let names = |f: &[(String, String)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&oracle));
    for same in [
        "os",
        "arch_bits",
        "redis_mode",
        "redis_version",
        "config_file",
    ] {
        let value = |f: &[(String, String)]| f.iter().find(|(n, _)| n == same).cloned();
        assert_eq!(value(&ours), value(&oracle), "{same}");
    }
}
