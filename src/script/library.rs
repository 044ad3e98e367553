//! The Rust side of the `redis` table and the `bit` library (LuaBitOp) scripts see.
//!
//! Runs on a data core. These are C functions to Lua, as in redis-server, so a
//! script's `return redis.call(...)` keeps the script's frame for error positions. An error
//! they raise is an `{err=...}` table: [`raise`] parks it in the registry and raises a
//! placeholder, which the prelude's error handler and `pcall` swap back for the table.

use std::cell::Cell;

use mlua::{Lua, MultiValue, Table, Value};

use super::convert::error_table;
use super::engine::{current, sha1_hex};
use crate::protocol::reply::format_double;

type Outcome = mlua::Result<Value>;

/// Registry slot of the error table being raised.
const PENDING: &str = "solikv.pending_error";

thread_local! {
    /// Whether this thread's Lua state has a value in [`PENDING`] (each data core has its own
    /// state, used only on its thread), so that clearing it before every script costs nothing
    /// when no error was raised.
    static PENDING_SET: Cell<bool> = const { Cell::new(false) };
}

/// Raises `value` (an `{err=...}` table, or a message) as the script's error.
pub fn raise<T>(lua: &Lua, value: impl mlua::IntoLua) -> mlua::Result<T> {
    lua.set_named_registry_value(PENDING, value)?;
    PENDING_SET.with(|set| set.set(true));
    Err(mlua::Error::runtime("redis error"))
}

/// The error table [`raise`] parked, once (`nil` when the error came from elsewhere).
pub fn take_pending(lua: &Lua, _: MultiValue) -> mlua::Result<Value> {
    if !PENDING_SET.with(|set| set.replace(false)) {
        return Ok(Value::Nil);
    }
    let value: Value = lua.named_registry_value(PENDING)?;
    lua.set_named_registry_value(PENDING, Value::Nil)?;
    Ok(value)
}

fn fail(lua: &Lua, text: &str) -> Outcome {
    raise(lua, error_table(lua, text.as_bytes())?)
}

fn done() -> Outcome {
    Ok(Value::Nil)
}

fn as_bytes(lua: &Lua, v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Number(_) | Value::Integer(_) => lua
            .coerce_string(v.clone())
            .ok()
            .flatten()
            .map(|s| s.as_bytes().to_vec()),
        _ => None,
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::Integer(n) => Some(*n as f64),
        Value::String(s) => s.to_str().ok()?.trim().parse().ok(),
        _ => None,
    }
}

fn sha1hex(lua: &Lua, args: MultiValue) -> Outcome {
    if args.len() != 1 {
        return fail(lua, "wrong number of arguments");
    }
    let body = as_bytes(lua, &args[0]).unwrap_or_default();
    Ok(Value::String(lua.create_string(sha1_hex(&body))?))
}

fn log(lua: &Lua, args: MultiValue) -> Outcome {
    if args.len() < 2 {
        return fail(lua, "redis.log() requires two arguments or more.");
    }
    let Some(level) = as_number(&args[0]) else {
        return fail(lua, "First argument must be a number (log level).");
    };
    if !(0.0..=3.0).contains(&level) {
        return fail(lua, "Invalid debug level.");
    }
    let text: Vec<String> = args
        .iter()
        .skip(1)
        .filter_map(|v| as_bytes(lua, v))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let text = text.join(" ");
    match level as i64 {
        0 => log::debug!("{text}"),
        1 | 2 => log::info!("{text}"),
        _ => log::warn!("{text}"),
    }
    done()
}

fn setresp(lua: &Lua, args: MultiValue) -> Outcome {
    if args.len() != 1 {
        return fail(lua, "redis.setresp() requires one argument.");
    }
    let resp = as_number(&args[0]).unwrap_or(0.0);
    if resp != 2.0 && resp != 3.0 {
        return fail(lua, "RESP version must be 2 or 3.");
    }
    if let Some(cur) = current() {
        cur.resp3.set(resp == 3.0);
    }
    done()
}

