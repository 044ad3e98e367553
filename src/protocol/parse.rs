//! Incremental, zero-copy RESP request parser (multibulk and inline).
//!
//! Pure and synchronous. Arguments are returned as [`Span`]s into the connection's read
//! buffer, so a pipelined batch is parsed without copying. Progress through a partially
//! received command is kept in the parser, so a huge argument arriving over many reads is
//! scanned once, not once per read. Inline commands are unescaped in place (the unescaped form
//! is never longer than the escaped one), which keeps the span representation for both forms.
//!
//! Acceptance rules and error texts follow redis-server's `processMultibulkBuffer` and
//! `processInlineBuffer`: every error here is answered with `-ERR Protocol error: ...` and the
//! connection is closed after the reply.

use super::number::parse_i64;

/// Byte range `(start, len)` of one argument in the read buffer.
pub type Span = (usize, usize);

/// Longest inline request or length line accepted before a terminator arrives.
pub const INLINE_MAX: usize = 64 * 1024;
/// Longest multibulk count / bulk length accepted from an unauthenticated client.
const UNAUTH_MAX_ARGS: i64 = 10;
const UNAUTH_MAX_BULK: i64 = 16384;

/// Per-connection limits the parser enforces.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bulk_len: i64,
    pub authenticated: bool,
}

/// A protocol violation; the connection gets the error text and is closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtoError {
    TooBigMbulkCount,
    InvalidMultibulkLength,
    UnauthenticatedMultibulkLength,
    TooBigBulkCount,
    ExpectedDollar(u8),
    InvalidBulkLength,
    UnauthenticatedBulkLength,
    TooBigInline,
    UnbalancedQuotes,
}

impl ProtoError {
    /// The reply text, without the leading `-`: bytes, because `expected '$'` echoes the
    /// client's byte as it came (redis-server does not re-encode it).
    pub fn message(&self) -> Vec<u8> {
        let detail: &[u8] = match self {
            ProtoError::TooBigMbulkCount => b"too big mbulk count string",
            ProtoError::InvalidMultibulkLength => b"invalid multibulk length",
            ProtoError::UnauthenticatedMultibulkLength => b"unauthenticated multibulk length",
            ProtoError::TooBigBulkCount => b"too big bulk count string",
            ProtoError::ExpectedDollar(c) => {
                return [
                    b"ERR Protocol error: expected '$', got '".as_slice(),
                    &[*c],
                    b"'",
                ]
                .concat();
            }
            ProtoError::InvalidBulkLength => b"invalid bulk length",
            ProtoError::UnauthenticatedBulkLength => b"unauthenticated bulk length",
            ProtoError::TooBigInline => b"too big inline request",
            ProtoError::UnbalancedQuotes => b"unbalanced quotes in request",
        };
        [b"ERR Protocol error: ".as_slice(), detail].concat()
    }
}

/// Outcome of one [`RequestParser::parse`] call.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A whole command is in `args`; the parser is positioned after it.
    Command,
    /// More bytes are needed; partial progress is kept.
    Incomplete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    Multibulk {
        remaining: i64,
        bulk_len: Option<usize>,
    },
}

/// Parser state for one connection.
#[derive(Debug)]
pub struct RequestParser {
    state: State,
    /// Next unparsed byte.
    pos: usize,
    /// Start of the command being parsed (bytes before it may be discarded).
    cmd_start: usize,
}

impl Default for RequestParser {
    fn default() -> Self {
        Self::new()
    }
}

impl RequestParser {
    pub fn new() -> Self {
        RequestParser {
            state: State::Idle,
            pos: 0,
            cmd_start: 0,
        }
    }

    /// First byte still needed by the parser; everything before it may be dropped once the
    /// returned commands have been executed.
    pub fn cmd_start(&self) -> usize {
        self.cmd_start
    }

    /// Tells the parser that the first `delta` bytes of the buffer were removed.
    pub fn shift(&mut self, delta: usize, args: &mut [Span]) {
        debug_assert!(delta <= self.cmd_start);
        self.pos -= delta;
        self.cmd_start -= delta;
        for span in args.iter_mut() {
            span.0 -= delta;
        }
    }

