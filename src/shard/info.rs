//! The INFO command: per-core figures gathered over the mesh and formatted the way
//! redis-server does (`# Section` headers, `field:value\r\n` lines, a blank line between
//! sections). Only figures SoliKV really tracks are reported.

use std::fmt::Write;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use crate::clock;
use crate::cmd::{self, Args};
use crate::net::session::REDIS_VERSION;
use crate::protocol::Reply;

use super::core::{CommandFigures, CoreCtx};
use super::txn::Txn;

const DEFAULT_SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

/// What one core reports.
struct CoreFigures {
    keys: usize,
    volatile: usize,
    commands: u64,
    expired: u64,
    input_bytes: u64,
    output_bytes: u64,
    per_command: Vec<CommandFigures>,
    per_subcommand: Vec<(&'static str, CommandFigures)>,
    errors: Vec<(Box<[u8]>, u64)>,
    ops_per_sec: f64,
    pubsub: super::pubsub::Names,
}

pub async fn info(ctx: &Rc<CoreCtx>, args: Args<'_>, out: &mut Reply) {
    let figures = ctx.on_all_cores(core_figures).await;
    render(ctx, args, &figures, out);
}

/// INFO under a transaction that holds every core (EXEC, scripts), whose steps read the
/// other cores' figures where `on_all_cores` would wait for their gates.
pub async fn info_in(ctx: &CoreCtx, txn: &Txn, args: Args<'_>, out: &mut Reply) {
    let mut figures = Vec::with_capacity(ctx.ncores);
    for core in 0..ctx.ncores {
        figures.push(txn.run(core, core_figures).await);
    }
    render(ctx, args, &figures, out);
}

/// What one core contributes to INFO.
fn core_figures(c: &CoreCtx) -> CoreFigures {
    let ks = c.ks.borrow();
    CoreFigures {
        keys: ks.len(),
        volatile: ks.volatile_len(),
        commands: c.stats.commands.get(),
        expired: c.stats.expired_keys.get(),
        input_bytes: c.stats.net_input_bytes.get(),
        output_bytes: c.stats.net_output_bytes.get(),
        per_command: c.stats.per_command.borrow().clone(),
        per_subcommand: c.stats.per_subcommand.borrow().clone(),
        errors: c.stats.errors.borrow().clone(),
        ops_per_sec: c.stats.ops_per_sec(),
        pubsub: c.pubsub.borrow().names(),
    }
}

/// Writes the sections `args` ask for (the default ones when none).
fn render(ctx: &CoreCtx, args: Args<'_>, figures: &[CoreFigures], out: &mut Reply) {
    let mut sections: Vec<String> = Vec::new();
    let mut everything = false;
    for arg in args.iter().skip(1) {
        let name = String::from_utf8_lossy(arg).to_ascii_lowercase();
        match name.as_str() {
            "all" | "everything" => everything = true,
            "default" => sections.extend(DEFAULT_SECTIONS.iter().map(|s| s.to_string())),
            _ => sections.push(name),
        }
    }
    if everything {
        sections = DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect();
        sections.insert(sections.len() - 2, "commandstats".to_string());
    } else if sections.is_empty() {
        sections = DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect();
    }
    let mut text = String::new();
    let mut seen = Vec::new();
    for section in sections {
        if seen.contains(&section) {
            continue;
        }
        let mut body = String::new();
        let title = match section.as_str() {
            "server" => server(ctx, &mut body),
            "clients" => clients(ctx, &mut body),
            "memory" => memory(&mut body),
            "persistence" => persistence(&mut body),
            "stats" => stats(ctx, figures, &mut body),
            "replication" => replication(&mut body),
            "cpu" => cpu(&mut body),
            "modules" => "Modules",
            "errorstats" => errorstats(figures, &mut body),
            "commandstats" => commandstats(figures, &mut body),
            "cluster" => {
                let enabled = ctx.opts.borrow().cluster_enabled as u8;
                let _ = write!(body, "cluster_enabled:{enabled}\r\n");
                "Cluster"
            }
            "keyspace" => keyspace(figures, &mut body),
            _ => continue,
        };
        if !text.is_empty() {
            text.push_str("\r\n");
        }
        let _ = write!(text, "# {title}\r\n{body}");
        seen.push(section);
    }
    out.verbatim(text.as_bytes());
}

fn server(ctx: &CoreCtx, s: &mut String) -> &'static str {
    let opts = ctx.opts.borrow();
    let uptime = ctx.shared.started.elapsed().as_secs();
    let mode = if opts.cluster_enabled {
        "cluster"
    } else {
        "standalone"
    };
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let config_file = ctx
        .config
        .borrow()
        .config_file()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    // redis-server's LRU clock: seconds, in 24 bits.
    let lru_clock = (clock::unix_ms() / 1000) & ((1 << 24) - 1);
    let _ = write!(
        s,
        "redis_version:{REDIS_VERSION}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n\
         redis_build_id:0\r\nredis_mode:{mode}\r\nos:{}\r\narch_bits:64\r\n\
         monotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:io_uring\r\n\
         atomicvar_api:c11-builtin\r\ngcc_version:0.0.0\r\nprocess_id:{}\r\n\
         process_supervised:no\r\nrun_id:{}\r\n\
         tcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{uptime}\r\n\
         uptime_in_days:{}\r\nhz:{}\r\nconfigured_hz:{}\r\nlru_clock:{lru_clock}\r\n\
         executable:{exe}\r\nconfig_file:{config_file}\r\nio_threads_active:0\r\nsolikv_version:{}\r\nsolikv_data_cores:{}\r\n\
         solikv_shards:{}\r\n",
        os_name(),
        std::process::id(),
        ctx.shared.run_id,
        opts.port,
        clock::unix_us(),
        uptime / 86400,
        opts.hz,
        opts.hz,
        env!("CARGO_PKG_VERSION"),
        ctx.ncores,
        ctx.nshards,
    );
    "Server"
}

