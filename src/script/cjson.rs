//! The `cjson` library scripts see (lua-cjson 2.1 as redis-server bundles it, default
//! settings): `cjson.encode`, `cjson.decode` and `cjson.null`.
//!
//! Runs on a data core. Encoding follows lua-cjson: numbers as Lua prints them
//! (`%.14g`), `/` escaped as `\/`, tables with only positive integer keys as arrays (holes
//! become `null`, excessively sparse ones are refused), empty tables as `{}`, object keys in
//! the table's own order. Decoding maps `null` to `cjson.null` (a light userdata).
//! Error texts follow lua-cjson's for the common cases.

use mlua::{LightUserData, Lua, Table, Value};

use super::library::raise;

const MAX_DEPTH: usize = 1000;

/// Raises `msg` with the caller's position, as `luaL_error` does in a C library.
fn fail<T>(lua: &Lua, msg: String) -> mlua::Result<T> {
    let place = lua
        .inspect_stack(1, |d| {
            let line = d.current_line()?;
            let src = d.source().short_src?.into_owned();
            Some(format!("{src}:{line}: "))
        })
        .flatten()
        .unwrap_or_default();
    raise(lua, Value::String(lua.create_string(place + &msg)?))
}

fn null() -> Value {
    Value::LightUserData(LightUserData(std::ptr::null_mut()))
}

pub fn table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "encode",
        lua.create_function(|lua, v: mlua::MultiValue| {
            if v.len() != 1 {
                return fail(
                    lua,
                    "bad argument #1 to 'encode' (expected 1 argument)".into(),
                );
            }
            let mut out = Vec::new();
            encode(lua, &v[0], &mut out, 0)?;
            lua.create_string(out)
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, v: mlua::MultiValue| {
            let Some(Value::String(s)) = v.iter().next().filter(|_| v.len() == 1) else {
                return fail(
                    lua,
                    "bad argument #1 to 'decode' (expected 1 argument)".into(),
                );
            };
            let bytes = s.as_bytes().to_vec();
            let mut p = Parser {
                lua,
                s: &bytes,
                pos: 0,
            };
            let value = p.value(0)?;
            p.skip_ws();
            if p.pos < bytes.len() {
                return p.error("the end");
            }
            Ok(value)
        })?,
    )?;
    t.raw_set("null", null())?;
    Ok(t)
}

fn encode_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b if b < 0x20 || b == 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            b => out.push(b),
        }
    }
    out.push(b'"');
}

fn encode_number(lua: &Lua, n: f64, out: &mut Vec<u8>) -> mlua::Result<()> {
    if !n.is_finite() {
        return fail(
            lua,
            "Cannot serialise number: must not be NaN or Inf".into(),
        );
    }
    let text = lua
        .coerce_string(Value::Number(n))?
        .map(|s| s.as_bytes().to_vec());
    out.extend_from_slice(&text.unwrap_or_default());
    Ok(())
}

fn encode(lua: &Lua, v: &Value, out: &mut Vec<u8>, depth: usize) -> mlua::Result<()> {
    match v {
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(p) if p.0.is_null() => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Integer(n) => encode_number(lua, *n as f64, out)?,
        Value::Number(n) => encode_number(lua, *n, out)?,
        Value::String(s) => encode_string(&s.as_bytes(), out),
        Value::Table(t) => {
            if depth >= MAX_DEPTH {
                return fail(
                    lua,
                    format!("Cannot serialise, excessive nesting ({})", depth + 1),
                );
            }
            encode_table(lua, t, out, depth + 1)?
        }
        other => {
            return fail(
                lua,
                format!("Cannot serialise {}: type not supported", other.type_name()),
            )
        }
    }
    Ok(())
}

/// The array length lua-cjson sees: `Some(max)` when every key is a positive integer.
fn array_length(lua: &Lua, t: &Table) -> mlua::Result<Option<usize>> {
    let (mut max, mut items) = (0usize, 0usize);
    for pair in t.pairs::<Value, Value>() {
        let (k, _) = pair?;
        let n = match k {
            Value::Integer(n) => n as f64,
            Value::Number(n) => n,
            _ => return Ok(None),
        };
        if n < 1.0 || n.fract() != 0.0 {
            return Ok(None);
        }
        max = max.max(n as usize);
        items += 1;
    }
    if max > 10 && max > items * 2 {
        return fail(
            lua,
            "Cannot serialise table: excessively sparse array".into(),
        );
    }
    Ok(Some(max))
}