    /// Total buffer length needed to finish the current bulk argument, if known; lets the
    /// connection size its buffer once for a large value.
    pub fn wanted_len(&self) -> Option<usize> {
        match self.state {
            State::Multibulk {
                bulk_len: Some(n), ..
            } => Some(self.pos + n + 2),
            _ => None,
        }
    }

    /// Parses the next command in `buf[..]` starting where the previous call stopped.
    /// `args` must be empty at the start of each command (the caller clears it after
    /// executing); partial arguments stay in it across `Incomplete` results.
    pub fn parse(
        &mut self,
        buf: &mut [u8],
        args: &mut Vec<Span>,
        limits: &Limits,
    ) -> Result<Parsed, ProtoError> {
        loop {
            if self.state == State::Idle {
                self.cmd_start = self.pos;
                if self.pos >= buf.len() {
                    return Ok(Parsed::Incomplete);
                }
                if buf[self.pos] != b'*' {
                    match self.parse_inline(buf, args)? {
                        InlineOutcome::Incomplete => return Ok(Parsed::Incomplete),
                        InlineOutcome::Empty => continue,
                        InlineOutcome::Command => return Ok(Parsed::Command),
                    }
                }
                let Some(count) = self.length_line(buf, ProtoError::TooBigMbulkCount)? else {
                    return Ok(Parsed::Incomplete);
                };
                let (start, end) = count;
                let n = match parse_i64(&buf[start + 1..end]) {
                    Some(n) if n <= i32::MAX as i64 => n,
                    _ => return Err(ProtoError::InvalidMultibulkLength),
                };
                if n > UNAUTH_MAX_ARGS && !limits.authenticated {
                    return Err(ProtoError::UnauthenticatedMultibulkLength);
                }
                self.pos = end + 2;
                if n <= 0 {
                    continue;
                }
                args.reserve(n.min(1024) as usize);
                self.state = State::Multibulk {
                    remaining: n,
                    bulk_len: None,
                };
            }
            let State::Multibulk {
                mut remaining,
                mut bulk_len,
            } = self.state
            else {
                unreachable!("state is multibulk here");
            };
            while remaining > 0 {
                let len = match bulk_len {
                    Some(len) => len,
                    None => {
                        let Some((start, end)) =
                            self.length_line(buf, ProtoError::TooBigBulkCount)?
                        else {
                            self.state = State::Multibulk {
                                remaining,
                                bulk_len,
                            };
                            return Ok(Parsed::Incomplete);
                        };
                        if buf[start] != b'$' {
                            return Err(ProtoError::ExpectedDollar(buf[start]));
                        }
                        let n = match parse_i64(&buf[start + 1..end]) {
                            Some(n) if n >= 0 && n <= limits.max_bulk_len => n,
                            _ => return Err(ProtoError::InvalidBulkLength),
                        };
                        if n > UNAUTH_MAX_BULK && !limits.authenticated {
                            return Err(ProtoError::UnauthenticatedBulkLength);
                        }
                        self.pos = end + 2;
                        bulk_len = Some(n as usize);
                        n as usize
                    }
                };
                if buf.len() - self.pos < len + 2 {
                    self.state = State::Multibulk {
                        remaining,
                        bulk_len,
                    };
                    return Ok(Parsed::Incomplete);
                }
                // Like redis-server, the two bytes after the payload are skipped unchecked.
                args.push((self.pos, len));
                self.pos += len + 2;
                bulk_len = None;
                remaining -= 1;
            }
            self.state = State::Idle;
            return Ok(Parsed::Command);
        }
    }

