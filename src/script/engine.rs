//! The Lua interpreter of a data core, the script cache, and the runs of scripts.
//!
//! Every data core has its own Lua 5.1 state (`mlua`), built on first use, and runs a script
//! on its own thread, inside a stackful coroutine (`corosensei`) on a stack kept for scripts
//! (32 MiB reserved, touched as needed; deeply nested replies and JSON are converted
//! recursively). The coroutine gives control back to the core's executor ([`Step`]) when
//! the script calls a command, which the core then runs as a step of the script's
//! transaction, and at every count hook (each 100k Lua instructions), so the core's other
//! tasks, and with them `-BUSY` replies and SCRIPT KILL, get through while a long script
//! runs. Scripts are serialized server-wide by the gates of every core (see `super`), so
//! nothing else touches a core's Lua state while a run is suspended.
//!
//! The script cache is the server's, kept the same on every core: the bodies by digest
//! ([`learn`], [`forget_all`], [`known`]), each core compiling a body into its own state the
//! first time it runs it. A body new to the cache is handed to every other core under the
//! same transaction ([`Finished::learned`], SCRIPT LOAD).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::Ordering;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};
use hashbrown::HashMap;
use mlua::{
    ChunkMode, Function, HookTriggers, Lua, MultiValue, RegistryKey, StdLib, Table, Value, VmState,
};

use super::call::CallOpts;
use super::convert::{self, error_table};
use super::library;
use super::shebang::{self, ScriptFlags};
use super::state;
use crate::protocol::Reply;

/// What a script is: its body (EVAL) or the digest of a cached body (EVALSHA).
pub enum Source {
    Body(Vec<u8>),
    Sha(Vec<u8>),
}

/// One run of a script, as asked by a data core.
pub struct EvalJob {
    pub source: Source,
    pub keys: Vec<Vec<u8>>,
    pub argv: Vec<Vec<u8>>,
    /// The client speaks RESP3.
    pub client_resp3: bool,
    /// EVAL_RO or EVALSHA_RO.
    pub read_only: bool,
    pub cluster: bool,
    /// busy-reply-threshold, in milliseconds.
    pub busy_ms: u64,
}

/// Why a running script gave control back to its core.
pub enum Suspend {
    /// Run this command (already converted to strings) and resume with its reply bytes.
    Call { args: Vec<Vec<u8>>, opts: CallOpts },
    /// The count hook: let the core's other tasks run, then resume (with nothing).
    Pause,
}

/// How a run ended.
pub struct Finished {
    /// The client's reply.
    pub reply: Vec<u8>,
    /// A body this core added to the script cache (digest, body), which every other core
    /// must [`learn`] before the transaction ends.
    pub learned: Option<(String, Vec<u8>)>,
}

/// What [`Run::resume`] returns.
pub enum Step {
    Suspended(Suspend),
    Done(Finished),
}

/// The coroutine a script runs in: it takes a call's reply bytes, yields [`Suspend`], and
/// returns [`Finished`].
type Fiber = Coroutine<Vec<u8>, Suspend, Finished, DefaultStack>;
type FiberYielder = Yielder<Vec<u8>, Suspend>;

/// Room reserved for a script's stack; pages are touched only as they are used.
const STACK_BYTES: usize = 32 << 20;

const NO_STACK: &[u8] = b"-ERR could not allocate a stack for the script\r\n";

/// The stack a finished run left, or a new one.
fn take_stack() -> Option<DefaultStack> {
    STACK
        .with(|s| s.take())
        .or_else(|| DefaultStack::new(STACK_BYTES).ok())
}

/// One script run on this core. Starting it marks a script as running server-wide
/// ([`state::start`]); dropping it marks the end, and stops the script first should it be
/// dropped before it finished.
pub struct Run {
    fiber: Option<Fiber>,
}

