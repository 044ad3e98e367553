//! Redis's conversions between RESP replies and Lua values, both ways.
//!
//! Runs on a data core. A command called from a script answers RESP bytes (RESP2 or,
//! after `redis.setresp(3)`, RESP3); [`reply_to_lua`] turns them into Lua values as
//! redis-server 7.0 does: integers → numbers, bulk strings → strings, nulls → `false` (RESP2)
//! or `nil` (RESP3), status → `{ok=...}`, errors → `{err=...}`, arrays → tables, RESP3 maps,
//! sets, doubles, big numbers and verbatim strings → tagged tables, booleans → booleans.
//! [`lua_to_reply`] turns a script's return value into the client's reply: numbers are cut
//! to integers (C's cast, so NaN and overflow give `i64::MIN`), tables stop at the first nil,
//! `{err=...}`, `{ok=...}`, `{double=...}`, `{map=...}`, `{set=...}`, `{big_number=...}` and
//! `{verbatim_string=...}` become their reply types.

use mlua::{Lua, Table, Value};

use crate::protocol::{Proto, Reply};

/// How deep nested tables and replies may go before the conversion gives up.
const MAX_DEPTH: usize = 512;

/// The `{err=...}` table redis-server builds from an error reply or message: a leading `-`
/// names the error code (`-WRONGTYPE ...`), otherwise the code is `ERR`; trailing CR/LF go.
pub fn error_table(lua: &Lua, text: &[u8]) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("err", lua.create_string(error_text(text))?)?;
    Ok(t)
}

/// The message of [`error_table`].
pub fn error_text(text: &[u8]) -> Vec<u8> {
    let (code, msg): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(sp) => (&rest[..sp], &rest[sp + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let is_newline = |b: &u8| *b == b'\r' || *b == b'\n';
    let start = msg.iter().position(|b| !is_newline(b)).unwrap_or(msg.len());
    let end = msg
        .iter()
        .rposition(|b| !is_newline(b))
        .map_or(start, |i| i + 1);
    let msg = &msg[start..end];
    let mut out = code.to_vec();
    out.push(b' ');
    out.extend_from_slice(msg);
    out
}

/// Parses one complete RESP reply from `buf` into a Lua value.
pub fn reply_to_lua(lua: &Lua, buf: &[u8]) -> mlua::Result<Value> {
    let mut pos = 0;
    parse(lua, buf, &mut pos, 0)
}

fn line<'a>(buf: &'a [u8], pos: &mut usize) -> mlua::Result<&'a [u8]> {
    let start = *pos;
    let end = buf[start..]
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| start + i)
        .ok_or_else(|| mlua::Error::runtime("malformed reply"))?;
    *pos = end + 2;
    Ok(&buf[start..end])
}

fn number(text: &[u8]) -> mlua::Result<i64> {
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| mlua::Error::runtime("malformed reply"))
}

fn bulk<'a>(buf: &'a [u8], pos: &mut usize, len: i64) -> mlua::Result<&'a [u8]> {
    let malformed = || mlua::Error::runtime("malformed reply");
    let len = usize::try_from(len).map_err(|_| malformed())?;
    let end = pos.checked_add(len).ok_or_else(malformed)?;
    let data = buf.get(*pos..end).ok_or_else(malformed)?;
    *pos += len + 2;
    Ok(data)
}

fn tagged(lua: &Lua, tag: &str, value: impl mlua::IntoLua) -> mlua::Result<Value> {
    let t = lua.create_table()?;
    t.raw_set(tag, value)?;
    Ok(Value::Table(t))
}

