//! The connection loop: read a batch, parse every complete command, route each one, write the
//! replies in request order.
//!
//! Runs on the data core that accepted the connection. HOT PATH: no per-command allocation for
//! local commands, no logging above `trace!`. Keyed commands for this core run inline; those
//! for other cores are grouped into one mesh message per core per batch ([`Pending`]), and
//! their replies are spliced back in order. Commands that need the whole server, or keys on
//! several cores, first flush what is pending, which keeps a connection's effects in order.

use std::os::fd::AsRawFd;
use std::rc::Rc;

use std::net::TcpStream;

use super::multi;
use super::poller::Poller;
use super::session::{self, Flow, Session};
use super::subscriber;
use crate::clock;
use crate::cluster::{self, view::Route};
use crate::cmd::error::unknown_command;
use crate::cmd::txn::TxnCmd;
use crate::cmd::{self, Args, CmdError, Command, Exec, GlobalCmd, SessionCmd, Spread, NO_AUTH};
use crate::protocol::{Limits, Parsed, Reply, RequestParser, Span};
use crate::script;
use crate::shard::clients::ClientHandle;
use crate::shard::core::CoreCtx;
use crate::shard::mesh::{BatchReply, RemoteBatch};
use crate::shard::{global, spread};

const READ_CHUNK: usize = 16 * 1024;

/// Serves one client until it disconnects, quits or is killed.
pub async fn serve(ctx: Rc<CoreCtx>, poller: Rc<Poller>, stream: TcpStream) {
    let Ok(registration) = poller.register(stream.as_raw_fd()) else {
        log::warn!("cannot add a client socket to the core's socket ring");
        return;
    };
    let registration = Rc::new(registration);
    let id = ctx
        .shared
        .next_client_id
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let unspecified = std::net::SocketAddr::from(([0, 0, 0, 0], 0));
    let handle = Rc::new(ClientHandle::new(
        id,
        stream.peer_addr().unwrap_or(unspecified),
        stream.local_addr().unwrap_or(unspecified),
        stream.as_raw_fd(),
        clock::unix_ms(),
    ));
    ctx.clients.borrow_mut().add(handle.clone());
    let authenticated = ctx.opts.borrow().requirepass.is_none();
    let mut sess = Session::new(handle.clone(), authenticated);
    sess.socket = Some(registration.clone());
    let mut conn = Conn::new(ctx.ncores);
    loop {
        if conn.filled == conn.rbuf.len() {
            let wanted = conn.parser.wanted_len().unwrap_or(0);
            let grow = wanted.max(conn.rbuf.len() + READ_CHUNK);
            conn.rbuf.resize(grow, 0);
        }
        let buf = &mut conn.rbuf[conn.filled..];
        let read = registration.recv(buf);
        let n = match subscriber::read_or_push(read, &sess).await {
            Some(Ok(0) | Err(_)) => break,
            Some(Ok(n)) => n,
            None => {
                if handle.killed.get()
                    || subscriber::write_pushes(&ctx, &registration, &sess)
                        .await
                        .is_err()
                {
                    break;
                }
                handle.touch(ctx.recent_ms());
                continue;
            }
        };
        // As redis-server, reads and writes count as activity (CLIENT LIST's `idle`). A read
        // takes the clock itself: the core's cached one is only as fresh as the last command
        // or expiry cycle on this core, which can be a second old on a loaded machine when
        // this client's keys live on another core.
        handle.touch(crate::clock::unix_ms());
        conn.filled += n;
        ctx.stats
            .net_input_bytes
            .set(ctx.stats.net_input_bytes.get() + n as u64);
        if conn.filled > ctx.opts.borrow().client_query_buffer_limit {
            log::warn!("closing client {id}: query buffer over client-query-buffer-limit");
            break;
        }
        // Messages queued before this batch go out before its replies, later ones after.
        sess.pubsub.drain_into(&mut conn.out);
        let flow = conn.process(&ctx, &mut sess).await;
        if flow == Flow::Abort {
            break;
        }
        sess.pubsub.drain_into(&mut conn.out);
        if !conn.out.is_empty() {
            let len = conn.out.len();
            if registration.send(&mut conn.out.buf).await.is_err() {
                break;
            }
            handle.touch(ctx.recent_ms());
            ctx.stats
                .net_output_bytes
                .set(ctx.stats.net_output_bytes.get() + len as u64);
        }
        if flow != Flow::Continue || handle.killed.get() {
            break;
        }
        conn.compact();
    }
    // Replies (QUIT's +OK, an error before a protocol close) reach the socket before it closes.
    let _ = registration.flush().await;
    sess.pubsub.reset(&ctx);
    ctx.clients.borrow_mut().remove(id);
}

