//! The `struct` library scripts see (Roberto Ierusalimschy's struct 0.2 as redis-server 7.0
//! bundles it): `struct.pack(fmt, ...)`, `struct.unpack(fmt, s [, pos])` and
//! `struct.size(fmt)`.
//!
//! Runs on the script thread, as Lua C functions (see `auxlib`). Formats are read as the C library reads them on x86-64:
//! `>`/`<` set big/little endian (little by default), `!n` the maximum alignment (8 when `n`
//! is omitted; 1, no padding, until set), `x` a zero byte, `b B h H l state T` integers of 1, 1, 2,
//! 8, 8 and 8 bytes, `i[n] I[n]` integers of `n` bytes (4 by default, at most 32; bytes past
//! the eighth are zero when packing and ignored when unpacking), `f d` floats and doubles,
//! `s` a zero-terminated string, `c[n]` `n` characters (`c0`: the whole string when packing,
//! the length read just before it when unpacking), spaces ignored. Numbers are converted with
//! the C casts' x86-64 results, `unpack` ends with the position after the data, and errors
//! have the C library's texts (argument numbers included, quirks and all).

use std::ffi::c_int;

use mlua::ffi::{self, lua_State};
use mlua::{Lua, Table};

use super::auxlib::{
    arg_error, c_i64, c_u64, check_bytes, check_number, check_stack, entry, error, opt_integer,
    push_bytes, Res,
};

/// The largest `i[n]`/`I[n]`.
const MAX_INT_SIZE: usize = 32;
/// The default of `!`: the alignment of a double after a char on x86-64.
const MAX_ALIGN: usize = 8;

pub fn table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    // SAFETY: the functions follow the Lua C API's rules for C functions (see `auxlib`).
    unsafe {
        t.raw_set("pack", lua.create_c_function(pack)?)?;
        t.raw_set("unpack", lua.create_c_function(unpack)?)?;
        t.raw_set("size", lua.create_c_function(size)?)?;
    }
    Ok(t)
}

unsafe extern "C-unwind" fn pack(state: *mut lua_State) -> c_int {
    entry(state, pack_values)
}

unsafe extern "C-unwind" fn unpack(state: *mut lua_State) -> c_int {
    entry(state, unpack_values)
}

unsafe extern "C-unwind" fn size(state: *mut lua_State) -> c_int {
    entry(state, format_size)
}

/// Endianness and alignment, as set by the control options read so far.
struct Header {
    big: bool,
    align: usize,
}

impl Default for Header {
    fn default() -> Header {
        Header {
            big: false,
            align: 1,
        }
    }
}

/// A format string read left to right, up to its first zero byte (as C reads it).
struct Format<'a> {
    f: &'a [u8],
    at: usize,
}

