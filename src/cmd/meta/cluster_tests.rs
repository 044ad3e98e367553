//! ASKING and CLUSTER metadata against bytes captured from redis-server 7.0.15:
//! `testdata/cluster_info.*` is its `COMMAND INFO` for every name in `cluster_names.txt`,
//! `testdata/cluster_docs_own_words.*` its `COMMAND DOCS` with only the prose swapped for ours
//! (summary, complexity, replaced_by) and `history` dropped.

use super::*;
use crate::protocol::reply::{Proto, Reply};

fn run(proto: Proto, line: &str) -> Vec<u8> {
    let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    let mut reply = Reply::new(proto);
    command(&args, &mut reply);
    reply.buf
}

fn same(ours: &[u8], oracle: &[u8]) {
    let at = ours.iter().zip(oracle).take_while(|(a, b)| a == b).count();
    assert!(
        ours == oracle,
        "first difference at byte {at}: ours {:?}",
        String::from_utf8_lossy(&ours[at.saturating_sub(100)..(at + 100).min(ours.len())])
    );
}

fn names() -> String {
    let names: Vec<&str> = include_str!("testdata/cluster_names.txt").lines().collect();
    names.join(" ")
}

#[test]
fn cluster_info_and_docs_match_oracle() {
    let info = format!("COMMAND INFO {}", names());
    same(
        &run(Proto::Resp2, &info),
        include_bytes!("testdata/cluster_info.resp2"),
    );
    same(
        &run(Proto::Resp3, &info),
        include_bytes!("testdata/cluster_info.resp3"),
    );
    let docs = format!("COMMAND DOCS {}", names());
    same(
        &run(Proto::Resp2, &docs),
        include_bytes!("testdata/cluster_docs_own_words.resp2"),
    );
    same(
        &run(Proto::Resp3, &docs),
        include_bytes!("testdata/cluster_docs_own_words.resp3"),
    );
}

#[test]
fn cluster_container_head_matches_oracle() {
    // Subcommands come in hash-table order from redis-server; each is compared above.
    // SoliKV has one more than 7.0.15: MYSHARDID (Redis 7.2).
    let head2 = "*1\r\n*10\r\n$7\r\ncluster\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*28\r\n";
    let head3 = "*1\r\n*10\r\n$7\r\ncluster\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*28\r\n";
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    assert!(text(run(Proto::Resp2, "COMMAND INFO cluster")).starts_with(head2));
    assert!(text(run(Proto::Resp3, "COMMAND INFO cluster")).starts_with(head3));
    let docs = text(run(Proto::Resp3, "COMMAND DOCS cluster"));
    assert!(docs.starts_with("%1\r\n$7\r\ncluster\r\n%5\r\n$7\r\nsummary\r\n"));
    assert!(docs.contains("$11\r\nsubcommands\r\n%28\r\n"));
}
