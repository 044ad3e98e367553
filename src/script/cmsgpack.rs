//! The `cmsgpack` library scripts see (lua-cmsgpack 0.4.0 as redis-server 7.0 bundles it):
//! `cmsgpack.pack`, `cmsgpack.unpack`, `cmsgpack.unpack_one` and `cmsgpack.unpack_limit`.
//!
//! Runs on the script thread, as Lua C functions (see `auxlib`). Encoding makes
//! lua-cmsgpack's choices: a number that is a 64-bit integer (including -0) takes the
//! smallest integer form, any other number a float when a float holds it exactly (infinities
//! too), else a double; strings are str types (fixstr, str8, str16, str32); a table whose
//! keys are exactly 1..n (the empty table too) is an array, any other a map in `next` order;
//! values of other types are nil; tables nested 16 deep are encoded as nil, so cycles end.
//! Decoding refuses bin and ext types ("Bad data format"); unsigned 64-bit integers come
//! back as signed ones, as in redis-server. Both directions use the Lua stack as the C code
//! does, so its stack checks fail (with their messages) on the same inputs.

use std::ffi::c_int;

use mlua::ffi::{self, lua_State};
use mlua::{Lua, Table};

use super::auxlib::{
    arg_error, c_i64, check_bytes, check_integer, check_stack, entry, error, opt_integer,
    push_bytes, Fail, Res,
};

/// Tables nested deeper than this are encoded as nil.
const MAX_NESTING: usize = 16;

const TOO_MANY: &str = "too many return values at once; use unpack_one or unpack_limit instead.";

pub fn table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    // SAFETY: the functions follow the Lua C API's rules for C functions (see `auxlib`).
    unsafe {
        t.raw_set("pack", lua.create_c_function(pack)?)?;
        t.raw_set("unpack", lua.create_c_function(unpack)?)?;
        t.raw_set("unpack_one", lua.create_c_function(unpack_one)?)?;
        t.raw_set("unpack_limit", lua.create_c_function(unpack_limit)?)?;
    }
    t.raw_set("_NAME", "cmsgpack")?;
    t.raw_set("_VERSION", "lua-cmsgpack 0.4.0")?;
    t.raw_set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo")?;
    t.raw_set("_DESCRIPTION", "MessagePack C implementation for Lua")?;
    Ok(t)
}

unsafe extern "C-unwind" fn pack(state: *mut lua_State) -> c_int {
    entry(state, pack_values)
}

unsafe extern "C-unwind" fn unpack(state: *mut lua_State) -> c_int {
    entry(state, unpack_all)
}

unsafe extern "C-unwind" fn unpack_one(state: *mut lua_State) -> c_int {
    entry(state, unpack_first)
}

unsafe extern "C-unwind" fn unpack_limit(state: *mut lua_State) -> c_int {
    entry(state, unpack_some)
}

unsafe fn unpack_all(state: *mut lua_State) -> Res<c_int> {
    unpack_full(state, 0, 0)
}

unsafe fn unpack_first(state: *mut lua_State) -> Res<c_int> {
    let offset = opt_integer(state, 2, 0)?;
    ffi::lua_settop(state, 1.min(ffi::lua_gettop(state)));
    unpack_full(state, 1, offset)
}

unsafe fn unpack_some(state: *mut lua_State) -> Res<c_int> {
    let limit = check_integer(state, 2)?;
    let offset = opt_integer(state, 3, 0)?;
    ffi::lua_settop(state, 1.min(ffi::lua_gettop(state)));
    unpack_full(state, limit, offset)
}

/// Every argument encoded, concatenated.
unsafe fn pack_values(state: *mut lua_State) -> Res<c_int> {
    let nargs = ffi::lua_gettop(state);
    if nargs == 0 {
        return arg_error(0, "MessagePack pack needs input.");
    }
    if ffi::lua_checkstack(state, nargs) == 0 {
        return arg_error(0, "Too many arguments for MessagePack pack.");
    }
    let mut buf = Vec::new();
    for i in 1..=nargs {
        ffi::lua_pushvalue(state, i);
        encode(state, &mut buf, 0)?;
        push_bytes(state, &buf);
        buf.clear();
    }
    ffi::lua_concat(state, nargs);
    Ok(1)
}