fn set_repl(lua: &Lua, args: MultiValue) -> Outcome {
    if args.len() != 1 {
        return fail(lua, "redis.set_repl() requires one argument.");
    }
    match as_number(&args[0]) {
        Some(f) if (0.0..=3.0).contains(&f) && f.fract() == 0.0 => done(),
        _ => fail(
            lua,
            "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
        ),
    }
}

/// `redis.error_reply(msg)`: `{err=msg}`, with `ERR` as the code when `msg` names none.
fn error_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Value> {
    match args.iter().next() {
        Some(Value::String(s)) if args.len() == 1 => {
            let bytes = s.as_bytes();
            let text = if bytes.starts_with(b"-") {
                bytes.to_vec()
            } else {
                [b"-".as_slice(), &bytes].concat()
            };
            Ok(Value::Table(error_table(lua, &text)?))
        }
        _ => Ok(Value::Table(error_table(
            lua,
            b"wrong number or type of arguments",
        )?)),
    }
}

fn status_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Value> {
    match args.iter().next() {
        Some(Value::String(s)) if args.len() == 1 => {
            let t = lua.create_table()?;
            t.raw_set("ok", s.clone())?;
            Ok(Value::Table(t))
        }
        _ => Ok(Value::Table(error_table(
            lua,
            b"wrong number or type of arguments",
        )?)),
    }
}

/// The arguments of a `redis.call`-style command line as bytes, or the error text
/// redis-server gives for none at all or for one that is not a string or a number.
pub fn command_args(lua: &Lua, args: &MultiValue) -> Result<Vec<Vec<u8>>, &'static str> {
    if args.is_empty() {
        return Err("Please specify at least one argument for this redis lib call");
    }
    args.iter()
        .map(|v| match v {
            // redis-server formats numbers with `%.17g`, not Lua's lossy `%.14g`.
            Value::Number(n) => Ok(format_double(*n).into_bytes()),
            Value::Integer(n) => Ok(format_double(*n as f64).into_bytes()),
            _ => as_bytes(lua, v)
                .ok_or("Lua redis lib command arguments must be strings or integers"),
        })
        .collect()
}

/// `redis.acl_check_cmd(command, args...)`: whether the script's user may run the command.
/// SoliKV has only redis-server's `default` user, allowed everything, so every command the
/// table knows is allowed; an unknown command or container subcommand raises, as in
/// redis-server.
fn acl_check_cmd(lua: &Lua, args: MultiValue) -> Outcome {
    if current().is_none() {
        return fail(
            lua,
            "redis.acl_check_cmd can only be called inside a script invocation",
        );
    }
    let argv = match command_args(lua, &args) {
        Ok(argv) => argv,
        Err(text) => return fail(lua, text),
    };
    let words: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
    if crate::cmd::meta::resolve(&words).is_none() {
        return fail(lua, "Invalid command passed to redis.acl_check_cmd()");
    }
    Ok(Value::Boolean(true))
}

/// The `redis` table before the prelude adds `call`, `pcall` and the raising wrappers.
pub fn redis_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("sha1hex", lua.create_function(sha1hex)?)?;
    t.raw_set("log", lua.create_function(log)?)?;
    t.raw_set("setresp", lua.create_function(setresp)?)?;
    t.raw_set("set_repl", lua.create_function(set_repl)?)?;
    t.raw_set("error_reply", lua.create_function(error_reply)?)?;
    t.raw_set("status_reply", lua.create_function(status_reply)?)?;
    t.raw_set("acl_check_cmd", lua.create_function(acl_check_cmd)?)?;
    t.raw_set("replicate_commands", lua.create_function(|_, ()| Ok(true))?)?;
    t.raw_set("breakpoint", lua.create_function(|_, ()| Ok(false))?)?;
    t.raw_set("debug", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    for (name, value) in [
        ("LOG_DEBUG", 0),
        ("LOG_VERBOSE", 1),
        ("LOG_NOTICE", 2),
        ("LOG_WARNING", 3),
        ("REPL_NONE", 0),
        ("REPL_AOF", 1),
        ("REPL_SLAVE", 2),
        ("REPL_REPLICA", 2),
        ("REPL_ALL", 3),
        ("REDIS_VERSION_NUM", 0x07000f),
    ] {
        t.raw_set(name, value)?;
    }
    t.raw_set("REDIS_VERSION", "7.0.15")?;
    Ok(t)
}