fn encode_table(lua: &Lua, t: &Table, out: &mut Vec<u8>, depth: usize) -> mlua::Result<()> {
    match array_length(lua, t)? {
        Some(len) if len > 0 => {
            out.push(b'[');
            for i in 1..=len {
                if i > 1 {
                    out.push(b',');
                }
                encode(lua, &t.raw_get::<Value>(i)?, out, depth)?;
            }
            out.push(b']');
        }
        _ => {
            out.push(b'{');
            let mut first = true;
            for pair in t.pairs::<Value, Value>() {
                let (k, v) = pair?;
                if !first {
                    out.push(b',');
                }
                first = false;
                match &k {
                    Value::String(s) => encode_string(&s.as_bytes(), out),
                    Value::Integer(_) | Value::Number(_) => {
                        out.push(b'"');
                        let n = match k {
                            Value::Integer(n) => n as f64,
                            Value::Number(n) => n,
                            _ => 0.0,
                        };
                        encode_number(lua, n, out)?;
                        out.push(b'"');
                    }
                    other => {
                        return fail(
                            lua,
                            format!(
                                "Cannot serialise {}: table key must be a number or string",
                                other.type_name()
                            ),
                        )
                    }
                }
                out.push(b':');
                encode(lua, &v, out, depth)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

struct Parser<'a> {
    lua: &'a Lua,
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn error<T>(&self, expected: &str) -> mlua::Result<T> {
        let found = match self.s.get(self.pos) {
            None => "T_END",
            Some(b'{') => "T_OBJ_BEGIN",
            Some(b'}') => "T_OBJ_END",
            Some(b'[') => "T_ARR_BEGIN",
            Some(b']') => "T_ARR_END",
            Some(b',') => "T_COMMA",
            Some(b':') => "T_COLON",
            Some(b'"') => "T_STRING",
            Some(b'-' | b'0'..=b'9') => "T_NUMBER",
            _ if self.s[self.pos..].starts_with(b"true") => "T_BOOLEAN",
            _ if self.s[self.pos..].starts_with(b"false") => "T_BOOLEAN",
            _ if self.s[self.pos..].starts_with(b"null") => "T_NULL",
            _ => "invalid token",
        };
        fail(
            self.lua,
            format!(
                "Expected {expected} but found {found} at character {}",
                self.pos + 1
            ),
        )
    }

    fn eat(&mut self, word: &[u8]) -> bool {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> mlua::Result<Value> {
        self.skip_ws();
        if depth >= MAX_DEPTH {
            return fail(
                self.lua,
                format!(
                    "Found too many nested data structures ({}) at character {}",
                    depth + 1,
                    self.pos + 1
                ),
            );
        }
        match self.s.get(self.pos) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Value::String(self.lua.create_string(self.string()?)?)),
            _ if self.eat(b"true") => Ok(Value::Boolean(true)),
            _ if self.eat(b"false") => Ok(Value::Boolean(false)),
            _ if self.eat(b"null") => Ok(null()),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.error("value"),
        }
    }

    fn number(&mut self) -> mlua::Result<Value> {
        let start = self.pos;
        while self.pos < self.s.len()
            && matches!(
                self.s[self.pos],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        match text.parse::<f64>() {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => fail(
                self.lua,
                format!(
                    "Expected value but found invalid number at character {}",
                    start + 1
                ),
            ),
        }
    }

    fn string(&mut self) -> mlua::Result<Vec<u8>> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.pos) else {
                self.pos = start;
                return self.error("value");
            };
            self.pos += 1;
            match b {
                b'"' => return Ok(out),
                b'\\' => {
                    let at = self.pos;
                    let esc = self.s.get(self.pos).copied().unwrap_or(0);
                    self.pos += 1;
                    match esc {
                        b'"' | b'\\' | b'/' => out.push(esc),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0c),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hex = self.s.get(self.pos..self.pos + 4).and_then(|h| {
                                u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
                            });
                            let Some(code) = hex else {
                                return fail(
                                    self.lua,
                                    format!("Expected value but found invalid unicode escape code at character {}", start + 1),
                                );
                            };
                            self.pos += 4;
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => {
                            return fail(
                                self.lua,
                                format!(
                                    "Expected value but found invalid escape code at character {}",
                                    at
                                ),
                            )
                        }
                    }
                }
                b => out.push(b),
            }
        }
    }

    fn array(&mut self, depth: usize) -> mlua::Result<Value> {
        self.pos += 1;
        let t = self.lua.create_table()?;
        self.skip_ws();
        if self.eat(b"]") {
            return Ok(Value::Table(t));
        }
        for i in 1.. {
            t.raw_set(i, self.value(depth + 1)?)?;
            self.skip_ws();
            if self.eat(b"]") {
                break;
            }
            if !self.eat(b",") {
                return self.error("comma or array end");
            }
        }
        Ok(Value::Table(t))
    }

    fn object(&mut self, depth: usize) -> mlua::Result<Value> {
        self.pos += 1;
        let t = self.lua.create_table()?;
        self.skip_ws();
        if self.eat(b"}") {
            return Ok(Value::Table(t));
        }
        loop {
            self.skip_ws();
            if self.s.get(self.pos) != Some(&b'"') {
                return self.error("object key string");
            }
            let key = self.string()?;
            self.skip_ws();
            if !self.eat(b":") {
                return self.error("colon");
            }
            let value = self.value(depth + 1)?;
            t.raw_set(self.lua.create_string(key)?, value)?;
            self.skip_ws();
            if self.eat(b"}") {
                break;
            }
            if !self.eat(b",") {
                return self.error("comma or object end");
            }
        }
        Ok(Value::Table(t))
    }
}