/// `uname`'s system name, release and machine, as redis-server's `os` field
/// (`Linux 6.1.0 x86_64`).
fn os_name() -> String {
    // SAFETY: `uname` fills the zeroed struct; its fields are NUL-terminated C strings.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    if unsafe { libc::uname(&mut u) } != 0 {
        return format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    }
    let field = |f: &[libc::c_char]| {
        let bytes: Vec<u8> = f
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    format!(
        "{} {} {}",
        field(&u.sysname),
        field(&u.release),
        field(&u.machine)
    )
}

fn clients(ctx: &CoreCtx, s: &mut String) -> &'static str {
    let _ = write!(
        s,
        "connected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\n\
         blocked_clients:{}\r\ntracking_clients:0\r\nclients_in_timeout_table:{}\r\n",
        ctx.shared.connected_clients.load(Ordering::Relaxed),
        ctx.opts.borrow().maxclients,
        ctx.shared.blocked_clients.load(Ordering::Relaxed),
        ctx.shared.blocked_with_timeout.load(Ordering::Relaxed),
    );
    "Clients"
}

fn human_bytes(n: usize) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{n}B")
    } else if n < 1024.0 * 1024.0 {
        format!("{:.2}K", n / 1024.0)
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", n / (1024.0 * 1024.0))
    } else {
        format!("{:.2}G", n / (1024.0 * 1024.0 * 1024.0))
    }
}

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn memory(s: &mut String) -> &'static str {
    let used = crate::alloc::allocated_bytes();
    let rss = rss_bytes();
    let _ = write!(
        s,
        "used_memory:{used}\r\nused_memory_human:{}\r\nused_memory_rss:{rss}\r\n\
         used_memory_rss_human:{}\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\n\
         maxmemory_policy:noeviction\r\nmem_allocator:libc\r\n",
        human_bytes(used),
        human_bytes(rss),
    );
    "Memory"
}

fn persistence(s: &mut String) -> &'static str {
    s.push_str(
        "loading:0\r\nasync_loading:0\r\nrdb_bgsave_in_progress:0\r\n\
         rdb_last_bgsave_status:ok\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\n\
         aof_last_bgrewrite_status:ok\r\n",
    );
    "Persistence"
}