impl Run {
    pub fn start(job: EvalJob) -> Run {
        state::start();
        let stack = take_stack();
        let Some(stack) = stack else {
            return Run { fiber: None };
        };
        let fiber = Fiber::with_stack(stack, move |yielder: &FiberYielder, _| {
            with_engine(|engine| engine.run_job(&job, yielder)).unwrap_or_else(|reply| Finished {
                reply,
                learned: None,
            })
        });
        Run { fiber: Some(fiber) }
    }

    /// Runs the script until it calls a command, pauses or ends. `input` is the reply to
    /// the call it last made (empty otherwise).
    pub fn resume(&mut self, input: Vec<u8>) -> Step {
        let Some(fiber) = self.fiber.as_mut() else {
            return Step::Done(Finished {
                reply: NO_STACK.to_vec(),
                learned: None,
            });
        };
        let resumed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fiber.resume(input)));
        match resumed {
            Ok(CoroutineResult::Yield(suspend)) => Step::Suspended(suspend),
            Ok(CoroutineResult::Return(finished)) => {
                self.recycle();
                Step::Done(finished)
            }
            Err(_) => {
                // The Lua state may be inconsistent after a panic: build a new one.
                CURRENT.with(|c| c.borrow_mut().take());
                ENGINE.with(|e| e.borrow_mut().take());
                self.recycle();
                Step::Done(Finished {
                    reply: b"-ERR internal error while running the script\r\n".to_vec(),
                    learned: None,
                })
            }
        }
    }

    /// Keeps the stack of a finished run for the next one.
    fn recycle(&mut self) {
        if let Some(fiber) = self.fiber.take() {
            if fiber.done() {
                STACK.with(|s| s.set(Some(fiber.into_stack())));
            } else {
                drop(fiber);
            }
        }
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        if let Some(mut fiber) = self.fiber.take() {
            if fiber.started() && !fiber.done() {
                // Unwinding the coroutine would unwind through Lua's C frames: make the
                // script fail at its next call or hook instead, and run it to its end.
                if let Some(cur) = current() {
                    cur.aborted.set(true);
                }
                let mut ended = false;
                for _ in 0..ABORT_RESUMES {
                    let reply = b"-ERR the script's client is gone\r\n".to_vec();
                    if let CoroutineResult::Return(_) = fiber.resume(reply) {
                        ended = true;
                        break;
                    }
                }
                if !ended {
                    std::mem::forget(fiber);
                    state::finish();
                    return;
                }
            }
            self.fiber = Some(fiber);
            self.recycle();
        }
        state::finish();
    }
}

/// How many times a dropped run is resumed to let it fail before it is abandoned (its
/// stack leaked): a script that catches every error could otherwise keep it forever.
const ABORT_RESUMES: usize = 100_000;

/// The run in progress on this core, read by `redis.*` functions and the hook.
pub struct Current {
    yielder: *const FiberYielder,
    pub resp3: Cell<bool>,
    read_only: bool,
    cross_slot: bool,
    /// When the run started, in [`crate::clock::ticks`].
    started: u64,
    busy_ms: u64,
    /// The run was dropped before it finished: every call and hook fails.
    aborted: Cell<bool>,
}

impl Current {
    /// Gives control back to the core until it resumes the run.
    fn suspend(&self, why: Suspend) -> Vec<u8> {
        // SAFETY: `yielder` belongs to the coroutine running this code: `CURRENT` holds this
        // value only while `Engine::run_job` runs inside that coroutine.
        unsafe { (*self.yielder).suspend(why) }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Current>>> = const { RefCell::new(None) };
    /// This core's Lua state, built on first use.
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    /// The stack of the last finished run, kept for the next.
    static STACK: Cell<Option<DefaultStack>> = const { Cell::new(None) };
    /// The server's script cache: bodies by digest (lowercase hex), the same on every core.
    static BODIES: RefCell<HashMap<String, Vec<u8>>> = RefCell::new(HashMap::new());
}

pub fn current() -> Option<Rc<Current>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `f` with this core's Lua state, building it first if needed; the error reply when
/// it cannot be built or is in use (which the gates should make impossible).
fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Result<R, Vec<u8>> {
    ENGINE.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            return Err(b"-ERR the script engine is busy\r\n".to_vec());
        };
        if slot.is_none() {
            *slot = Some(Engine::new().map_err(|e| format!("-ERR {e}\r\n").into_bytes())?);
        }
        Ok(f(slot.as_mut().expect("built above")))
    })
}