impl<'a> Format<'a> {
    fn new(f: &'a [u8]) -> Format<'a> {
        let end = f.iter().position(|&b| b == 0).unwrap_or(f.len());
        Format {
            f: &f[..end],
            at: 0,
        }
    }

    fn next(&mut self) -> Option<u8> {
        let opt = *self.f.get(self.at)?;
        self.at += 1;
        Some(opt)
    }

    /// The decimal number at the cursor, or `default` when there is none.
    fn number(&mut self, default: usize) -> Res<usize> {
        if !self.f.get(self.at).is_some_and(u8::is_ascii_digit) {
            return Ok(default);
        }
        let mut a: i32 = 0;
        while let Some(&c) = self.f.get(self.at).filter(|c| c.is_ascii_digit()) {
            let digit = (c - b'0') as i32;
            if a > i32::MAX / 10 || a * 10 > i32::MAX - digit {
                return error("integral size overflow");
            }
            a = a * 10 + digit;
            self.at += 1;
        }
        Ok(a as usize)
    }

    /// The size of option `opt`, reading its count; 0 for options without data.
    fn size(&mut self, opt: u8) -> Res<usize> {
        Ok(match opt {
            b'B' | b'b' | b'x' => 1,
            b'H' | b'h' => 2,
            b'L' | b'l' | b'T' | b'd' => 8,
            b'f' => 4,
            b'c' => self.number(1)?,
            b'i' | b'I' => {
                let size = self.number(4)?;
                if size > MAX_INT_SIZE {
                    return error(format!(
                        "integral size {size} is larger than limit of {MAX_INT_SIZE}"
                    ));
                }
                size
            }
            _ => 0,
        })
    }

    /// Applies a control option (space, `>`, `<`, `!n`); anything else is refused.
    fn control(&mut self, opt: u8, h: &mut Header) -> Res<()> {
        match opt {
            b' ' => {}
            b'>' => h.big = true,
            b'<' => h.big = false,
            b'!' => {
                let a = self.number(MAX_ALIGN)?;
                if !a.is_power_of_two() {
                    return error(format!("alignment {a} is not a power of 2"));
                }
                h.align = a;
            }
            _ => return arg_error(1, [&b"invalid format option '"[..], &[opt], b"'"].concat()),
        }
        Ok(())
    }
}

/// Padding before an item of `size` bytes at offset `len` (the C formula, which assumes a
/// power of two).
fn padding(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    size.wrapping_sub(len & (size - 1)) & (size - 1)
}

fn is_integer_option(opt: u8) -> bool {
    matches!(
        opt,
        b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I'
    )
}

unsafe fn pack_values(state: *mut lua_State) -> Res<c_int> {
    let mut fmt = Format::new(check_bytes(state, 1)?);
    // As in the C code, a nil after the arguments: one missing argument is reported as nil.
    ffi::lua_pushnil(state);
    let mut h = Header::default();
    let mut arg: c_int = 2;
    let mut out: Vec<u8> = Vec::new();
    while let Some(opt) = fmt.next() {
        let mut size = fmt.size(opt)?;
        let pad = padding(out.len(), &h, opt, size);
        out.resize(out.len() + pad, 0);
        match opt {
            _ if is_integer_option(opt) => {
                let n = check_number(state, arg)?;
                arg += 1;
                let mut value = if n < 0.0 { c_i64(n) as u64 } else { c_u64(n) };
                let start = out.len();
                out.resize(start + size, 0);
                for i in 0..size {
                    let at = if h.big {
                        start + size - 1 - i
                    } else {
                        start + i
                    };
                    out[at] = value as u8;
                    value >>= 8;
                }
            }
            b'x' => out.push(0),
            b'f' => {
                let f = check_number(state, arg)? as f32;
                arg += 1;
                out.extend_from_slice(&if h.big {
                    f.to_be_bytes()
                } else {
                    f.to_le_bytes()
                });
            }
            b'd' => {
                let d = check_number(state, arg)?;
                arg += 1;
                out.extend_from_slice(&if h.big {
                    d.to_be_bytes()
                } else {
                    d.to_le_bytes()
                });
            }
            b'c' | b's' => {
                let s = check_bytes(state, arg)?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // As in the C code, the argument after the short string is named.
                    return arg_error(arg, "string too short");
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                }
            }
            _ => fmt.control(opt, &mut h)?,
        }
    }
    push_bytes(state, &out);
    Ok(1)
}

/// The integer in `bytes`, sign-extended from its top bit when `signed` (with x86's shift
/// count wrapping for sizes past 8 bytes).
fn get_integer(bytes: &[u8], big: bool, signed: bool) -> f64 {
    let fold = |l: u64, &b: &u8| (l << 8) | b as u64;
    let l = if big {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    };
    if !signed {
        return l as f64;
    }
    let mask = u64::MAX << ((bytes.len() as i64 * 8 - 1) & 63);
    let l = if l & mask != 0 { l | mask } else { l };
    l as i64 as f64
}

