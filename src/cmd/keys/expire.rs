//! Key expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX, XX, GT, LT), TTL,
//! PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.
//!
//! Runs on the data core owning the key; synchronous. Times are Unix milliseconds read from
//! `Keyspace::now_ms`, which the dispatcher sets once per command, so a whole command sees
//! one instant as redis-server's command time snapshot does.

use super::reply_int;
use crate::cmd::{Args, CmdError, CmdResult};
use crate::protocol::number::parse_i64;
use crate::protocol::Reply;
use crate::storage::Keyspace;

/// How the time argument of an EXPIRE-family command is read.
#[derive(Clone, Copy)]
struct TimeArg {
    /// Name in the `invalid expire time in '<name>' command` error.
    name: &'static str,
    seconds: bool,
    /// An absolute Unix time rather than a delay from now.
    absolute: bool,
}

pub(super) fn expire(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let time = TimeArg {
        name: "expire",
        seconds: true,
        absolute: false,
    };
    reply_int(reply, set_expiry(ks, args, time));
}

pub(super) fn pexpire(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let time = TimeArg {
        name: "pexpire",
        seconds: false,
        absolute: false,
    };
    reply_int(reply, set_expiry(ks, args, time));
}

pub(super) fn expireat(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let time = TimeArg {
        name: "expireat",
        seconds: true,
        absolute: true,
    };
    reply_int(reply, set_expiry(ks, args, time));
}

pub(super) fn pexpireat(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let time = TimeArg {
        name: "pexpireat",
        seconds: false,
        absolute: true,
    };
    reply_int(reply, set_expiry(ks, args, time));
}

/// The NX / XX / GT / LT conditions of an EXPIRE-family command.
#[derive(Default, Debug, PartialEq)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

impl Conditions {
    /// Reads the options after the time argument. Unknown words are rejected as they are
    /// met; incompatible combinations only once all words were read.
    fn parse(args: Args) -> CmdResult<Conditions> {
        let mut cond = Conditions::default();
        for i in 3..args.len() {
            let flag = if args.is(i, "nx") {
                &mut cond.nx
            } else if args.is(i, "xx") {
                &mut cond.xx
            } else if args.is(i, "gt") {
                &mut cond.gt
            } else if args.is(i, "lt") {
                &mut cond.lt
            } else {
                return Err(CmdError::UnsupportedOption(args.get(i).to_vec()));
            };
            *flag = true;
        }
        if cond.nx && (cond.xx || cond.gt || cond.lt) {
            return Err(CmdError::ExpireNxConflict);
        }
        if cond.gt && cond.lt {
            return Err(CmdError::ExpireGtLtConflict);
        }
        Ok(cond)
    }

    /// Whether a key whose expiry is `current` (`None`: persistent, i.e. infinite) may get
    /// the expiry `when`.
    fn allow(&self, current: Option<i64>, when: i64) -> bool {
        !(self.nx && current.is_some()
            || self.xx && current.is_none()
            || self.gt && current.is_none_or(|c| when <= c)
            || self.lt && current.is_some_and(|c| when >= c))
    }
}

/// Sets the expiry named by `args`; returns 1 when it was set (or the key deleted because
/// the time has already passed) and 0 when the key is absent or a condition failed.
fn set_expiry(ks: &mut Keyspace, args: Args, time: TimeArg) -> CmdResult<i64> {
    let cond = Conditions::parse(args)?;
    let mut when = parse_i64(args.get(2)).ok_or(CmdError::NotInteger)?;
    let invalid = CmdError::InvalidExpire(time.name);
    if time.seconds {
        // Redis bounds seconds by the truncated quotients, which rejects a few negative
        // values whose product would still fit.
        if !(i64::MIN / 1000..=i64::MAX / 1000).contains(&when) {
            return Err(invalid);
        }
        when *= 1000;
    }
    if !time.absolute {
        when = when.checked_add(ks.now_ms).ok_or(invalid)?;
    }
    let key = args.get(1);
    let Some(entry) = ks.get(key) else {
        return Ok(0);
    };
    let current = Some(entry.expire_at()).filter(|&at| at != 0);
    if !cond.allow(current, when) {
        return Ok(0);
    }
    if when <= ks.now_ms {
        ks.remove(key);
    } else {
        ks.set_expire(key, when);
    }
    Ok(1)
}

pub(super) fn ttl(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply.int(time_to_live(ks, args.get(1), false, false));
}

pub(super) fn pttl(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply.int(time_to_live(ks, args.get(1), true, false));
}

