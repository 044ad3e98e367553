//! Client listeners: one `SO_REUSEPORT` socket per bind address on every data core, so the
//! kernel spreads incoming connections over the cores.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use socket2::{Domain, Protocol, Socket, Type};

use super::conn;
use super::poller::{Poller, Registration};
use crate::shard::core::CoreCtx;
use crate::shard::options::RunOptions;
use crate::shard::task;

/// A parsed `bind` entry: the address and whether failing to bind it is tolerated (`-`).
fn resolve(entry: &str, port: u16) -> Result<(SocketAddr, bool), String> {
    let (optional, host) = match entry.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let ip: IpAddr = match host {
        "*" => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        "::*" => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        other => other
            .parse()
            .map_err(|_| format!("invalid bind address '{other}'"))?,
    };
    Ok((SocketAddr::new(ip, port), optional))
}

fn make_socket(addr: SocketAddr, reuse_port: bool, backlog: u32) -> std::io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    if reuse_port {
        socket.set_reuse_port(true)?;
    }
    socket.bind(&addr.into())?;
    socket.listen(backlog as i32)?;
    Ok(socket)
}

/// Fails when a bind address is taken by any other socket, before the cores start sharing it
/// with `SO_REUSEPORT` (which would otherwise silently join another server's port).
pub fn check_bind(opts: &RunOptions) -> Result<(), String> {
    let mut bound = 0;
    for entry in &opts.bind {
        let (addr, optional) = resolve(entry, opts.port)?;
        match make_socket(addr, false, 1) {
            Ok(_) => bound += 1,
            Err(_) if optional => {}
            Err(e) => {
                return Err(format!(
                    "Could not create server TCP listening socket {entry}:{}: bind: {e}",
                    opts.port
                ))
            }
        }
    }
    if bound == 0 {
        return Err("Failed listening on any bind address".to_string());
    }
    Ok(())
}

/// Binds this core's listeners and accepts connections until the process exits.
///
/// Listening sockets are watched by a multishot poll in the core's socket ring, and
/// connections are accepted with non-blocking `accept4` calls (see [`super::poller`]).
pub async fn serve(ctx: Rc<CoreCtx>) -> Result<(), String> {
    let opts = ctx.opts.borrow().clone();
    let bell = task::bell().ok_or_else(|| format!("core {}: no bell installed", ctx.core))?;
    let poller = Poller::new(bell, opts.io_gather_us)
        .map_err(|e| format!("core {}: io_uring: {e}", ctx.core))?;
    glommio::spawn_local(poller.clone().drive()).detach();
    let mut tasks = Vec::new();
    for entry in &opts.bind {
        let (addr, optional) = resolve(entry, opts.port)?;
        match make_socket(addr, true, opts.tcp_backlog) {
            Ok(socket) => {
                socket
                    .set_nonblocking(true)
                    .map_err(|e| format!("core {}: {entry}: {e}", ctx.core))?;
                let listener = std::net::TcpListener::from(socket);
                let registration = poller
                    .register_listener(listener.as_raw_fd())
                    .map_err(|e| format!("core {}: io_uring: {e}", ctx.core))?;
                tasks.push(task::spawn(accept_loop(
                    ctx.clone(),
                    poller.clone(),
                    listener,
                    registration,
                )));
            }
            Err(_) if optional => {}
            Err(e) => return Err(format!("core {}: bind {entry}: {e}", ctx.core)),
        }
    }
    for task in tasks {
        task.await;
    }
    Ok(())
}

async fn accept_loop(
    ctx: Rc<CoreCtx>,
    poller: Rc<Poller>,
    listener: std::net::TcpListener,
    registration: Registration,
) {
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                registration.readable().await;
                continue;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                log::warn!("accept failed: {e}");
                glommio::timer::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        if stream.set_nonblocking(true).is_err() {
            continue;
        }
        let shared = &ctx.shared;
        let maxclients = ctx.opts.borrow().maxclients;
        let count = shared.connected_clients.fetch_add(1, Ordering::Relaxed) + 1;
        if count > maxclients {
            shared.connected_clients.fetch_sub(1, Ordering::Relaxed);
            shared.rejected_connections.fetch_add(1, Ordering::Relaxed);
            // Best effort, as redis-server: the reply fits any empty socket buffer.
            let _ = (&stream).write(b"-ERR max number of clients reached\r\n");
            continue;
        }
        shared.total_connections.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let ctx2 = ctx.clone();
        let poller = poller.clone();
        task::spawn(async move {
            conn::serve(ctx2.clone(), poller, stream).await;
            ctx2.shared
                .connected_clients
                .fetch_sub(1, Ordering::Relaxed);
        })
        .detach();
    }
}
