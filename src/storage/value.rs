//! Stored values and their encodings.
//!
//! Strings keep redis-server's three encodings observable through `OBJECT ENCODING`: `int`
//! (a value that round-trips as a 64-bit integer), `embstr` (short, never modified in place)
//! and `raw` (long, or modified by APPEND/SETRANGE). Hashes, sets and lists live behind a
//! box (so every key's record stays small) in their own modules: [`Hash`], [`Set`], [`List`],
//! [`ZSet`].

use super::hash::Hash;
use super::key::ShortStr;
use super::list::List;
use super::set::Set;
use super::zset::ZSet;
use crate::protocol::number::parse_i64;

/// Longest string redis-server stores as `embstr`.
pub const EMBSTR_MAX: usize = 44;

/// A value stored under a key.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string that is the canonical decimal form of an i64.
    Int(i64),
    /// The same, held in an object of its own rather than redis-server's shared integer
    /// (what COPY makes): only OBJECT REFCOUNT tells the two apart.
    IntObject(i64),
    /// A string created whole (SET, GETSET, ...); short ones are held in place.
    Str(ShortStr),
    /// A string modified in place (APPEND, SETRANGE), growable.
    Raw(Vec<u8>),
    Hash(Box<Hash>),
    Set(Box<Set>),
    List(Box<List>),
    /// A sorted set.
    ZSet(Box<ZSet>),
}

/// The `TYPE` of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Hash,
    Set,
    List,
    ZSet,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Hash => "hash",
            Kind::Set => "set",
            Kind::List => "list",
            Kind::ZSet => "zset",
        }
    }
}

impl Value {
    /// A string value with the encoding redis-server would pick for it on SET.
    pub fn string(data: &[u8]) -> Value {
        if data.len() <= 20 {
            if let Some(n) = parse_i64(data) {
                return Value::Int(n);
            }
        }
        Value::Str(data.into())
    }

    /// A string value kept as given, never as an integer (INCRBYFLOAT's result).
    pub fn text(data: Vec<u8>) -> Value {
        Value::Str(data.into())
    }

    /// The value a COPY of this one holds: a new object, never a shared integer.
    pub fn copied(&self) -> Value {
        match self {
            Value::Int(n) => Value::IntObject(*n),
            other => other.clone(),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Value::Int(_) | Value::IntObject(_) | Value::Str(_) | Value::Raw(_) => Kind::String,
            Value::Hash(_) => Kind::Hash,
            Value::Set(_) => Kind::Set,
            Value::List(_) => Kind::List,
            Value::ZSet(_) => Kind::ZSet,
        }
    }

    /// The `OBJECT ENCODING` name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Int(_) | Value::IntObject(_) => "int",
            Value::Str(s) if s.len() <= EMBSTR_MAX => "embstr",
            Value::Str(_) | Value::Raw(_) => "raw",
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::List(l) => l.encoding(),
            Value::ZSet(z) => z.encoding(),
        }
    }

    /// Where the value's own heap block starts (the string bytes, or the collection's
    /// header), for cache prefetching; `None` when it has none.
    pub fn heap_ptr(&self) -> Option<*const u8> {
        match self {
            Value::Int(_) | Value::IntObject(_) => None,
            Value::Str(s) if s.is_inline() => None,
            Value::Str(s) => Some(s.as_ptr()),
            Value::Raw(v) => Some(v.as_ptr()),
            Value::Hash(h) => Some(&**h as *const Hash as *const u8),
            Value::Set(s) => Some(&**s as *const Set as *const u8),
            Value::List(l) => Some(&**l as *const List as *const u8),
            Value::ZSet(z) => Some(&**z as *const ZSet as *const u8),
        }
    }

    /// Approximate heap bytes owned by the value (for DEBUG OBJECT / MEMORY USAGE).
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Int(_) | Value::IntObject(_) => 0,
            Value::Str(s) if s.is_inline() => 0,
            Value::Str(s) => s.len(),
            Value::Raw(v) => v.capacity(),
            Value::Hash(h) => h.heap_size(),
            Value::Set(s) => s.heap_size(),
            Value::List(l) => l.heap_size(),
            Value::ZSet(z) => z.heap_size(),
        }
    }
}

/// Borrowed or formatted bytes of a string value.
pub enum StrBytes<'a> {
    Borrowed(&'a [u8]),
    Int([u8; 20], u8),
}

impl StrBytes<'_> {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            StrBytes::Borrowed(b) => b,
            StrBytes::Int(buf, start) => &buf[*start as usize..],
        }
    }
}

impl Value {
    /// The string bytes of a string value; `None` for other types.
    pub fn str_bytes(&self) -> Option<StrBytes<'_>> {
        match self {
            Value::Int(n) | Value::IntObject(n) => {
                let mut buf = [0u8; 20];
                let len = crate::protocol::reply::fmt_i64(*n, &mut buf).len();
                Some(StrBytes::Int(buf, (20 - len) as u8))
            }
            Value::Str(s) => Some(StrBytes::Borrowed(s)),
            Value::Raw(v) => Some(StrBytes::Borrowed(v)),
            Value::Hash(_) | Value::Set(_) | Value::List(_) | Value::ZSet(_) => None,
        }
    }

    /// Converts a string value into its growable form for in-place edits.
    pub fn make_raw(&mut self) -> Option<&mut Vec<u8>> {
        let bytes = match self {
            Value::Raw(v) => return Some(v),
            Value::Int(_) | Value::IntObject(_) | Value::Str(_) => {
                self.str_bytes()?.as_slice().to_vec()
            }
            Value::Hash(_) | Value::Set(_) | Value::List(_) | Value::ZSet(_) => return None,
        };
        *self = Value::Raw(bytes);
        match self {
            Value::Raw(v) => Some(v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_match_redis() {
        assert_eq!(Value::string(b"123").encoding(), "int");
        assert_eq!(Value::string(b"0123").encoding(), "embstr");
        assert_eq!(Value::string(&[b'a'; 44]).encoding(), "embstr");
        assert_eq!(Value::string(&[b'a'; 45]).encoding(), "raw");
        let mut v = Value::string(b"12");
        v.make_raw().unwrap().push(b'3');
        assert_eq!(v.encoding(), "raw");
        assert_eq!(v.str_bytes().unwrap().as_slice(), b"123");
    }
}
