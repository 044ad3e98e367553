//! COMMAND INFO and COMMAND DOCS of whole command families against bytes captured from
//! redis-server 7.0.15. For a family F, `testdata/F_names.txt` lists the names asked for,
//! `testdata/F_info.resp2|3` is the oracle's `COMMAND INFO` of them, and
//! `testdata/F_docs_own_words.resp2|3` its `COMMAND DOCS` with only the prose (summary,
//! complexity, replaced_by) swapped for ours and `history` dropped.

use super::*;
use crate::protocol::reply::{Proto, Reply};

/// Runs one COMMAND line (words split at single spaces) and returns the reply bytes.
pub(super) fn run(proto: Proto, line: &str) -> Vec<u8> {
    let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    let mut reply = Reply::new(proto);
    command(&args, &mut reply);
    reply.buf
}

/// Asserts equal bytes, showing the neighbourhood of the first difference.
pub(super) fn same(ours: &[u8], oracle: &[u8]) {
    let at = ours.iter().zip(oracle).take_while(|(a, b)| a == b).count();
    assert!(
        ours == oracle,
        "first difference at byte {at}: ours {:?}",
        String::from_utf8_lossy(&ours[at.saturating_sub(100)..(at + 100).min(ours.len())])
    );
}

/// The four captures of one family, and its names.
struct Captured {
    names: &'static str,
    info: [&'static [u8]; 2],
    docs: [&'static [u8]; 2],
}

macro_rules! captured {
    ($family:literal) => {
        Captured {
            names: include_str!(concat!("testdata/", $family, "_names.txt")),
            info: [
                include_bytes!(concat!("testdata/", $family, "_info.resp2")),
                include_bytes!(concat!("testdata/", $family, "_info.resp3")),
            ],
            docs: [
                include_bytes!(concat!("testdata/", $family, "_docs_own_words.resp2")),
                include_bytes!(concat!("testdata/", $family, "_docs_own_words.resp3")),
            ],
        }
    };
}

fn check(family: Captured) {
    let names: Vec<&str> = family.names.lines().collect();
    let names = names.join(" ");
    for (i, proto) in [Proto::Resp2, Proto::Resp3].into_iter().enumerate() {
        same(
            &run(proto, &format!("COMMAND INFO {names}")),
            family.info[i],
        );
        same(
            &run(proto, &format!("COMMAND DOCS {names}")),
            family.docs[i],
        );
    }
}

#[test]
fn transaction_commands_match_oracle() {
    check(captured!("transaction"));
}

#[test]
fn pubsub_commands_match_oracle() {
    check(captured!("pubsub"));
}

#[test]
fn cluster_commands_match_oracle() {
    check(captured!("cluster"));
}

#[test]
fn blocking_commands_match_oracle() {
    check(captured!("blocking"));
}

#[test]
fn scripting_commands_match_oracle() {
    check(captured!("scripting"));
}
