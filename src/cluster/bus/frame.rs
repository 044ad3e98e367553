//! Bus framing: the fixed 16-byte header in front of every message, and the incremental
//! decoder that cuts a byte stream into frames.
//!
//! Pure and synchronous (no I/O); the control core's link tasks ([`super::link`]) feed it
//! what they read. Everything in the header is checked before a single body byte is looked at,
//! so garbage is refused after 16 bytes instead of after waiting for a bogus length, and the
//! decoder never holds more than one partial frame plus one read chunk
//! ([`MAX_BUFFERED`]): no unbounded allocation, no panic, only [`FrameError`] values.
//!
//! Header layout (little endian):
//!
//! | bytes  | field    | rule                                                    |
//! |--------|----------|---------------------------------------------------------|
//! | 0..4   | magic    | `SKVB`                                                  |
//! | 4      | version  | [`VERSION`]                                             |
//! | 5      | kind     | a [`MessageKind`] (Redis's clusterMsg type numbers)     |
//! | 6..8   | reserved | zero                                                    |
//! | 8..12  | body len | at most [`MAX_BODY_LEN`]                                |
//! | 12..16 | checksum | FNV-1a 32 over header bytes 0..12, then the body        |

use std::fmt;

/// First four bytes of every frame ("SoliKV bus").
pub const MAGIC: [u8; 4] = *b"SKVB";
/// Wire format version; a peer speaking another version is refused.
pub const VERSION: u8 = 1;
/// Bytes in the fixed header.
pub const HEADER_LEN: usize = 16;
/// Largest body accepted or produced. Gossip at 1000 nodes is tens of KB; the rest of the
/// budget is for cluster-wide PUBLISH payloads, which are refused above it.
pub const MAX_BODY_LEN: usize = 32 * 1024 * 1024;
/// Most bytes a [`FrameDecoder`] buffers: one whole frame plus one read chunk of slack.
pub const MAX_BUFFERED: usize = HEADER_LEN + MAX_BODY_LEN + 64 * 1024;

/// The message type carried in a frame header. The numbers are Redis's clusterMsg types
/// (MODULE, 9, is not supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum MessageKind {
    Ping = 0,
    Pong = 1,
    Meet = 2,
    Fail = 3,
    Publish = 4,
    FailoverAuthRequest = 5,
    FailoverAuthAck = 6,
    Update = 7,
    MfStart = 8,
    PublishShard = 10,
}

impl MessageKind {
    /// The kind for a header byte, if it is one.
    pub fn from_u8(b: u8) -> Option<MessageKind> {
        Some(match b {
            0 => MessageKind::Ping,
            1 => MessageKind::Pong,
            2 => MessageKind::Meet,
            3 => MessageKind::Fail,
            4 => MessageKind::Publish,
            5 => MessageKind::FailoverAuthRequest,
            6 => MessageKind::FailoverAuthAck,
            7 => MessageKind::Update,
            8 => MessageKind::MfStart,
            10 => MessageKind::PublishShard,
            _ => return None,
        })
    }
}

/// Why a byte stream is not a valid sequence of frames. Any of these closes the link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameError {
    BadMagic([u8; 4]),
    BadVersion(u8),
    UnknownKind(u8),
    BadReserved(u16),
    TooLong(usize),
    BadChecksum {
        expected: u32,
        found: u32,
    },
    /// The stream ended inside a frame, after `have` of its bytes.
    Truncated {
        have: usize,
    },
    /// More bytes were fed than one frame can need ([`MAX_BUFFERED`]).
    Overflow,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::BadMagic(m) => write!(f, "bad magic {m:02x?}"),
            FrameError::BadVersion(v) => write!(f, "unsupported bus version {v}"),
            FrameError::UnknownKind(k) => write!(f, "unknown message type {k}"),
            FrameError::BadReserved(r) => write!(f, "reserved header bits set ({r:#06x})"),
            FrameError::TooLong(n) => write!(f, "body of {n} bytes exceeds {MAX_BODY_LEN}"),
            FrameError::BadChecksum { expected, found } => {
                write!(
                    f,
                    "checksum mismatch (header {expected:#010x}, body {found:#010x})"
                )
            }
            FrameError::Truncated { have } => {
                write!(f, "stream ended inside a frame ({have} bytes)")
            }
            FrameError::Overflow => write!(f, "more than {MAX_BUFFERED} bytes buffered"),
        }
    }
}