unsafe fn unpack_values(state: *mut lua_State) -> Res<c_int> {
    let mut fmt = Format::new(check_bytes(state, 1)?);
    let data = check_bytes(state, 2)?;
    let ld = data.len();
    let pos = opt_integer(state, 3, 1)? as usize;
    if pos == 0 {
        return arg_error(3, "offset must be 1 or greater");
    }
    let mut pos = pos - 1;
    let fits = |pos: usize, size: usize| size <= ld && pos <= ld - size;
    let mut h = Header::default();
    let mut n: c_int = 0;
    while let Some(opt) = fmt.next() {
        let mut size = fmt.size(opt)?;
        pos = pos.wrapping_add(padding(pos, &h, opt, size));
        if !fits(pos, size) {
            return arg_error(2, "data string too short");
        }
        check_stack(state, 2, "too many results")?;
        match opt {
            _ if is_integer_option(opt) => {
                let v = get_integer(&data[pos..pos + size], h.big, opt.is_ascii_lowercase());
                ffi::lua_pushnumber(state, v);
                n += 1;
            }
            b'x' => {}
            b'f' => {
                let mut b = [0u8; 4];
                b.copy_from_slice(&data[pos..pos + 4]);
                if h.big {
                    b.reverse();
                }
                ffi::lua_pushnumber(state, f32::from_le_bytes(b) as f64);
                n += 1;
            }
            b'd' => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[pos..pos + 8]);
                if h.big {
                    b.reverse();
                }
                ffi::lua_pushnumber(state, f64::from_le_bytes(b));
                n += 1;
            }
            b'c' => {
                if size == 0 {
                    if n == 0 || ffi::lua_isnumber(state, -1) == 0 {
                        return error("format 'c0' needs a previous size");
                    }
                    size = c_u64(ffi::lua_tonumber(state, -1)) as usize;
                    ffi::lua_settop(state, -2);
                    n -= 1;
                    if !fits(pos, size) {
                        return arg_error(2, "data string too short");
                    }
                }
                push_bytes(state, &data[pos..pos + size]);
                n += 1;
            }
            b's' => {
                let Some(len) = data[pos..].iter().position(|&b| b == 0) else {
                    return error("unfinished string in data");
                };
                size = len + 1;
                push_bytes(state, &data[pos..pos + len]);
                n += 1;
            }
            _ => fmt.control(opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    ffi::lua_pushinteger(state, pos.wrapping_add(1) as i64);
    Ok(n + 1)
}

unsafe fn format_size(state: *mut lua_State) -> Res<c_int> {
    let mut fmt = Format::new(check_bytes(state, 1)?);
    let mut h = Header::default();
    let mut pos: usize = 0;
    while let Some(opt) = fmt.next() {
        let size = fmt.size(opt)?;
        pos = pos.wrapping_add(padding(pos, &h, opt, size));
        if opt == b's' {
            return arg_error(1, "option 's' has no fixed size");
        }
        if opt == b'c' && size == 0 {
            return arg_error(1, "option 'c0' has no fixed size");
        }
        if !opt.is_ascii_alphanumeric() {
            fmt.control(opt, &mut h)?;
        }
        pos = pos.wrapping_add(size);
    }
    ffi::lua_pushinteger(state, pos as i64);
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_read_with_the_c_sign_extension() {
        assert_eq!(get_integer(&[0xff, 0xff, 0x80], false, true), -8_323_073.0);
        assert_eq!(get_integer(&[0xff, 0xff, 0x7f], false, true), 8_388_607.0);
        assert_eq!(get_integer(&[0xff; 4], true, false), 4_294_967_295.0);
        assert_eq!(get_integer(&[0xff; 16], false, true), -1.0);
        // Past 8 bytes the shift count wraps: the 9th byte's sign bit is not the one tested.
        let mut nine = [0u8; 9];
        nine[0] = 0x80;
        assert_eq!(get_integer(&nine, false, true), -128.0);
    }

    #[test]
    fn padding_aligns_to_the_smaller_of_size_and_alignment() {
        let h = Header {
            big: false,
            align: 4,
        };
        assert_eq!(padding(1, &h, b'd', 8), 3);
        assert_eq!(padding(1, &h, b'h', 2), 1);
        assert_eq!(padding(1, &h, b'c', 4), 0);
        assert_eq!(padding(5, &Header::default(), b'i', 4), 0);
    }
}
