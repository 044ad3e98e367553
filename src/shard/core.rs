//! One data core's state and the code that runs commands on it.
//!
//! A [`CoreCtx`] lives on its core only (`Rc`, `RefCell`); other cores reach it through the
//! mesh. Keyed commands run synchronously against the core's [`Keyspace`]; the keyspace is
//! borrowed only for the duration of one synchronous handler, never across an `.await`.

use std::cell::{Cell, RefCell, RefMut};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};
use std::sync::Arc;
use std::time::Instant;

use crate::clock;
use crate::cmd::{Args, Command, Exec, WRITE};
use crate::config::Config;
use crate::protocol::Reply;
use crate::storage::limits::Limits;
use crate::storage::Keyspace;

use super::clients::ClientRegistry;
use super::gate::Gate;
use super::mesh::{
    BatchReply, CoreFn, CtlMsg, DataMsg, MeshReceivers, MeshSenders, RemoteBatch, TxnId,
};
use super::options::RunOptions;
use super::outbox::Outbox;
use super::task;

/// State shared by every core: counters that change on connect/disconnect, never per command.
pub struct Shared {
    pub next_client_id: AtomicU64,
    pub connected_clients: AtomicUsize,
    pub total_connections: AtomicU64,
    pub rejected_connections: AtomicU64,
    pub next_txn: AtomicU64,
    pub shutting_down: AtomicBool,
    pub started: Instant,
    pub run_id: String,
    pub ncores: usize,
    pub nshards: usize,
    /// Which cores have Pub/Sub subscribers (read by publishers on every core).
    pub pubsub: super::pubsub::Summary,
    /// Clients waiting in a blocking command (INFO `blocked_clients`), and those of them
    /// with a timeout (`clients_in_timeout_table`).
    pub blocked_clients: AtomicUsize,
    pub blocked_with_timeout: AtomicUsize,
}

impl Shared {
    pub fn new(ncores: usize, nshards: usize, run_id: String) -> Self {
        Shared {
            next_client_id: AtomicU64::new(1),
            connected_clients: AtomicUsize::new(0),
            total_connections: AtomicU64::new(0),
            rejected_connections: AtomicU64::new(0),
            next_txn: AtomicU64::new(1),
            shutting_down: AtomicBool::new(false),
            started: Instant::now(),
            run_id,
            ncores,
            nshards,
            pubsub: super::pubsub::Summary::new(ncores),
            blocked_clients: AtomicUsize::new(0),
            blocked_with_timeout: AtomicUsize::new(0),
        }
    }
}

/// Per-core command statistics (INFO stats/commandstats), aggregated across cores on demand.
#[derive(Default)]
pub struct Stats {
    pub commands: Cell<u64>,
    /// Figures per command table id.
    pub per_command: RefCell<Vec<CommandFigures>>,
    /// Figures per subcommand of a container (`config|get`), in first-call order.
    pub per_subcommand: RefCell<Vec<(&'static str, CommandFigures)>>,
    /// Error replies per error code (the reply's first word), as INFO errorstats lists them.
    pub errors: RefCell<Vec<(Box<[u8]>, u64)>>,
    pub expired_keys: Cell<u64>,
    pub net_input_bytes: Cell<u64>,
    pub net_output_bytes: Cell<u64>,
    /// Recent `(unix ms, commands)` samples for instantaneous_ops_per_sec.
    samples: RefCell<std::collections::VecDeque<(i64, u64)>>,
}

impl Stats {
    /// Clears the counters (CONFIG RESETSTAT).
    pub fn reset(&self) {
        self.commands.set(0);
        self.per_command.borrow_mut().clear();
        self.per_subcommand.borrow_mut().clear();
        self.errors.borrow_mut().clear();
        self.expired_keys.set(0);
        self.net_input_bytes.set(0);
        self.net_output_bytes.set(0);
        self.samples.borrow_mut().clear();
    }

    /// Records a sample of the command counter (called on the core's timer).
    pub fn sample(&self, now_ms: i64) {
        let mut samples = self.samples.borrow_mut();
        samples.push_back((now_ms, self.commands.get()));
        while samples.len() > 16 {
            samples.pop_front();
        }
    }

    /// Commands per second over the recent samples.
    pub fn ops_per_sec(&self) -> f64 {
        let samples = self.samples.borrow();
        match (samples.front(), samples.back()) {
            (Some(&(t0, c0)), Some(&(t1, c1))) if t1 > t0 => {
                (c1 - c0) as f64 * 1000.0 / (t1 - t0) as f64
            }
            _ => 0.0,
        }
    }

