//! nodes.conf: the node's cluster state on disk, in Redis's format — the CLUSTER NODES lines
//! (handshake nodes left out) followed by `vars currentEpoch <n> lastVoteEpoch <n>`.
//!
//! Saving writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
//! directory, so a crash leaves either the old or the new file. Loading rebuilds the state; a
//! file that does not parse is an error the caller turns into a start-up failure (it is never
//! replaced). Runs on the control core (and on the main thread at start-up).

use std::fs;
use std::io::Write;
use std::path::Path;

use super::format::nodes_text;
use super::node::{flags, Node, NodeId};
use super::settings::Settings;
use super::state::ClusterState;

/// The file's full contents for `state`.
pub fn render(state: &ClusterState) -> String {
    let mut text = nodes_text(state, true);
    text.push_str(&format!(
        "vars currentEpoch {} lastVoteEpoch {}\n",
        state.current_epoch, state.last_vote_epoch
    ));
    text
}

/// Writes `state` to `path` atomically and durably.
pub fn save(state: &ClusterState, path: &Path) -> std::io::Result<()> {
    let tmp = path.with_file_name(format!(
        "{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(render(state).as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        fs::File::open(dir.unwrap_or(Path::new(".")))?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Loads the state from `path`: `Ok(None)` when the file does not exist or is empty (a new
/// node), an error naming the line when it is corrupt.
pub fn load(path: &Path, settings: Settings) -> Result<Option<ClusterState>, String> {
    let text = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let text = String::from_utf8(text)
        .map_err(|_| format!("corrupt cluster config file {}: not UTF-8", path.display()))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse(&text, settings)
        .map(Some)
        .map_err(|e| format!("corrupt cluster config file {}: {e}", path.display()))
}

/// Parses nodes.conf text.
pub fn parse(text: &str, settings: Settings) -> Result<ClusterState, String> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut myself: Option<NodeId> = None;
    let mut slots: Vec<(u16, u16, NodeId)> = Vec::new();
    let mut markers: Vec<(u16, bool, NodeId)> = Vec::new();
    let mut epochs = (0u64, 0u64);
    for (no, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}: {line:?}", no + 1);
        let fields: Vec<&str> = line.split(' ').collect();
        if fields[0] == "vars" {
            let mut i = 1;
            while i + 1 < fields.len() {
                let value = fields[i + 1].parse::<u64>().map_err(|_| bad("bad epoch"))?;
                match fields[i] {
                    "currentEpoch" => epochs.0 = value,
                    "lastVoteEpoch" => epochs.1 = value,
                    _ => {}
                }
                i += 2;
            }
            continue;
        }
        if fields.len() < 8 {
            return Err(bad("too few fields"));
        }
        let id = NodeId::parse(fields[0].as_bytes()).ok_or_else(|| bad("bad node id"))?;
        let f = flags::parse(fields[2]).ok_or_else(|| bad("bad flags"))?;
        let mut node = Node::new(id, f & !flags::MEET);
        parse_address(fields[1], &mut node).ok_or_else(|| bad("bad address"))?;
        if fields[3] != "-" {
            node.master =
                Some(NodeId::parse(fields[3].as_bytes()).ok_or_else(|| bad("bad master id"))?);
        }
        let num = |s: &str| s.parse::<u64>().map_err(|_| bad("bad number"));
        node.ping_sent = num(fields[4])?;
        node.pong_received = num(fields[5])?;
        node.config_epoch = num(fields[6])?;
        if fields[7] != "connected" && fields[7] != "disconnected" {
            return Err(bad("bad link state"));
        }
        if node.is_myself() {
            if myself.is_some() {
                return Err(bad("two nodes flagged myself"));
            }
            myself = Some(id);
            node.ping_sent = 0;
        }
        if nodes.iter().any(|n| n.id == id) {
            return Err(bad("node listed twice"));
        }
        for token in fields[8..].iter().filter(|t| !t.is_empty()) {
            if let Some(inner) = token.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                let (slot, migrating, other) = if let Some((s, o)) = inner.split_once("->-") {
                    (s, true, o)
                } else if let Some((s, o)) = inner.split_once("-<-") {
                    (s, false, o)
                } else {
                    return Err(bad("bad migration marker"));
                };
                let slot = parse_slot(slot).ok_or_else(|| bad("bad slot"))?;
                let other = NodeId::parse(other.as_bytes()).ok_or_else(|| bad("bad node id"))?;
                markers.push((slot, migrating, other));
                continue;
            }
            let (start, end) = match token.split_once('-') {
                Some((a, b)) => (parse_slot(a), parse_slot(b)),
                None => (parse_slot(token), parse_slot(token)),
            };
            match (start, end) {
                (Some(a), Some(b)) if a <= b => slots.push((a, b, id)),
                _ => return Err(bad("bad slot range")),
            }
        }
        nodes.push(node);
    }
    let me = myself.ok_or("no node is flagged myself")?;
    let mut state = ClusterState::with_myself(me, settings);
    let mine = nodes
        .iter()
        .position(|n| n.id == me)
        .expect("myself parsed");
    state.learned_ip = nodes[mine].ip.clone();
    state.nodes = nodes;
    state.apply_settings();
    state.current_epoch = epochs.0;
    state.last_vote_epoch = epochs.1;
    for (start, end, owner) in slots {
        for slot in start..=end {
            state.set_slot(slot, owner);
        }
    }
    for (slot, migrating, other) in markers {
        if state.node(&other).is_none() {
            return Err(format!("migration marker names unknown node {other}"));
        }
        if migrating {
            state.migrating_to.insert(slot, other);
        } else {
            state.importing_from.insert(slot, other);
        }
    }
    state.update_state();
    Ok(state)
}