impl std::error::Error for FrameError {}

/// One complete, checksum-verified frame borrowed from the decoder's buffer.
#[derive(Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    pub kind: MessageKind,
    pub body: &'a [u8],
}

/// Appends one frame (header and `body`) to `out`.
pub fn write_frame(out: &mut Vec<u8>, kind: MessageKind, body: &[u8]) -> Result<(), FrameError> {
    if body.len() > MAX_BODY_LEN {
        return Err(FrameError::TooLong(body.len()));
    }
    let mut header = [0u8; HEADER_LEN];
    header[0..4].copy_from_slice(&MAGIC);
    header[4] = VERSION;
    header[5] = kind as u8;
    header[8..12].copy_from_slice(&(body.len() as u32).to_le_bytes());
    let sum = checksum(&header[..12], body);
    header[12..16].copy_from_slice(&sum.to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(body);
    Ok(())
}

/// Checks a header; returns the kind and body length.
pub fn parse_header(h: &[u8; HEADER_LEN]) -> Result<(MessageKind, usize), FrameError> {
    let magic = [h[0], h[1], h[2], h[3]];
    if magic != MAGIC {
        return Err(FrameError::BadMagic(magic));
    }
    if h[4] != VERSION {
        return Err(FrameError::BadVersion(h[4]));
    }
    let kind = MessageKind::from_u8(h[5]).ok_or(FrameError::UnknownKind(h[5]))?;
    let reserved = u16::from_le_bytes([h[6], h[7]]);
    if reserved != 0 {
        return Err(FrameError::BadReserved(reserved));
    }
    let len = u32::from_le_bytes([h[8], h[9], h[10], h[11]]) as usize;
    if len > MAX_BODY_LEN {
        return Err(FrameError::TooLong(len));
    }
    Ok((kind, len))
}

/// FNV-1a (32 bit) over the header prefix and the body: catches a desynchronised or corrupted
/// stream, not an attacker.
fn checksum(header: &[u8], body: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in header.iter().chain(body) {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Cuts a byte stream into frames. Feed it what the socket returns, then call
/// [`FrameDecoder::next_frame`] until it yields `Ok(None)`; at end of stream call
/// [`FrameDecoder::finish`]. After any error the stream is unusable: close the link.
#[derive(Default)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    start: usize,
}

impl FrameDecoder {
    pub fn new() -> FrameDecoder {
        FrameDecoder::default()
    }

    /// Bytes received but not yet returned as frames.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Appends received bytes. Refuses input that would make the buffer exceed
    /// [`MAX_BUFFERED`], which cannot happen to a caller that drains frames after each feed
    /// of at most 64 KiB.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), FrameError> {
        if self.buffered() + bytes.len() > MAX_BUFFERED {
            return Err(FrameError::Overflow);
        }
        if self.start > 0 && (self.start == self.buf.len() || self.start >= self.buf.len() / 2) {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// The next complete frame, `Ok(None)` if more bytes are needed. The header is validated
    /// as soon as its 16 bytes are here, the checksum once the body is.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, FrameError> {
        let pending = &self.buf[self.start..];
        let Some(header) = pending.first_chunk::<HEADER_LEN>() else {
            return Ok(None);
        };
        let (kind, len) = parse_header(header)?;
        if pending.len() < HEADER_LEN + len {
            return Ok(None);
        }
        let expected = u32::from_le_bytes([header[12], header[13], header[14], header[15]]);
        let body = &pending[HEADER_LEN..HEADER_LEN + len];
        let found = checksum(&header[..12], body);
        if found != expected {
            return Err(FrameError::BadChecksum { expected, found });
        }
        let begin = self.start + HEADER_LEN;
        self.start = begin + len;
        Ok(Some(Frame {
            kind,
            body: &self.buf[begin..begin + len],
        }))
    }

    /// At end of stream: an error if a partial frame is left.
    pub fn finish(&self) -> Result<(), FrameError> {
        match self.buffered() {
            0 => Ok(()),
            have => Err(FrameError::Truncated { have }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(specs: &[(MessageKind, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (kind, body) in specs {
            write_frame(&mut out, *kind, body).expect("small body");
        }
        out
    }

    fn drain(dec: &mut FrameDecoder) -> Result<Vec<(MessageKind, Vec<u8>)>, FrameError> {
        let mut got = Vec::new();
        while let Some(f) = dec.next_frame()? {
            got.push((f.kind, f.body.to_vec()));
        }
        Ok(got)
    }

    #[test]
    fn frames_survive_every_split_point() {
        let specs: [(MessageKind, &[u8]); 3] = [
            (MessageKind::Ping, b"hello"),
            (MessageKind::Fail, b""),
            (MessageKind::PublishShard, &[7u8; 300]),
        ];
        let bytes = frames(&specs);
        for cut in 0..=bytes.len() {
            let mut dec = FrameDecoder::new();
            dec.feed(&bytes[..cut]).expect("fits");
            let mut got = drain(&mut dec).expect("valid prefix");
            dec.feed(&bytes[cut..]).expect("fits");
            got.extend(drain(&mut dec).expect("valid rest"));
            dec.finish().expect("nothing left over");
            let want: Vec<_> = specs.iter().map(|(k, b)| (*k, b.to_vec())).collect();
            assert_eq!(got, want, "split at {cut}");
        }
    }

    #[test]
    fn byte_at_a_time_matches_whole() {
        let bytes = frames(&[(MessageKind::Meet, b"abc"), (MessageKind::Pong, b"defg")]);
        let mut dec = FrameDecoder::new();
        let mut got = Vec::new();
        for b in &bytes {
            dec.feed(std::slice::from_ref(b)).expect("fits");
            got.extend(drain(&mut dec).expect("valid"));
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], (MessageKind::Pong, b"defg".to_vec()));
    }

    #[test]
    fn every_truncation_is_reported_at_end_of_stream() {
        let bytes = frames(&[(MessageKind::Update, b"0123456789")]);
        for cut in 1..bytes.len() {
            let mut dec = FrameDecoder::new();
            dec.feed(&bytes[..cut]).expect("fits");
            assert_eq!(drain(&mut dec), Ok(vec![]), "cut {cut}");
            assert_eq!(dec.finish(), Err(FrameError::Truncated { have: cut }));
        }
    }

    #[test]
    fn header_fields_are_checked_before_the_body_arrives() {
        let good = frames(&[(MessageKind::Ping, b"body")]);
        let cases: [(usize, u8, FrameError); 4] = [
            (0, b'X', FrameError::BadMagic(*b"XKVB")),
            (4, 9, FrameError::BadVersion(9)),
            (5, 9, FrameError::UnknownKind(9)),
            (6, 1, FrameError::BadReserved(1)),
        ];
        for (at, byte, want) in cases {
            let mut bad = good.clone();
            bad[at] = byte;
            let mut dec = FrameDecoder::new();
            dec.feed(&bad[..HEADER_LEN]).expect("fits");
            assert_eq!(dec.next_frame(), Err(want));
        }
        let mut huge = good.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut dec = FrameDecoder::new();
        dec.feed(&huge[..HEADER_LEN]).expect("fits");
        assert_eq!(
            dec.next_frame(),
            Err(FrameError::TooLong(u32::MAX as usize))
        );
    }

    #[test]
    fn a_flipped_body_or_length_byte_fails_the_checksum() {
        let good = frames(&[(MessageKind::Publish, b"channel+message")]);
        for at in [HEADER_LEN, good.len() - 1, 12] {
            let mut bad = good.clone();
            bad[at] ^= 0x40;
            let mut dec = FrameDecoder::new();
            dec.feed(&bad).expect("fits");
            assert!(matches!(
                dec.next_frame(),
                Err(FrameError::BadChecksum { .. })
            ));
        }
    }

    #[test]
    fn random_garbage_is_an_error_or_a_wait_never_a_panic() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..2000 {
            let len = (round % 97) + 4;
            let mut junk = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                junk.push(seed as u8);
            }
            if round % 3 == 0 {
                junk[..4].copy_from_slice(&MAGIC);
            }
            let mut dec = FrameDecoder::new();
            dec.feed(&junk).expect("fits");
            if let Ok(frames) = drain(&mut dec) {
                assert!(frames.is_empty(), "garbage decoded as a frame: {junk:?}");
            }
        }
    }

    #[test]
    fn feeding_past_the_bound_is_refused() {
        let mut dec = FrameDecoder::new();
        let chunk = vec![0u8; 1024 * 1024];
        let mut fed = 0;
        while fed + chunk.len() <= MAX_BUFFERED {
            dec.feed(&chunk).expect("under the bound");
            fed += chunk.len();
        }
        assert_eq!(dec.feed(&chunk), Err(FrameError::Overflow));
    }
}
