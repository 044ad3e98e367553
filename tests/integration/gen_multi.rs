//! Random transaction blocks for the differential test (see [`super::gen`]): WATCH, a write
//! that may or may not touch a watched key, MULTI, a few queued commands, then EXEC, DISCARD
//! or a malformed EXEC, with the occasional misuse (nested MULTI, WATCH inside MULTI, EXEC or
//! DISCARD without MULTI, unknown or wrong-arity commands that make EXEC abort).
//!
//! One connection is enough: its own writes between WATCH and EXEC invalidate the watch as
//! another client's would. Queued commands come from the other generators, restricted to the
//! ones compared byte for byte, since EXEC's reply is compared as a whole (the string, keyspace,
//! collection, sorted set, bitmap and HyperLogLog generators). Watched keys are drawn from all
//! their key sets.

use super::gen::{Compare, Rng, Step, KEYS};
use super::gen_bits::HKEYS;
use super::gen_zset::ZKEYS;

fn cmd(words: &[&str]) -> Step {
    Step::Command(
        words.iter().map(|w| w.as_bytes().to_vec()).collect(),
        Compare::Exact,
    )
}

fn line(mut args: Vec<Vec<u8>>, name: &str) -> Step {
    args.insert(0, name.as_bytes().to_vec());
    Step::Command(args, Compare::Exact)
}

/// A key to watch: mostly the string and collection keys, sometimes a sorted set or
/// HyperLogLog key.
fn watch_key(rng: &mut Rng) -> Vec<u8> {
    match rng.below(6) {
        0 => rng.pick(ZKEYS).to_vec(),
        1 => rng.pick(HKEYS).to_vec(),
        _ => rng.pick(KEYS).to_vec(),
    }
}

/// One transaction block; `exact` yields a command (name first) whose reply is compared byte
/// for byte.
/// A command to queue inside MULTI. OBJECT REFCOUNT becomes OBJECT ENCODING: redis-server
/// keeps a queued command's argument objects alive until EXEC ends, so a string value set by
/// an earlier command of the same transaction reports refcount 2 there; SoliKV copies values
/// and reports 1 (a documented deviation).
fn queueable(mut args: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    if args.len() > 1
        && args[0].eq_ignore_ascii_case(b"OBJECT")
        && args[1].eq_ignore_ascii_case(b"REFCOUNT")
    {
        args[1] = b"ENCODING".to_vec();
    }
    args
}

pub fn block(rng: &mut Rng, mut exact: impl FnMut(&mut Rng) -> Vec<Vec<u8>>) -> Vec<Step> {
    let mut steps = Vec::new();
    if rng.chance(60) {
        let watched: Vec<Vec<u8>> = (0..1 + rng.below(3)).map(|_| watch_key(rng)).collect();
        steps.push(line(watched, "WATCH"));
        for _ in 0..rng.below(3) {
            steps.push(Step::Command(exact(rng), Compare::Exact));
        }
        if rng.chance(10) {
            steps.push(cmd(&["UNWATCH"]));
        }
    }
    match rng.below(20) {
        0 => steps.push(cmd(&["EXEC"])),
        1 => steps.push(cmd(&["DISCARD"])),
        _ => {}
    }
    steps.push(cmd(&["MULTI"]));
    for _ in 0..rng.below(6) {
        let step = match rng.below(40) {
            0 => cmd(&["MULTI"]),
            1 => line(vec![watch_key(rng)], "WATCH"),
            2 => cmd(&["UNWATCH"]),
            3 => cmd(&["PING"]),
            _ => Step::Command(queueable(exact(rng)), Compare::Exact),
        };
        steps.push(step);
    }
    steps.push(match rng.below(20) {
        0..=14 => cmd(&["EXEC"]),
        15..=17 => cmd(&["DISCARD"]),
        18 => cmd(&["EXEC", "now"]),
        _ => cmd(&["DISCARD", "now"]),
    });
    // A malformed EXEC or DISCARD leaves MULTI open or not, as the server decides; a plain
    // DISCARD closes it either way (its error is compared too).
    if matches!(steps.last(), Some(Step::Command(a, _)) if a.len() > 1) {
        steps.push(cmd(&["DISCARD"]));
    }
    steps
}
