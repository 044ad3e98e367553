//! Parsing, validation and canonical printing of directive values, one function per
//! [`Kind`]. A value is kept in the form `CONFIG GET` prints it; every error is the reason text
//! redis-server 7.0 gives, without any prefix, so callers can wrap it for CONFIG SET replies or
//! start-up messages.
//!
//! Pure: the only side effect is checking that a `dir` exists.

use super::directives::Kind;

const WRONG_ARITY: &str = "wrong number of arguments";
const NOT_INT: &str = "argument couldn't be parsed into an integer";
const NOT_MEMORY: &str = "argument must be a memory value";
const INVALID_SAVE: &str = "Invalid save parameters";
const COB_ARITY: &str = "Wrong number of arguments in buffer limit configuration.";
const COB_CLASS: &str = "Invalid client class specified in buffer limit configuration.";
const COB_VALUE: &str =
    "Error in hard, soft or soft_seconds setting in buffer limit configuration.";

/// Client classes of `client-output-buffer-limit`, in the order CONFIG GET prints them.
const COB_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

/// Keyspace event classes that `A` stands for, in print order.
const EVENT_CLASSES: &str = "g$lshzxetd";

/// Parses `args` (one word, or several for [`Kind::is_multi`] kinds) into the canonical
/// printed form. `current` is the value being replaced, which matters for kinds that update
/// part of a value (`client-output-buffer-limit`).
pub fn parse(kind: Kind, current: &str, args: &[&str]) -> Result<String, String> {
    if !kind.is_multi() && args.len() != 1 {
        return Err(WRONG_ARITY.into());
    }
    let one = args.first().copied().unwrap_or_default();
    match kind {
        Kind::Bool => parse_bool(one)
            .map(|b| if b { "yes" } else { "no" }.to_string())
            .ok_or_else(|| "argument must be 'yes' or 'no'".to_string()),
        Kind::Int { min, max } => {
            let n = parse_int(one).ok_or(NOT_INT)?;
            in_bounds(n, min, max).map(|n| n.to_string())
        }
        Kind::Memory { min, max } => {
            let n = parse_memory(one).ok_or(NOT_MEMORY)?;
            if n < min || n > max {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(n.to_string())
        }
        Kind::Enum(words) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(one))
            .map(|w| w.to_string())
            .ok_or_else(|| {
                format!(
                    "argument(s) must be one of the following: {}",
                    words.join(", ")
                )
            }),
        Kind::Str => Ok(one.to_string()),
        Kind::Octal => {
            if one.is_empty() || !one.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return Err("argument couldn't be parsed as an octal number".into());
            }
            match u32::from_str_radix(one, 8) {
                Ok(n) if n <= 0o777 => Ok(format!("{n:o}")),
                _ => Err("argument must be between 0 and 777 inclusive".into()),
            }
        }
        Kind::Bind => parse_bind(args),
        Kind::Save => parse_save(args),
        Kind::ClientOutputBufferLimit => parse_cob(current, args),
        Kind::Replicaof => parse_replicaof(args),
        Kind::KeyspaceEvents => parse_events(one),
        Kind::Percentiles => parse_percentiles(args),
        Kind::OomScoreAdjValues => parse_oom(args),
        Kind::Dir => parse_dir(one),
        Kind::MemoryOrPercent => parse_memory_or_percent(one),
        Kind::Hostname => {
            if one
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                Ok(one.to_string())
            } else {
                Err("Hostnames may only contain alphanumeric characters, hyphens or dots".into())
            }
        }
    }
}

/// `yes` or `no` in any case.
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if s.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

/// A strict decimal integer as redis-server reads numbers: optional `-`, no `+`, no spaces,
/// no leading zeros, no `-0`, no overflow.
pub fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.starts_with('0') && (digits.len() > 1 || s.starts_with('-')) {
        return None;
    }
    s.parse().ok()
}

/// A byte count: decimal digits (none means 0, too many saturate) followed by an optional
/// unit `b`, `k` (1000), `kb` (1024), `m`, `mb`, `g` or `gb`, in any case.
pub fn parse_memory(s: &str) -> Option<u64> {
    let split = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let mul: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    let n = digits.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    Some(n.saturating_mul(mul))
}

fn in_bounds(n: i64, min: i64, max: i64) -> Result<i64, String> {
    if n < min || n > max {
        Err(format!(
            "argument must be between {min} and {max} inclusive"
        ))
    } else {
        Ok(n)
    }
}

fn parse_bind(args: &[&str]) -> Result<String, String> {
    if args.is_empty() {
        return Err(WRONG_ARITY.into());
    }
    if args.len() > 16 {
        return Err("Too many bind addresses specified.".into());
    }
    Ok(args.join(" "))
}

fn parse_save(args: &[&str]) -> Result<String, String> {
    if args.is_empty() || args == [""] {
        return Ok(String::new());
    }
    if args.len() % 2 != 0 {
        return Err(INVALID_SAVE.into());
    }
    let mut out = Vec::with_capacity(args.len());
    for pair in args.chunks(2) {
        let seconds = parse_int(pair[0]).filter(|&n| n >= 1);
        let changes = parse_int(pair[1]).filter(|&n| n >= 0);
        match (seconds, changes) {
            (Some(s), Some(c)) => out.push(format!("{s} {c}")),
            _ => return Err(INVALID_SAVE.into()),
        }
    }
    Ok(out.join(" "))
}

