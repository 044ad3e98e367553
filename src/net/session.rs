//! One connection's own state, and the commands that only touch it (PING, HELLO, AUTH,
//! SELECT, RESET, ...).
//!
//! Runs on the connection's data core, synchronously, between reads.

use std::rc::Rc;

use crate::clock;
use crate::cmd::{Args, CmdError, SessionCmd};
use crate::protocol::number::parse_i64;
use crate::protocol::{Proto, Reply};
use crate::shard::clients::ClientHandle;
use crate::shard::core::CoreCtx;

/// The version redis clients are told they talk to (the oracle's, redis-server 7.0.15).
pub const REDIS_VERSION: &str = "7.0.15";

/// Whether the connection continues after the current reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Close after sending the replies so far (QUIT, protocol errors).
    Close,
    /// Close without sending this batch's replies (HTTP sent to the port).
    Abort,
}

/// One client connection's state.
pub struct Session {
    pub handle: Rc<ClientHandle>,
    pub authenticated: bool,
    pub readonly: bool,
    /// ASKING was the previous command (cluster mode).
    pub asking: bool,
    pub pubsub: super::subscriber::Subscriptions,
    /// MULTI queue and watched keys.
    pub txn: super::multi::TxnState,
    /// The socket's readiness, for a blocked client's disconnect watch (`net::blocking`).
    pub socket: Option<Rc<super::poller::Registration>>,
}

impl Session {
    pub fn new(handle: Rc<ClientHandle>, authenticated: bool) -> Self {
        Session {
            handle,
            authenticated,
            readonly: false,
            asking: false,
            pubsub: Default::default(),
            txn: Default::default(),
            socket: None,
        }
    }
}

/// Runs a connection-level command.
pub fn exec(
    ctx: &CoreCtx,
    sess: &mut Session,
    which: SessionCmd,
    args: Args,
    out: &mut Reply,
) -> Flow {
    match which {
        SessionCmd::Ping if super::subscriber::subscribed_ping(sess, &args, out) => {}
        SessionCmd::Ping => match args.len() {
            1 => out.simple("PONG"),
            2 => out.bulk(args.get(1)),
            _ => out.error_bytes(&CmdError::WrongArity("ping".into()).bytes()),
        },
        SessionCmd::Echo => out.bulk(args.get(1)),
        SessionCmd::Hello => hello(ctx, sess, args, out),
        SessionCmd::Auth => auth(ctx, sess, args, out),
        SessionCmd::Select => select(ctx, args, out),
        SessionCmd::Quit => {
            out.ok();
            return Flow::Close;
        }
        SessionCmd::Reset => {
            out.proto = Proto::Resp2;
            sess.handle.resp.set(2);
            sess.handle.name.borrow_mut().clear();
            sess.handle.no_evict.set(false);
            sess.handle.no_touch.set(false);
            sess.readonly = false;
            sess.asking = false;
            sess.txn.reset();
            sess.pubsub.reset(ctx);
            sess.authenticated = ctx.opts.borrow().requirepass.is_none();
            out.simple("RESET");
        }
        SessionCmd::ReadOnly | SessionCmd::ReadWrite => {
            if ctx.opts.borrow().cluster_enabled {
                sess.readonly = which == SessionCmd::ReadOnly;
                out.ok();
            } else {
                out.error("ERR This instance has cluster support disabled");
            }
        }
        SessionCmd::Asking => {
            if ctx.cluster.enabled() {
                sess.asking = true;
                out.ok();
            } else {
                out.error("ERR This instance has cluster support disabled");
            }
        }
        SessionCmd::Time => {
            let us = clock::unix_us();
            out.array(2);
            out.bulk_int(us / 1_000_000);
            out.bulk_int(us % 1_000_000);
        }
        SessionCmd::Command => {
            let parts: Vec<&[u8]> = args.iter().collect();
            crate::cmd::meta::command(&parts, out);
        }
    }
    Flow::Continue
}

/// Checks a password for `user` against the default user's settings.
fn password_ok(ctx: &CoreCtx, user: &[u8], password: &[u8]) -> bool {
    if user != b"default" {
        return false;
    }
    match &ctx.opts.borrow().requirepass {
        None => true,
        Some(expected) => expected.as_slice() == password,
    }
}