pub(super) fn expiretime(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply.int(time_to_live(ks, args.get(1), false, true));
}

pub(super) fn pexpiretime(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    reply.int(time_to_live(ks, args.get(1), true, true));
}

/// The remaining time (or with `absolute` the expiry time) of `key`, -2 when the key is
/// absent and -1 when it has no expiry. Seconds are rounded to the nearest.
fn time_to_live(ks: &mut Keyspace, key: &[u8], millis: bool, absolute: bool) -> i64 {
    let now = ks.now_ms;
    let Some(entry) = ks.get_no_touch(key) else {
        return -2;
    };
    let at = entry.expire_at();
    if at == 0 {
        return -1;
    }
    let left = if absolute { at } else { (at - now).max(0) };
    if millis {
        left
    } else {
        ((i128::from(left) + 500) / 1000) as i64
    }
}

pub(super) fn persist(ks: &mut Keyspace, args: Args, reply: &mut Reply) {
    let key = args.get(1);
    let volatile = ks.get(key).is_some_and(|e| e.expire_at() != 0);
    if volatile {
        ks.set_expire(key, 0);
    }
    reply.int(i64::from(volatile));
}

#[cfg(test)]
mod tests {
    use super::super::testing::{keyspace, run};

    const NOW: i64 = 1_700_000_000_000;
    const NX_CONFLICT: &str =
        "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";