/// Runs `f` with this core's Lua state on the scripts' stack (compiling can recurse deeply).
fn on_script_stack<R>(f: impl FnOnce(&mut Engine) -> R) -> Result<R, Vec<u8>> {
    let stack = take_stack();
    let Some(mut stack) = stack else {
        return Err(NO_STACK.to_vec());
    };
    let result = corosensei::on_stack(&mut stack, || with_engine(f));
    STACK.with(|s| s.set(Some(stack)));
    result
}

/// SCRIPT LOAD on this core: the digest and whether the body is new to the cache (then
/// every other core must [`learn`] it), or the error reply.
pub fn load(body: &[u8]) -> Result<(String, bool), Vec<u8>> {
    let sha = on_script_stack(|engine| engine.compile(body))??;
    let new = remember(&sha, body);
    Ok((sha, new))
}

/// Adds a body to this core's cache; whether it was new.
fn remember(sha: &str, body: &[u8]) -> bool {
    BODIES.with(|b| {
        let mut bodies = b.borrow_mut();
        if bodies.contains_key(sha) {
            return false;
        }
        bodies.insert(sha.to_string(), body.to_vec());
        true
    })
}

/// Adds a body another core cached (compiled here when first run).
pub fn learn(sha: String, body: Vec<u8>) {
    BODIES.with(|b| b.borrow_mut().insert(sha, body));
}

/// Whether the cache holds the script with this digest (any case).
pub fn known(sha: &[u8]) -> bool {
    let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
    BODIES.with(|b| b.borrow().contains_key(&sha))
}

/// SCRIPT FLUSH on this core: forgets every body and compiled script.
pub fn forget_all() {
    BODIES.with(|b| b.borrow_mut().clear());
    let built = ENGINE.with(|e| e.try_borrow().map_or(true, |e| e.is_some()));
    if !built {
        return;
    }
    let _ = on_script_stack(|engine| {
        engine.cache.clear();
        engine.lua.expire_registry_values();
        let _ = engine.lua.gc_collect();
    });
}

struct Cached {
    func: RegistryKey,
    flags: Option<ScriptFlags>,
}

struct Engine {
    lua: Lua,
    run: Function,
    env: Table,
    cache: HashMap<String, Cached>,
    /// The body EVAL compiled last and its digest: a client repeating one EVAL costs a
    /// comparison instead of a SHA1 per call.
    last_body: Option<(Vec<u8>, String)>,
    /// The global names of the argument tables, made once.
    keys_name: mlua::String,
    argv_name: mlua::String,
}

/// The hex SHA1 digest of `body`, as redis-server names scripts.
pub fn sha1_hex(body: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = sha1_smol::Sha1::from(body).digest().bytes();
    let mut hex = [0u8; 40];
    for (i, byte) in digest.iter().enumerate() {
        hex[2 * i] = HEX[(byte >> 4) as usize];
        hex[2 * i + 1] = HEX[(byte & 15) as usize];
    }
    std::str::from_utf8(&hex)
        .expect("hex digits are ASCII")
        .to_owned()
}

