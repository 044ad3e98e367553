//! Command errors and the one place that turns them into redis-server's reply text.

use std::borrow::Cow;

use crate::protocol::Reply;

/// An error a command replies with. [`CmdError::text`] gives redis-server 7's exact wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdError {
    WrongType,
    NotInteger,
    NotFloat,
    Overflow,
    Syntax,
    NoSuchKey,
    /// `invalid expire time in '<cmd>' command`.
    InvalidExpire(&'static str),
    StringTooLong,
    NanOrInfinity,
    /// DECRBY of `i64::MIN`, whose negation overflows.
    DecrementOverflow,
    /// SETRANGE with a negative offset.
    OffsetOutOfRange,
    /// LCS over a key holding another type.
    LcsNotString,
    /// LCS given both IDX and LEN.
    LcsIdxAndLen,
    /// LCS whose table would exceed proto-max-bulk-len.
    LcsTableTooBig,
    /// LCS whose table could not be allocated.
    LcsAllocFailed,
    WrongArity(String),
    UnknownSubcommand {
        sub: Vec<u8>,
        cmd: Vec<u8>,
    },
    NoAuth,
    WrongPass,
    /// EXPIRE's NX together with XX, GT or LT.
    ExpireNxConflict,
    /// EXPIRE's GT together with LT.
    ExpireGtLtConflict,
    /// EXPIRE's unknown option, printed as C's `%s` would (up to a NUL).
    UnsupportedOption(Vec<u8>),
    /// COPY onto itself.
    SameObject,
    /// A database number other than the ones that exist.
    DbIndexOutOfRange,
    /// An integer argument outside the 32-bit range where Redis wants an `int`.
    IntOutOfRange,
    InvalidCursor,
    /// OBJECT FREQ without an LFU eviction policy.
    LfuNotSelected,
    /// Any other error, already carrying its code (`ERR ...`, `NOPROTO ...`).
    Other(Cow<'static, str>),
    /// An error whose text echoes client bytes, kept byte for byte.
    Raw(Vec<u8>),
}

impl CmdError {
    /// The exact reply text (without the leading `-`), byte for byte as redis-server sends it:
    /// client bytes echoed in the text are not re-encoded.
    pub fn bytes(&self) -> Cow<'static, [u8]> {
        match self {
            CmdError::UnknownSubcommand { sub, cmd } => {
                let mut text = b"ERR unknown subcommand '".to_vec();
                text.extend_from_slice(sub);
                text.extend_from_slice(b"'. Try ");
                text.extend_from_slice(cmd);
                text.extend_from_slice(b" HELP.");
                text.into()
            }
            CmdError::UnsupportedOption(opt) => {
                let mut text = b"ERR Unsupported option ".to_vec();
                text.extend_from_slice(c_string(opt));
                text.into()
            }
            CmdError::Raw(bytes) => bytes.clone().into(),
            other => match other.fixed_text() {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            },
        }
    }

    /// The reply text decoded for display; [`CmdError::bytes`] is what is sent.
    pub fn text(&self) -> Cow<'static, str> {
        match self.bytes() {
            Cow::Borrowed(b) => String::from_utf8_lossy(b).into_owned().into(),
            Cow::Owned(b) => String::from_utf8_lossy(&b).into_owned().into(),
        }
    }

    fn fixed_text(&self) -> Cow<'static, str> {
        match self {
            CmdError::WrongType => {
                "WRONGTYPE Operation against a key holding the wrong kind of value".into()
            }
            CmdError::NotInteger => "ERR value is not an integer or out of range".into(),
            CmdError::NotFloat => "ERR value is not a valid float".into(),
            CmdError::Overflow => "ERR increment or decrement would overflow".into(),
            CmdError::Syntax => "ERR syntax error".into(),
            CmdError::NoSuchKey => "ERR no such key".into(),
            CmdError::InvalidExpire(cmd) => {
                format!("ERR invalid expire time in '{cmd}' command").into()
            }
            CmdError::StringTooLong => {
                "ERR string exceeds maximum allowed size (proto-max-bulk-len)".into()
            }
            CmdError::NanOrInfinity => "ERR increment would produce NaN or Infinity".into(),
            CmdError::DecrementOverflow => "ERR decrement would overflow".into(),
            CmdError::OffsetOutOfRange => "ERR offset is out of range".into(),
            CmdError::LcsNotString => "ERR The specified keys must contain string values".into(),
            CmdError::LcsIdxAndLen => {
                "ERR If you want both the length and indexes, please just use IDX.".into()
            }
            CmdError::LcsTableTooBig => {
                "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
                    .into()
            }
            CmdError::LcsAllocFailed => {
                "ERR Insufficient memory, failed allocating transient memory for LCS".into()
            }
            CmdError::WrongArity(name) => {
                format!("ERR wrong number of arguments for '{name}' command").into()
            }
            CmdError::NoAuth => "NOAUTH Authentication required.".into(),
            CmdError::WrongPass => {
                "WRONGPASS invalid username-password pair or user is disabled.".into()
            }
            CmdError::ExpireNxConflict => {
                "ERR NX and XX, GT or LT options at the same time are not compatible".into()
            }
            CmdError::ExpireGtLtConflict => {
                "ERR GT and LT options at the same time are not compatible".into()
            }
            CmdError::SameObject => "ERR source and destination objects are the same".into(),
            CmdError::DbIndexOutOfRange => "ERR DB index is out of range".into(),
            CmdError::IntOutOfRange => {
                "ERR value is out of range, value must between -2147483648 and 2147483647".into()
            }
            CmdError::InvalidCursor => "ERR invalid cursor".into(),
            CmdError::LfuNotSelected => concat!(
                "ERR An LFU maxmemory policy is not selected, access frequency not tracked. ",
                "Please note that when switching between policies at runtime LRU and LFU data ",
                "will take some time to adjust."
            )
            .into(),
            CmdError::Other(text) => text.clone(),
            CmdError::UnknownSubcommand { .. }
            | CmdError::UnsupportedOption(_)
            | CmdError::Raw(_) => unreachable!("byte-exact errors are built in bytes()"),
        }
    }

    /// `unknown subcommand '<sub>'. Try <CMD> HELP.`: the subcommand cut to 128 bytes and
    /// the command name upper-cased as the client typed it, as redis-server prints them.
    pub fn unknown_subcommand(sub: &[u8], cmd: &[u8]) -> Self {
        let sub = c_string(sub);
        CmdError::UnknownSubcommand {
            sub: sub[..sub.len().min(128)].to_vec(),
            cmd: c_string(cmd).to_ascii_uppercase(),
        }
    }

    /// redis-server's `addReplySubcommandSyntaxError`, for a subcommand it does not know or
    /// was given the wrong number of arguments: `ERR unknown subcommand or wrong number of
    /// arguments for '<sub>'. Try <CMD> HELP.`, the subcommand cut as a C string of 128 bytes.
    pub fn subcommand_syntax(sub: &[u8], cmd: &[u8]) -> Self {
        let sub = c_string(sub);
        let mut text = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
        text.extend_from_slice(&sub[..sub.len().min(128)]);
        text.extend_from_slice(b"'. Try ");
        text.extend_from_slice(&c_string(cmd).to_ascii_uppercase());
        text.extend_from_slice(b" HELP.");
        CmdError::Raw(text)
    }

    pub fn other(text: impl Into<Cow<'static, str>>) -> Self {
        CmdError::Other(text.into())
    }

    /// An error whose text quotes a client argument as C's `%s` prints it (up to a NUL):
    /// `before`, the argument, then `after`.
    pub fn quoting(before: &str, arg: &[u8], after: &str) -> Self {
        let mut text = before.as_bytes().to_vec();
        text.extend_from_slice(c_string(arg));
        text.extend_from_slice(after.as_bytes());
        CmdError::Raw(text)
    }
}