    /// Counts a call of command `id` that started at `began` (a [`clock::ticks`] reading)
    /// and wrote `reply`: a failed call when the reply is an error.
    /// A container's calls (CONFIG GET, OBJECT ENCODING, ...) count for the subcommand that
    /// `args` name, as redis-server counts them.
    pub fn record(&self, id: usize, args: &Args, reply: &[u8], began: u64) {
        let elapsed = clock::ticks().wrapping_sub(began);
        let failed = reply.first() == Some(&b'-');
        if failed {
            self.count_error(reply);
        }
        let container = crate::cmd::container_meta(id);
        let figures_of = |figures: &mut CommandFigures| {
            figures.calls += 1;
            figures.ticks += elapsed;
            figures.failed += failed as u64;
        };
        match container.filter(|_| args.len() > 1) {
            None => self.update_command(id, figures_of),
            Some(meta) => {
                // redis-server resolves subcommands before running anything: an unknown one
                // is an unknown command, which only errorstats counts.
                let Some(sub) = crate::cmd::meta::lookup_sub(meta, args.get(1)) else {
                    return;
                };
                if !sub.arity_ok(args.len()) {
                    // Our handlers check subcommand arity; redis-server rejects it up front.
                    self.update_subcommand(sub.name, |f| f.rejected += 1);
                    return;
                }
                self.update_subcommand(sub.name, figures_of);
            }
        }
        self.commands.set(self.commands.get() + 1);
    }

    /// Counts a command refused before it ran (`id` is `None` for an unknown command), with
    /// the error reply it got.
    pub fn reject(&self, id: Option<usize>, reply: &[u8]) {
        if let Some(id) = id {
            self.update_command(id, |f| f.rejected += 1);
        }
        self.count_error(reply);
    }

    /// Applies `update` to the figures of command table entry `id`.
    fn update_command(&self, id: usize, update: impl FnOnce(&mut CommandFigures)) {
        let mut per = self.per_command.borrow_mut();
        if per.len() <= id {
            per.resize(id + 1, CommandFigures::default());
        }
        update(&mut per[id]);
    }

    /// Applies `update` to the figures of the subcommand called `name` (`config|get`).
    fn update_subcommand(&self, name: &'static str, update: impl FnOnce(&mut CommandFigures)) {
        let mut per = self.per_subcommand.borrow_mut();
        match per.iter_mut().find(|(n, _)| *n == name) {
            Some((_, figures)) => update(figures),
            None => {
                let mut figures = CommandFigures::default();
                update(&mut figures);
                per.push((name, figures));
            }
        }
    }

    /// Adds an error reply to INFO errorstats under its code: the first word after `-`.
    fn count_error(&self, reply: &[u8]) {
        let text = reply.strip_prefix(b"-").unwrap_or(reply);
        let end = text
            .iter()
            .position(|&c| c == b' ' || c == b'\r')
            .unwrap_or(text.len());
        let code = &text[..end];
        let mut errors = self.errors.borrow_mut();
        if let Some((_, n)) = errors.iter_mut().find(|(c, _)| &**c == code) {
            *n += 1;
        } else if errors.len() < MAX_ERROR_CODES {
            // redis-server stops tracking new codes past 128 (error codes are few).
            errors.push((code.into(), 1));
        }
    }
}

/// Distinct error codes INFO errorstats tracks, as redis-server's limit.
const MAX_ERROR_CODES: usize = 128;

/// INFO commandstats figures of one command on one core.
#[derive(Clone, Copy, Debug, Default)]
pub struct CommandFigures {
    pub calls: u64,
    /// Time spent executing, in [`clock::ticks`].
    pub ticks: u64,
    pub rejected: u64,
    pub failed: u64,
}

impl CommandFigures {
    pub fn add(&mut self, other: &CommandFigures) {
        self.calls += other.calls;
        self.ticks += other.ticks;
        self.rejected += other.rejected;
        self.failed += other.failed;
    }
}

/// Everything one data core owns.
pub struct CoreCtx {
    pub core: usize,
    pub ncores: usize,
    pub nshards: usize,
    pub ks: RefCell<Keyspace>,
    pub mesh: MeshSenders,
    pub gate: Gate,
    pub shared: Arc<Shared>,
    pub opts: RefCell<RunOptions>,
    /// This core's copy of the configuration (CONFIG GET/SET/REWRITE).
    pub config: RefCell<Config>,
    pub clients: RefCell<ClientRegistry>,
    pub stats: Stats,
    pub outbox: Outbox,
    /// Cluster mode: this core's routing view and its link to the control core.
    pub cluster: crate::cluster::control::CoreCluster,
    /// This core's Pub/Sub subscriptions.
    pub pubsub: RefCell<super::pubsub::Registry>,
    /// Clients blocked on this core's keys.
    pub blocking: RefCell<super::blocking::Registry>,
}

impl CoreCtx {
    /// Releases this core's gate held by `txn`. When commands waiting for the gate are let
    /// in first ([`Gate::release`]), transactions get it again from a task queued behind
    /// them.
    pub fn release_gate(self: &Rc<Self>, txn: TxnId) {
        if self.gate.release(txn) {
            self.grant_gate_later();
        }
    }

