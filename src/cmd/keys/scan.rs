//! The per-core parts of KEYS and SCAN, SCAN's option parsing and its cursors.
//!
//! Pure and synchronous. The server-wide code parses the options once, then runs
//! [`keys_part`] on every data core, or [`scan_part`] on the core owning the cursor's shard,
//! and merges the keys. Pattern matching is passed in as a closure so this module does not
//! depend on the glob matcher.
//!
//! A SCAN cursor names a position in the node's shards: `shard * SLOT_COUNT + table`,
//! where `table` indexes the shard-local per-slot tables. Cursor 0 is both the start (shard
//! 0, table 0) and the end of an iteration. Tables are always finished whole, so a key
//! present for the whole iteration is returned exactly once, however the tables grow.

use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::number::parse_i64;
use crate::storage::{Entry, Keyspace};
use crate::topology::SLOT_COUNT;

/// Keys visited per SCAN call when COUNT is not given.
const DEFAULT_COUNT: usize = 10;

/// Pushes every live key of this core that `matches` accepts onto `out`.
pub fn keys_part(ks: &Keyspace, matches: &dyn Fn(&[u8]) -> bool, out: &mut Vec<Vec<u8>>) {
    ks.for_each_key(|key, _| {
        if matches(key) {
            out.push(key.to_vec());
        }
    });
}

/// A parsed `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanOptions {
    pub cursor: u64,
    /// About how many keys to visit (at least 1).
    pub count: usize,
    /// The MATCH pattern; `None` when absent or `*`, both of which match every key.
    pub pattern: Option<Vec<u8>>,
    /// The TYPE filter as given. A name that is no type matches nothing, as in Redis 7.0.
    pub type_name: Option<Vec<u8>>,
}

impl ScanOptions {
    /// Parses SCAN's arguments (`args.get(0)` is the command name) with redis-server's
    /// errors: `invalid cursor` first, then each option in turn.
    pub fn parse(args: Args) -> CmdResult<ScanOptions> {
        let cursor = parse_cursor(args.get(1)).ok_or(CmdError::InvalidCursor)?;
        let mut opts = ScanOptions {
            cursor,
            count: DEFAULT_COUNT,
            pattern: None,
            type_name: None,
        };
        let mut i = 2;
        while i < args.len() {
            if i + 1 >= args.len() {
                return Err(CmdError::Syntax);
            }
            let value = args.get(i + 1);
            if args.is(i, "count") {
                let count = parse_i64(value).ok_or(CmdError::NotInteger)?;
                if count < 1 {
                    return Err(CmdError::Syntax);
                }
                opts.count = usize::try_from(count).unwrap_or(usize::MAX);
            } else if args.is(i, "match") {
                opts.pattern = (value != b"*").then(|| value.to_vec());
            } else if args.is(i, "type") {
                opts.type_name = Some(value.to_vec());
            } else {
                return Err(CmdError::Syntax);
            }
            i += 2;
        }
        Ok(opts)
    }

    /// Whether `entry` passes the TYPE filter.
    pub fn type_matches(&self, entry: &Entry) -> bool {
        self.type_name
            .as_deref()
            .is_none_or(|t| t.eq_ignore_ascii_case(entry.value.kind().name().as_bytes()))
    }
}

