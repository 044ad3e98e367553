//! Lua 5.1's auxiliary-library conventions (`lauxlib`) for the libraries redis-server
//! bundles as C code and SoliKV writes in Rust (`cmsgpack`, `struct`).
//!
//! Runs on a data core. Those libraries are Lua C functions here too (registered with
//! `Lua::create_c_function`) and use the Lua stack as the C code does, so the stack's size
//! limits (`luaL_checkstack` against `LUAI_MAXCSTACK`), the function names in argument errors
//! and the in-place conversions of `luaL_checklstring` are Lua's own, as in redis-server.
//! A library function returns [`Res`]; [`entry`] turns a [`Fail`] into the Lua error the C
//! helper would raise (`luaL_error`, `luaL_argerror`, `luaL_typerror`), after every Rust
//! value of the call has been dropped, since raising a Lua error jumps over Rust frames.
//! Numeric conversions follow the C casts of an x86-64 build.

use std::ffi::{c_char, c_int, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use mlua::ffi::{self, lua_State};

/// Why a library call fails, as the C helper that would have raised it.
pub enum Fail {
    /// `luaL_argerror(L, narg, msg)`.
    Arg(c_int, Vec<u8>),
    /// `luaL_typerror(L, narg, expected)`.
    Type(c_int, &'static str),
    /// `luaL_error(L, msg)`: the message after the caller's position.
    Error(Vec<u8>),
    /// `lua_error` with this message, as the Lua core raises from a C function.
    Plain(&'static str),
}

pub type Res<T> = Result<T, Fail>;

pub fn error<T>(msg: impl Into<Vec<u8>>) -> Res<T> {
    Err(Fail::Error(msg.into()))
}

pub fn arg_error<T>(narg: c_int, msg: impl Into<Vec<u8>>) -> Res<T> {
    Err(Fail::Arg(narg, msg.into()))
}

/// Runs a library function as a Lua C function: its result count, or its error raised.
///
/// # Safety
/// `state` is the state Lua called the C function with.
pub unsafe fn entry(state: *mut lua_State, f: unsafe fn(*mut lua_State) -> Res<c_int>) -> c_int {
    let result = match catch_unwind(AssertUnwindSafe(|| f(state))) {
        Ok(result) => result,
        Err(_) => Err(Fail::Plain("internal error in a bundled Lua library")),
    };
    match result {
        Ok(n) => n,
        Err(fail) => raise(state, fail),
    }
}

pub unsafe fn push_bytes(state: *mut lua_State, s: &[u8]) {
    ffi::lua_pushlstring_(state, s.as_ptr() as *const c_char, s.len());
}

/// Raises `fail`. Its message is copied to the Lua stack and dropped first: the jump to the
/// protected call skips the destructors of the frames in between. The function's stack is
/// emptied first, as it may be full (a stack check failed), and the message needs room.
unsafe fn raise(state: *mut lua_State, fail: Fail) -> ! {
    // The argument the error names (`luaL_argerror`), or whether the position goes first.
    let (narg, located, msg) = match fail {
        Fail::Arg(narg, msg) => (Some(narg), false, msg),
        Fail::Type(narg, expected) => {
            let got = ffi::lua_typename(state, ffi::lua_type(state, narg));
            let got = CStr::from_ptr(got).to_bytes();
            let msg = [expected.as_bytes(), b" expected, got ", got].concat();
            (Some(narg), false, msg)
        }
        Fail::Error(msg) => (None, true, msg),
        Fail::Plain(msg) => (None, false, msg.as_bytes().to_vec()),
    };
    ffi::lua_settop(state, 0);
    push_bytes(state, &msg);
    drop(msg);
    if let Some(narg) = narg {
        ffi::luaL_argerror(
            state,
            narg,
            ffi::lua_tolstring(state, -1, std::ptr::null_mut()),
        );
        unreachable!("luaL_argerror returned");
    }
    if located {
        ffi::luaL_where(state, 1);
        ffi::lua_insert(state, -2);
        ffi::lua_concat(state, 2);
    }
    ffi::lua_error(state)
}

/// `luaL_checklstring`: argument `narg` as bytes, a number converted in place. The bytes
/// belong to the Lua string and live as long as it stays on the stack.
///
/// # Safety
/// The caller keeps argument `narg` on the stack while it uses the bytes.
pub unsafe fn check_bytes<'a>(state: *mut lua_State, narg: c_int) -> Res<&'a [u8]> {
    let t = ffi::lua_type(state, narg);
    if t != ffi::LUA_TSTRING && t != ffi::LUA_TNUMBER {
        return Err(Fail::Type(narg, "string"));
    }
    let mut len = 0usize;
    let p = ffi::lua_tolstring(state, narg, &mut len);
    Ok(std::slice::from_raw_parts(p as *const u8, len))
}

/// `luaL_checknumber`.
pub unsafe fn check_number(state: *mut lua_State, narg: c_int) -> Res<f64> {
    let d = ffi::lua_tonumber(state, narg);
    if d == 0.0 && ffi::lua_isnumber(state, narg) == 0 {
        return Err(Fail::Type(narg, "number"));
    }
    Ok(d)
}

/// `luaL_checkinteger`: the number truncated toward zero.
pub unsafe fn check_integer(state: *mut lua_State, narg: c_int) -> Res<i64> {
    Ok(c_i64(check_number(state, narg)?))
}

/// `luaL_optinteger`: `default` when argument `narg` is absent or nil.
pub unsafe fn opt_integer(state: *mut lua_State, narg: c_int, default: i64) -> Res<i64> {
    if ffi::lua_type(state, narg) <= ffi::LUA_TNIL {
        return Ok(default);
    }
    check_integer(state, narg)
}

/// `luaL_checkstack`: room for `extra` more slots, or "stack overflow (msg)".
pub unsafe fn check_stack(state: *mut lua_State, extra: c_int, msg: &str) -> Res<()> {
    if ffi::lua_checkstack(state, extra) == 0 {
        return error(format!("stack overflow ({msg})"));
    }
    Ok(())
}

/// The C cast `(int64_t)d` on x86-64: truncation, and `INT64_MIN` when out of range or NaN.
pub fn c_i64(d: f64) -> i64 {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

/// The C cast `(uint64_t)d` on x86-64, as compilers emit it (two signed conversions).
pub fn c_u64(d: f64) -> u64 {
    const HALF: f64 = 9_223_372_036_854_775_808.0;
    if d >= HALF {
        (c_i64(d - HALF) as u64) ^ (1 << 63)
    } else {
        c_i64(d) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_follow_x86() {
        assert_eq!(c_i64(-1.9), -1);
        assert_eq!(c_i64(f64::NAN), i64::MIN);
        assert_eq!(c_i64(2f64.powi(63)), i64::MIN);
        assert_eq!(c_u64(2f64.powi(63)), 1 << 63);
        assert_eq!(c_u64(2f64.powi(64)), 0);
        assert_eq!(c_u64(f64::NAN), 1 << 63);
        assert_eq!(c_u64(1.5), 1);
    }
}