/// Encodes the value on top of the stack at nesting `level`, and pops it.
unsafe fn encode(state: *mut lua_State, buf: &mut Vec<u8>, level: usize) -> Res<()> {
    match ffi::lua_type(state, -1) {
        ffi::LUA_TSTRING => {
            let mut len = 0usize;
            let p = ffi::lua_tolstring(state, -1, &mut len);
            encode_bytes(std::slice::from_raw_parts(p as *const u8, len), buf);
        }
        ffi::LUA_TBOOLEAN => buf.push(if ffi::lua_toboolean(state, -1) != 0 {
            0xc3
        } else {
            0xc2
        }),
        ffi::LUA_TNUMBER => encode_number(ffi::lua_tonumber(state, -1), buf),
        ffi::LUA_TTABLE if level < MAX_NESTING => encode_table(state, buf, level)?,
        _ => buf.push(0xc0),
    }
    ffi::lua_settop(state, -2);
    Ok(())
}

fn encode_bytes(s: &[u8], buf: &mut Vec<u8>) {
    let len = s.len();
    if len < 32 {
        buf.push(0xa0 | len as u8);
    } else if len <= 0xff {
        buf.extend_from_slice(&[0xd9, len as u8]);
    } else if len <= 0xffff {
        buf.push(0xda);
        buf.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        buf.push(0xdb);
        buf.extend_from_slice(&(len as u32).to_be_bytes());
    }
    buf.extend_from_slice(s);
}

fn encode_number(n: f64, buf: &mut Vec<u8>) {
    let i = c_i64(n);
    if !n.is_infinite() && i as f64 == n {
        encode_int(i, buf);
    } else if n == n as f32 as f64 {
        buf.push(0xca);
        buf.extend_from_slice(&(n as f32).to_be_bytes());
    } else {
        buf.push(0xcb);
        buf.extend_from_slice(&n.to_be_bytes());
    }
}

