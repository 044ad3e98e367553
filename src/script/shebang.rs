//! The `#!lua flags=...` first line of a Redis 7 script. Pure.

use crate::config::split_args;

/// The flags a script declares in its shebang line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptFlags {
    pub no_writes: bool,
    pub allow_oom: bool,
    pub allow_stale: bool,
    pub no_cluster: bool,
    pub allow_cross_slot_keys: bool,
}

/// The declared flags (`None` without a shebang line), or redis-server's error text. As in
/// redis-server, the line must end with a newline (the body is read as a C string, so a NUL
/// ends it) and is split into words like a configuration line; `flags=` takes a
/// comma-separated list in which an empty item is an unknown flag.
pub fn parse(body: &[u8]) -> Result<Option<ScriptFlags>, String> {
    if !body.starts_with(b"#!") {
        return Ok(None);
    }
    let c_len = body.iter().position(|&b| b == 0).unwrap_or(body.len());
    let Some(end) = body[..c_len].iter().position(|&b| b == b'\n') else {
        return Err("Invalid script shebang".into());
    };
    let parts = match split_args(&String::from_utf8_lossy(&body[..end])) {
        Ok(parts) if !parts.is_empty() => parts,
        _ => return Err("Invalid engine in script shebang".into()),
    };
    if parts[0] != "#!lua" {
        return Err(format!("Unexpected engine in script shebang: {}", parts[0]));
    }
    let mut flags = ScriptFlags::default();
    for part in &parts[1..] {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(format!("Unknown lua shebang option: {part}"));
        };
        if list.is_empty() {
            continue;
        }
        for flag in list.split(',') {
            match flag {
                "no-writes" => flags.no_writes = true,
                "allow-oom" => flags.allow_oom = true,
                "allow-stale" => flags.allow_stale = true,
                "no-cluster" => flags.no_cluster = true,
                "allow-cross-slot-keys" => flags.allow_cross_slot_keys = true,
                other => return Err(format!("Unexpected flag in script shebang: {other}")),
            }
        }
    }
    Ok(Some(flags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebang_lines() {
        assert_eq!(parse(b"return 1"), Ok(None));
        assert_eq!(parse(b"#!lua\nreturn 1"), Ok(Some(ScriptFlags::default())));
        let f = parse(b"#!lua flags=no-writes,allow-oom\nreturn 1")
            .unwrap()
            .unwrap();
        assert!(f.no_writes && f.allow_oom && !f.no_cluster);
        assert_eq!(
            parse(b"#!luax\n"),
            Err("Unexpected engine in script shebang: #!luax".into())
        );
        assert_eq!(
            parse(b"#!lua flags=bogus\n"),
            Err("Unexpected flag in script shebang: bogus".into())
        );
        assert_eq!(
            parse(b"#!lua name=x\n"),
            Err("Unknown lua shebang option: name=x".into())
        );
        let invalid = Err("Invalid script shebang".into());
        assert_eq!(parse(b"#!lua"), invalid);
        assert_eq!(parse(b"#!lua\0\nreturn 1"), invalid);
        assert_eq!(
            parse(b"#!lua\r\nreturn 1"),
            Ok(Some(ScriptFlags::default()))
        );
        let f = parse(b"#!lua\t'flags=no-writes'\n").unwrap().unwrap();
        assert!(f.no_writes);
        assert_eq!(parse(b"#!lua flags=\n"), Ok(Some(ScriptFlags::default())));
        assert_eq!(
            parse(b"#!lua flags=no-writes,\n"),
            Err("Unexpected flag in script shebang: ".into())
        );
        assert_eq!(
            parse(b"#!\"lua\n"),
            Err("Invalid engine in script shebang".into())
        );
    }
}