/// Logs redis-server's warning about HTTP sent to the port, at most once a minute per core.
fn warn_http_attack() {
    thread_local! {
        static LAST: std::cell::Cell<Option<std::time::Instant>> = const { std::cell::Cell::new(None) };
    }
    let now = std::time::Instant::now();
    if LAST
        .with(|l| l.get())
        .is_some_and(|t| now.duration_since(t).as_secs() < 60)
    {
        return;
    }
    LAST.with(|l| l.set(Some(now)));
    log::warn!(
        "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: \
         commands to SoliKV. This is likely due to an attacker attempting to use Cross Protocol \
         Scripting to compromise your SoliKV instance. Connection aborted."
    );
}

/// Per-connection buffers and parser state.
struct Conn {
    rbuf: Vec<u8>,
    filled: usize,
    parser: RequestParser,
    spans: Vec<Span>,
    out: Reply,
    pending: Pending,
}

impl Conn {
    fn new(ncores: usize) -> Self {
        Conn {
            rbuf: vec![0; READ_CHUNK],
            filled: 0,
            parser: RequestParser::new(),
            spans: Vec::with_capacity(16),
            out: Reply::new(crate::protocol::Proto::Resp2),
            pending: Pending::new(ncores),
        }
    }

    /// Parses and runs every complete command in the buffer.
    async fn process(&mut self, ctx: &Rc<CoreCtx>, sess: &mut Session) -> Flow {
        let unread = &self.rbuf[self.parser.cmd_start()..self.filled];
        if super::prefetch::warm(ctx, unread, super::poller::several_woken()) {
            futures_lite::future::yield_now().await;
        }
        loop {
            let limits = Limits {
                max_bulk_len: ctx.opts.borrow().proto_max_bulk_len,
                authenticated: sess.authenticated,
            };
            match self
                .parser
                .parse(&mut self.rbuf[..self.filled], &mut self.spans, &limits)
            {
                Ok(Parsed::Command) => {
                    let args = Args::new(&self.rbuf[..self.filled], &self.spans);
                    let flow = dispatch(ctx, sess, args, &mut self.out, &mut self.pending).await;
                    self.spans.clear();
                    if flow == Flow::Close {
                        self.pending.flush(ctx, &mut self.out).await;
                        return Flow::Close;
                    }
                    if flow == Flow::Abort {
                        // Commands already sent to other cores run; no reply goes out.
                        self.pending.flush(ctx, &mut self.out).await;
                        self.out.buf.clear();
                        warn_http_attack();
                        return Flow::Abort;
                    }
                }
                Ok(Parsed::Incomplete) => break,
                Err(e) => {
                    self.pending.flush(ctx, &mut self.out).await;
                    self.out.error_bytes(&e.message());
                    return Flow::Close;
                }
            }
        }
        self.pending.flush(ctx, &mut self.out).await;
        sess.handle.qbuf.set(self.filled - self.parser.cmd_start());
        Flow::Continue
    }

    /// Drops the bytes of executed commands from the read buffer.
    fn compact(&mut self) {
        let start = self.parser.cmd_start();
        if start == 0 {
            return;
        }
        self.rbuf.copy_within(start..self.filled, 0);
        self.filled -= start;
        self.parser.shift(start, &mut self.spans);
        if self.rbuf.len() > 4 * READ_CHUNK && self.filled < READ_CHUNK {
            self.rbuf.truncate(READ_CHUNK);
            self.rbuf.shrink_to_fit();
        }
    }
}

/// Where one command's reply comes from, while remote batches are outstanding.
enum Segment {
    /// Ends at this offset of the local buffer.
    Local(usize),
    /// The next reply from this core.
    Remote(usize),
}

/// Keyed commands waiting to be sent to other cores, and the order of all replies since.
struct Pending {
    batches: Vec<Option<RemoteBatch>>,
    local: Reply,
    order: Vec<Segment>,
    /// Per core: the reply, the next command's index in it and its start offset.
    replies: Vec<Option<(BatchReply, usize, usize)>>,
}

impl Pending {
    fn new(ncores: usize) -> Self {
        Pending {
            batches: (0..ncores).map(|_| None).collect(),
            local: Reply::new(crate::protocol::Proto::Resp2),
            order: Vec::new(),
            replies: (0..ncores).map(|_| None).collect(),
        }
    }

    fn is_active(&self) -> bool {
        !self.order.is_empty()
    }

    /// Where a local reply must be written right now.
    fn sink<'a>(&'a mut self, out: &'a mut Reply) -> &'a mut Reply {
        if self.is_active() {
            self.local.proto = out.proto;
            &mut self.local
        } else {
            out
        }
    }

