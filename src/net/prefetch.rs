//! Cache warming for pipelined batches: before a read buffer's commands run one by one, the
//! first key of each is looked up once, so that the memory loads of all lookups overlap
//! instead of each command waiting for its own cache misses.
//!
//! A read holding one command (pipeline 1) has nothing to overlap with inside its buffer, but
//! other connections woken in the same cycle do: the connection starts loading its key's slot
//! table and yields once, so its miss overlaps their work (`tuning/FINDINGS.md` section 8).
//!
//! Runs on the data core that owns the connection, on the bytes of its read buffer; purely an
//! optimisation: it never changes what a command sees (no expiry, no access time, no reply),
//! and a buffer it cannot scan (inline commands, partial commands) is simply not warmed.
//! Keys owned by other cores are skipped (`Keyspace::prefetch` checks the owner).

use crate::shard::core::CoreCtx;

/// At most this many commands of one buffer are warmed (redis-benchmark -P 16 sends 16).
const MAX_KEYS: usize = 32;

/// Warms this core's cache for the first key of each complete command in `buf`. For a buffer
/// with one command, only when `will_yield_if_single` (the caller yields when this returns
/// true): its lookup would follow at once otherwise, and gain nothing.
pub fn warm(ctx: &CoreCtx, buf: &[u8], will_yield_if_single: bool) -> bool {
    let mut keys: [&[u8]; MAX_KEYS] = [&[]; MAX_KEYS];
    match first_keys(buf, &mut keys) {
        0 => false,
        // The key of the previous command (one hot key for every client) is in cache already.
        1 if will_yield_if_single && !crate::topology::slot::is_last_hashed(keys[0]) => {
            ctx.prefetch_table(keys[0]);
            true
        }
        1 => false,
        count => {
            ctx.prefetch_keys(&keys[..count]);
            false
        }
    }
}

/// Fills `keys` with the second argument of each complete RESP multibulk command at the start
/// of `buf` (commands without one are skipped); returns how many were found.
fn first_keys<'a>(buf: &'a [u8], keys: &mut [&'a [u8]; MAX_KEYS]) -> usize {
    let mut pos = 0;
    let mut found = 0;
    // Commands without a key (PING...) do not fill `keys`; bound the scan by commands too.
    for _ in 0..2 * MAX_KEYS {
        if found == MAX_KEYS {
            break;
        }
        let Some((argc, mut at)) = number_line(buf, pos, b'*') else {
            break;
        };
        let mut key = None;
        for i in 0..argc {
            let Some((len, start)) = number_line(buf, at, b'$') else {
                return found;
            };
            let end = start + len;
            if buf.get(end..end + 2) != Some(b"\r\n") {
                return found;
            }
            if i == 1 {
                key = Some(&buf[start..end]);
            }
            at = end + 2;
        }
        if let Some(k) = key {
            keys[found] = k;
            found += 1;
        }
        pos = at;
    }
    found
}

/// Reads `<tag><digits>\r\n` at `pos`; returns the number and the position after the line.
/// Small sanity bounds keep a malformed buffer from making the scan expensive; the real parser
/// reports errors.
fn number_line(buf: &[u8], pos: usize, tag: u8) -> Option<(usize, usize)> {
    if buf.get(pos) != Some(&tag) {
        return None;
    }
    let mut n: usize = 0;
    let mut at = pos + 1;
    let digits_start = at;
    while let Some(&c) = buf.get(at) {
        if !c.is_ascii_digit() {
            break;
        }
        n = n * 10 + (c - b'0') as usize;
        at += 1;
        if at - digits_start > 9 {
            return None;
        }
    }
    if at == digits_start || buf.get(at..at + 2) != Some(b"\r\n") {
        return None;
    }
    Some((n, at + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(buf: &[u8]) -> Vec<Vec<u8>> {
        let mut keys: [&[u8]; MAX_KEYS] = [&[]; MAX_KEYS];
        let n = first_keys(buf, &mut keys);
        keys[..n].iter().map(|k| k.to_vec()).collect()
    }

    #[test]
    fn finds_the_first_key_of_each_complete_command() {
        let buf = b"*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$2\r\nbb\r\n$1\r\nx\r\n";
        assert_eq!(scan(buf), vec![b"a".to_vec(), b"bb".to_vec()]);
    }

    #[test]
    fn stops_at_partial_inline_or_malformed_input() {
        assert_eq!(
            scan(b"*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$5\r\nab"),
            vec![b"a".to_vec()]
        );
        assert!(scan(b"GET a\r\n").is_empty());
        assert!(scan(b"*2\r\n$3\r\nGET\r\n$99999999999\r\n").is_empty());
        assert!(scan(b"*2\r\n$3\r\nGETX\r\n$1\r\na\r\n").is_empty());
        assert!(scan(b"*-1\r\n").is_empty());
        assert!(scan(b"").is_empty());
    }

    #[test]
    fn scans_a_bounded_number_of_commands() {
        let ping = b"*1\r\n$4\r\nPING\r\n";
        let mut buf: Vec<u8> = ping
            .iter()
            .copied()
            .cycle()
            .take(ping.len() * 1000)
            .collect();
        buf.extend_from_slice(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        assert!(scan(&buf).is_empty());
    }

    #[test]
    fn warms_at_most_max_keys() {
        let one = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        let buf: Vec<u8> = one.iter().copied().cycle().take(one.len() * 40).collect();
        assert_eq!(scan(&buf).len(), MAX_KEYS);
    }
}