    #[test]
    fn option_errors() {
        let mut ks = keyspace(NOW);
        run(&mut ks, &["set", "a", "1"]);
        let gt_lt = "-ERR GT and LT options at the same time are not compatible\r\n";
        assert_eq!(
            run(&mut ks, &["expire", "a", "100", "nx", "xx"]),
            NX_CONFLICT
        );
        assert_eq!(run(&mut ks, &["expire", "a", "100", "gt", "lt"]), gt_lt);
        assert_eq!(
            run(&mut ks, &["expire", "a", "100", "nx", "gt"]),
            NX_CONFLICT
        );
        assert_eq!(
            run(&mut ks, &["expire", "a", "100", "gt", "lt", "nx"]),
            NX_CONFLICT
        );
        assert_eq!(
            run(&mut ks, &["expire", "a", "100", "nx", "xx", "foo"]),
            "-ERR Unsupported option foo\r\n"
        );
        // Options are checked before the time argument.
        assert_eq!(
            run(&mut ks, &["expire", "a", "abc", "foo"]),
            "-ERR Unsupported option foo\r\n"
        );
        assert_eq!(
            run(&mut ks, &["expire", "a", "abc", "nx", "xx"]),
            NX_CONFLICT
        );
        assert_eq!(
            run(&mut ks, &["expire", "a", "abc"]),
            "-ERR value is not an integer or out of range\r\n"
        );
        assert_eq!(
            run(&mut ks, &["expire", "missing", "10", "zz"]),
            "-ERR Unsupported option zz\r\n"
        );
        assert_eq!(run(&mut ks, &["expire", "a", "100", "xx", "gt"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "100", "nx", "nx"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["expire", "a"]), arity("expire"));
    }

    fn arity(name: &str) -> String {
        format!("-ERR wrong number of arguments for '{name}' command\r\n")
    }

    #[test]
    fn overflow_rules() {
        let mut ks = keyspace(NOW);
        run(&mut ks, &["set", "a", "1"]);
        let invalid = |cmd: &str| format!("-ERR invalid expire time in '{cmd}' command\r\n");
        for (cmd, time, reply) in [
            ("expire", "9223372036854775807", invalid("expire")),
            ("pexpire", "9223372036854775807", invalid("pexpire")),
            ("expire", "9223372036854775", invalid("expire")),
            ("expire", "9223372036854", ":1\r\n".into()),
            ("expireat", "9223372036854775", ":1\r\n".into()),
            ("pexpireat", "9223372036854775807", ":1\r\n".into()),
            ("pexpire", "9223372036854775000", invalid("pexpire")),
            ("expire", "-9223372036854775808", invalid("expire")),
            ("expire", "-9223372036854776", invalid("expire")),
            ("expireat", "-9223372036854776", invalid("expireat")),
            ("expire", "-9223372036854775", ":1\r\n".into()),
        ] {
            assert_eq!(run(&mut ks, &[cmd, "a", time]), reply, "{cmd} {time}");
        }
        // The last one was in the past: the key is gone.
        assert_eq!(run(&mut ks, &["exists", "a"]), ":0\r\n");
        assert_eq!(
            run(&mut ks, &["pexpire", "a", "-9223372036854775808"]),
            ":0\r\n"
        );
    }

    #[test]
    fn past_times_delete() {
        let mut ks = keyspace(NOW);
        for cmd in [
            &["expire", "a", "0"][..],
            &["pexpire", "a", "-1"],
            &["pexpireat", "a", "-9223372036854775808"],
            &["expireat", "a", "1"],
            &["pexpireat", "a", "1700000000000"],
            &["expire", "a", "-5", "nx"],
            &["expire", "a", "-5", "lt"],
        ] {
            run(&mut ks, &["set", "a", "1"]);
            assert_eq!(run(&mut ks, cmd), ":1\r\n", "{cmd:?}");
            assert_eq!(run(&mut ks, &["exists", "a"]), ":0\r\n", "{cmd:?}");
            assert_eq!(run(&mut ks, cmd), ":0\r\n", "{cmd:?}");
        }
        run(&mut ks, &["set", "a", "1"]);
        run(&mut ks, &["expire", "a", "100"]);
        assert_eq!(run(&mut ks, &["expire", "a", "-5", "gt"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["exists", "a"]), ":1\r\n");
    }

    #[test]
    fn conditions() {
        let mut ks = keyspace(NOW);
        run(&mut ks, &["set", "a", "1"]);
        assert_eq!(run(&mut ks, &["expire", "missing", "10"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "10", "xx"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "gt"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":-1\r\n");
        // A key without TTL counts as expiring never: LT always wins.
        assert_eq!(run(&mut ks, &["expire", "a", "500", "lt"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "LT"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "lt"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "nx"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "gt"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "6", "xx", "gt"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":6\r\n");
        assert_eq!(run(&mut ks, &["persist", "a"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "xx"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["expire", "a", "5", "nx"]), ":1\r\n");
    }

    #[test]
    fn ttl_family() {
        let mut ks = keyspace(NOW);
        run(&mut ks, &["set", "a", "1"]);
        assert_eq!(run(&mut ks, &["ttl", "nokey"]), ":-2\r\n");
        assert_eq!(run(&mut ks, &["pttl", "nokey"]), ":-2\r\n");
        assert_eq!(run(&mut ks, &["expiretime", "nokey"]), ":-2\r\n");
        assert_eq!(run(&mut ks, &["pexpiretime", "a"]), ":-1\r\n");
        assert_eq!(run(&mut ks, &["pexpire", "a", "10499"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":10\r\n");
        assert_eq!(run(&mut ks, &["pexpire", "a", "10500"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":11\r\n");
        assert_eq!(run(&mut ks, &["pttl", "a"]), ":10500\r\n");
        ks.now_ms += 10_499;
        assert_eq!(run(&mut ks, &["pttl", "a"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":0\r\n");
        ks.now_ms += 1;
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":-2\r\n");

        run(&mut ks, &["set", "a", "1"]);
        assert_eq!(
            run(&mut ks, &["pexpireat", "a", "99999999999499"]),
            ":1\r\n"
        );
        assert_eq!(run(&mut ks, &["expiretime", "a"]), ":99999999999\r\n");
        assert_eq!(run(&mut ks, &["pexpiretime", "a"]), ":99999999999499\r\n");
        assert_eq!(
            run(&mut ks, &["pexpireat", "a", "99999999999500"]),
            ":1\r\n"
        );
        assert_eq!(run(&mut ks, &["expiretime", "a"]), ":100000000000\r\n");
        let max = "9223372036854775807";
        assert_eq!(run(&mut ks, &["pexpireat", "a", max]), ":1\r\n");
        assert_eq!(run(&mut ks, &["expiretime", "a"]), ":9223372036854776\r\n");
        assert_eq!(run(&mut ks, &["pexpiretime", "a"]), format!(":{max}\r\n"));
    }

    #[test]
    fn persist_only_counts_volatile_keys() {
        let mut ks = keyspace(NOW);
        run(&mut ks, &["set", "a", "1"]);
        assert_eq!(run(&mut ks, &["persist", "a"]), ":0\r\n");
        assert_eq!(run(&mut ks, &["persist", "nokey"]), ":0\r\n");
        run(&mut ks, &["expire", "a", "100"]);
        assert_eq!(run(&mut ks, &["persist", "a"]), ":1\r\n");
        assert_eq!(run(&mut ks, &["ttl", "a"]), ":-1\r\n");
        assert_eq!(run(&mut ks, &["persist", "a"]), ":0\r\n");
    }
}
