//! RESP reply writer for RESP2 and RESP3.
//!
//! Pure and synchronous: handlers on any core write replies through a [`Reply`], which encodes
//! each reply type the way redis-server does for the connection's protocol version (maps become
//! flat arrays in RESP2, nulls become `$-1`/`*-1`, doubles become bulk strings, and so on).

use std::io::Write;

/// Protocol version negotiated with `HELLO`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Resp2,
    Resp3,
}

/// An output buffer plus the protocol version it encodes for.
#[derive(Debug)]
pub struct Reply {
    pub buf: Vec<u8>,
    pub proto: Proto,
}

impl Reply {
    pub fn new(proto: Proto) -> Self {
        Reply {
            buf: Vec::with_capacity(4096),
            proto,
        }
    }

    /// A reply expected to stay small (one command's answer inside a script): a 4 KiB buffer
    /// per call would cost the allocator more than the command.
    pub fn small(proto: Proto) -> Self {
        Reply {
            buf: Vec::with_capacity(64),
            proto,
        }
    }

    pub fn resp3(&self) -> bool {
        self.proto == Proto::Resp3
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends pre-encoded RESP bytes.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    pub fn ok(&mut self) {
        self.buf.extend_from_slice(b"+OK\r\n");
    }

    /// `+text\r\n`. The text must not contain CR or LF.
    pub fn simple(&mut self, text: &str) {
        self.buf.push(b'+');
        self.buf.extend_from_slice(text.as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// An array of simple strings, as HELP subcommands reply.
    pub fn simple_lines(&mut self, lines: &[&str]) {
        self.array(lines.len());
        for line in lines {
            self.simple(line);
        }
    }

    /// `-text\r\n`; `text` carries its own code, e.g. `ERR syntax error`. Newlines in the
    /// text are replaced by spaces, as redis-server does, so a reply is always one line.
    pub fn error(&mut self, text: &str) {
        self.error_bytes(text.as_bytes());
    }

    /// [`Reply::error`] for texts that echo client bytes, which need not be UTF-8. Like
    /// redis-server, CR and LF at the end of the text are dropped and any others become
    /// spaces, so an error is always one line.
    pub fn error_bytes(&mut self, text: &[u8]) {
        let end = text
            .iter()
            .rposition(|&b| b != b'\r' && b != b'\n')
            .map_or(0, |i| i + 1);
        self.buf.push(b'-');
        for &b in &text[..end] {
            self.buf
                .push(if b == b'\r' || b == b'\n' { b' ' } else { b });
        }
        self.buf.extend_from_slice(b"\r\n");
    }

    pub fn int(&mut self, n: i64) {
        self.header(b':', n);
    }

    pub fn bulk(&mut self, data: &[u8]) {
        self.header(b'$', data.len() as i64);
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk string holding the decimal form of `n` (as GET of an integer-encoded value).
    pub fn bulk_int(&mut self, n: i64) {
        let mut tmp = itoa_buf();
        let s = fmt_i64(n, &mut tmp);
        self.bulk(s);
    }

    /// The null bulk string: `$-1` in RESP2, `_` in RESP3.
    pub fn null(&mut self) {
        if self.resp3() {
            self.buf.extend_from_slice(b"_\r\n");
        } else {
            self.buf.extend_from_slice(b"$-1\r\n");
        }
    }

    /// The null array: `*-1` in RESP2, `_` in RESP3.
    pub fn null_array(&mut self) {
        if self.resp3() {
            self.buf.extend_from_slice(b"_\r\n");
        } else {
            self.buf.extend_from_slice(b"*-1\r\n");
        }
    }

    pub fn array(&mut self, len: usize) {
        self.header(b'*', len as i64);
    }

    /// A map of `len` pairs: `%len` in RESP3, an array of `2*len` in RESP2.
    pub fn map(&mut self, len: usize) {
        if self.resp3() {
            self.header(b'%', len as i64);
        } else {
            self.header(b'*', 2 * len as i64);
        }
    }

    /// A set: `~len` in RESP3, an array in RESP2.
    pub fn set(&mut self, len: usize) {
        if self.resp3() {
            self.header(b'~', len as i64);
        } else {
            self.header(b'*', len as i64);
        }
    }

    /// A push message header: `>len` in RESP3, an array in RESP2.
    pub fn push(&mut self, len: usize) {
        if self.resp3() {
            self.header(b'>', len as i64);
        } else {
            self.header(b'*', len as i64);
        }
    }

    pub fn boolean(&mut self, value: bool) {
        if self.resp3() {
            self.buf
                .extend_from_slice(if value { b"#t\r\n" } else { b"#f\r\n" });
        } else {
            self.buf
                .extend_from_slice(if value { b":1\r\n" } else { b":0\r\n" });
        }
    }

    /// A double: `,<%.17g>` in RESP3, a bulk string in RESP2 (redis-server's addReplyDouble).
    pub fn double(&mut self, value: f64) {
        let mut tmp = itoa_buf();
        let owned;
        let text: &[u8] = match integral_double(value) {
            Some(n) => fmt_i64(n, &mut tmp),
            None => {
                owned = format_double(value);
                owned.as_bytes()
            }
        };
        if self.resp3() {
            self.buf.push(b',');
            self.buf.extend_from_slice(text);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text);
        }
    }

    /// Verbatim text (`=len\r\ntxt:...` in RESP3, a bulk string in RESP2), as INFO replies.
    pub fn verbatim(&mut self, data: &[u8]) {
        if self.resp3() {
            self.header(b'=', data.len() as i64 + 4);
            self.buf.extend_from_slice(b"txt:");
            self.buf.extend_from_slice(data);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(data);
        }
    }

    fn header(&mut self, tag: u8, n: i64) {
        let mut tmp = itoa_buf();
        self.buf.push(tag);
        self.buf.extend_from_slice(fmt_i64(n, &mut tmp));
        self.buf.extend_from_slice(b"\r\n");
    }
}

type ItoaBuf = [u8; 20];

fn itoa_buf() -> ItoaBuf {
    [0u8; 20]
}

/// Formats `n` in decimal into `buf` without allocating; returns the digits.
pub fn fmt_i64(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut pos = buf.len();
    let negative = n < 0;
    let mut v = n.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        pos -= 1;
        buf[pos] = b'-';
    }
    &buf[pos..]
}

/// Formats a double the way C's `printf("%.17g")` does, which is what redis-server uses for
/// double replies; infinities are `inf`/`-inf` and NaN is `nan`.
pub fn format_double(value: f64) -> String {
    match integral_double(value) {
        Some(n) => n.to_string(),
        None => format_g(value, 17),
    }
}

/// The integer a double holds exactly, when `%.17g` would print it as plain digits: whole
/// values below 2^53 in magnitude (fewer than 17 digits, so never exponent form), except -0.
/// Sorted-set scores are usually such values, and this skips the slow exact-digit formatting.
fn integral_double(value: f64) -> Option<i64> {
    const LIMIT: f64 = (1u64 << 53) as f64;
    if value.abs() < LIMIT && value.fract() == 0.0 && !(value == 0.0 && value.is_sign_negative()) {
        Some(value as i64)
    } else {
        None
    }
}

/// C's `%.<precision>g`: shortest of fixed and exponent notation, trailing zeros removed.
pub fn format_g(value: f64, precision: usize) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let precision = precision.max(1);
    let sci = format!("{:.*e}", precision - 1, value);
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent digits");
    if exp < -4 || exp >= precision as i32 {
        let mantissa = trim_fraction_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (precision as i32 - 1 - exp).max(0) as usize;
        let fixed = format!("{:.*}", decimals, value);
        trim_fraction_zeros(&fixed).to_string()
    }
}

fn trim_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Writes `args` as a RESP multibulk request (used by tests and internal forwarding).
pub fn encode_request(out: &mut Vec<u8>, args: &[&[u8]]) {
    let _ = write!(out, "*{}\r\n", args.len());
    for a in args {
        let _ = write!(out, "${}\r\n", a.len());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(p: Proto, f: impl FnOnce(&mut Reply)) -> Vec<u8> {
        let mut r = Reply::new(p);
        f(&mut r);
        r.buf
    }

    #[test]
    fn nulls_and_aggregates_follow_protocol() {
        assert_eq!(bytes(Proto::Resp2, |r| r.null()), b"$-1\r\n");
        assert_eq!(bytes(Proto::Resp3, |r| r.null()), b"_\r\n");
        assert_eq!(bytes(Proto::Resp2, |r| r.null_array()), b"*-1\r\n");
        assert_eq!(bytes(Proto::Resp2, |r| r.map(2)), b"*4\r\n");
        assert_eq!(bytes(Proto::Resp3, |r| r.map(2)), b"%2\r\n");
        assert_eq!(bytes(Proto::Resp3, |r| r.set(3)), b"~3\r\n");
        assert_eq!(bytes(Proto::Resp3, |r| r.boolean(true)), b"#t\r\n");
        assert_eq!(bytes(Proto::Resp2, |r| r.boolean(false)), b":0\r\n");
        assert_eq!(bytes(Proto::Resp2, |r| r.int(-42)), b":-42\r\n");
        assert_eq!(bytes(Proto::Resp2, |r| r.bulk(b"hi")), b"$2\r\nhi\r\n");
        assert_eq!(
            bytes(Proto::Resp2, |r| r.error("ERR a\r\nb")),
            b"-ERR a  b\r\n"
        );
        assert_eq!(
            bytes(Proto::Resp2, |r| r.error_bytes(b"ERR opt \xcd\r")),
            b"-ERR opt \xcd\r\n"
        );
    }

    #[test]
    fn doubles_format_like_printf_g17() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(3.0), "3");
        assert_eq!(format_double(0.1), "0.10000000000000001");
        assert_eq!(format_double(1e20), "1e+20");
        assert_eq!(format_double(1.0e-5), "1.0000000000000001e-05");
        assert_eq!(format_double(-2.5e-300), "-2.5e-300");
        assert_eq!(format_double(123456789.0), "123456789");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_g(10.5, 17), "10.5");
        assert_eq!(bytes(Proto::Resp3, |r| r.double(1.5)), b",1.5\r\n");
        assert_eq!(bytes(Proto::Resp2, |r| r.double(1.5)), b"$3\r\n1.5\r\n");
    }

    #[test]
    fn integral_doubles_take_the_fast_path_with_identical_text() {
        let limit = (1u64 << 53) as f64;
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            1e15,
            1e16,
            -1e16,
            limit - 1.0,
            limit,
            1e17,
        ];
        values.extend((0..2000).map(|i| (i as f64 - 1000.0) * 977.0));
        values.extend((0..60).map(|shift| (1u64 << shift) as f64));
        for v in values {
            let expected = format_g(v, 17);
            assert_eq!(format_double(v), expected, "{v}");
            let mut r = Reply::new(Proto::Resp3);
            r.double(v);
            assert_eq!(r.buf, format!(",{expected}\r\n").into_bytes(), "{v}");
        }
        assert_eq!(format_double(-0.0), "-0");
    }

    #[test]
    fn integers_format_across_range() {
        let mut b = itoa_buf();
        assert_eq!(fmt_i64(i64::MIN, &mut b), b"-9223372036854775808");
        assert_eq!(fmt_i64(0, &mut b), b"0");
        assert_eq!(fmt_i64(i64::MAX, &mut b), b"9223372036854775807");
    }
}