fn auth(ctx: &CoreCtx, sess: &mut Session, args: Args, out: &mut Reply) {
    if args.len() > 3 {
        out.error_bytes(&CmdError::Syntax.bytes());
        return;
    }
    let (user, password) = if args.len() == 2 {
        if ctx.opts.borrow().requirepass.is_none() {
            out.error(
                "ERR AUTH <password> called without any password configured for the default \
                 user. Are you sure your configuration is correct?",
            );
            return;
        }
        (&b"default"[..], args.get(1))
    } else {
        (args.get(1), args.get(2))
    };
    if password_ok(ctx, user, password) {
        sess.authenticated = true;
        out.ok();
    } else {
        out.error_bytes(&CmdError::WrongPass.bytes());
    }
}

fn hello(ctx: &CoreCtx, sess: &mut Session, args: Args, out: &mut Reply) {
    let mut version = None;
    let mut next = 1;
    if args.len() >= 2 {
        match parse_i64(args.get(1)) {
            None => {
                out.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            Some(v) if !(2..=3).contains(&v) => {
                out.error("NOPROTO unsupported protocol version");
                return;
            }
            Some(v) => version = Some(v),
        }
        next = 2;
    }
    let mut credentials = None;
    let mut name = None;
    while next < args.len() {
        let more = args.len() - 1 - next;
        if args.is(next, "auth") && more >= 2 {
            credentials = Some((args.get(next + 1), args.get(next + 2)));
            next += 3;
        } else if args.is(next, "setname") && more >= 1 {
            name = Some(args.get(next + 1));
            next += 2;
        } else {
            let opt = args.get(next);
            out.error_bytes(&[b"ERR Syntax error in HELLO option '", opt, b"'"].concat());
            return;
        }
    }
    if let Some((user, password)) = credentials {
        if !password_ok(ctx, user, password) {
            out.error_bytes(&CmdError::WrongPass.bytes());
            return;
        }
        sess.authenticated = true;
    }
    if !sess.authenticated {
        out.error(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the \
             HELLO AUTH <user> <pass> option can be used to authenticate the client and \
             select the RESP protocol version at the same time",
        );
        return;
    }
    if let Some(name) = name {
        if let Err(e) = validate_client_name(name) {
            out.error_bytes(&e.bytes());
            return;
        }
        *sess.handle.name.borrow_mut() = name.to_vec();
    }
    if let Some(v) = version {
        out.proto = if v == 3 { Proto::Resp3 } else { Proto::Resp2 };
        sess.handle.resp.set(v as u8);
    }
    let cluster = ctx.opts.borrow().cluster_enabled;
    out.map(7);
    out.bulk(b"server");
    out.bulk(b"redis");
    out.bulk(b"version");
    out.bulk(REDIS_VERSION.as_bytes());
    out.bulk(b"proto");
    out.int(sess.handle.resp.get() as i64);
    out.bulk(b"id");
    out.int(sess.handle.id as i64);
    out.bulk(b"mode");
    out.bulk(if cluster { b"cluster" } else { b"standalone" });
    out.bulk(b"role");
    out.bulk(b"master");
    out.bulk(b"modules");
    out.array(0);
}

/// Client names may not contain spaces, newlines or other special characters.
pub fn validate_client_name(name: &[u8]) -> Result<(), CmdError> {
    if name.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(CmdError::other(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    Ok(())
}

fn select(ctx: &CoreCtx, args: Args, out: &mut Reply) {
    match parse_i64(args.get(1)) {
        None => out.error_bytes(&CmdError::NotInteger.bytes()),
        Some(n) if i32::try_from(n).is_err() => out.error_bytes(&CmdError::IntOutOfRange.bytes()),
        Some(0) => out.ok(),
        Some(_) if ctx.opts.borrow().cluster_enabled => {
            out.error("ERR SELECT is not allowed in cluster mode")
        }
        Some(_) => out.error("ERR DB index is out of range"),
    }
}