    /// Answers the current command (`id`, `None` when unknown) with `err`, in order, and
    /// counts it as rejected.
    fn reject(
        &mut self,
        ctx: &CoreCtx,
        id: Option<usize>,
        out: &mut Reply,
        err: &CmdError,
    ) -> Flow {
        let sink = self.sink(out);
        let start = sink.len();
        sink.error_bytes(&err.bytes());
        ctx.stats.reject(id, &sink.buf[start..]);
        self.local_done();
        Flow::Continue
    }

    /// Records that a local reply was just written into [`Pending::sink`].
    fn local_done(&mut self) {
        if self.is_active() {
            self.order.push(Segment::Local(self.local.buf.len()));
        }
    }

    fn queue(
        &mut self,
        core: usize,
        id: usize,
        cmd: &'static Command,
        args: Args,
        proto: crate::protocol::Proto,
        no_touch: bool,
    ) {
        let batch = self.batches[core].get_or_insert_with(|| RemoteBatch::new(proto, no_touch));
        batch.push(id, cmd, args.iter());
        self.order.push(Segment::Remote(core));
    }

    /// Sends every batch, waits for the replies and appends all replies in order to `out`.
    async fn flush(&mut self, ctx: &CoreCtx, out: &mut Reply) {
        if !self.is_active() {
            return;
        }
        let mut tokens = Vec::new();
        for (core, batch) in self.batches.iter_mut().enumerate() {
            if let Some(batch) = batch.take() {
                tokens.push((core, ctx.outbox.submit(core, batch)));
            }
        }
        for (core, token) in tokens {
            let reply = ctx.outbox.wait(token).await;
            self.replies[core] = Some((reply, 0, 0));
        }
        let mut local_start = 0;
        for seg in self.order.drain(..) {
            match seg {
                Segment::Local(end) => {
                    out.raw(&self.local.buf[local_start..end]);
                    local_start = end;
                }
                Segment::Remote(core) => {
                    let (reply, next, start) =
                        self.replies[core].as_mut().expect("reply from every core");
                    let end = reply.ends[*next] as usize;
                    out.raw(&reply.buf[*start..end]);
                    *next += 1;
                    *start = end;
                }
            }
        }
        self.local.buf.clear();
        for r in &mut self.replies {
            *r = None;
        }
    }
}

/// redis-server's refusal of DEBUG under `enable-debug-command no` (or `local`, from afar).
const DEBUG_REFUSED: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is \
    set to \"local\", you can run it from a local connection, otherwise you need to set this option \
    in the configuration file, and then restart the server.";

/// A request line that is really HTTP (`POST ...` or a `Host:` header): as redis-server does
/// against cross-protocol attacks, the connection is dropped without any reply of its batch.
fn is_http_line(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"post") || name.eq_ignore_ascii_case(b"host:")
}

