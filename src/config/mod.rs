//! The server configuration: built from the command line and a redis.conf-syntax file at
//! start-up, then read and changed by CONFIG GET, CONFIG SET and CONFIG REWRITE.
//!
//! Pure and synchronous (no glommio); the server keeps one `Config` on the control core and
//! hands clones to data cores. Values are stored in the form `CONFIG GET` prints; the settings
//! the server reads often are also kept typed and refreshed on every change.
//!
//! - [`directives`]: the table of every directive, its kind, default and access.
//! - `value`: parsing and printing values of each kind, with redis-server's error texts.
//! - `file`: redis.conf line syntax and quoting.
//! - `cli`: the clap command line.
//! - `rewrite`: CONFIG REWRITE.

pub mod directives;

mod cli;
mod file;
mod rewrite;
#[cfg(test)]
mod tests;
mod value;

/// redis-server's `sdssplitargs` word splitting (quotes and escapes), also used for script
/// shebang lines.
pub use file::split_args;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use directives::{Access, Kind, DIRECTIVES};

/// A start-up configuration error; its `Display` is one line naming where the directive came
/// from, the directive and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// `path:line`, `command line` or the config file path.
    pub location: String,
    /// The directive as written, when the error concerns one.
    pub directive: Option<String>,
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.directive {
            Some(d) => write!(f, "{}: directive '{}': {}", self.location, d, self.reason),
            None => write!(f, "{}: {}", self.location, self.reason),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The configuration. Cheap getters read typed copies of the values the server uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Printed value of each entry of [`DIRECTIVES`], by index.
    values: Vec<String>,
    /// Absolute path of the config file it was loaded from.
    file: Option<PathBuf>,
    /// The working directory at start-up, which is `dir`'s default.
    start_dir: String,
    typed: Typed,
}

#[derive(Debug, Clone, Default)]
struct Typed {
    port: u16,
    bind: Vec<String>,
    shards: usize,
    cores: usize,
    pin: bool,
    dir: PathBuf,
    requirepass: Option<Vec<u8>>,
    maxclients: usize,
    proto_max_bulk_len: i64,
    client_query_buffer_limit: usize,
    cluster_enabled: bool,
    hz: u32,
    timeout: u64,
    tcp_backlog: u32,
    tcp_keepalive: u64,
    loglevel: String,
}

const COMMAND_LINE: &str = "command line";

impl Default for Config {
    fn default() -> Self {
        Self::defaults()
    }
}

impl Config {
    /// Every directive at its default; `dir` is the current working directory.
    pub fn defaults() -> Config {
        let start_dir = std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".into());
        let values = DIRECTIVES
            .iter()
            .map(|d| match d.kind {
                Kind::Dir if d.default.is_empty() => start_dir.clone(),
                _ => d.default.to_string(),
            })
            .collect();
        let mut config = Config {
            values,
            file: None,
            start_dir,
            typed: Typed::default(),
        };
        config.refresh();
        config
    }

    /// Builds the configuration from argv (program name first):
    /// `solikv [CONFIG_FILE] [--directive value [value...]]...`. The command line overrides
    /// the file. `--help` and `--version` print and exit the process.
    pub fn from_args<I: IntoIterator<Item = OsString>>(args: I) -> Result<Config, ConfigError> {
        let line = cli::parse(args).map_err(|reason| ConfigError {
            location: COMMAND_LINE.into(),
            directive: None,
            reason,
        })?;
        let mut config = Config::defaults();
        let mut loader = Loader::default();
        if let Some(path) = &line.config_file {
            config.load_file(path, &mut loader)?;
        }
        for (name, words) in &line.directives {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let words = match (
                DIRECTIVES[directives::lookup(name).unwrap_or(0)].kind,
                &words[..],
            ) {
                (Kind::Bool, []) => vec!["yes"],
                _ => words,
            };
            config
                .load_directive(name, &words, &mut loader)
                .map_err(|reason| ConfigError {
                    location: COMMAND_LINE.into(),
                    directive: Some(format!("--{name}")),
                    reason,
                })?;
        }
        config.refresh();
        Ok(config)
    }