/// `redis.call` (`raise`: a failed command raises its error) and `redis.pcall`: the
/// command's reply as a Lua value.
fn call_impl(lua: &Lua, raise: bool, args: MultiValue) -> mlua::Result<Value> {
    let Some(cur) = current() else {
        return Err(mlua::Error::runtime("no script running"));
    };
    check_time(&cur)?;
    let argv = match library::command_args(lua, &args) {
        Ok(argv) => argv,
        Err(text) => return fail(lua, raise, error_table(lua, text.as_bytes())?),
    };
    let reply = cur.suspend(Suspend::Call {
        args: argv,
        opts: CallOpts {
            resp3: cur.resp3.get(),
            read_only: cur.read_only,
            cross_slot: cur.cross_slot,
        },
    });
    let value = convert::reply_to_lua(lua, &reply)?;
    match value {
        Value::Table(err) if raise && reply.first() == Some(&b'-') => library::raise(lua, err),
        value => Ok(value),
    }
}

fn fail(lua: &Lua, raise: bool, err: Table) -> mlua::Result<Value> {
    if raise {
        library::raise(lua, err)
    } else {
        Ok(Value::Table(err))
    }
}

/// The count hook: marks the script busy after busy-reply-threshold and stops it after
/// SCRIPT KILL (again at every later hook, so `pcall` cannot keep it alive); in between, lets
/// the core's other tasks run.
fn hook(_lua: &Lua) -> mlua::Result<VmState> {
    if let Some(cur) = current() {
        check_time(&cur)?;
        cur.suspend(Suspend::Pause);
        check_time(&cur)?;
    }
    Ok(VmState::Continue)
}

/// Marks the script busy once past its threshold; fails once SCRIPT KILL asked. Called by
/// the hook and by every `redis.call`, since a script that mostly waits for its calls runs
/// few Lua instructions.
fn check_time(cur: &Current) -> mlua::Result<()> {
    if !state::BUSY.load(Ordering::Relaxed)
        && crate::clock::ticks_to_us(crate::clock::ticks().saturating_sub(cur.started)) / 1000
            >= cur.busy_ms
    {
        state::BUSY.store(true, Ordering::Relaxed);
    }
    if state::KILL.load(Ordering::Relaxed) {
        return Err(mlua::Error::runtime(
            "Script killed by user with SCRIPT KILL...",
        ));
    }
    if cur.aborted.get() {
        return Err(mlua::Error::runtime("the script's client is gone"));
    }
    Ok(())
}

impl Engine {
    fn new() -> mlua::Result<Engine> {
        // SAFETY: the debug library is needed by the error handler only; the prelude keeps a
        // private reference and removes it from the globals before any script runs.
        let lua = unsafe {
            Lua::unsafe_new_with(
                StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::DEBUG,
                mlua::LuaOptions::default(),
            )
        };
        let globals = lua.globals();
        globals.raw_set("redis", library::redis_table(&lua)?)?;
        globals.raw_set("bit", library::bit_table(&lua)?)?;
        globals.raw_set("cjson", super::cjson::table(&lua)?)?;
        globals.raw_set("cmsgpack", super::cmsgpack::table(&lua)?)?;
        globals.raw_set("struct", super::structlib::table(&lua)?)?;
        let redis: Table = globals.raw_get("redis")?;
        redis.raw_set(
            "call",
            lua.create_function(|lua, args| call_impl(lua, true, args))?,
        )?;
        redis.raw_set(
            "pcall",
            lua.create_function(|lua, args| call_impl(lua, false, args))?,
        )?;
        let take_pending = lua.create_function(library::take_pending)?;
        let prelude = lua
            .load(include_str!("prelude.lua"))
            .set_name("=solikv")
            .set_mode(ChunkMode::Text)
            .into_function()?;
        let (run, env): (Function, Table) = prelude.call((take_pending, globals))?;
        lua.set_hook(
            HookTriggers::new().every_nth_instruction(100_000),
            |lua, _| hook(lua),
        )?;
        let keys_name = lua.create_string("KEYS")?;
        let argv_name = lua.create_string("ARGV")?;
        Ok(Engine {
            lua,
            run,
            env,
            cache: HashMap::new(),
            last_body: None,
            keys_name,
            argv_name,
        })
    }

