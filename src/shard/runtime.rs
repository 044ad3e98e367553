//! Starting the data cores: start-up checks, the mesh, one pinned glommio executor per core.
//!
//! Runs on the main thread, which then waits for the executors to finish.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use glommio::{LocalExecutorBuilder, Placement};

use super::core::{spawn_mesh_receivers, CoreCtx, Shared};
use super::mesh;
use super::options::RunOptions;
use super::task;
use crate::config::Config;
use crate::net::listener;

/// glommio's minimum locked memory per executor.
const MEMLOCK_PER_CORE: u64 = 512 * 1024;

/// Data-core and shard counts chosen for `opts` on this machine.
pub fn layout(opts: &RunOptions) -> (usize, usize) {
    let cpus = available_cpus();
    // One CPU is left to the control core, the kernel's network work and whatever else runs
    // on the host: a data core that shares its CPU loses more to preemption and cross-core
    // hops than it adds (tuning/FINDINGS.md, section 2).
    let mut ncores = if opts.cores == 0 {
        cpus.len().saturating_sub(1).max(1)
    } else {
        opts.cores
    };
    let nshards = if opts.shards == 0 {
        ncores
    } else {
        opts.shards
    };
    ncores = ncores.min(nshards);
    (ncores, nshards)
}

fn available_cpus() -> Vec<usize> {
    core_affinity::get_core_ids()
        .map(|ids| ids.into_iter().map(|c| c.id).collect())
        .unwrap_or_else(|| vec![0])
}

/// Runs the server until SHUTDOWN. Errors are one-line messages for the operator.
pub fn run(config: Config) -> Result<(), String> {
    let opts = RunOptions::from_config(&config);
    let (ncores, nshards) = layout(&opts);
    check_memlock(ncores + opts.cluster_enabled as usize)?;
    check_io_uring()?;
    listener::check_bind(&opts)?;
    let shared = Arc::new(Shared::new(ncores, nshards, run_id()));
    let cpus = available_cpus();
    log::info!(
        "SoliKV starting: port {}, {} data core(s), {} shard(s), pinning {}",
        opts.port,
        ncores,
        nshards,
        if opts.pin { "on" } else { "off" }
    );
    let mut cluster_links = if opts.cluster_enabled {
        crate::cluster::control::start(&config, ncores)?
    } else {
        Vec::new()
    };
    let mut handles = Vec::new();
    for (core, (senders, receivers)) in mesh::build(ncores).into_iter().enumerate() {
        let cluster_link = (!cluster_links.is_empty()).then(|| cluster_links.remove(0));
        let placement = if opts.pin {
            Placement::Fixed(cpus[core % cpus.len()])
        } else {
            Placement::Unbound
        };
        let shared = shared.clone();
        let config = config.clone();
        let handle = LocalExecutorBuilder::new(placement)
            .name(&format!("solikv-core-{core}"))
            // Covers the microsecond the socket driver's reactor-pass timer takes to expire,
            // so glommio spins instead of sleeping in io_uring for it (`net::poller`), even
            // when the thread is preempted meanwhile. An idle core never spins this long: its
            // driver blocks in io_uring_enter on its socket ring instead.
            .spin_before_park(Duration::from_millis(1))
            .spawn(move || async move {
                task::install_bell().map_err(|e| format!("core {core}: eventfd: {e}"))?;
                let ctx = Rc::new(CoreCtx::new(core, senders, shared, config));
                spawn_mesh_receivers(&ctx, receivers);
                if let Some(link) = cluster_link {
                    link.attach(&ctx);
                }
                task::spawn(active_expiry(ctx.clone())).detach();
                listener::serve(ctx).await
            })
            .map_err(|e| format!("cannot start data core {core}: {e}"))?;
        handles.push(handle);
    }
    for handle in handles {
        match handle.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(format!("data core failed: {e}")),
        }
    }
    Ok(())
}

/// Runs a bounded active-expiry step `hz` times a second.
async fn active_expiry(ctx: Rc<CoreCtx>) {
    loop {
        let hz = ctx.opts.borrow().hz.clamp(1, 500);
        glommio::timer::sleep(Duration::from_millis(1000 / hz as u64)).await;
        if !ctx.gate.is_open() {
            ctx.stats.sample(crate::clock::unix_ms());
            continue;
        }
        let removed = {
            let mut ks = ctx.keyspace();
            ks.active_expire(2000)
        };
        ctx.stats
            .expired_keys
            .set(ctx.stats.expired_keys.get() + removed as u64);
        ctx.stats.sample(crate::clock::unix_ms());
    }
}

fn check_memlock(ncores: usize) -> Result<(), String> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes into the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut limit) } != 0 {
        return Ok(());
    }
    if limit.rlim_cur != libc::RLIM_INFINITY && limit.rlim_cur < MEMLOCK_PER_CORE {
        return Err(format!(
            "locked-memory limit is {} KiB but each of the {ncores} data core(s) needs at \
             least {} KiB for io_uring: raise it with `ulimit -l unlimited` (or \
             LimitMEMLOCK=infinity in a systemd unit, --ulimit memlock=-1 in docker)",
            limit.rlim_cur / 1024,
            MEMLOCK_PER_CORE / 1024
        ));
    }
    Ok(())
}

fn check_io_uring() -> Result<(), String> {
    let mut params = [0u8; 120];
    // SAFETY: io_uring_setup writes at most sizeof(struct io_uring_params) = 120 bytes.
    let fd = unsafe { libc::syscall(libc::SYS_io_uring_setup, 1u32, params.as_mut_ptr()) };
    if fd < 0 {
        let err = std::io::Error::last_os_error();
        return Err(format!(
            "io_uring is not available ({err}): SoliKV needs Linux 6.1 or newer with io_uring \
             enabled (check sysctl kernel.io_uring_disabled=0 and that no seccomp profile \
             blocks io_uring_setup)"
        ));
    }
    // SAFETY: fd was just returned by io_uring_setup and is owned here.
    unsafe { libc::close(fd as i32) };
    // The data cores' socket rings (`net::poller`) need DEFER_TASKRUN (Linux 6.1), which
    // also brings the multishot receive and provided-buffer rings they use.
    if let Err(e) = crate::net::poller::probe_ring() {
        return Err(format!(
            "io_uring lacks what the socket ring needs ({e}): SoliKV needs Linux 6.1 or newer \
             (io_uring with IORING_SETUP_DEFER_TASKRUN and provided-buffer rings)"
        ));
    }
    Ok(())
}

/// A random 40-hex-character run id, as INFO server reports.
fn run_id() -> String {
    let mut seed = crate::clock::unix_us() as u64 ^ (std::process::id() as u64) << 32;
    (0..5)
        .map(|_| {
            seed = crate::storage::keyspace::splitmix(seed);
            format!("{seed:016x}")
        })
        .collect::<String>()[..40]
        .to_string()
}
