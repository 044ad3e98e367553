//! A borrowed view of one command's arguments.

use crate::protocol::Span;

/// Arguments of one command: spans into a buffer (the connection's read buffer, or a mesh
/// batch's copy). `get(0)` is the command name.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    buf: &'a [u8],
    spans: &'a [Span],
}

impl<'a> Args<'a> {
    pub fn new(buf: &'a [u8], spans: &'a [Span]) -> Self {
        Args { buf, spans }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Argument `i`; panics when out of range (arity is checked before handlers run).
    pub fn get(&self, i: usize) -> &'a [u8] {
        let (start, len) = self.spans[i];
        &self.buf[start..start + len]
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let buf = self.buf;
        self.spans.iter().map(move |&(s, l)| &buf[s..s + l])
    }

    /// Whether argument `i` equals `word` ignoring ASCII case.
    pub fn is(&self, i: usize, word: &str) -> bool {
        self.get(i).eq_ignore_ascii_case(word.as_bytes())
    }

    pub fn spans(&self) -> &'a [Span] {
        self.spans
    }

    pub fn buf(&self) -> &'a [u8] {
        self.buf
    }
}

/// Owned arguments, for building commands in tests and internal calls.
#[derive(Default, Clone, Debug)]
pub struct OwnedArgs {
    buf: Vec<u8>,
    spans: Vec<Span>,
}

impl OwnedArgs {
    pub fn from_parts<I, T>(parts: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut owned = OwnedArgs::default();
        for p in parts {
            owned.push(p.as_ref());
        }
        owned
    }

    pub fn push(&mut self, arg: &[u8]) {
        self.spans.push((self.buf.len(), arg.len()));
        self.buf.extend_from_slice(arg);
    }

    pub fn args(&self) -> Args<'_> {
        Args::new(&self.buf, &self.spans)
    }
}