    /// Loads a config file in redis.conf syntax on top of the current values.
    fn load_file(&mut self, path: &Path, loader: &mut Loader) -> Result<(), ConfigError> {
        let shown = path.display().to_string();
        let text = file::read(path).map_err(|e| ConfigError {
            location: shown.clone(),
            directive: None,
            reason: format!("can't open config file: {}", value::os_error_text(&e)),
        })?;
        let lines = file::parse_text(&text).map_err(|(number, reason)| ConfigError {
            location: format!("{shown}:{number}"),
            directive: None,
            reason: reason.into(),
        })?;
        for line in &lines {
            let words: Vec<&str> = line.args.iter().map(String::as_str).collect();
            let result = if line.name == "include" {
                Err("include is not supported; merge the files instead".into())
            } else {
                self.load_directive(&line.name, &words, loader)
            };
            result.map_err(|reason| ConfigError {
                location: format!("{shown}:{}", line.number),
                directive: Some(line.name.clone()),
                reason,
            })?;
        }
        if path != Path::new("-") {
            self.file = Some(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
        }
        self.refresh();
        Ok(())
    }

    /// Applies one directive from the file or the command line.
    fn load_directive(
        &mut self,
        name: &str,
        words: &[&str],
        loader: &mut Loader,
    ) -> Result<(), String> {
        let Some(idx) = directives::lookup(name) else {
            return Err("Bad directive or wrong number of arguments".into());
        };
        let d = &DIRECTIVES[idx];
        if d.kind == Kind::Save && !words.is_empty() && words != [""] && loader.saves_seen {
            // Later `save` lines add to the points of earlier ones.
            let added = value::parse(d.kind, "", words)?;
            let old = &self.values[idx];
            self.values[idx] = if old.is_empty() {
                added
            } else {
                format!("{old} {added}")
            };
            return Ok(());
        }
        let parsed = value::parse(d.kind, &self.values[idx], words)?;
        if d.kind == Kind::Save {
            loader.saves_seen = true;
        }
        self.values[idx] = normalize(d.name, parsed, false);
        Ok(())
    }

    /// The printed value of directive `name` (aliases and any case accepted).
    pub fn get(&self, name: &str) -> Option<String> {
        directives::lookup(name).map(|i| self.values[i].clone())
    }

    /// CONFIG GET: the `(name, value)` pairs matching any of `patterns`, each name once.
    /// A pattern without `*`, `?` or `[` is looked up exactly (any case, aliases included)
    /// and reported under the name as given; otherwise it is matched without case against
    /// every directive name and alias.
    pub fn get_matching(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let seen = |out: &Vec<(String, String)>, name: &str| {
            out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        for pattern in patterns {
            let is_glob = pattern.iter().any(|b| matches!(b, b'*' | b'?' | b'['));
            if !is_glob {
                let name = String::from_utf8_lossy(pattern).into_owned();
                if let Some(i) = directives::lookup(&name) {
                    if !seen(&out, &name) {
                        out.push((name, self.values[i].clone()));
                    }
                }
                continue;
            }
            for (name, i) in directives::all_names() {
                if !seen(&out, name) && crate::glob::glob_match(pattern, name.as_bytes(), true) {
                    out.push((name.to_string(), self.values[i].clone()));
                }
            }
        }
        out
    }

    /// CONFIG SET with `(name, value)` pairs: all or nothing. The error is the reply text
    /// without the leading `-`, as redis-server 7.0 words it. Multi-word values (`save`,
    /// `bind`, `client-output-buffer-limit`, ...) are space-separated in one value.
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])]) -> Result<(), String> {
        let failed = |name: &str, reason: &str| {
            format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}")
        };
        let protected_ok = self.get("enable-protected-configs").as_deref() != Some("no");
        let mut targets: Vec<(String, usize, String)> = Vec::with_capacity(pairs.len());
        for (name, val) in pairs {
            let name = String::from_utf8_lossy(name).into_owned();
            let Some(idx) = directives::lookup(&name) else {
                return Err(format!(
                    "ERR Unknown option or number of arguments for CONFIG SET - '{name}'"
                ));
            };
            match DIRECTIVES[idx].access {
                Access::Immutable => return Err(failed(&name, "can't set immutable config")),
                Access::Protected if !protected_ok => {
                    return Err(failed(&name, "can't set protected config"))
                }
                _ => {}
            }
            if targets
                .iter()
                .any(|(n, _, _)| n.eq_ignore_ascii_case(&name))
            {
                return Err(failed(&name, "duplicate parameter"));
            }
            targets.push((name, idx, String::from_utf8_lossy(val).into_owned()));
        }
        let mut next = self.values.clone();
        for (name, idx, val) in &targets {
            let d = &DIRECTIVES[*idx];
            let words: Vec<&str> = match (d.kind.is_multi(), val.is_empty()) {
                (true, true) => Vec::new(),
                (true, false) => val.split(' ').collect(),
                (false, _) => vec![val.as_str()],
            };
            let parsed = value::parse(d.kind, &next[*idx], &words).map_err(|r| failed(name, &r))?;
            if needs_tls(d.name, &parsed) {
                return Err(failed(
                    name,
                    "Unable to update TLS configuration. Check server logs.",
                ));
            }
            next[*idx] = normalize(d.name, parsed, true);
        }
        self.values = next;
        self.refresh();
        Ok(())
    }

    /// CONFIG REWRITE: rewrites the file the configuration was loaded from, keeping its
    /// comments and order. The error is the reply text without the leading `-`.
    pub fn rewrite(&self) -> Result<(), String> {
        rewrite::rewrite(self)
    }

    /// The config file the configuration was loaded from, as an absolute path.
    pub fn config_file(&self) -> Option<PathBuf> {
        self.file.clone()
    }

    /// Refreshes the typed copies after values changed.
    fn refresh(&mut self) {
        let get = |name: &str| self.get(name).unwrap_or_default();
        let num = |name: &str| get(name).parse::<i64>().unwrap_or(0);
        let pass = get("requirepass");
        self.typed = Typed {
            port: num("port") as u16,
            bind: get("bind")
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect(),
            shards: num("shards") as usize,
            cores: num("cores") as usize,
            pin: get("pin") == "yes",
            dir: PathBuf::from(get("dir")),
            requirepass: (!pass.is_empty()).then(|| pass.into_bytes()),
            maxclients: num("maxclients") as usize,
            proto_max_bulk_len: num("proto-max-bulk-len"),
            client_query_buffer_limit: num("client-query-buffer-limit") as usize,
            cluster_enabled: get("cluster-enabled") == "yes",
            hz: num("hz") as u32,
            timeout: num("timeout") as u64,
            tcp_backlog: num("tcp-backlog") as u32,
            tcp_keepalive: num("tcp-keepalive") as u64,
            loglevel: get("loglevel"),
        };
    }

    pub fn port(&self) -> u16 {
        self.typed.port
    }
    pub fn bind(&self) -> Vec<String> {
        self.typed.bind.clone()
    }
    /// Internal shards; 0 means one per data core.
    pub fn shards(&self) -> usize {
        self.typed.shards
    }
    /// Data cores; 0 means every available CPU.
    pub fn cores(&self) -> usize {
        self.typed.cores
    }
    pub fn pin(&self) -> bool {
        self.typed.pin
    }
    pub fn dir(&self) -> PathBuf {
        self.typed.dir.clone()
    }
    /// The default user's password; `None` when none is required.
    pub fn requirepass(&self) -> Option<Vec<u8>> {
        self.typed.requirepass.clone()
    }
    pub fn maxclients(&self) -> usize {
        self.typed.maxclients
    }
    pub fn proto_max_bulk_len(&self) -> i64 {
        self.typed.proto_max_bulk_len
    }
    pub fn client_query_buffer_limit(&self) -> usize {
        self.typed.client_query_buffer_limit
    }
    pub fn cluster_enabled(&self) -> bool {
        self.typed.cluster_enabled
    }
    /// Background task frequency, already clamped to 1..=500.
    pub fn hz(&self) -> u32 {
        self.typed.hz
    }
    /// Idle client timeout in seconds; 0 means never.
    pub fn timeout(&self) -> u64 {
        self.typed.timeout
    }
    pub fn tcp_backlog(&self) -> u32 {
        self.typed.tcp_backlog
    }
    /// Seconds between keepalive probes; 0 disables them.
    pub fn tcp_keepalive(&self) -> u64 {
        self.typed.tcp_keepalive
    }
    pub fn loglevel(&self) -> String {
        self.typed.loglevel.clone()
    }
}

/// State carried across the directives of one start-up load.
#[derive(Debug, Default)]
struct Loader {
    /// Whether a `save` directive was seen: the first one replaces the default points, later
    /// ones add to them.
    saves_seen: bool,
}

/// Applies the adjustments redis-server makes after accepting a value; `runtime` is true for
/// CONFIG SET, which also resizes the replication backlog to its minimum.
fn normalize(name: &str, value: String, runtime: bool) -> String {
    let n = value.parse::<i64>();
    match (name, n) {
        ("hz", Ok(n)) if n < 1 => "1".into(),
        ("hz", Ok(n)) if n > 500 => "500".into(),
        ("repl-backlog-size", Ok(n)) if runtime && n < 16 * 1024 => "16384".into(),
        _ => value,
    }
}

/// Whether a value turns TLS on, which SoliKV (like a redis-server built without TLS) refuses
/// at run time.
fn needs_tls(name: &str, value: &str) -> bool {
    match name {
        "tls-port" => value != "0",
        "tls-replication" | "tls-cluster" => value == "yes",
        _ => false,
    }
}
