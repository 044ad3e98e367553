//! Raw RESP access for tests: a connection that writes arbitrary bytes and reads back exactly one
//! complete reply as raw bytes, plus a small decoder used to normalise replies that are
//! inherently nondeterministic (key order, TTLs).
//!
//! The framing and the decoder are the same function, so "one reply" means one RESP2 or RESP3
//! value (`+ - : $ * _ , # ! = ( % ~ > |`), an attribute (`|`) being framed together with the
//! value it annotates.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How long a test waits for one reply before it declares the server stuck.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// One decoded RESP value. Doubles and big numbers keep their text, so comparisons stay exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Simple(Vec<u8>),
    Error(Vec<u8>),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Value>>),
    Null,
    Double(Vec<u8>),
    Bool(bool),
    BlobError(Vec<u8>),
    Verbatim(Vec<u8>),
    BigNum(Vec<u8>),
    Map(Vec<(Value, Value)>),
    Set(Vec<Value>),
    Push(Vec<Value>),
    /// An attribute map and the value it is attached to.
    Attributed(Vec<(Value, Value)>, Box<Value>),
}

impl Value {
    /// The elements of an array, set or push reply, if this is one.
    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::Array(Some(v)) | Value::Set(v) | Value::Push(v) => Some(v),
            _ => None,
        }
    }

    /// The payload of a bulk, simple or verbatim string, if this is one.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bulk(Some(b)) | Value::Simple(b) | Value::Verbatim(b) => Some(b),
            _ => None,
        }
    }
}

/// Decodes one value at the start of `buf`. `Ok(None)` means more bytes are needed; on success
/// returns the value and how many bytes it took.
pub fn decode(buf: &[u8]) -> Result<Option<(Value, usize)>, String> {
    let Some(eol) = buf.windows(2).position(|w| w == b"\r\n") else {
        return Ok(None);
    };
    if eol == 0 {
        return Err("reply starts with an empty line".into());
    }
    let line = &buf[1..eol];
    let after = eol + 2;
    let text = || line.to_vec();
    let int = || -> Result<i64, String> {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad integer line {}", escape(line)))
    };
    let value = match buf[0] {
        b'+' => Value::Simple(text()),
        b'-' => Value::Error(text()),
        b':' => Value::Int(int()?),
        b'_' => Value::Null,
        b',' => Value::Double(text()),
        b'(' => Value::BigNum(text()),
        b'#' => match line {
            b"t" => Value::Bool(true),
            b"f" => Value::Bool(false),
            _ => return Err(format!("bad boolean {}", escape(line))),
        },
        b'$' | b'!' | b'=' => {
            let len = int()?;
            if len < 0 {
                if buf[0] != b'$' || len != -1 {
                    return Err(format!("bad blob length {len}"));
                }
                return Ok(Some((Value::Bulk(None), after)));
            }
            let end = after + len as usize;
            if buf.len() < end + 2 {
                return Ok(None);
            }
            if &buf[end..end + 2] != b"\r\n" {
                return Err("blob not terminated by CRLF".into());
            }
            let body = buf[after..end].to_vec();
            let value = match buf[0] {
                b'$' => Value::Bulk(Some(body)),
                b'!' => Value::BlobError(body),
                _ => Value::Verbatim(body),
            };
            return Ok(Some((value, end + 2)));
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let n = int()?;
            if n < 0 {
                if buf[0] != b'*' || n != -1 {
                    return Err(format!("bad aggregate length {n}"));
                }
                return Ok(Some((Value::Array(None), after)));
            }
            let pairs = matches!(buf[0], b'%' | b'|');
            let count = n as usize * if pairs { 2 } else { 1 };
            let mut at = after;
            let mut items = Vec::with_capacity(count.min(1024));
            for _ in 0..count {
                match decode(&buf[at..])? {
                    Some((v, used)) => {
                        items.push(v);
                        at += used;
                    }
                    None => return Ok(None),
                }
            }
            let value = match buf[0] {
                b'*' => Value::Array(Some(items)),
                b'~' => Value::Set(items),
                b'>' => Value::Push(items),
                _ => {
                    let mut map = Vec::with_capacity(items.len() / 2);
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        map.push((k, v));
                    }
                    if buf[0] == b'%' {
                        Value::Map(map)
                    } else {
                        let Some((inner, used)) = decode(&buf[at..])? else {
                            return Ok(None);
                        };
                        at += used;
                        Value::Attributed(map, Box::new(inner))
                    }
                }
            };
            return Ok(Some((value, at)));
        }
        other => return Err(format!("unknown RESP type byte {:?}", other as char)),
    };
    Ok(Some((value, after)))
}

