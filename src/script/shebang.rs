//! The `#!lua flags=...` first line of a Redis 7 script. Pure.

/// The flags a script declares in its shebang line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptFlags {
    pub no_writes: bool,
    pub allow_oom: bool,
    pub allow_stale: bool,
    pub no_cluster: bool,
    pub allow_cross_slot_keys: bool,
}

/// The declared flags (`None` without a shebang line), or redis-server's error text.
pub fn parse(body: &[u8]) -> Result<Option<ScriptFlags>, String> {
    if !body.starts_with(b"#!") {
        return Ok(None);
    }
    let end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    let line = String::from_utf8_lossy(&body[..end]);
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let engine = parts.next().unwrap_or("");
    if engine != "#!lua" {
        return Err(format!("Unexpected engine in script shebang: {engine}"));
    }
    let mut flags = ScriptFlags::default();
    for part in parts {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(format!("Unknown lua shebang option: {part}"));
        };
        for flag in list.split(',').filter(|f| !f.is_empty()) {
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
    }
}