/// Writes `err` as an error reply.
pub fn reply_error(reply: &mut Reply, err: &CmdError) {
    reply.error_bytes(&err.bytes());
}

/// Result type of command helpers.
pub type CmdResult<T = ()> = Result<T, CmdError>;

/// `unknown command '<name>', with args beginning with: '<a>' '<b>' ` as redis-server 7
/// words it: the name cut to 128 bytes, arguments quoted while fewer than 128 bytes of them
/// were written, each cut to what is left of those 128.
pub fn unknown_command(name: &[u8], rest: &[&[u8]]) -> CmdError {
    let mut args: Vec<u8> = Vec::new();
    for arg in rest {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        let arg = c_string(arg);
        args.push(b'\'');
        args.extend_from_slice(&arg[..arg.len().min(room)]);
        args.extend_from_slice(b"' ");
    }
    let name = c_string(name);
    let mut text = b"ERR unknown command '".to_vec();
    text.extend_from_slice(&name[..name.len().min(128)]);
    text.extend_from_slice(b"', with args beginning with: ");
    text.extend_from_slice(&args);
    CmdError::Raw(text)
}

/// Bytes up to the first NUL, as C's `%s` prints them.
pub fn c_string(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_command_quotes_args() {
        assert_eq!(
            unknown_command(b"foo", &[b"a", b"b"]).text(),
            "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
        );
        assert_eq!(
            unknown_command(b"foo", &[]).text(),
            "ERR unknown command 'foo', with args beginning with: "
        );
        assert_eq!(
            unknown_command(b"x", &[b"\xa5"]).bytes().as_ref(),
            b"ERR unknown command 'x', with args beginning with: '\xa5' "
        );
    }

    #[test]
    fn unknown_subcommand_is_cut_and_upper_cased() {
        let long = [b'x'; 200];
        let text = CmdError::unknown_subcommand(&long, b"Object").text();
        assert_eq!(
            text,
            format!(
                "ERR unknown subcommand '{}'. Try OBJECT HELP.",
                "x".repeat(128)
            )
        );
        assert_eq!(
            CmdError::UnsupportedOption(b"fo\0o".to_vec()).text(),
            "ERR Unsupported option fo"
        );
    }
}
