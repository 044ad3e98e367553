//! `COMMAND DOCS` argument trees of the connection commands: handshake, AUTH, SELECT, cluster read modes, CLIENT.
//!
//! Names, types, tokens, flags and versions as redis-server 7.0.15 reports them.

use super::Arg;

pub const PING: &[Arg] = &[Arg::new("message", "string").flags(&["optional"])];

pub const ECHO: &[Arg] = &[Arg::new("message", "string")];

pub const HELLO: &[Arg] = &[Arg::new("arguments", "block").flags(&["optional"]).args(&[
    Arg::new("protover", "integer"),
    Arg::new("username_password", "block")
        .token("AUTH")
        .flags(&["optional"])
        .args(&[
            Arg::new("username", "string"),
            Arg::new("password", "string"),
        ]),
    Arg::new("clientname", "string")
        .token("SETNAME")
        .flags(&["optional"]),
])];

pub const AUTH: &[Arg] = &[
    Arg::new("username", "string")
        .since("6.0.0")
        .flags(&["optional"]),
    Arg::new("password", "string"),
];

pub const SELECT: &[Arg] = &[Arg::new("index", "integer")];

pub const CLIENT_SETNAME: &[Arg] = &[Arg::new("connection-name", "string")];

pub const CLIENT_SETINFO: &[Arg] = &[Arg::new("attr", "oneof").args(&[
    Arg::new("libname", "string").token("LIB-NAME"),
    Arg::new("libver", "string").token("LIB-VER"),
])];

pub const CLIENT_LIST: &[Arg] = &[
    Arg::new("normal_master_replica_pubsub", "oneof")
        .token("TYPE")
        .since("5.0.0")
        .flags(&["optional"])
        .args(&[
            Arg::new("normal", "pure-token").token("NORMAL"),
            Arg::new("master", "pure-token").token("MASTER"),
            Arg::new("replica", "pure-token").token("REPLICA"),
            Arg::new("pubsub", "pure-token").token("PUBSUB"),
        ]),
    Arg::new("id", "block")
        .token("ID")
        .since("6.2.0")
        .flags(&["optional"])
        .args(&[Arg::new("client-id", "integer").flags(&["multiple"])]),
];

pub const CLIENT_UNBLOCK: &[Arg] = &[
    Arg::new("client-id", "integer"),
    Arg::new("timeout_error", "oneof")
        .flags(&["optional"])
        .args(&[
            Arg::new("timeout", "pure-token").token("TIMEOUT"),
            Arg::new("error", "pure-token").token("ERROR"),
        ]),
];

pub const CLIENT_KILL: &[Arg] = &[Arg::new("filter", "oneof").args(&[
    Arg::new("ip:port", "string").deprecated_since("2.8.12"),
    Arg::new("new-format", "oneof").flags(&["multiple"]).args(&[
        Arg::new("client-id", "integer")
            .token("ID")
            .since("2.8.12")
            .flags(&["optional"]),
        Arg::new("normal_master_slave_pubsub", "oneof")
            .token("TYPE")
            .since("2.8.12")
            .flags(&["optional"])
            .args(&[
                Arg::new("normal", "pure-token").token("NORMAL"),
                Arg::new("master", "pure-token")
                    .token("MASTER")
                    .since("3.2.0"),
                Arg::new("slave", "pure-token").token("SLAVE"),
                Arg::new("replica", "pure-token")
                    .token("REPLICA")
                    .since("5.0.0"),
                Arg::new("pubsub", "pure-token").token("PUBSUB"),
            ]),
        Arg::new("username", "string")
            .token("USER")
            .flags(&["optional"]),
        Arg::new("ip:port", "string")
            .token("ADDR")
            .flags(&["optional"]),
        Arg::new("ip:port", "string")
            .token("LADDR")
            .since("6.2.0")
            .flags(&["optional"]),
        Arg::new("yes/no", "string")
            .token("SKIPME")
            .flags(&["optional"]),
    ]),
])];

pub const CLIENT_NO_EVICT: &[Arg] = &[Arg::new("enabled", "oneof").args(&[
    Arg::new("on", "pure-token").token("ON"),
    Arg::new("off", "pure-token").token("OFF"),
])];

pub const CLIENT_NO_TOUCH: &[Arg] = &[Arg::new("enabled", "oneof").args(&[
    Arg::new("on", "pure-token").token("ON"),
    Arg::new("off", "pure-token").token("OFF"),
])];