fn parse_slot(text: &str) -> Option<u16> {
    text.parse::<u16>()
        .ok()
        .filter(|s| (*s as usize) < crate::topology::SLOT_COUNT)
}

/// `ip:port@cport[,hostname]` (the ip may itself contain colons: IPv6).
fn parse_address(text: &str, node: &mut Node) -> Option<()> {
    let (addr, hostname) = match text.split_once(',') {
        Some((a, h)) => (a, h),
        None => (text, ""),
    };
    let (ip_port, cport) = addr.split_once('@')?;
    let (ip, port) = ip_port.rsplit_once(':')?;
    node.ip = ip.to_string();
    node.port = port.parse().ok()?;
    node.cport = cport.parse().ok()?;
    node.hostname = hostname.to_string();
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = "\
a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000@32000 myself,master - 0 1795320432000 1 connected 0-5460 [0->-746cdb23d7602c073dab021e610603ebb5cb7059] [6000-<-746cdb23d7602c073dab021e610603ebb5cb7059]
3bd717c9457b52da6b0b1dabe680a959525db2fe 127.0.0.1:22002@32002,host-c master - 0 1795320433301 3 disconnected 10923-16383
746cdb23d7602c073dab021e610603ebb5cb7059 127.0.0.1:22001@32001 master - 0 1795320432800 2 disconnected 5461-10922
vars currentEpoch 3 lastVoteEpoch 0
";

    fn settings() -> Settings {
        Settings {
            port: 22000,
            bus_port: 32000,
            ..Default::default()
        }
    }

    #[test]
    fn round_trip_keeps_id_epochs_slots_and_markers() {
        let state = parse(CONF, settings()).unwrap();
        assert_eq!(
            state.myself.as_str(),
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8"
        );
        assert_eq!(state.current_epoch, 3);
        assert_eq!(state.myself().config_epoch, 1);
        assert_eq!(state.migrating_to.len(), 1);
        assert_eq!(state.importing_from.len(), 1);
        assert!(state.ok);
        assert_eq!(render(&state), CONF);
        let again = parse(&render(&state), settings()).unwrap();
        assert_eq!(render(&again), CONF);
    }

    #[test]
    fn save_then_load_from_disk() {
        let dir = std::env::temp_dir().join(format!("solikv-nodes-conf-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("nodes.conf");
        assert!(load(&path, settings()).unwrap().is_none());
        let state = parse(CONF, settings()).unwrap();
        save(&state, &path).unwrap();
        let loaded = load(&path, settings()).unwrap().unwrap();
        assert_eq!(render(&loaded), CONF);
        fs::write(&path, "").unwrap();
        assert!(load(&path, settings()).unwrap().is_none());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_files_are_errors() {
        for bad in [
            "garbage\n",
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000@32000 master - 0 0 1 connected\n",
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000 myself,master - 0 0 1 connected\n",
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000@32000 myself,master - 0 0 1 connected 16384\n",
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000@32000 myself,bogus - 0 0 1 connected\n",
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000@32000 myself,master - 0 0 x connected\n",
            "a36397317d5d3928f9d9696c6cdee61b3f6d1ac8 127.0.0.1:22000@32000 myself,master - 0 0 1 connected 5-3\n",
            "vars currentEpoch x\n",
        ] {
            assert!(parse(bad, settings()).is_err(), "{bad}");
        }
    }
}
