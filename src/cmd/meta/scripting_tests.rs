//! EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT metadata against bytes captured from redis-server
//! 7.0.15: `testdata/scripting_info.*` is its `COMMAND INFO` for every name in
//! `scripting_names.txt`, `testdata/scripting_docs_own_words.*` its `COMMAND DOCS` with only
//! the prose (summary, complexity) swapped for ours.

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
    let names: Vec<&str> = include_str!("testdata/scripting_names.txt")
        .lines()
        .collect();
    names.join(" ")
}

#[test]
fn scripting_info_and_docs_match_oracle() {
    let info = format!("COMMAND INFO {}", names());
    same(
        &run(Proto::Resp2, &info),
        include_bytes!("testdata/scripting_info.resp2"),
    );
    same(
        &run(Proto::Resp3, &info),
        include_bytes!("testdata/scripting_info.resp3"),
    );
    let docs = format!("COMMAND DOCS {}", names());
    same(
        &run(Proto::Resp2, &docs),
        include_bytes!("testdata/scripting_docs_own_words.resp2"),
    );
    same(
        &run(Proto::Resp3, &docs),
        include_bytes!("testdata/scripting_docs_own_words.resp3"),
    );
}
