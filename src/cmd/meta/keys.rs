//! Key extraction from a command line by walking the command's key specs.
//!
//! Shared by routing (slot of every key) and `COMMAND GETKEYS`. Pure; [`for_each_key`] does not
//! allocate, so the hot path can use it directly.

use super::{BeginSearch, CommandMeta, FindKeys, KeySpec};

/// Why the keys of a command line could not be extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeysError {
    /// The number of arguments does not satisfy the command's arity.
    WrongArity,
    /// A key spec points outside the arguments, or a key count is not a valid number.
    InvalidArguments,
}

impl KeysError {
    /// The error text `COMMAND GETKEYS` replies with.
    pub fn message(self) -> &'static str {
        match self {
            KeysError::WrongArity => "ERR Invalid number of arguments specified for command",
            KeysError::InvalidArguments => "ERR Invalid arguments specified for command",
        }
    }
}

/// Whether the command declares any key (GETKEYS refuses commands that do not). Specs flagged
/// `not_key` (shard channels) do not count, as in redis-server, though routing uses them.
pub fn has_keys(meta: &CommandMeta) -> bool {
    meta.key_specs.iter().any(|s| !s.flags.contains(&"not_key"))
}

/// The argument indexes of the keys in `args` (`args[0]` is the command name; for a
/// subcommand, `args[1]` is its name), in key spec order.
pub fn command_keys(meta: &CommandMeta, args: &[&[u8]]) -> Result<Vec<usize>, KeysError> {
    let mut keys = Vec::with_capacity(key_count_hint(meta, args.len()));
    for_each_key(meta, args, |index, _| keys.push(index))?;
    Ok(keys)
}

/// Calls `visit` with the argument index and the key spec of every key in `args`.
///
/// Like redis-server, a spec whose keys would run past the last argument makes the whole line
/// invalid; a keyword that is absent only skips its spec. On error, `visit` may already have
/// seen the keys of earlier specs, which the caller must discard.
pub fn for_each_key(
    meta: &CommandMeta,
    args: &[&[u8]],
    mut visit: impl FnMut(usize, &'static KeySpec),
) -> Result<(), KeysError> {
    if !meta.arity_ok(args.len()) {
        return Err(KeysError::WrongArity);
    }
    let argc = args.len() as i64;
    for spec in meta.key_specs {
        let Some(first) = begin_index(spec.begin_search, args) else {
            continue;
        };
        let (first, last, step) = match spec.find_keys {
            FindKeys::Range {
                last_key,
                key_step,
                limit,
            } => {
                let last = if last_key >= 0 {
                    first + last_key as i64
                } else if limit <= 1 {
                    argc + last_key as i64
                } else {
                    first + (argc - first) / limit as i64 + last_key as i64
                };
                (first, last, key_step)
            }
            FindKeys::Keynum {
                keynum_idx,
                first_key,
                key_step,
            } => {
                // Every redis-server command with a key count reads it in its own key
                // function, which finds no keys at all (the other specs' included: ZUNIONSTORE's
                // destination) when the count is below 1.
                let at = first + keynum_idx as i64;
                let count = usize::try_from(at)
                    .ok()
                    .and_then(|at| args.get(at))
                    .and_then(|raw| parse_count(raw))
                    .filter(|&count| count > 0)
                    .ok_or(KeysError::InvalidArguments)?;
                let start = first + first_key as i64;
                let step = key_step.max(1) as i64;
                (start, start + (count - 1) * step, key_step)
            }
            FindKeys::Unknown => continue,
        };
        let step = step.max(1) as i64;
        if last >= first && (first < 1 || last >= argc) {
            return Err(KeysError::InvalidArguments);
        }
        let mut i = first;
        while i <= last {
            visit(i as usize, spec);
            i += step;
        }
    }
    Ok(())
}

/// The index of the first key of a spec, or `None` when the spec does not apply.
fn begin_index(begin: BeginSearch, args: &[&[u8]]) -> Option<i64> {
    let argc = args.len() as i64;
    match begin {
        BeginSearch::Index(index) => Some(index as i64),
        BeginSearch::Keyword {
            keyword,
            start_from,
        } => {
            let matches = |i: &i64| args[*i as usize].eq_ignore_ascii_case(keyword.as_bytes());
            let found = if start_from >= 0 {
                (start_from as i64..argc - 1).find(matches)
            } else {
                (1..=argc + start_from as i64).rev().find(matches)
            };
            found.map(|i| i + 1)
        }
        BeginSearch::Unknown => None,
    }
}

/// A key count argument, read the way redis-server reads it (C `atoi`): leading white space,
/// an optional sign, then digits up to the first other byte; out-of-range values wrap as the
/// C conversion to `int` does. Negative counts are invalid.
fn parse_count(raw: &[u8]) -> Option<i64> {
    let mut rest = raw;
    while let [b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let negative = rest.first() == Some(&b'-');
    if matches!(rest.first(), Some(b'-' | b'+')) {
        rest = &rest[1..];
    }
    let mut value: i64 = 0;
    for &b in rest.iter().take_while(|b| b.is_ascii_digit()) {
        let digit = (b - b'0') as i64;
        value = value.saturating_mul(10);
        value = if negative {
            value.saturating_sub(digit)
        } else {
            value.saturating_add(digit)
        };
    }
    let value = value as i32;
    (value >= 0).then_some(value as i64)
}

/// The access flags a key of `spec` has on this command line. Specs flagged
/// `variable_flags` depend on the arguments: SET reads the old value only with `GET`.
pub fn key_flags(
    meta: &CommandMeta,
    spec: &'static KeySpec,
    args: &[&[u8]],
) -> &'static [&'static str] {
    if !spec.flags.contains(&"variable_flags") {
        return spec.flags;
    }
    match meta.name {
        "set" if args.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"get")) => {
            &["RW", "access", "update"]
        }
        "set" => &["OW", "update"],
        _ => spec.flags,
    }
}

/// A capacity guess for the common single-range commands, so `command_keys` allocates once.
fn key_count_hint(meta: &CommandMeta, argc: usize) -> usize {
    if meta.first_key <= 0 {
        return meta.key_specs.len();
    }
    let last = if meta.last_key < 0 {
        argc as i64 + meta.last_key as i64
    } else {
        meta.last_key as i64
    };
    let span = last - meta.first_key as i64;
    (span.max(0) / meta.step.max(1) as i64 + 1) as usize
}