fn parse(lua: &Lua, buf: &[u8], pos: &mut usize, depth: usize) -> mlua::Result<Value> {
    if depth > MAX_DEPTH {
        return Err(mlua::Error::runtime("reached lua stack limit"));
    }
    let tag = *buf
        .get(*pos)
        .ok_or_else(|| mlua::Error::runtime("malformed reply"))?;
    *pos += 1;
    let head = line(buf, pos)?;
    Ok(match tag {
        b':' => Value::Number(number(head)? as f64),
        b'+' => tagged(lua, "ok", lua.create_string(head)?)?,
        b'-' => {
            let mut text = b"-".to_vec();
            text.extend_from_slice(head);
            Value::Table(error_table(lua, &text)?)
        }
        b'$' => match number(head)? {
            n if n < 0 => Value::Boolean(false),
            n => Value::String(lua.create_string(bulk(buf, pos, n)?)?),
        },
        b'*' | b'~' | b'>' => match number(head)? {
            n if n < 0 => Value::Boolean(false),
            n => {
                let t = lua.create_table()?;
                for i in 0..n {
                    if tag == b'~' {
                        t.raw_set(parse(lua, buf, pos, depth + 1)?, true)?;
                    } else {
                        t.raw_set(i + 1, parse(lua, buf, pos, depth + 1)?)?;
                    }
                }
                if tag == b'~' {
                    tagged(lua, "set", t)?
                } else {
                    Value::Table(t)
                }
            }
        },
        b'%' => {
            let t = lua.create_table()?;
            for _ in 0..number(head)? {
                let k = parse(lua, buf, pos, depth + 1)?;
                let v = parse(lua, buf, pos, depth + 1)?;
                t.raw_set(k, v)?;
            }
            tagged(lua, "map", t)?
        }
        b'|' => {
            for _ in 0..number(head)? * 2 {
                parse(lua, buf, pos, depth + 1)?;
            }
            parse(lua, buf, pos, depth)?
        }
        b'_' => Value::Nil,
        b'#' => Value::Boolean(head == b"t"),
        b',' => {
            let text = std::str::from_utf8(head).unwrap_or("0");
            let d = match text {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" => f64::NAN,
                _ => text.parse().unwrap_or(0.0),
            };
            tagged(lua, "double", d)?
        }
        b'(' => tagged(lua, "big_number", lua.create_string(head)?)?,
        b'=' => {
            let data = bulk(buf, pos, number(head)?)?;
            let (format, text) = if data.len() >= 4 {
                (&data[..3], &data[4..])
            } else {
                (&b""[..], data)
            };
            let t = lua.create_table()?;
            t.raw_set("format", lua.create_string(format)?)?;
            t.raw_set("string", lua.create_string(text)?)?;
            tagged(lua, "verbatim_string", t)?
        }
        _ => return Err(mlua::Error::runtime("malformed reply")),
    })
}