fn stats(ctx: &CoreCtx, figures: &[CoreFigures], s: &mut String) -> &'static str {
    let sum = |f: fn(&CoreFigures) -> u64| figures.iter().map(f).sum::<u64>();
    let ops: f64 = figures.iter().map(|f| f.ops_per_sec).sum();
    let _ = write!(
        s,
        "total_connections_received:{}\r\ntotal_commands_processed:{}\r\n\
         instantaneous_ops_per_sec:{}\r\ntotal_net_input_bytes:{}\r\n\
         total_net_output_bytes:{}\r\nrejected_connections:{}\r\nexpired_keys:{}\r\n\
         evicted_keys:0\r\n",
        ctx.shared.total_connections.load(Ordering::Relaxed),
        sum(|f| f.commands),
        ops.round() as u64,
        sum(|f| f.input_bytes),
        sum(|f| f.output_bytes),
        ctx.shared.rejected_connections.load(Ordering::Relaxed),
        sum(|f| f.expired),
    );
    let [channels, patterns, shard] =
        super::pubsub::Names::distinct(figures.iter().map(|f| &f.pubsub));
    let _ = write!(
        s,
        "pubsub_channels:{channels}\r\npubsub_patterns:{patterns}\r\npubsubshard_channels:{shard}\r\n"
    );
    let errors: u64 = error_totals(figures).iter().map(|(_, n)| n).sum();
    let _ = write!(
        s,
        "total_error_replies:{errors}\r\nunexpected_error_replies:0\r\n"
    );
    "Stats"
}

fn replication(s: &mut String) -> &'static str {
    s.push_str(
        "role:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\n\
         master_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\n",
    );
    "Replication"
}

fn cpu(s: &mut String) -> &'static str {
    let (user, sys) = cpu_times();
    let _ = write!(
        s,
        "used_cpu_sys:{sys:.6}\r\nused_cpu_user:{user:.6}\r\nused_cpu_sys_children:0.000000\r\n\
         used_cpu_user_children:0.000000\r\n"
    );
    "CPU"
}

/// User and system CPU seconds of the whole process.
pub fn cpu_times() -> (f64, f64) {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we pass.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return (0.0, 0.0);
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (secs(usage.ru_utime), secs(usage.ru_stime))
}

fn commandstats(figures: &[CoreFigures], s: &mut String) -> &'static str {
    let mut totals: Vec<CommandFigures> = Vec::new();
    for f in figures {
        if totals.len() < f.per_command.len() {
            totals.resize(f.per_command.len(), CommandFigures::default());
        }
        for (total, core) in totals.iter_mut().zip(&f.per_command) {
            total.add(core);
        }
    }
    let mut lines: Vec<(&str, CommandFigures)> = cmd::all()
        .zip(totals)
        .map(|(command, t)| (command.name, t))
        .collect();
    for (name, figures) in figures.iter().flat_map(|f| &f.per_subcommand) {
        match lines.iter_mut().find(|(n, _)| n == name) {
            Some((_, total)) => total.add(figures),
            None => lines.push((name, *figures)),
        }
    }
    for (name, t) in lines {
        if t.calls > 0 || t.rejected > 0 {
            let usec = clock::ticks_to_us(t.ticks);
            let per_call = if t.calls > 0 {
                usec as f64 / t.calls as f64
            } else {
                0.0
            };
            let _ = write!(
                s,
                "cmdstat_{name}:calls={},usec={usec},usec_per_call={per_call:.2},\
                 rejected_calls={},failed_calls={}\r\n",
                t.calls, t.rejected, t.failed
            );
        }
    }
    "Commandstats"
}

/// Error replies by error code, summed over the cores.
fn error_totals(figures: &[CoreFigures]) -> Vec<(&[u8], u64)> {
    let mut totals: Vec<(&[u8], u64)> = Vec::new();
    for (code, n) in figures.iter().flat_map(|f| &f.errors) {
        match totals.iter_mut().find(|(c, _)| *c == &**code) {
            Some((_, total)) => *total += n,
            None => totals.push((code, *n)),
        }
    }
    totals
}

fn errorstats(figures: &[CoreFigures], s: &mut String) -> &'static str {
    let mut totals = error_totals(figures);
    totals.sort();
    for (code, n) in totals {
        let _ = write!(
            s,
            "errorstat_{}:count={n}\r\n",
            String::from_utf8_lossy(code)
        );
    }
    "Errorstats"
}

fn keyspace(figures: &[CoreFigures], s: &mut String) -> &'static str {
    let keys: usize = figures.iter().map(|f| f.keys).sum();
    let expires: usize = figures.iter().map(|f| f.volatile).sum();
    if keys > 0 {
        let _ = write!(s, "db0:keys={keys},expires={expires},avg_ttl=0\r\n");
    }
    "Keyspace"
}