    /// Finds a `\r`-terminated length line at `pos`: returns `(line_start, cr_index)` when
    /// the `\r` and one byte after it are present.
    fn length_line(
        &self,
        buf: &[u8],
        too_big: ProtoError,
    ) -> Result<Option<(usize, usize)>, ProtoError> {
        let rest = &buf[self.pos..];
        match rest.iter().position(|&b| b == b'\r') {
            None => {
                if rest.len() > INLINE_MAX {
                    Err(too_big)
                } else {
                    Ok(None)
                }
            }
            Some(i) if i + 2 > rest.len() => Ok(None),
            Some(i) => Ok(Some((self.pos, self.pos + i))),
        }
    }

    fn parse_inline(
        &mut self,
        buf: &mut [u8],
        args: &mut Vec<Span>,
    ) -> Result<InlineOutcome, ProtoError> {
        let rest = &buf[self.pos..];
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            if rest.len() > INLINE_MAX {
                return Err(ProtoError::TooBigInline);
            }
            return Ok(InlineOutcome::Incomplete);
        };
        let line_start = self.pos;
        let mut line_end = line_start + nl;
        if nl > 0 && buf[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        split_inline_args(buf, line_start, line_end, args)?;
        self.pos = line_start + nl + 1;
        if args.is_empty() {
            Ok(InlineOutcome::Empty)
        } else {
            Ok(InlineOutcome::Command)
        }
    }
}

enum InlineOutcome {
    Incomplete,
    Empty,
    Command,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Splits `buf[start..end]` into arguments with redis-server's `sdssplitargs` rules (double
/// quotes with `\n \r \t \b \a \xHH` escapes, single quotes with `\'`), writing the unescaped
/// bytes back in place.
fn split_inline_args(
    buf: &mut [u8],
    start: usize,
    end: usize,
    args: &mut Vec<Span>,
) -> Result<(), ProtoError> {
    // A NUL byte ends the line for sdssplitargs, which walks a C string.
    let end = buf[start..end]
        .iter()
        .position(|&b| b == 0)
        .map_or(end, |i| start + i);
    let at = |buf: &[u8], i: usize| if i < end { buf[i] } else { 0 };
    let mut read = start;
    let mut write = start;
    loop {
        while read < end && is_space(buf[read]) {
            read += 1;
        }
        if read >= end {
            return Ok(());
        }
        let arg_start = write;
        let mut in_double = false;
        let mut in_single = false;
        loop {
            let c = at(buf, read);
            if in_double {
                if read >= end {
                    return Err(ProtoError::UnbalancedQuotes);
                }
                let next = at(buf, read + 1);
                if c == b'\\' && next == b'x' {
                    if let (Some(h), Some(l)) = (
                        hex_value(at(buf, read + 2)).filter(|_| read + 2 < end),
                        hex_value(at(buf, read + 3)).filter(|_| read + 3 < end),
                    ) {
                        buf[write] = h * 16 + l;
                        write += 1;
                        read += 4;
                        continue;
                    }
                }
                if c == b'\\' && read + 1 < end {
                    buf[write] = match next {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    };
                    write += 1;
                    read += 2;
                    continue;
                }
                if c == b'"' {
                    if read + 1 < end && !is_space(next) {
                        return Err(ProtoError::UnbalancedQuotes);
                    }
                    read += 1;
                    break;
                }
                buf[write] = c;
                write += 1;
                read += 1;
            } else if in_single {
                if read >= end {
                    return Err(ProtoError::UnbalancedQuotes);
                }
                let next = at(buf, read + 1);
                if c == b'\\' && next == b'\'' && read + 1 < end {
                    buf[write] = b'\'';
                    write += 1;
                    read += 2;
                    continue;
                }
                if c == b'\'' {
                    if read + 1 < end && !is_space(next) {
                        return Err(ProtoError::UnbalancedQuotes);
                    }
                    read += 1;
                    break;
                }
                buf[write] = c;
                write += 1;
                read += 1;
            } else {
                if read >= end || matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                    break;
                }
                match c {
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    _ => {
                        buf[write] = c;
                        write += 1;
                    }
                }
                read += 1;
            }
        }
        args.push((arg_start, write - arg_start));
    }
}

#[cfg(test)]
mod tests;