/// C's `(long long)` cast of a double on x86-64: NaN and out-of-range values give `i64::MIN`.
pub fn lua_number_to_i64(n: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// Replaces CR and LF with spaces, as redis-server does for status and error texts.
fn one_line(text: &[u8]) -> Vec<u8> {
    text.iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}

/// Appends the reply for a script's return value. `script_resp3` is the protocol chosen
/// with `redis.setresp` (it decides how booleans are sent).
pub fn lua_to_reply(value: &Value, out: &mut Reply, script_resp3: bool) {
    to_reply(value, out, script_resp3, 0)
}

fn to_reply(value: &Value, out: &mut Reply, script_resp3: bool, depth: usize) {
    if depth > MAX_DEPTH {
        out.error("ERR reached lua stack limit");
        return;
    }
    match value {
        Value::String(s) => out.bulk(&s.as_bytes()),
        Value::Boolean(b) if script_resp3 => out.boolean(*b),
        Value::Boolean(true) => out.int(1),
        Value::Number(n) => out.int(lua_number_to_i64(*n)),
        Value::Integer(n) => out.int(*n),
        Value::Table(t) => table_reply(t, out, script_resp3, depth),
        _ => out.null(),
    }
}

fn table_reply(t: &Table, out: &mut Reply, script_resp3: bool, depth: usize) {
    if let Ok(Value::String(err)) = t.raw_get::<Value>("err") {
        out.error_bytes(&err.as_bytes());
        return;
    }
    if let Ok(Value::String(ok)) = t.raw_get::<Value>("ok") {
        let text = one_line(&ok.as_bytes());
        out.buf.push(b'+');
        out.buf.extend_from_slice(&text);
        out.buf.extend_from_slice(b"\r\n");
        return;
    }
    match t.raw_get::<Value>("double") {
        Ok(Value::Number(d)) => return out.double(d),
        Ok(Value::Integer(d)) => return out.double(d as f64),
        _ => {}
    }
    if let Ok(Value::String(big)) = t.raw_get::<Value>("big_number") {
        let text = one_line(&big.as_bytes());
        if out.resp3() {
            out.buf.push(b'(');
            out.buf.extend_from_slice(&text);
            out.buf.extend_from_slice(b"\r\n");
        } else {
            out.bulk(&text);
        }
        return;
    }
    if let Ok(Value::Table(map)) = t.raw_get::<Value>("map") {
        let pairs: Vec<(Value, Value)> =
            map.pairs::<Value, Value>().filter_map(Result::ok).collect();
        out.map(pairs.len());
        for (k, v) in &pairs {
            to_reply(k, out, script_resp3, depth + 1);
            to_reply(v, out, script_resp3, depth + 1);
        }
        return;
    }
    if let Ok(Value::Table(set)) = t.raw_get::<Value>("set") {
        let keys: Vec<Value> = set
            .pairs::<Value, Value>()
            .filter_map(Result::ok)
            .map(|(k, _)| k)
            .collect();
        out.set(keys.len());
        for k in &keys {
            to_reply(k, out, script_resp3, depth + 1);
        }
        return;
    }
    if let Ok(Value::Table(v)) = t.raw_get::<Value>("verbatim_string") {
        let format = v.raw_get::<mlua::String>("format");
        let text = v.raw_get::<mlua::String>("string");
        if let (Ok(format), Ok(text)) = (format, text) {
            let (format, text) = (format.as_bytes(), text.as_bytes());
            if out.resp3() {
                let mut data = format.to_vec();
                data.push(b':');
                data.extend_from_slice(&text);
                out.buf
                    .extend_from_slice(format!("={}\r\n", data.len()).as_bytes());
                out.buf.extend_from_slice(&data);
                out.buf.extend_from_slice(b"\r\n");
            } else {
                out.bulk(&text);
            }
            return;
        }
    }
    let mut items = Vec::new();
    for i in 1.. {
        match t.raw_get::<Value>(i) {
            Ok(Value::Nil) | Err(_) => break,
            Ok(v) => items.push(v),
        }
    }
    out.array(items.len());
    for v in &items {
        to_reply(v, out, script_resp3, depth + 1);
    }
}

/// The protocol a reply is rendered in for a client.
pub fn proto(resp3: bool) -> Proto {
    if resp3 {
        Proto::Resp3
    } else {
        Proto::Resp2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_as_redis_names_them() {
        assert_eq!(error_text(b"-WRONGTYPE Operation"), b"WRONGTYPE Operation");
        assert_eq!(error_text(b"-oops"), b"ERR oops");
        assert_eq!(error_text(b"-"), b"ERR ");
        assert_eq!(error_text(b"plain text\r\n"), b"ERR plain text");
    }

    #[test]
    fn numbers_cast_like_c() {
        assert_eq!(lua_number_to_i64(3.99), 3);
        assert_eq!(lua_number_to_i64(-3.99), -3);
        assert_eq!(lua_number_to_i64(f64::NAN), i64::MIN);
        assert_eq!(lua_number_to_i64(f64::INFINITY), i64::MIN);
        assert_eq!(lua_number_to_i64(9.3e18), i64::MIN);
        assert_eq!(lua_number_to_i64(-9.3e18), i64::MIN);
    }

    /// A reply converted to Lua and back comes out as redis-server sends it from a script.
    fn round_trip(reply: &[u8], resp3: bool) -> Vec<u8> {
        let lua = Lua::new();
        let value = reply_to_lua(&lua, reply).expect("parses");
        let mut out = Reply::new(proto(resp3));
        lua_to_reply(&value, &mut out, resp3);
        out.buf
    }

    #[test]
    fn replies_round_trip() {
        for (reply, resp3, want) in [
            (&b":42\r\n"[..], false, &b":42\r\n"[..]),
            (b"$3\r\nabc\r\n", false, b"$3\r\nabc\r\n"),
            (b"$-1\r\n", false, b"$-1\r\n"),
            (b"+OK\r\n", false, b"+OK\r\n"),
            (b"-ERR bad\r\n", false, b"-ERR bad\r\n"),
            (b"*2\r\n:1\r\n$-1\r\n", false, b"*2\r\n:1\r\n$-1\r\n"),
            (b"%1\r\n$1\r\na\r\n:1\r\n", true, b"%1\r\n$1\r\na\r\n:1\r\n"),
            (
                b"%1\r\n$1\r\na\r\n:1\r\n",
                false,
                b"*2\r\n$1\r\na\r\n:1\r\n",
            ),
            (b",1.5\r\n", true, b",1.5\r\n"),
            (b",1.5\r\n", false, b"$3\r\n1.5\r\n"),
            (b"#t\r\n", true, b"#t\r\n"),
            (b"_\r\n", true, b"_\r\n"),
            (b"~1\r\n$1\r\nx\r\n", true, b"~1\r\n$1\r\nx\r\n"),
            (b"(123\r\n", true, b"(123\r\n"),
        ] {
            assert_eq!(
                round_trip(reply, resp3),
                want,
                "{}",
                String::from_utf8_lossy(reply)
            );
        }
    }

    #[test]
    fn malformed_replies_are_errors_not_panics() {
        let lua = Lua::new();
        for bad in [
            &b""[..],
            b"$5\r\nab",
            b"*2\r\n:1\r\n",
            b"?x\r\n",
            b":x\r\n",
            b"=-5\r\nab\r\n",
            b"$9223372036854775807\r\n",
        ] {
            assert!(reply_to_lua(&lua, bad).is_err());
        }
    }
}