    /// Withdraws `txn`'s request for this core's gate, as [`CoreCtx::release_gate`] when it
    /// was granted.
    pub fn withdraw_gate(self: &Rc<Self>, txn: TxnId) {
        if self.gate.withdraw(txn) {
            self.grant_gate_later();
        }
    }

    fn grant_gate_later(self: &Rc<Self>) {
        let ctx = self.clone();
        task::spawn(async move {
            // A task spawned now may run before the woken ones; once it has yielded, they
            // have run.
            futures_lite::future::yield_now().await;
            ctx.gate.grant_next()
        })
        .detach();
    }

    pub fn new(core: usize, mesh: MeshSenders, shared: Arc<Shared>, config: Config) -> Self {
        let ncores = shared.ncores;
        let opts = RunOptions::from_config(&config);
        let mut ks = Keyspace::new(core, shared.ncores, shared.nshards);
        ks.limits = Limits::from_lookup(|name| config.get(name));
        CoreCtx {
            core,
            ncores: shared.ncores,
            nshards: shared.nshards,
            ks: RefCell::new(ks),
            mesh,
            gate: Gate::default(),
            shared,
            opts: RefCell::new(opts),
            config: RefCell::new(config),
            clients: RefCell::new(ClientRegistry::default()),
            stats: Stats::default(),
            outbox: Outbox::new(ncores),
            cluster: Default::default(),
            pubsub: RefCell::new(Default::default()),
            blocking: RefCell::new(Default::default()),
        }
    }

    /// A recent Unix time in milliseconds, without reading the clock: the keyspace's, which
    /// every command reaching the keyspace and each active-expiry cycle (`hz` times a second)
    /// refresh. Good enough for figures counted in seconds, such as CLIENT LIST's `idle`.
    pub fn recent_ms(&self) -> i64 {
        self.ks
            .try_borrow()
            .map_or_else(|_| clock::unix_ms(), |ks| ks.now_ms)
    }

    /// This core's keyspace, with its clock set to now: the one way commands reach it.
    pub fn keyspace(&self) -> RefMut<'_, Keyspace> {
        let mut ks = self.ks.borrow_mut();
        ks.now_ms = clock::unix_ms();
        ks
    }

    /// Warms the cache for the keys commands are about to look up (`net::prefetch`); keys of
    /// other cores are skipped. Skipped while the keyspace is in use.
    pub fn prefetch_keys(&self, keys: &[&[u8]]) {
        if let Ok(ks) = self.ks.try_borrow() {
            ks.prefetch(keys);
        }
    }

    /// See [`Keyspace::prefetch_table`].
    pub fn prefetch_table(&self, key: &[u8]) {
        if let Ok(ks) = self.ks.try_borrow() {
            ks.prefetch_table(key);
        }
    }

    /// The core that owns `key`.
    pub fn core_of_key(&self, key: &[u8]) -> usize {
        if self.ncores == 1 {
            // No slot hash needed: the keyspace computes it again anyway (~3% of a request).
            return 0;
        }
        Keyspace::core_of_slot(self.nshards, self.ncores, crate::topology::key_slot(key))
    }