fn parse_cob(current: &str, args: &[&str]) -> Result<String, String> {
    if args.is_empty() {
        return Ok(current.to_string());
    }
    if args.len() % 4 != 0 {
        return Err(COB_ARITY.into());
    }
    let mut limits: Vec<[String; 3]> = COB_CLASSES
        .iter()
        .map(|class| cob_limits_of(current, class))
        .collect();
    for group in args.chunks(4) {
        let class = match group[0].to_ascii_lowercase().as_str() {
            "normal" => 0,
            "slave" | "replica" => 1,
            "pubsub" => 2,
            _ => return Err(COB_CLASS.into()),
        };
        let hard = parse_memory(group[1]);
        let soft = parse_memory(group[2]);
        let seconds = parse_int(group[3]).filter(|&n| n >= 0);
        match (hard, soft, seconds) {
            (Some(h), Some(s), Some(sec)) => {
                limits[class] = [h.to_string(), s.to_string(), sec.to_string()];
            }
            _ => return Err(COB_VALUE.into()),
        }
    }
    let parts: Vec<String> = COB_CLASSES
        .iter()
        .zip(&limits)
        .map(|(class, [h, s, sec])| format!("{class} {h} {s} {sec}"))
        .collect();
    Ok(parts.join(" "))
}

/// The `hard soft seconds` of `class` in a printed `client-output-buffer-limit` value.
fn cob_limits_of(value: &str, class: &str) -> [String; 3] {
    let words: Vec<&str> = value.split(' ').collect();
    words
        .chunks(4)
        .find(|g| g.len() == 4 && g[0] == class)
        .map(|g| [g[1].to_string(), g[2].to_string(), g[3].to_string()])
        .unwrap_or_else(|| ["0".into(), "0".into(), "0".into()])
}

fn parse_replicaof(args: &[&str]) -> Result<String, String> {
    match args {
        [host, port] if host.eq_ignore_ascii_case("no") && port.eq_ignore_ascii_case("one") => {
            Ok(String::new())
        }
        [host, port] => Ok(format!("{host} {port}")),
        _ => Err(WRONG_ARITY.into()),
    }
}

fn parse_events(s: &str) -> Result<String, String> {
    let mut set = String::new();
    for c in s.chars() {
        match c {
            'A' => set.push_str(EVENT_CLASSES),
            'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 't' | 'd' | 'n' | 'm' | 'K' | 'E' => {
                set.push(c)
            }
            _ => return Err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into()),
        }
    }
    let has = |c: char| set.contains(c);
    let mut out = String::new();
    if EVENT_CLASSES.chars().all(has) {
        // redis-server prints `A` for the full set and then leaves out `n`.
        out.push('A');
    } else {
        out.extend(EVENT_CLASSES.chars().chain(['n']).filter(|&c| has(c)));
    }
    out.extend(['K', 'E', 'm'].into_iter().filter(|&c| has(c)));
    Ok(out)
}

fn parse_percentiles(args: &[&str]) -> Result<String, String> {
    if args == [""] {
        return Ok(String::new());
    }
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        let p: f64 = a
            .parse()
            .map_err(|_| "Invalid latency-tracking-info-percentiles parameters".to_string())?;
        if !(0.0..=100.0).contains(&p) {
            return Err(
                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
                    .into(),
            );
        }
        out.push(p.to_string());
    }
    Ok(out.join(" "))
}

fn parse_oom(args: &[&str]) -> Result<String, String> {
    if args.len() != 3 {
        return Err(WRONG_ARITY.into());
    }
    let mut out = Vec::with_capacity(3);
    for a in args {
        match parse_int(a) {
            Some(n) if (-2000..=2000).contains(&n) => out.push(n.to_string()),
            _ => {
                return Err(
                    "Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into(),
                )
            }
        }
    }
    Ok(out.join(" "))
}

fn parse_dir(path: &str) -> Result<String, String> {
    let resolved = std::fs::canonicalize(path).map_err(|e| os_error_text(&e))?;
    if !resolved.is_dir() {
        return Err("Not a directory".into());
    }
    Ok(resolved.to_string_lossy().into_owned())
}

/// The C library's wording of an OS error, which is what redis-server prints.
pub fn os_error_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        std::io::ErrorKind::NotADirectory => "Not a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

fn parse_memory_or_percent(s: &str) -> Result<String, String> {
    const NOT_MEMORY_OR_PERCENT: &str = "argument must be a memory or percent value";
    if let Some(digits) = s.strip_suffix('%') {
        let n = parse_int(digits)
            .filter(|&n| n >= 0)
            .ok_or(NOT_MEMORY_OR_PERCENT)?;
        return match n {
            0 => Ok("0".into()),
            1..=100 => Ok(format!("{n}%")),
            _ => Err("percentage argument must be less or equal to 100".into()),
        };
    }
    parse_memory(s)
        .map(|n| n.to_string())
        .ok_or_else(|| NOT_MEMORY_OR_PERCENT.into())
}