/// Reads a cursor as C's `strtoul` in base 10 does, which is what redis-server accepts:
/// text up to the first NUL, no leading space, an optional sign (a minus negates modulo
/// 2^64), at least one digit unless the text is empty (which reads as 0), no overflow.
pub fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let text = &arg[..end];
    let Some(&first) = text.first() else {
        return Some(0);
    };
    if matches!(first, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        return None;
    }
    let (negative, digits) = match first {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// The (shard, table index) a cursor names, or `None` when it names no table of a node
/// with `nshards` shards (a cursor this node never handed out; reply with cursor 0 and no
/// keys).
pub fn decode_cursor(cursor: u64, nshards: usize) -> Option<(usize, usize)> {
    let stride = SLOT_COUNT as u64;
    let shard = usize::try_from(cursor / stride).ok()?;
    let index = (cursor % stride) as usize;
    (shard < nshards && index < Keyspace::tables_per_shard(nshards, shard))
        .then_some((shard, index))
}

/// The cursor to hand back after [`scan_part`] on `shard` returned `next`: the next table
/// of the same shard, else the first table of the next shard, else 0 (iteration done).
pub fn next_cursor(shard: usize, next: Option<usize>, nshards: usize) -> u64 {
    let stride = SLOT_COUNT as u64;
    match next {
        Some(index) => shard as u64 * stride + index as u64,
        None if shard + 1 < nshards => (shard as u64 + 1) * stride,
        None => 0,
    }
}

/// Scans shard `shard` (owned by this core) from table `start_index`, finishing whole
/// tables until at least `opts.count` live keys were visited or the shard ends. Keys that
/// pass `matches` and the TYPE filter are pushed onto `out`. Returns the next table index,
/// or `None` when the shard is done.
pub fn scan_part(
    ks: &Keyspace,
    shard: usize,
    start_index: usize,
    opts: &ScanOptions,
    matches: &dyn Fn(&[u8]) -> bool,
    out: &mut Vec<Vec<u8>>,
) -> Option<usize> {
    let ntables = Keyspace::tables_per_shard(ks.nshards(), shard);
    let mut visited = 0;
    let mut index = start_index;
    while index < ntables && visited < opts.count {
        ks.for_each_in_table(shard, index, |key, entry| {
            visited += 1;
            if matches(key) && opts.type_matches(entry) {
                out.push(key.to_vec());
            }
        });
        index += 1;
    }
    (index < ntables).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::OwnedArgs;
    use crate::storage::Value;

    fn parse(parts: &[&str]) -> CmdResult<ScanOptions> {
        ScanOptions::parse(OwnedArgs::from_parts(parts).args())
    }

    #[test]
    fn cursor_reads_like_strtoul() {
        for (text, want) in [
            ("0", Some(0)),
            ("", Some(0)),
            ("+0", Some(0)),
            ("-0", Some(0)),
            ("007", Some(7)),
            ("-1", Some(u64::MAX)),
            ("18446744073709551615", Some(u64::MAX)),
            ("-18446744073709551615", Some(1)),
            ("18446744073709551616", None),
            ("-18446744073709551616", None),
            ("abc", None),
            (" 0", None),
            ("0 ", None),
            ("-", None),
            ("+", None),
            ("0x10", None),
            ("12\0junk", Some(12)),
        ] {
            assert_eq!(parse_cursor(text.as_bytes()), want, "{text:?}");
        }
    }

    #[test]
    fn option_errors() {
        let syntax = Err(CmdError::Syntax);
        assert_eq!(parse(&["scan", "abc"]), Err(CmdError::InvalidCursor));
        assert_eq!(
            parse(&["scan", "abc", "count", "0"]),
            Err(CmdError::InvalidCursor)
        );
        assert_eq!(parse(&["scan", "0", "count", "0"]), syntax);
        assert_eq!(parse(&["scan", "0", "count", "-1"]), syntax);
        assert_eq!(parse(&["scan", "0", "count", "0", "foo", "bar"]), syntax);
        assert_eq!(
            parse(&["scan", "0", "count", "abc"]),
            Err(CmdError::NotInteger)
        );
        assert_eq!(
            parse(&["scan", "0", "count", "99999999999999999999"]),
            Err(CmdError::NotInteger)
        );
        for tail in [&["count"][..], &["match"], &["type"], &["foo", "bar"]] {
            let mut cmd = vec!["scan", "0"];
            cmd.extend_from_slice(tail);
            assert_eq!(parse(&cmd), syntax, "{cmd:?}");
        }
        assert_eq!(parse(&["scan", "0", "count", "10", "extra"]), syntax);
    }

    #[test]
    fn options_parse() {
        let opts = parse(&["scan", "5", "COUNT", "5", "MATCH", "a*", "TYPE", "String"]).unwrap();
        assert_eq!(opts.cursor, 5);
        assert_eq!(opts.count, 5);
        assert_eq!(opts.pattern.as_deref(), Some(&b"a*"[..]));
        let entry = {
            let mut ks = Keyspace::new(0, 1, 1);
            ks.insert(b"k", Value::string(b"v"), 0);
            ks.get(b"k").unwrap().clone()
        };
        assert!(opts.type_matches(&entry));
        assert!(!parse(&["scan", "0", "type", "list"])
            .unwrap()
            .type_matches(&entry));
        assert!(!parse(&["scan", "0", "type", "foo"])
            .unwrap()
            .type_matches(&entry));
        let all = parse(&["scan", "0", "match", "x", "match", "*"]).unwrap();
        assert_eq!((all.count, all.pattern), (DEFAULT_COUNT, None));
    }

    #[test]
    fn cursors_walk_every_table_of_every_shard() {
        assert_eq!(decode_cursor(0, 4), Some((0, 0)));
        assert_eq!(next_cursor(0, Some(7), 4), 7);
        assert_eq!(decode_cursor(7, 4), Some((0, 7)));
        assert_eq!(next_cursor(1, None, 4), 2 * 16384);
        assert_eq!(decode_cursor(2 * 16384, 4), Some((2, 0)));
        assert_eq!(next_cursor(3, None, 4), 0);
        assert_eq!(decode_cursor(4096, 4), None);
        assert_eq!(decode_cursor(4 * 16384, 4), None);
        assert_eq!(decode_cursor(u64::MAX, 4), None);
    }

    /// Drives a whole SCAN over a node of `ncores` cores and `nshards` shards the way the
    /// server-wide code does: one call per cursor, on the core owning the cursor's shard.
    fn full_scan(cores: &[Keyspace], opts: &mut ScanOptions) -> (Vec<Vec<u8>>, usize) {
        let nshards = cores[0].nshards();
        let mut keys = Vec::new();
        let mut calls = 0;
        loop {
            let (shard, index) = decode_cursor(opts.cursor, nshards).unwrap();
            let core = &cores[shard % cores.len()];
            let next = scan_part(core, shard, index, opts, &|_| true, &mut keys);
            opts.cursor = next_cursor(shard, next, nshards);
            calls += 1;
            if opts.cursor == 0 {
                return (keys, calls);
            }
        }
    }

    fn filled(ncores: usize, nshards: usize, n: usize) -> Vec<Keyspace> {
        let mut cores: Vec<_> = (0..ncores)
            .map(|c| Keyspace::new(c, ncores, nshards))
            .collect();
        for i in 0..n {
            let key = format!("key:{i}");
            let core = cores.iter_mut().find(|c| c.owns(key.as_bytes())).unwrap();
            core.insert(key.as_bytes(), Value::string(b"v"), 0);
        }
        cores
    }

    #[test]
    fn full_iteration_returns_each_key_once() {
        for (ncores, count) in [(1, 10), (1, 1), (2, 7), (1, 100_000)] {
            let cores = filled(ncores, 4, 1000);
            let mut opts = parse(&["scan", "0", "count", &count.to_string()]).unwrap();
            let (mut keys, calls) = full_scan(&cores, &mut opts);
            keys.sort();
            let mut want: Vec<Vec<u8>> = (0..1000).map(|i| format!("key:{i}").into()).collect();
            want.sort();
            assert_eq!(keys, want, "{ncores} cores, count {count}");
            // Every call but a shard's last visits at least COUNT keys.
            assert!(calls <= 1000 / count + 4, "{calls} calls for count {count}");
            assert!(calls >= 4, "at least one call per shard");
        }
    }

    #[test]
    fn scan_filters_but_still_counts_visited_keys() {
        let cores = filled(1, 1, 50);
        let mut opts = parse(&["scan", "0", "count", "1000"]).unwrap();
        let mut out = Vec::new();
        let next = scan_part(&cores[0], 0, 0, &opts, &|k| k == b"key:7", &mut out);
        assert_eq!((next, out), (None, vec![b"key:7".to_vec()]));
        opts.type_name = Some(b"hash".to_vec());
        let mut out = Vec::new();
        scan_part(&cores[0], 0, 0, &opts, &|_| true, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn scan_skips_expired_keys() {
        let mut ks = Keyspace::new(0, 1, 1);
        ks.now_ms = 1_000;
        ks.insert(b"gone", Value::string(b"v"), 1_500);
        ks.insert(b"kept", Value::string(b"v"), 0);
        ks.now_ms = 2_000;
        let opts = parse(&["scan", "0"]).unwrap();
        let mut out = Vec::new();
        assert_eq!(scan_part(&ks, 0, 0, &opts, &|_| true, &mut out), None);
        assert_eq!(out, vec![b"kept".to_vec()]);
        let mut out = Vec::new();
        keys_part(&ks, &|_| true, &mut out);
        assert_eq!(out, vec![b"kept".to_vec()]);
    }

    #[test]
    fn keys_part_applies_the_matcher() {
        let cores = filled(1, 4, 20);
        let mut out = Vec::new();
        keys_part(&cores[0], &|k| k.ends_with(b"1"), &mut out);
        out.sort();
        assert_eq!(out, vec![b"key:1".to_vec(), b"key:11".to_vec()]);
    }
}
