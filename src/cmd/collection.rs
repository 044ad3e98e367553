//! Helpers shared by the hash, set and list families: typed lookups, the random source of
//! SPOP/SRANDMEMBER/HRANDFIELD, and HSCAN/SSCAN option parsing.
//!
//! Synchronous; runs on the data core that owns the key. The random state is per thread,
//! that is per data core, so no core ever waits on another for it.

use std::cell::Cell;

use super::keys::scan::parse_cursor;
use super::{Args, CmdError, CmdResult};
use crate::glob::glob_match;
use crate::protocol::number::parse_i64;
use crate::storage::hash::Hash;
use crate::storage::keyspace::splitmix;
use crate::storage::list::List;
use crate::storage::set::Set;
use crate::storage::{Keyspace, Value};

/// Looks up `key` expecting a `$variant` value: `Ok(None)` when absent, WRONGTYPE when it
/// holds another type.
macro_rules! typed_lookup {
    ($name:ident, $variant:ident, $ty:ty) => {
        pub fn $name<'a>(ks: &'a mut Keyspace, key: &[u8]) -> CmdResult<Option<&'a mut $ty>> {
            match ks.get(key) {
                None => Ok(None),
                Some(entry) => match &mut entry.value {
                    Value::$variant(v) => Ok(Some(v)),
                    _ => Err(CmdError::WrongType),
                },
            }
        }
    };
}

typed_lookup!(hash_of, Hash, Hash);
typed_lookup!(set_of, Set, Set);
typed_lookup!(list_of, List, List);

/// Removes `key` when the collection it holds became empty (Redis never keeps empty ones).
pub fn drop_if_empty(ks: &mut Keyspace, key: &[u8]) {
    let empty = match ks.get_no_touch(key).map(|e| &e.value) {
        Some(Value::Hash(h)) => h.is_empty(),
        Some(Value::Set(s)) => s.is_empty(),
        Some(Value::List(l)) => l.is_empty(),
        _ => false,
    };
    if empty {
        ks.remove(key);
    }
}

thread_local! {
    static RNG: Cell<u64> = Cell::new(crate::clock::unix_ms() as u64 ^ 0x5EED);
}

/// A uniformly distributed number below `n` (`n > 0`).
pub fn random_below(n: usize) -> usize {
    let x = RNG.with(|r| {
        let s = r.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        r.set(s);
        splitmix(s)
    });
    ((x as u128 * n as u128) >> 64) as usize
}

/// `count` distinct positions below `len` (`count < len`), in random order.
pub fn distinct_positions(len: usize, count: usize) -> Vec<usize> {
    if count <= len / 4 {
        let mut picked = hashbrown::HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let pos = random_below(len);
            if picked.insert(pos) {
                out.push(pos);
            }
        }
        return out;
    }
    let mut all: Vec<usize> = (0..len).collect();
    for i in 0..count {
        let j = i + random_below(len - i);
        all.swap(i, j);
    }
    all.truncate(count);
    all
}

/// Most elements a negative SRANDMEMBER/HRANDFIELD count may ask for. redis-server has no
/// such limit and, given a huge count, builds a reply until memory runs out; SoliKV answers
/// `ERR value is out of range` instead, so bad input never exhausts a data core.
pub const RANDOM_REPLY_MAX: u64 = 1 << 24;

/// The error for a count beyond what redis-server (or [`RANDOM_REPLY_MAX`]) accepts.
pub fn count_out_of_range() -> CmdError {
    CmdError::other("ERR value is out of range")
}

/// Parses a count argument the way `getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)`
/// does (SRANDMEMBER, HRANDFIELD).
pub fn parse_signed_count(arg: &[u8]) -> CmdResult<i64> {
    match parse_i64(arg) {
        None => Err(CmdError::NotInteger),
        Some(i64::MIN) => Err(CmdError::other(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        )),
        Some(n) => Ok(n),
    }
}

/// `HSCAN`/`SSCAN key cursor [MATCH pattern] [COUNT count]` options.
pub struct ScanOpts<'a> {
    pub pattern: Option<&'a [u8]>,
    pub count: usize,
}

impl<'a> ScanOpts<'a> {
    /// Parses the options from argument 3 on (TYPE is only for SCAN: a syntax error here).
    pub fn parse(args: Args<'a>) -> CmdResult<ScanOpts<'a>> {
        let mut opts = ScanOpts {
            pattern: None,
            count: 10,
        };
        let mut i = 3;
        while i < args.len() {
            let has_value = i + 1 < args.len();
            if args.is(i, "count") && has_value {
                let n = parse_i64(args.get(i + 1)).ok_or(CmdError::NotInteger)?;
                if n < 1 {
                    return Err(CmdError::Syntax);
                }
                opts.count = n as usize;
            } else if args.is(i, "match") && has_value {
                let p = args.get(i + 1);
                opts.pattern = (p != b"*").then_some(p);
            } else {
                return Err(CmdError::Syntax);
            }
            i += 2;
        }
        Ok(opts)
    }

    pub fn matches(&self, item: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob_match(p, item, false))
    }
}

/// Parses an HSCAN/SSCAN cursor.
pub fn scan_cursor(arg: &[u8]) -> CmdResult<u64> {
    parse_cursor(arg).ok_or(CmdError::InvalidCursor)
}

/// `*2 $1 0 *0`: the reply of a scan over a missing key.
pub const EMPTY_SCAN: &[u8] = b"*2\r\n$1\r\n0\r\n*0\r\n";