    /// Runs a keyed command on this core, appending its reply. A panicking handler is
    /// answered with an error instead of taking the core down.
    pub fn exec_keyed(
        &self,
        id: usize,
        cmd: &Command,
        args: Args,
        reply: &mut Reply,
        no_touch: bool,
    ) {
        let Exec::Keyed(handler, _) = cmd.exec else {
            unreachable!("exec_keyed called for a non-keyed command");
        };
        let start = reply.buf.len();
        let began = clock::ticks();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut ks = self.keyspace();
            ks.no_touch = no_touch;
            if cmd.flags & WRITE != 0 && !ks.watches.is_empty() {
                crate::cmd::txn::run_watched_write(&mut ks, cmd, handler, args, reply);
            } else {
                handler(&mut ks, args, reply);
            }
        }));
        if outcome.is_err() {
            reply.buf.truncate(start);
            reply.error("ERR internal error while executing the command");
        }
        self.stats.record(id, &args, &reply.buf[start..], began);
        super::blocking::after_command(self);
    }

    /// Runs every command of a batch from another core and returns the replies.
    pub fn exec_batch(&self, batch: RemoteBatch) -> BatchReply {
        let mut reply = Reply::new(batch.proto);
        let mut ends = Vec::with_capacity(batch.cmds.len());
        for c in &batch.cmds {
            let spans = &batch.spans[c.first_span as usize..(c.first_span + c.nspans) as usize];
            let args = Args::new(&batch.bytes, spans);
            self.exec_keyed(c.id, c.cmd, args, &mut reply, batch.no_touch);
            ends.push(reply.buf.len() as u32);
        }
        BatchReply {
            buf: reply.buf,
            ends,
        }
    }

    /// Sends `f` to run on `core` (this one included) and waits for its result.
    pub async fn on_core<R, F>(self: &Rc<Self>, core: usize, f: F) -> R
    where
        R: Send + 'static,
        F: FnOnce(&CoreCtx) -> R + Send + 'static,
    {
        if core == self.core {
            self.gate.opened().await;
            return f(self);
        }
        let (tx, rx) = flume::bounded(1);
        let call: CoreFn = Box::new(move |ctx: &CoreCtx| {
            let _ = tx.try_send(f(ctx));
        });
        let link = self.mesh.data[core].as_ref().expect("link to another core");
        link.send_async(DataMsg::Call(call))
            .await
            .expect("mesh link closed");
        rx.recv_async().await.expect("core dropped a call")
    }

    /// Runs `f` on every core and collects the results in core order.
    pub async fn on_all_cores<R, F>(self: &Rc<Self>, f: F) -> Vec<R>
    where
        R: Send + 'static,
        F: Fn(&CoreCtx) -> R + Send + Sync + Clone + 'static,
    {
        let (tx, rx) = flume::bounded(self.ncores);
        for core in 0..self.ncores {
            if core == self.core {
                continue;
            }
            let f = f.clone();
            let tx = tx.clone();
            let call: CoreFn = Box::new(move |ctx: &CoreCtx| {
                let _ = tx.try_send((ctx.core, f(ctx)));
            });
            let link = self.mesh.data[core].as_ref().expect("link to another core");
            link.send_async(DataMsg::Call(call))
                .await
                .expect("mesh link closed");
        }
        self.gate.opened().await;
        let mut results: Vec<Option<R>> = (0..self.ncores).map(|_| None).collect();
        results[self.core] = Some(f(self));
        for _ in 1..self.ncores {
            let (core, r) = rx.recv_async().await.expect("core dropped a call");
            results[core] = Some(r);
        }
        results
            .into_iter()
            .map(|r| r.expect("every core answered"))
            .collect()
    }
}

/// Serves one incoming data link: batches and calls run in arrival order, each once the
/// gate is open; replies to this core's own batches are handed out at once.
pub async fn serve_data_link(ctx: Rc<CoreCtx>, link: flume::Receiver<DataMsg>) {
    while let Ok(msg) = link.recv_async().await {
        match msg {
            DataMsg::Replies(replies) => {
                for (token, reply) in replies {
                    ctx.outbox.deliver(token, reply);
                }
            }
            DataMsg::Batches { from, batches } => {
                // A script holding the gate past busy-reply-threshold: answer BUSY instead.
                let busy = !ctx.gate.is_open() && crate::script::wait_gate_or_busy(&ctx).await;
                let replies = batches
                    .into_iter()
                    .map(|(token, batch)| match busy {
                        true => (token, crate::script::busy_batch(&batch)),
                        false => (token, ctx.exec_batch(batch)),
                    })
                    .collect();
                ctx.mesh.data[from]
                    .as_ref()
                    .expect("link to another core")
                    .send_async(DataMsg::Replies(replies))
                    .await
                    .expect("mesh link closed");
            }
            DataMsg::Call(f) => {
                ctx.gate.opened().await;
                f(&ctx);
            }
        }
    }
}

/// Serves one incoming control link; never waits, so transactions always make progress.
pub async fn serve_ctl_link(ctx: Rc<CoreCtx>, link: flume::Receiver<CtlMsg>) {
    while let Ok(msg) = link.recv_async().await {
        match msg {
            CtlMsg::Lock { txn, granted } => ctx.gate.request(txn, granted),
            CtlMsg::Call { f, .. } => f(&ctx),
            CtlMsg::Unlock { txn } => ctx.release_gate(txn),
            CtlMsg::Withdraw { txn } => ctx.withdraw_gate(txn),
        }
    }
}

/// Spawns the receivers of every link into this core.
pub fn spawn_mesh_receivers(ctx: &Rc<CoreCtx>, receivers: MeshReceivers) {
    for link in receivers.data {
        task::spawn(serve_data_link(ctx.clone(), link)).detach();
    }
    for link in receivers.ctl {
        task::spawn(serve_ctl_link(ctx.clone(), link)).detach();
    }
    task::spawn(Outbox::run_flusher(ctx.clone())).detach();
    task::spawn(super::blocking::serve_task(ctx.clone())).detach();
}
