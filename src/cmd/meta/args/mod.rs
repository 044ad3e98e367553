//! Argument trees shown by `COMMAND DOCS`, one file per command family.
//!
//! Pure data. An [`Arg`] is built with `const fn` steps so that each tree reads in one
//! expression: `Arg::new("condition", "oneof").flags(&["optional"]).args(&[...])`.

pub mod bitmap;
pub mod cluster;
pub mod connection;
pub mod hash;
pub mod hll;
pub mod keyspace;
pub mod list;
pub mod pubsub;
pub mod server;
pub mod set;
pub mod string;
pub mod zset;

/// One argument of a command, possibly a group (`oneof` / `block`) of further arguments.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    pub name: &'static str,
    /// `key`, `string`, `integer`, `double`, `pattern`, `unix-time`, `pure-token`, `oneof`,
    /// or `block`.
    pub kind: &'static str,
    /// Index into the command's key specs, for `key` arguments; -1 otherwise.
    pub key_spec_index: i32,
    /// The literal word that introduces the argument (empty when none).
    pub token: &'static str,
    /// Version that added the argument (empty when it came with the command).
    pub since: &'static str,
    pub deprecated_since: &'static str,
    /// `optional`, `multiple`, `multiple_token`.
    pub flags: &'static [&'static str],
    /// Members of a `oneof` or `block` group.
    pub args: &'static [Arg],
}

impl Arg {
    pub const fn new(name: &'static str, kind: &'static str) -> Arg {
        Arg {
            name,
            kind,
            key_spec_index: -1,
            token: "",
            since: "",
            deprecated_since: "",
            flags: &[],
            args: &[],
        }
    }

    /// A key argument described by key spec `index`.
    pub const fn key(name: &'static str, index: i32) -> Arg {
        Arg {
            key_spec_index: index,
            ..Arg::new(name, "key")
        }
    }

    pub const fn token(self, token: &'static str) -> Arg {
        Arg { token, ..self }
    }

    pub const fn since(self, since: &'static str) -> Arg {
        Arg { since, ..self }
    }

    pub const fn deprecated_since(self, deprecated_since: &'static str) -> Arg {
        Arg {
            deprecated_since,
            ..self
        }
    }

    pub const fn flags(self, flags: &'static [&'static str]) -> Arg {
        Arg { flags, ..self }
    }

    pub const fn args(self, args: &'static [Arg]) -> Arg {
        Arg { args, ..self }
    }
}