/// Encodes a command as a RESP multibulk request.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Renders bytes readably for failure messages: printable ASCII as is, the rest escaped.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

/// Renders a command's arguments as a quoted, escaped list.
pub fn escape_args(args: &[Vec<u8>]) -> String {
    args.iter()
        .map(|a| format!("\"{}\"", escape(a)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a connection ended when the test read it to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The server closed the connection (orderly FIN or reset).
    Closed,
    /// The connection was still open when the deadline passed.
    StillOpen,
}

/// A raw client connection with a read buffer.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Connects to `127.0.0.1:port` with Nagle disabled and a read timeout.
    pub fn connect(port: u16) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("connect to 127.0.0.1:{port}: {e}"));
        stream.set_nodelay(true).expect("set_nodelay");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("set_read_timeout");
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    /// A second handle on the same socket, for writing from another thread.
    pub fn writer(&self) -> TcpStream {
        self.stream.try_clone().expect("clone stream")
    }

    /// Writes raw bytes.
    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write to server");
    }

    /// Writes raw bytes, ignoring failures: the server may legitimately close the connection
    /// before it has read everything (protocol errors).
    pub fn send_lossy(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes);
    }

    /// Half-closes the write side, as a client that has nothing more to say.
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Reads exactly one complete reply and returns its raw bytes.
    pub fn read_reply(&mut self) -> Vec<u8> {
        self.try_read_reply(REPLY_TIMEOUT)
            .unwrap_or_else(|e| panic!("reading reply: {e}"))
    }

    /// Reads one reply, or explains why none arrived within `timeout`.
    pub fn try_read_reply(&mut self, timeout: Duration) -> Result<Vec<u8>, String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((_, used)) = decode(&self.buf)? {
                return Ok(self.buf.drain(..used).collect());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "no complete reply within {timeout:?}; buffered: \"{}\"",
                    escape(&self.buf)
                ));
            }
            match self.fill() {
                Ok(0) => {
                    return Err(format!(
                        "connection closed; buffered: \"{}\"",
                        escape(&self.buf)
                    ))
                }
                Ok(_) => {}
                Err(e) if is_timeout(&e) => {}
                Err(e) => return Err(format!("read error: {e}")),
            }
        }
    }

    /// Sends one command and returns the raw reply.
    pub fn call(&mut self, args: &[&[u8]]) -> Vec<u8> {
        self.send(&encode(args));
        self.read_reply()
    }

    /// Like [`Conn::call`] with string arguments, decoding the reply.
    pub fn cmd(&mut self, args: &[&str]) -> Value {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let raw = self.call(&args);
        decode(&raw).expect("decodable reply").expect("complete").0
    }

    /// Reads everything the server sends until it closes the connection or `timeout` passes.
    pub fn read_to_end(&mut self, timeout: Duration) -> (Vec<u8>, Ending) {
        let deadline = Instant::now() + timeout;
        let ending = loop {
            if Instant::now() >= deadline {
                break Ending::StillOpen;
            }
            match self.fill() {
                Ok(0) => break Ending::Closed,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => {}
                Err(_) => break Ending::Closed,
            }
        };
        (std::mem::take(&mut self.buf), ending)
    }

    fn fill(&mut self) -> std::io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

#[test]
fn decoder_frames_every_type_and_waits_for_more() {
    let samples: &[&[u8]] = &[
        b"+OK\r\n",
        b"-ERR x\r\n",
        b":-12\r\n",
        b"$-1\r\n",
        b"$3\r\na\r\n\r\n",
        b"*-1\r\n",
        b"*2\r\n$1\r\na\r\n:1\r\n",
        b"_\r\n",
        b",1.5\r\n",
        b"#t\r\n",
        b"!3\r\nerr\r\n",
        b"=7\r\ntxt:abc\r\n",
        b"(123\r\n",
        b"%1\r\n+k\r\n*0\r\n",
        b"~1\r\n:1\r\n",
        b">2\r\n+message\r\n$1\r\nx\r\n",
        b"|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n",
    ];
    for s in samples {
        let (_, used) = decode(s).unwrap().unwrap();
        assert_eq!(used, s.len(), "{}", escape(s));
        for cut in 0..s.len() {
            assert_eq!(decode(&s[..cut]).unwrap(), None, "{}", escape(&s[..cut]));
        }
    }
}
