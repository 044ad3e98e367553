//! The script thread: the one Lua 5.1 interpreter of the server, its script cache and the
//! runs of scripts.
//!
//! One OS thread (`solikv-lua`), started on first use, owns the `mlua` state; data cores send
//! it [`Request`]s over a flume channel. While a script runs, each `redis.call` becomes an
//! [`Event::Call`] to the data core that asked for the run (which holds every core's gate, see
//! `super`), and this thread waits for the reply bytes. Because scripts are serialized by
//! those gates, one interpreter is enough, and the cache it holds is the server's.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;
use std::time::Instant;

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
    pub events: flume::Sender<Event>,
    pub calls: flume::Receiver<Vec<u8>>,
}

/// What the script thread tells the data core running a script.
pub enum Event {
    /// Run this command (already converted to strings) and send back its reply bytes.
    Call { args: Vec<Vec<u8>>, opts: CallOpts },
    /// The script finished; this is the client's reply.
    Done(Vec<u8>),
}

pub enum Request {
    Eval(Box<EvalJob>),
    /// SCRIPT LOAD: the digest, or the error reply.
    Load(Vec<u8>, flume::Sender<Result<String, Vec<u8>>>),
    Exists(Vec<Vec<u8>>, flume::Sender<Vec<bool>>),
    Flush(flume::Sender<()>),
}

/// Sends a request to the script thread, starting it on first use.
pub fn submit(request: Request) {
    static ENGINE: OnceLock<flume::Sender<Request>> = OnceLock::new();
    let tx = ENGINE.get_or_init(|| {
        let (tx, rx) = flume::unbounded();
        std::thread::Builder::new()
            .name("solikv-lua".into())
            // Deeply nested replies and JSON are converted recursively.
            .stack_size(32 << 20)
            .spawn(move || serve(rx))
            .expect("start the script thread");
        tx
    });
    // Should the thread be gone, the request's reply channels close and the core answers
    // with an error.
    let _ = tx.send(request);
}

/// The run in progress on this thread, read by `redis.*` functions and the hook.
pub struct Current {
    events: flume::Sender<Event>,
    calls: flume::Receiver<Vec<u8>>,
    pub resp3: Cell<bool>,
    read_only: bool,
    cross_slot: bool,
    started: Instant,
    busy_ms: u64,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Current>>> = const { RefCell::new(None) };
}

pub fn current() -> Option<Rc<Current>> {
    CURRENT.with(|c| c.borrow().clone())
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
}

fn serve(rx: flume::Receiver<Request>) {
    let mut engine = Engine::new().expect("build the Lua state");
    // Polling a moment before sleeping lets back-to-back EVALs skip a wake-up each.
    while let Some(request) = super::spin_recv(&rx) {
        match request {
            Request::Eval(job) => engine.eval(*job),
            Request::Load(body, reply) => {
                let _ = reply.send(engine.load(&body));
            }
            Request::Exists(shas, reply) => {
                let found = shas
                    .iter()
                    .map(|s| {
                        engine
                            .cache
                            .contains_key(&String::from_utf8_lossy(s).to_ascii_lowercase())
                    })
                    .collect();
                let _ = reply.send(found);
            }
            Request::Flush(reply) => {
                engine.cache.clear();
                engine.lua.expire_registry_values();
                let _ = engine.lua.gc_collect();
                let _ = reply.send(());
            }
        }
    }
}

/// The hex SHA1 digest of `body`, as redis-server names scripts.
pub fn sha1_hex(body: &[u8]) -> String {
    sha1_smol::Sha1::from(body).digest().to_string()
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
    let sent = cur.events.send(Event::Call {
        args: argv,
        opts: CallOpts {
            resp3: cur.resp3.get(),
            read_only: cur.read_only,
            cross_slot: cur.cross_slot,
        },
    });
    let reply = match sent.ok().and_then(|_| super::spin_recv(&cur.calls)) {
        Some(reply) => reply,
        None => return Err(mlua::Error::runtime("the data core left")),
    };
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
/// SCRIPT KILL (again at every later hook, so `pcall` cannot keep it alive).
fn hook(_lua: &Lua) -> mlua::Result<VmState> {
    if let Some(cur) = current() {
        check_time(&cur)?;
    }
    Ok(VmState::Continue)
}

/// Marks the script busy once past its threshold; fails once SCRIPT KILL asked. Called by
/// the hook and by every `redis.call`, since a script that mostly waits for its calls runs
/// few Lua instructions.
fn check_time(cur: &Current) -> mlua::Result<()> {
    if !state::BUSY.load(Ordering::Relaxed)
        && cur.started.elapsed().as_millis() as u64 >= cur.busy_ms
    {
        state::BUSY.store(true, Ordering::Relaxed);
    }
    if state::KILL.load(Ordering::Relaxed) {
        return Err(mlua::Error::runtime(
            "Script killed by user with SCRIPT KILL...",
        ));
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
        Ok(Engine {
            lua,
            run,
            env,
            cache: HashMap::new(),
        })
    }

    /// Compiles `body` into the cache (if not there yet): its digest, or the error reply.
    fn compile(&mut self, body: &[u8]) -> Result<String, Vec<u8>> {
        let sha = sha1_hex(body);
        if self.cache.contains_key(&sha) {
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

    fn load(&mut self, body: &[u8]) -> Result<String, Vec<u8>> {
        self.compile(body)
    }

    fn eval(&mut self, job: EvalJob) {
        let reply = self.run_job(&job);
        let _ = job.events.send(Event::Done(reply));
    }

    fn run_job(&mut self, job: &EvalJob) -> Vec<u8> {
        let sha = match &job.source {
            Source::Body(body) => match self.compile(body) {
                Ok(sha) => sha,
                Err(reply) => return reply,
            },
            Source::Sha(sha) => {
                let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
                if !self.cache.contains_key(&sha) {
                    return b"-NOSCRIPT No matching script. Please use EVAL.\r\n".to_vec();
                }
                sha
            }
        };
        let cached = &self.cache[&sha];
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
            events: job.events.clone(),
            calls: job.calls.clone(),
            resp3: Cell::new(false),
            read_only,
            cross_slot,
            started: Instant::now(),
            busy_ms: job.busy_ms,
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(cur.clone()));
        let result: mlua::Result<(bool, Value)> = self.run.call(func);
        CURRENT.with(|c| *c.borrow_mut() = None);
        let mut out = Reply::new(convert::proto(job.client_resp3));
        match result {
            Ok((true, value)) => convert::lua_to_reply(&value, &mut out, cur.resp3.get()),
            Ok((false, err)) => script_error(&err, &sha, &mut out),
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
        globals.raw_set("KEYS", keys)?;
        globals.raw_set("ARGV", argv)
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