/// LuaBitOp's conversion of a Lua number to a 32-bit integer (round to nearest, wrap).
fn tobit(v: &Value) -> mlua::Result<i32> {
    let n = as_number(v).ok_or_else(|| mlua::Error::runtime("bad argument (number expected)"))?;
    let r = n.round_ties_even().rem_euclid(4_294_967_296.0);
    Ok(r as u64 as u32 as i32)
}

fn bits(args: &MultiValue) -> mlua::Result<Vec<i32>> {
    args.iter().map(tobit).collect()
}

/// The `bit` library (LuaBitOp 1.0, as redis-server bundles it).
pub fn bit_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let fold = |f: fn(i32, i32) -> i32| {
        move |_: &Lua, args: MultiValue| -> mlua::Result<f64> {
            let v = bits(&args)?;
            let first = *v.first().ok_or_else(|| {
                mlua::Error::runtime("bad argument #1 (number expected, got no value)")
            })?;
            Ok(v[1..].iter().fold(first, |a, &b| f(a, b)) as f64)
        }
    };
    t.raw_set("band", lua.create_function(fold(|a, b| a & b))?)?;
    t.raw_set("bor", lua.create_function(fold(|a, b| a | b))?)?;
    t.raw_set("bxor", lua.create_function(fold(|a, b| a ^ b))?)?;
    t.raw_set(
        "tobit",
        lua.create_function(|_, v: Value| Ok(tobit(&v)? as f64))?,
    )?;
    t.raw_set(
        "bnot",
        lua.create_function(|_, v: Value| Ok(!tobit(&v)? as f64))?,
    )?;
    t.raw_set(
        "bswap",
        lua.create_function(|_, v: Value| Ok(tobit(&v)?.swap_bytes() as f64))?,
    )?;
    let shift = |f: fn(i32, u32) -> i32| {
        move |_: &Lua, (v, n): (Value, Value)| -> mlua::Result<f64> {
            Ok(f(tobit(&v)?, (tobit(&n)? & 31) as u32) as f64)
        }
    };
    t.raw_set(
        "lshift",
        lua.create_function(shift(|a, n| ((a as u32) << n) as i32))?,
    )?;
    t.raw_set(
        "rshift",
        lua.create_function(shift(|a, n| ((a as u32) >> n) as i32))?,
    )?;
    t.raw_set("arshift", lua.create_function(shift(|a, n| a >> n))?)?;
    t.raw_set(
        "rol",
        lua.create_function(shift(|a, n| (a as u32).rotate_left(n) as i32))?,
    )?;
    t.raw_set(
        "ror",
        lua.create_function(shift(|a, n| (a as u32).rotate_right(n) as i32))?,
    )?;
    t.raw_set(
        "tohex",
        lua.create_function(|_, (v, n): (Value, Option<Value>)| {
            let x = tobit(&v)? as u32;
            let n = match n {
                Some(n) => tobit(&n)?,
                None => 8,
            };
            let upper = n < 0;
            let n = n.unsigned_abs().min(8) as usize;
            let text = if upper {
                format!("{x:08X}")
            } else {
                format!("{x:08x}")
            };
            Ok(text[8 - n..].to_string())
        })?,
    )?;
    Ok(t)
}
