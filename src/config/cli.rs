//! The command line: `solikv [CONFIG_FILE] [--directive value [value...]]...`. The clap
//! command is built from the directive table so that `--help` lists every directive under its
//! group, `--version` works and unknown directives get clap's message. Each directive takes
//! any number of words (a boolean given alone means `yes`); values may start with `-`
//! (`--bind * -::*`, `--slowlog-log-slower-than -1`).
//!
//! Words are grouped by hand, as redis-server does, because clap's value parsing would take
//! `--port` in `--bind 127.0.0.1 --port 7000` for a value. Turns argv into the config file path
//! and the directives in command-line order; `config` validates the values like file lines.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction, Command};

use super::directives::{Group, Kind, ALIASES, DIRECTIVES};

/// The command line, split into what `config` applies.
#[derive(Debug, Default)]
pub struct CommandLine {
    pub config_file: Option<PathBuf>,
    /// `(directive, words)` in the order given.
    pub directives: Vec<(String, Vec<String>)>,
}

const CONFIG_FILE: &str = "CONFIG_FILE";

/// Builds the clap command, one long option per directive and alias, as `--help` shows it.
pub fn command() -> Command {
    build(true)
}

/// The command used to check directive names, which reach clap without their values.
fn names_only() -> Command {
    build(false)
}

fn build(for_help: bool) -> Command {
    let mut cmd = Command::new("solikv")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A thread-per-core, shared-nothing drop-in replacement for Redis Cluster")
        .override_usage("solikv [CONFIG_FILE] [--directive value [value...]]...")
        .after_help(
            "Directives are those of redis.conf; the command line overrides the config file. \
             Examples:\n  solikv /etc/solikv.conf --port 7000\n  solikv --port 7000 \
             --cluster-enabled yes --save \"\" --bind 127.0.0.1 ::1",
        )
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('v')
                .long("version")
                .action(ArgAction::Version)
                .help("Print version"),
        )
        .arg(
            Arg::new(CONFIG_FILE)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Config file in redis.conf syntax (- reads standard input)"),
        );
    for group in Group::ALL {
        for d in DIRECTIVES.iter().filter(|d| d.group == group) {
            let aliases: Vec<&str> = ALIASES
                .iter()
                .filter(|(_, target)| *target == d.name)
                .map(|(alias, _)| *alias)
                .collect();
            let mut help = format!("{} [default: {}]", d.doc, shown_default(d.default));
            if !aliases.is_empty() {
                help.push_str(&format!(" (alias: {})", aliases.join(", ")));
            }
            let (value_name, mut counts) = shape(d.kind);
            if !for_help {
                counts = (0..).into();
            }
            cmd = cmd.arg(
                Arg::new(d.name)
                    .long(d.name)
                    .aliases(aliases)
                    .num_args(counts)
                    .action(ArgAction::Append)
                    .value_name(value_name)
                    .help(help)
                    .help_heading(group.heading()),
            );
        }
    }
    cmd
}

/// How `--help` shows a directive's value.
fn shape(kind: Kind) -> (String, clap::builder::ValueRange) {
    let (name, counts) = match kind {
        Kind::Bool => ("yes|no".to_string(), (0..=1).into()),
        Kind::Int { .. } => ("N".into(), 1.into()),
        Kind::Memory { .. } => ("BYTES".into(), 1.into()),
        Kind::MemoryOrPercent => ("BYTES|PERCENT%".into(), 1.into()),
        Kind::Enum(words) => (words.join("|"), 1.into()),
        Kind::Octal => ("MODE".into(), 1.into()),
        Kind::Dir => ("DIR".into(), 1.into()),
        Kind::Str | Kind::Hostname | Kind::KeyspaceEvents => ("STRING".into(), 1.into()),
        Kind::Bind => ("ADDR".into(), (1..).into()),
        Kind::Save => ("SECONDS CHANGES".into(), (1..).into()),
        Kind::ClientOutputBufferLimit => ("CLASS HARD SOFT SECONDS".into(), (1..).into()),
        Kind::Replicaof => ("HOST PORT".into(), (1..).into()),
        Kind::Percentiles => ("PERCENTILE".into(), (1..).into()),
        Kind::OomScoreAdjValues => ("PRIMARY REPLICA CHILD".into(), (1..).into()),
    };
    (name, counts)
}

fn shown_default(default: &str) -> &str {
    if default.is_empty() {
        "\"\""
    } else {
        default
    }
}

/// Parses argv (program name first) the way redis-server does: an optional config file
/// first, then every word starting with `--` begins a directive and the words up to the next
/// one are its values (`--name=value` works too). clap then checks the directive names, and
/// prints `--help` or `--version` and exits the process. An error is one line.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<CommandLine, String> {
    let mut argv = args.into_iter();
    let mut for_clap = vec![argv.next().unwrap_or_else(|| "solikv".into())];
    let mut line = CommandLine::default();
    let mut argv = argv.peekable();
    if let Some(first) = argv.peek() {
        let s = first.to_string_lossy();
        if !s.starts_with('-') || s == "-" {
            line.config_file = Some(PathBuf::from(first));
            for_clap.push(first.clone());
            argv.next();
        }
    }
    for (position, arg) in argv.enumerate() {
        let word = arg.to_string_lossy();
        if let Some(option) = word.strip_prefix("--") {
            let (name, inline) = match option.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (option, None),
            };
            let name = name.to_ascii_lowercase();
            for_clap.push(format!("--{name}").into());
            line.directives.push((name, inline.into_iter().collect()));
        } else if let Some((_, words)) = line.directives.last_mut() {
            words.push(word.into_owned());
        } else if position == 0 && matches!(word.as_ref(), "-h" | "-v") {
            for_clap.push(arg.clone());
        } else {
            return Err(format!("unexpected argument '{word}' found"));
        }
    }
    let info = ["--help", "-h", "--version", "-v"];
    let checked = match for_clap
        .iter()
        .find(|a| info.iter().any(|i| a.as_os_str() == *i))
    {
        Some(flag) => command().try_get_matches_from([for_clap[0].clone(), flag.clone()]),
        None => names_only().try_get_matches_from(for_clap),
    };
    if let Err(e) = checked {
        match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                e.exit()
            }
            _ => {
                let text = e.render().to_string();
                let mut message = text.lines().next().unwrap_or_default().to_string();
                if let Some(tip) = text.lines().find(|l| l.trim_start().starts_with("tip:")) {
                    message = format!("{message} ({})", tip.trim());
                }
                return Err(message.trim_start_matches("error: ").to_string());
            }
        }
    }
    Ok(line)
}