fn encode_int(n: i64, buf: &mut Vec<u8>) {
    if n >= 0 {
        if n <= 127 {
            buf.push(n as u8);
        } else if n <= 0xff {
            buf.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            buf.push(0xcd);
            buf.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            buf.push(0xce);
            buf.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            buf.push(0xcf);
            buf.extend_from_slice(&(n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        buf.push(n as i8 as u8);
    } else if n >= -128 {
        buf.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= -32768 {
        buf.push(0xd1);
        buf.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        buf.push(0xd2);
        buf.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        buf.push(0xd3);
        buf.extend_from_slice(&n.to_be_bytes());
    }
}

/// A container header: `fix` with the count folded in up to 15, else the 16 or 32-bit form.
fn encode_header(len: usize, fix: u8, wide: u8, buf: &mut Vec<u8>) {
    if len <= 15 {
        buf.push(fix | len as u8);
    } else if len <= 0xffff {
        buf.push(wide);
        buf.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        buf.push(wide + 1);
        buf.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

/// lua-cmsgpack's array test for the table on top: every key a number in 1..=INT_MAX,
/// integral, and the largest equal to the count (so the keys are exactly 1..n).
unsafe fn is_array(state: *mut lua_State) -> Res<bool> {
    check_stack(state, 2, "in function table_is_an_array")?;
    let top = ffi::lua_gettop(state);
    let (mut count, mut max) = (0i64, 0i64);
    ffi::lua_pushnil(state);
    while ffi::lua_next(state, -2) != 0 {
        ffi::lua_settop(state, -2);
        let n = ffi::lua_tonumber(state, -1);
        // `(int)n == n`, with x86's out-of-range result INT_MIN.
        let int_equivalent = n < 2_147_483_648.0 && n.trunc() == n;
        if ffi::lua_type(state, -1) != ffi::LUA_TNUMBER || n <= 0.0 || !int_equivalent {
            ffi::lua_settop(state, top);
            return Ok(false);
        }
        max = max.max(n as i64);
        count += 1;
    }
    ffi::lua_settop(state, top);
    Ok(max == count)
}

/// Encodes the table on top of the stack as an array or a map (leaves it there).
unsafe fn encode_table(state: *mut lua_State, buf: &mut Vec<u8>, level: usize) -> Res<()> {
    if is_array(state)? {
        let len = ffi::lua_objlen(state, -1);
        encode_header(len, 0x90, 0xdc, buf);
        check_stack(state, 1, "in function mp_encode_lua_table_as_array")?;
        for j in 1..=len {
            ffi::lua_rawgeti_(state, -1, j as c_int);
            encode(state, buf, level + 1)?;
        }
    } else {
        check_stack(state, 3, "in function mp_encode_lua_table_as_map")?;
        let mut len = 0;
        ffi::lua_pushnil(state);
        while ffi::lua_next(state, -2) != 0 {
            ffi::lua_settop(state, -2);
            len += 1;
        }
        encode_header(len, 0x80, 0xde, buf);
        ffi::lua_pushnil(state);
        while ffi::lua_next(state, -2) != 0 {
            // Stack: key, value; the key is copied on top, encoded, then the value.
            ffi::lua_pushvalue(state, -2);
            encode(state, buf, level + 1)?;
            encode(state, buf, level + 1)?;
        }
    }
    Ok(())
}

/// Why decoding stopped before the end of a value.
enum Stop {
    /// "Missing bytes in input."
    Eof,
    /// "Bad data format in input." (bin and ext types, 0xc1).
    BadFormat,
}

/// The input being decoded and the first problem met, as lua-cmsgpack's cursor.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
    stop: Option<Stop>,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.s.len() - self.pos
    }

    /// Whether `n` bytes are left; records the end of input otherwise.
    fn need(&mut self, n: usize) -> bool {
        if self.left() < n {
            self.stop = Some(Stop::Eof);
            return false;
        }
        true
    }

    /// `n` bytes after the type byte, as a big-endian number (checked by the caller).
    fn uint(&self, n: usize) -> u64 {
        self.s[self.pos + 1..self.pos + 1 + n]
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | b as u64)
    }
}

/// Decodes one value onto the stack; on a problem, records it in the cursor instead.
unsafe fn decode(state: *mut lua_State, c: &mut Cursor) -> Res<()> {
    if !c.need(1) {
        return Ok(());
    }
    check_stack(state, 1, TOO_MANY)?;
    let b = c.s[c.pos];
    // Fixed-size values: the bytes after the type byte.
    let fixed = match b {
        0xcc | 0xd0 => 1,
        0xcd | 0xd1 => 2,
        0xce | 0xd2 | 0xca => 4,
        0xcf | 0xd3 | 0xcb => 8,
        _ => 0,
    };
    if fixed > 0 && !c.need(1 + fixed) {
        return Ok(());
    }
    match b {
        0xcc..=0xcf => ffi::lua_pushinteger(state, c.uint(fixed) as i64),
        0xd0 => ffi::lua_pushinteger(state, c.uint(1) as i8 as i64),
        0xd1 => ffi::lua_pushinteger(state, c.uint(2) as i16 as i64),
        0xd2 => ffi::lua_pushinteger(state, c.uint(4) as i32 as i64),
        0xd3 => ffi::lua_pushinteger(state, c.uint(8) as i64),
        0xca => ffi::lua_pushnumber(state, f32::from_bits(c.uint(4) as u32) as f64),
        0xcb => ffi::lua_pushnumber(state, f64::from_bits(c.uint(8))),
        0xc0 => ffi::lua_pushnil(state),
        0xc3 => ffi::lua_pushboolean(state, 1),
        0xc2 => ffi::lua_pushboolean(state, 0),
        0xd9..=0xdb => {
            let width = 1 << (b - 0xd9);
            if !c.need(1 + width) {
                return Ok(());
            }
            let len = c.uint(width) as usize;
            c.pos += 1 + width;
            return decode_bytes(state, c, len);
        }
        0xa0..=0xbf => {
            c.pos += 1;
            return decode_bytes(state, c, (b & 0x1f) as usize);
        }
        0xdc..=0xdf => {
            let width = if b & 1 == 0 { 2 } else { 4 };
            if !c.need(1 + width) {
                return Ok(());
            }
            let len = c.uint(width);
            c.pos += 1 + width;
            return if b < 0xde {
                decode_array(state, c, len)
            } else {
                decode_map(state, c, len)
            };
        }
        0x90..=0x9f => {
            c.pos += 1;
            return decode_array(state, c, (b & 0xf) as u64);
        }
        0x80..=0x8f => {
            c.pos += 1;
            return decode_map(state, c, (b & 0xf) as u64);
        }
        0x00..=0x7f => ffi::lua_pushinteger(state, b as i64),
        0xe0..=0xff => ffi::lua_pushinteger(state, b as i8 as i64),
        _ => {
            c.stop = Some(Stop::BadFormat);
            return Ok(());
        }
    }
    c.pos += 1 + fixed;
    Ok(())
}

unsafe fn decode_bytes(state: *mut lua_State, c: &mut Cursor, len: usize) -> Res<()> {
    if c.need(len) {
        push_bytes(state, &c.s[c.pos..c.pos + len]);
        c.pos += len;
    }
    Ok(())
}

unsafe fn decode_array(state: *mut lua_State, c: &mut Cursor, len: u64) -> Res<()> {
    ffi::lua_createtable(state, 0, 0);
    check_stack(state, 1, "in function mp_decode_to_lua_array")?;
    for i in 1..=len {
        ffi::lua_pushnumber(state, i as f64);
        decode(state, c)?;
        if c.stop.is_some() {
            return Ok(());
        }
        ffi::lua_rawset(state, -3);
    }
    Ok(())
}

unsafe fn decode_map(state: *mut lua_State, c: &mut Cursor, len: u64) -> Res<()> {
    ffi::lua_createtable(state, 0, 0);
    for _ in 0..len {
        decode(state, c)?;
        if c.stop.is_some() {
            return Ok(());
        }
        decode(state, c)?;
        if c.stop.is_some() {
            return Ok(());
        }
        // `lua_settable` would raise these; checked first so that Rust frames unwind.
        match ffi::lua_type(state, -2) {
            ffi::LUA_TNIL => return Err(Fail::Plain("table index is nil")),
            ffi::LUA_TNUMBER if ffi::lua_tonumber(state, -2).is_nan() => {
                return Err(Fail::Plain("table index is NaN"))
            }
            _ => ffi::lua_rawset(state, -3),
        }
    }
    Ok(())
}

/// `unpack` (`limit` and `offset` 0: every value, nothing else), `unpack_one` and
/// `unpack_limit`: up to `limit` values from byte `offset` of the string in slot 1, after
/// the offset following them (-1 at the end of the input).
unsafe fn unpack_full(state: *mut lua_State, limit: i64, offset: i64) -> Res<c_int> {
    let s = check_bytes(state, 1)?;
    let len = s.len();
    if offset < 0 || limit < 0 {
        return error(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        ));
    }
    if offset as u64 > len as u64 {
        return error(format!(
            "Start offset {} greater than input length {}.",
            offset as i32, len as i32
        ));
    }
    let decode_all = limit == 0 && offset == 0;
    let limit = if decode_all { i32::MAX as i64 } else { limit };
    let mut c = Cursor {
        s,
        pos: offset as usize,
        stop: None,
    };
    let mut count: c_int = 0;
    while c.left() > 0 && (count as i64) < limit {
        decode(state, &mut c)?;
        match c.stop {
            Some(Stop::Eof) => return error("Missing bytes in input."),
            Some(Stop::BadFormat) => return error("Bad data format in input."),
            None => count += 1,
        }
    }
    if !decode_all {
        check_stack(state, 1, "in function mp_unpack_full")?;
        let next = if c.left() == 0 { -1 } else { c.pos as i64 };
        ffi::lua_pushinteger(state, next);
        ffi::lua_insert(state, 2);
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(n: f64) -> Vec<u8> {
        let mut buf = Vec::new();
        encode_number(n, &mut buf);
        buf
    }

    #[test]
    fn numbers_take_the_smallest_exact_form() {
        assert_eq!(number(0.0), [0x00]);
        assert_eq!(number(-0.0), [0x00]);
        assert_eq!(number(127.0), [0x7f]);
        assert_eq!(number(128.0), [0xcc, 0x80]);
        assert_eq!(number(-32.0), [0xe0]);
        assert_eq!(number(-33.0), [0xd0, 0xdf]);
        assert_eq!(number(65536.0), [0xce, 0, 1, 0, 0]);
        assert_eq!(number(-2f64.powi(63)), [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]);
        // 2^63 is no int64: it fits a float exactly.
        assert_eq!(number(2f64.powi(63)), [0xca, 0x5f, 0, 0, 0]);
        assert_eq!(number(0.5), [0xca, 0x3f, 0, 0, 0]);
        assert_eq!(number(f64::INFINITY), [0xca, 0x7f, 0x80, 0, 0]);
        assert_eq!(number(0.1)[0], 0xcb);
        assert_eq!(number(f64::NAN)[0], 0xcb);
    }

    #[test]
    fn strings_and_containers_use_fix_then_wider_forms() {
        let mut buf = Vec::new();
        encode_bytes(&[b'a'; 31], &mut buf);
        assert_eq!(buf[0], 0xbf);
        buf.clear();
        encode_bytes(&[b'a'; 32], &mut buf);
        assert_eq!(buf[..2], [0xd9, 32]);
        buf.clear();
        encode_bytes(&[b'a'; 256], &mut buf);
        assert_eq!(buf[..3], [0xda, 1, 0]);
        buf.clear();
        encode_header(15, 0x90, 0xdc, &mut buf);
        encode_header(16, 0x80, 0xde, &mut buf);
        encode_header(0x10000, 0x90, 0xdc, &mut buf);
        assert_eq!(buf, [0x9f, 0xde, 0, 16, 0xdd, 0, 1, 0, 0]);
    }
}