    /// Compiles `body` into the cache (if not there yet): its digest, or the error reply.
    fn compile(&mut self, body: &[u8]) -> Result<String, Vec<u8>> {
        if let Some((last, sha)) = &self.last_body {
            if last.as_slice() == body && self.cache.contains_key(sha) {
                return Ok(sha.clone());
            }
        }
        let sha = sha1_hex(body);
        if self.cache.contains_key(&sha) {
            self.last_body = Some((body.to_vec(), sha.clone()));
            return Ok(sha);
        }
        // Sent as redis-server's addReplyErrorSds sends it: bytes of the line (a quoted `\r`)
        // are not replaced.
        let flags = shebang::parse(body).map_err(|e| format!("-ERR {e}\r\n").into_bytes())?;
        let code: Vec<u8> = if flags.is_some() {
            [b"--".as_slice(), body].concat()
        } else {
            body.to_vec()
        };
        let func = self
            .lua
            .load(&code[..])
            .set_name("@user_script")
            .set_mode(ChunkMode::Text)
            .set_environment(self.env.clone())
            .into_function()
            .map_err(|e| {
                let msg = match e {
                    mlua::Error::SyntaxError { message, .. } => {
                        raw_syntax_error(&self.lua, &code).unwrap_or(message.into_bytes())
                    }
                    other => other.to_string().into_bytes(),
                };
                let mut reply = Reply::new(crate::protocol::Proto::Resp2);
                reply.error_bytes(
                    &[
                        b"ERR Error compiling script (new function): ".as_slice(),
                        &msg,
                    ]
                    .concat(),
                );
                reply.buf
            })?;
        let key = self
            .lua
            .create_registry_value(func)
            .map_err(|e| e.to_string().into_bytes())?;
        self.cache.insert(sha.clone(), Cached { func: key, flags });
        Ok(sha)
    }

    /// Runs one script, inside its coroutine (`yielder`).
    fn run_job(&mut self, job: &EvalJob, yielder: &FiberYielder) -> Finished {
        let mut learned = None;
        let sha = match &job.source {
            Source::Body(body) => match self.compile(body) {
                Ok(sha) => {
                    if remember(&sha, body) {
                        learned = Some((sha.clone(), body.clone()));
                    }
                    sha
                }
                Err(reply) => return Finished { reply, learned },
            },
            Source::Sha(sha) => {
                let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
                if !self.cache.contains_key(&sha) {
                    let body = BODIES.with(|b| b.borrow().get(&sha).cloned());
                    let compiled = match body {
                        Some(body) => self.compile(&body),
                        None => Err(b"-NOSCRIPT No matching script. Please use EVAL.\r\n".to_vec()),
                    };
                    if let Err(reply) = compiled {
                        return Finished { reply, learned };
                    }
                }
                sha
            }
        };
        let reply = self.run_compiled(job, &sha, yielder);
        Finished { reply, learned }
    }

