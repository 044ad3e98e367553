//! Option parsing for SET and GETEX, and expiry arguments shared with SETEX and PSETEX.
//!
//! Pure: turns arguments into a [`SetOptions`] and expiry strings into absolute Unix
//! milliseconds, with redis-server's acceptance rules and error texts.

use super::super::{Args, CmdError, CmdResult};
use crate::protocol::number::parse_i64;

/// Which command's options are being parsed: SET takes NX/XX/GET/KEEPTTL, GETEX takes
/// PERSIST; both take EX/PX/EXAT/PXAT.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OptionsFor {
    Set,
    GetEx,
}

/// How an expiry argument is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExpireUnit {
    /// EX: seconds from now.
    Seconds,
    /// PX: milliseconds from now.
    Millis,
    /// EXAT: Unix seconds.
    UnixSeconds,
    /// PXAT: Unix milliseconds.
    UnixMillis,
}

impl ExpireUnit {
    pub fn is_absolute(self) -> bool {
        matches!(self, ExpireUnit::UnixSeconds | ExpireUnit::UnixMillis)
    }

    /// Converts `raw` to an absolute expiry time in Unix milliseconds. Non-integers give
    /// `NotInteger`; values <= 0 or overflowing give `invalid expire time in '<cmd>'`.
    pub fn resolve(self, raw: &[u8], now_ms: i64, cmd: &'static str) -> CmdResult<i64> {
        let value = parse_i64(raw).ok_or(CmdError::NotInteger)?;
        let seconds = matches!(self, ExpireUnit::Seconds | ExpireUnit::UnixSeconds);
        if value <= 0 || (seconds && value > i64::MAX / 1000) {
            return Err(CmdError::InvalidExpire(cmd));
        }
        let mut ms = if seconds { value * 1000 } else { value };
        if !self.is_absolute() {
            // Redis adds without an overflow check and rejects the wrapped result.
            ms = ms.wrapping_add(now_ms);
        }
        if ms <= 0 {
            return Err(CmdError::InvalidExpire(cmd));
        }
        Ok(ms)
    }
}

/// Parsed SET/GETEX options. `expire` holds the unit and the argument index of its value.
#[derive(Clone, Copy, Default, Debug)]
pub struct SetOptions {
    pub nx: bool,
    pub xx: bool,
    pub get: bool,
    pub keep_ttl: bool,
    pub persist: bool,
    pub expire: Option<(ExpireUnit, usize)>,
}

impl SetOptions {
    /// Parses `args[first..]`. Repeating an option is allowed (the last expiry wins);
    /// conflicting ones, options of the other command, a missing expiry value or an unknown
    /// word give `ERR syntax error`.
    pub fn parse(args: Args, first: usize, cmd: OptionsFor) -> CmdResult<SetOptions> {
        let mut o = SetOptions::default();
        let set = cmd == OptionsFor::Set;
        let mut i = first;
        while i < args.len() {
            let word = args.get(i);
            let has_next = i + 1 < args.len();
            let unit = match word.len() {
                2 if word.eq_ignore_ascii_case(b"ex") => Some(ExpireUnit::Seconds),
                2 if word.eq_ignore_ascii_case(b"px") => Some(ExpireUnit::Millis),
                4 if word.eq_ignore_ascii_case(b"exat") => Some(ExpireUnit::UnixSeconds),
                4 if word.eq_ignore_ascii_case(b"pxat") => Some(ExpireUnit::UnixMillis),
                _ => None,
            };
            if let Some(unit) = unit {
                let other_unit = o.expire.is_some_and(|(u, _)| u != unit);
                if o.keep_ttl || o.persist || other_unit || !has_next {
                    return Err(CmdError::Syntax);
                }
                o.expire = Some((unit, i + 1));
                i += 2;
                continue;
            }
            if set && word.eq_ignore_ascii_case(b"nx") && !o.xx {
                o.nx = true;
            } else if set && word.eq_ignore_ascii_case(b"xx") && !o.nx {
                o.xx = true;
            } else if set && word.eq_ignore_ascii_case(b"get") {
                o.get = true;
            } else if set
                && word.eq_ignore_ascii_case(b"keepttl")
                && !o.persist
                && o.expire.is_none()
            {
                o.keep_ttl = true;
            } else if !set
                && word.eq_ignore_ascii_case(b"persist")
                && o.expire.is_none()
                && !o.keep_ttl
            {
                o.persist = true;
            } else {
                return Err(CmdError::Syntax);
            }
            i += 1;
        }
        Ok(o)
    }
}
