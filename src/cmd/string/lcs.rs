//! LCS: the longest common subsequence of two string keys.
//!
//! Runs on the data core owning both keys, or, when they live on different cores, wherever
//! the cross-core transaction gathered both values ([`lcs_reply`]). Synchronous. Uses the
//! classic dynamic-programming table and walks it back from the end exactly as
//! redis-server does, so that ties pick the same subsequence and the same match ranges.

use super::super::error::reply_error;
use super::super::{Args, CmdError, CmdResult};
use super::PROTO_MAX_BULK_LEN;
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::Keyspace;

/// LCS options (arguments from the fourth on).
#[derive(Default)]
struct LcsOptions {
    idx: bool,
    len: bool,
    with_match_len: bool,
    min_match_len: u64,
}

impl LcsOptions {
    fn parse(args: Args) -> CmdResult<LcsOptions> {
        let mut o = LcsOptions::default();
        let mut i = 3;
        while i < args.len() {
            if args.is(i, "idx") {
                o.idx = true;
            } else if args.is(i, "len") {
                o.len = true;
            } else if args.is(i, "withmatchlen") {
                o.with_match_len = true;
            } else if args.is(i, "minmatchlen") && i + 1 < args.len() {
                let n = parse_i64(args.get(i + 1)).ok_or(CmdError::NotInteger)?;
                o.min_match_len = n.max(0) as u64;
                i += 1;
            } else {
                return Err(CmdError::Syntax);
            }
            i += 1;
        }
        if o.idx && o.len {
            return Err(CmdError::LcsIdxAndLen);
        }
        Ok(o)
    }
}

/// The LCS command on one core.
pub fn lcs(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let mut fetch = |key: &[u8]| -> Result<Vec<u8>, CmdError> {
        match ks.get(key) {
            None => Ok(Vec::new()),
            Some(entry) => entry
                .value
                .str_bytes()
                .map(|b| b.as_slice().to_vec())
                .ok_or(CmdError::LcsNotString),
        }
    };
    match (fetch(args.get(1)), fetch(args.get(2))) {
        (Ok(a), Ok(b)) => lcs_reply(&a, &b, args, reply),
        (Err(e), _) | (_, Err(e)) => reply_error(reply, &e),
    }
}

/// One matching range, inclusive on both sides: `a[a_start..=a_end] == b[b_start..]`.
struct Match {
    a_start: usize,
    a_end: usize,
    b_start: usize,
    b_end: usize,
}

impl Match {
    fn len(&self) -> usize {
        self.a_end - self.a_start + 1
    }
}

/// Replies to `LCS` given both values (a missing key is the empty string) and the full
/// command arguments, for option parsing. The caller has already rejected non-strings.
pub fn lcs_reply(a: &[u8], b: &[u8], args: Args, reply: &mut Reply) {
    let opts = match LcsOptions::parse(args) {
        Ok(opts) => opts,
        Err(e) => return reply_error(reply, &e),
    };
    // Redis sizes its table as 32-bit cells and refuses beyond proto-max-bulk-len. Cells
    // here are 16-bit: an entry never exceeds the shorter length, and under that limit the
    // shorter string is at most about 11585 bytes.
    let width = b.len() + 1;
    let cells = (a.len() as u64 + 1) * width as u64;
    if cells * 4 > PROTO_MAX_BULK_LEN {
        return reply_error(reply, &CmdError::LcsTableTooBig);
    }
    let mut table: Vec<u16> = Vec::new();
    if table.try_reserve_exact(cells as usize).is_err() {
        return reply_error(reply, &CmdError::LcsAllocFailed);
    }
    table.resize(cells as usize, 0);
    for i in 1..=a.len() {
        let (done, rest) = table.split_at_mut(i * width);
        let (prev, row) = (&done[(i - 1) * width..], &mut rest[..width]);
        let byte = a[i - 1];
        for j in 1..=b.len() {
            row[j] = if byte == b[j - 1] {
                prev[j - 1] + 1
            } else {
                prev[j].max(row[j - 1])
            };
        }
    }
    let total = table[a.len() * width + b.len()] as usize;
    if opts.len {
        return reply.int(total as i64);
    }

    // Walk back from the end, collecting the subsequence and the contiguous ranges.
    let mut common = vec![0u8; total];
    let mut remaining = total;
    let mut matches = Vec::new();
    let mut current: Option<Match> = None;
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 && j > 0 {
        let emit = if a[i - 1] == b[j - 1] {
            common[remaining - 1] = a[i - 1];
            let range = current.get_or_insert(Match {
                a_start: i,
                a_end: i - 1,
                b_start: j,
                b_end: j - 1,
            });
            // Consecutive diagonal steps always extend the range downwards.
            range.a_start -= 1;
            range.b_start -= 1;
            let at_start = range.a_start == 0 || range.b_start == 0;
            remaining -= 1;
            i -= 1;
            j -= 1;
            at_start
        } else {
            if table[(i - 1) * width + j] > table[i * width + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            current.is_some()
        };
        if emit {
            if let Some(range) = current.take() {
                if opts.idx && range.len() as u64 >= opts.min_match_len {
                    matches.push(range);
                }
            }
        }
    }

    if !opts.idx {
        return reply.bulk(&common);
    }
    reply.map(2);
    reply.bulk(b"matches");
    reply.array(matches.len());
    for m in &matches {
        reply.array(if opts.with_match_len { 3 } else { 2 });
        reply.array(2);
        reply.int(m.a_start as i64);
        reply.int(m.a_end as i64);
        reply.array(2);
        reply.int(m.b_start as i64);
        reply.int(m.b_end as i64);
        if opts.with_match_len {
            reply.int(m.len() as i64);
        }
    }
    reply.bulk(b"len");
    reply.int(total as i64);
}