    /// Runs the compiled script `sha`: the client's reply.
    fn run_compiled(&mut self, job: &EvalJob, sha: &str, yielder: &FiberYielder) -> Vec<u8> {
        let cached = &self.cache[sha];
        let mut read_only = job.read_only;
        // Scripts without a shebang keep Redis 6's rules, which allowed keys of any slot.
        let cross_slot = cached.flags.is_none_or(|f| f.allow_cross_slot_keys);
        if let Some(flags) = cached.flags {
            if flags.no_cluster && job.cluster {
                return b"-ERR Can not run script on cluster, 'no-cluster' flag is set.\r\n"
                    .to_vec();
            }
            if job.read_only && !flags.no_writes {
                return b"-ERR Can not execute a script with write flag using *_ro command.\r\n"
                    .to_vec();
            }
            read_only |= flags.no_writes;
        }
        let func: Function = match self.lua.registry_value(&cached.func) {
            Ok(f) => f,
            Err(e) => return format!("-ERR {e}\r\n").into_bytes(),
        };
        if let Err(e) = self
            .set_args(job)
            .and_then(|_| library::take_pending(&self.lua, MultiValue::new()))
        {
            return format!("-ERR {e}\r\n").into_bytes();
        }
        let cur = Rc::new(Current {
            yielder,
            resp3: Cell::new(false),
            read_only,
            cross_slot,
            started: crate::clock::ticks(),
            busy_ms: job.busy_ms,
            aborted: Cell::new(false),
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(cur.clone()));
        let result: mlua::Result<(bool, Value)> = self.run.call(func);
        CURRENT.with(|c| *c.borrow_mut() = None);
        let mut out = Reply::small(convert::proto(job.client_resp3));
        match result {
            Ok((true, value)) => convert::lua_to_reply(&value, &mut out, cur.resp3.get()),
            Ok((false, err)) => script_error(&err, sha, &mut out),
            Err(e) => out.error(&format!("ERR Error running script {sha}: {e}")),
        }
        out.buf
    }

    fn set_args(&self, job: &EvalJob) -> mlua::Result<()> {
        let globals = self.lua.globals();
        let keys = self.lua.create_table_with_capacity(job.keys.len(), 0)?;
        for (i, k) in job.keys.iter().enumerate() {
            keys.raw_set(i + 1, self.lua.create_string(k)?)?;
        }
        let argv = self.lua.create_table_with_capacity(job.argv.len(), 0)?;
        for (i, a) in job.argv.iter().enumerate() {
            argv.raw_set(i + 1, self.lua.create_string(a)?)?;
        }
        globals.raw_set(&self.keys_name, keys)?;
        globals.raw_set(&self.argv_name, argv)
    }
}

/// The reply to a script that raised an error: its message, then where it happened.
fn script_error(err: &Value, sha: &str, out: &mut Reply) {
    let Value::Table(t) = err else {
        out.error(&format!(
            "ERR Error running script {sha}, execution failure"
        ));
        return;
    };
    let mut msg: Vec<u8> = match t.raw_get::<Value>("err") {
        Ok(Value::String(s)) => s.as_bytes().to_vec(),
        _ => b"ERR execution failure".to_vec(),
    };
    if state::KILL.load(Ordering::Relaxed) {
        msg = b"ERR Script killed by user with SCRIPT KILL...".to_vec();
    }
    let source = t.raw_get::<Option<mlua::String>>("source").ok().flatten();
    let line = t.raw_get::<Option<i64>>("line").ok().flatten();
    let mut text = msg;
    if let (Some(source), Some(line)) = (source, line) {
        text.extend_from_slice(format!(" script: {sha}, on ").as_bytes());
        text.extend_from_slice(&source.as_bytes());
        text.extend_from_slice(format!(":{line}.").as_bytes());
    }
    out.error_bytes(&text);
}

/// Lua's own message for a script that does not compile, as bytes: mlua hands it over as a
/// UTF-8 string, which turns a non-UTF-8 byte the message quotes (`near '\xff'`) into U+FFFD.
fn raw_syntax_error(lua: &Lua, code: &[u8]) -> Option<Vec<u8>> {
    // SAFETY: loads a chunk into the stack of the closure's protected call and leaves one value
    // (the error message, or nil) on it, as `exec_raw` expects.
    let message: mlua::Result<Value> = unsafe {
        lua.exec_raw((), |state| {
            let loaded = mlua::ffi::luaL_loadbuffer(
                state,
                code.as_ptr().cast(),
                code.len(),
                c"@user_script".as_ptr(),
            );
            if loaded == 0 {
                mlua::ffi::lua_pop(state, 1);
                mlua::ffi::lua_pushnil(state);
            }
        })
    };
    match message {
        Ok(Value::String(text)) => Some(text.as_bytes().to_vec()),
        _ => None,
    }
}