/// Routes one command: checks, then runs it here, queues it for another core, or runs it
/// after flushing what is pending.
async fn dispatch(
    ctx: &Rc<CoreCtx>,
    sess: &mut Session,
    args: Args<'_>,
    out: &mut Reply,
    pending: &mut Pending,
) -> Flow {
    if is_http_line(args.get(0)) {
        return Flow::Abort;
    }
    let Some((id, cmd)) = cmd::lookup(args.get(0)) else {
        sess.handle.last_cmd.set("NULL");
        sess.asking = false;
        sess.txn.flag();
        let rest: Vec<&[u8]> = args.iter().skip(1).collect();
        return pending.reject(ctx, None, out, &unknown_command(args.get(0), &rest));
    };
    sess.handle.last_cmd.set(cmd::full_name(id, cmd, &args));
    let asking = sess.asking && !matches!(cmd.exec, Exec::Session(SessionCmd::Asking));
    // As in redis-server, ASKING before MULTI lasts until EXEC or DISCARD.
    if !multi::keeps_asking(sess, cmd) {
        sess.asking &= !asking;
    }
    if !cmd.arity_ok(args.len()) {
        let err = multi::refused(sess, cmd, CmdError::WrongArity(cmd.name.to_string()));
        return pending.reject(ctx, Some(id), out, &err);
    }
    if matches!(cmd.exec, Exec::Global(GlobalCmd::Debug))
        && !ctx
            .opts
            .borrow()
            .debug_command
            .permits(sess.handle.addr.ip())
    {
        let err = multi::refused(sess, cmd, CmdError::other(DEBUG_REFUSED));
        return pending.reject(ctx, Some(id), out, &err);
    }
    if !sess.authenticated && cmd.flags & NO_AUTH == 0 {
        let err = multi::refused(sess, cmd, CmdError::NoAuth);
        return pending.reject(ctx, Some(id), out, &err);
    }
    // redis-server's order: cluster routing, then the RESP2 subscribed-mode restriction, then
    // MULTI queueing; a refusal inside MULTI marks the transaction for EXECABORT.
    let keyed = matches!(
        cmd.exec,
        Exec::Keyed(..) | Exec::Txn(TxnCmd::Watch) | Exec::Script(_)
    );
    if keyed && ctx.cluster.enabled() {
        let q = cluster::command::query(cmd, asking, sess.readonly);
        let redirect = match cluster::command::check_local(ctx, cmd, &args, q) {
            Route::Here => None,
            Route::Redirect(r) => Some(r),
            Route::NeedsKeys(slot) => {
                pending.flush(ctx, out).await;
                cluster::command::check_unstable(ctx, slot, cmd, &args, q).await
            }
        };
        if let Some(r) = redirect {
            sess.txn.flag();
            return pending.reject(ctx, Some(id), out, &CmdError::other(r.text()));
        }
    }
    if let Some(err) = subscriber::restricted(sess, cmd, &args) {
        let err = multi::refused(sess, cmd, err);
        return pending.reject(ctx, Some(id), out, &err);
    }
    if script::state::busy() && !script::allowed_when_busy(&args) {
        let err = multi::refused(sess, cmd, CmdError::other(script::state::BUSY_ERR));
        return pending.reject(ctx, Some(id), out, &err);
    }
    if sess.txn.in_multi() {
        if matches!(cmd.exec, Exec::PubSub(_)) && ctx.cluster.enabled() {
            // Shard channels are routed like keys when queued, as redis-server does.
            if let Some(err) = subscriber::cluster_redirect(ctx, sess, cmd, &args, asking) {
                sess.txn.flag();
                return pending.reject(ctx, Some(id), out, &err);
            }
        }
        if multi::queue(sess, id, cmd, args, pending.sink(out)) {
            pending.local_done();
            return Flow::Continue;
        }
    }
    match cmd.exec {
        Exec::Keyed(_, spread) => {
            if let Some(req) = super::blocking::prepare(cmd, args) {
                pending.flush(ctx, out).await;
                return super::blocking::run(ctx, sess, id, cmd, args, req, out).await;
            }
            let mut target: Option<usize> = None;
            let mut spans_cores = false;
            cmd::for_each_key(cmd, args, |i| {
                let core = ctx.core_of_key(args.get(i));
                match target {
                    None => target = Some(core),
                    Some(t) if t != core => spans_cores = true,
                    Some(_) => {}
                }
            });
            let no_touch = sess.handle.no_touch.get();
            if spans_cores && spread != Spread::Single {
                pending.flush(ctx, out).await;
                spread::run(ctx, id, cmd, spread, args, no_touch, out).await;
                return Flow::Continue;
            }
            let core = target.unwrap_or(ctx.core);
            if core == ctx.core {
                if !ctx.gate.is_open() && script::wait_gate_or_busy(ctx).await {
                    let err = CmdError::other(script::state::BUSY_ERR);
                    return pending.reject(ctx, Some(id), out, &err);
                }
                let sink = pending.sink(out);
                ctx.exec_keyed(id, cmd, args, sink, no_touch);
                pending.local_done();
            } else {
                pending.queue(core, id, cmd, args, out.proto, no_touch);
            }
            Flow::Continue
        }
        Exec::Session(which) => {
            pending.flush(ctx, out).await;
            let (start, began) = (out.len(), clock::ticks());
            let flow = session::exec(ctx, sess, which, args, out);
            ctx.stats.record(id, &args, &out.buf[start..], began);
            flow
        }
        Exec::PubSub(which) => {
            pending.flush(ctx, out).await;
            let (start, began) = (out.len(), clock::ticks());
            let flow = subscriber::exec(ctx, sess, which, cmd, args, asking, out).await;
            ctx.stats.record(id, &args, &out.buf[start..], began);
            flow
        }
        Exec::Global(which) => {
            pending.flush(ctx, out).await;
            let (start, began) = (out.len(), clock::ticks());
            let flow = global::exec(ctx, sess, which, args, out).await;
            ctx.stats.record(id, &args, &out.buf[start..], began);
            flow
        }
        Exec::Script(which) => {
            pending.flush(ctx, out).await;
            script::exec(ctx, sess, which, id, args, out).await
        }
        Exec::Txn(which) => {
            pending.flush(ctx, out).await;
            let (start, began) = (out.len(), clock::ticks());
            let flow = multi::exec(ctx, sess, which, asking, args, out).await;
            ctx.stats.record(id, &args, &out.buf[start..], began);
            flow
        }
    }
}
