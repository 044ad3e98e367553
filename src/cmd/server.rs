//! Table entries for connection and server commands.
//!
//! Their behaviour needs the connection's state or every core, so the handlers live in
//! `net::session` and `shard::global`; the entries stay here with the rest of the table.

use super::{Command, Exec, GlobalCmd, KeyRange, SessionCmd, ADMIN, NO_AUTH, WRITE};

const fn session(name: &'static str, arity: i32, flags: u16, cmd: SessionCmd) -> Command {
    Command {
        name,
        arity,
        keys: KeyRange::NONE,
        flags,
        exec: Exec::Session(cmd),
    }
}

const fn global(name: &'static str, arity: i32, flags: u16, cmd: GlobalCmd) -> Command {
    Command {
        name,
        arity,
        keys: KeyRange::NONE,
        flags,
        exec: Exec::Global(cmd),
    }
}

pub const COMMANDS: &[Command] = &[
    session("ping", -1, 0, SessionCmd::Ping),
    session("echo", 2, 0, SessionCmd::Echo),
    session("hello", -1, NO_AUTH, SessionCmd::Hello),
    session("auth", -2, NO_AUTH, SessionCmd::Auth),
    session("select", 2, 0, SessionCmd::Select),
    session("quit", -1, NO_AUTH, SessionCmd::Quit),
    session("reset", 1, NO_AUTH, SessionCmd::Reset),
    session("readonly", 1, 0, SessionCmd::ReadOnly),
    session("readwrite", 1, 0, SessionCmd::ReadWrite),
    session("asking", 1, 0, SessionCmd::Asking),
    session("time", 1, 0, SessionCmd::Time),
    session("command", -1, 0, SessionCmd::Command),
    global("client", -2, 0, GlobalCmd::Client),
    global("info", -1, 0, GlobalCmd::Info),
    global("config", -2, ADMIN, GlobalCmd::Config),
    global("dbsize", 1, 0, GlobalCmd::DbSize),
    global("flushall", -1, WRITE, GlobalCmd::FlushAll),
    global("flushdb", -1, WRITE, GlobalCmd::FlushDb),
    global("debug", -2, ADMIN, GlobalCmd::Debug),
    global("shutdown", -1, ADMIN, GlobalCmd::Shutdown),
    global("keys", 2, 0, GlobalCmd::Keys),
    global("scan", -2, 0, GlobalCmd::Scan),
    global("randomkey", 1, 0, GlobalCmd::RandomKey),
    global("cluster", -2, 0, GlobalCmd::Cluster),
];
