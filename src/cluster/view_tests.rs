//! Redirect decisions, checked against what redis-server 7.0.15 answered in the same
//! situations (slot 0 holds `{k596}...`, slot 6000 holds `k279`, slot 15495 holds `a`).

use super::*;
use crate::cluster::node::{Node, NodeId};
use crate::cluster::settings::Settings;

struct Fixture {
    state: ClusterState,
    other: NodeId,
}

/// Myself (127.0.0.1:22000) owns 0..8000, the other node (127.0.0.1:22001) the rest.
fn fixture() -> Fixture {
    let settings = Settings {
        port: 22000,
        announce_ip: "127.0.0.1".into(),
        ..Default::default()
    };
    let mut state = ClusterState::new(settings);
    let other = NodeId::random();
    let mut n = Node::new(other, flags::MASTER);
    n.ip = "127.0.0.1".into();
    n.port = 22001;
    state.add_node(n);
    let me = state.myself;
    for slot in 0..SLOT_COUNT as u16 {
        state.set_slot(slot, if slot < 8000 { me } else { other });
    }
    state.update_state();
    Fixture { state, other }
}

fn route(state: &ClusterState, keys: &[&str], q: Query) -> Route {
    ClusterView::of(state, 1).route(keys.iter().map(|k| k.as_bytes()), q)
}

fn redirect(text: &str) -> Route {
    let r = match text.split_once(' ') {
        Some(("MOVED", rest)) => {
            let (slot, addr) = rest.split_once(' ').unwrap();
            Redirect::Moved(slot.parse().unwrap(), addr.into())
        }
        Some(("ASK", rest)) => {
            let (slot, addr) = rest.split_once(' ').unwrap();
            Redirect::Ask(slot.parse().unwrap(), addr.into())
        }
        _ => panic!("{text}"),
    };
    Route::Redirect(r)
}

#[test]
fn owned_foreign_and_cross_slot() {
    let f = fixture();
    let q = Query::default();
    assert_eq!(route(&f.state, &["{k596}a"], q), Route::Here);
    assert_eq!(route(&f.state, &[], q), Route::Here);
    assert_eq!(
        route(&f.state, &["a"], q),
        redirect("MOVED 15495 127.0.0.1:22001")
    );
    assert_eq!(
        route(&f.state, &["x", "y"], q),
        Route::Redirect(Redirect::CrossSlot)
    );
    assert_eq!(
        Redirect::CrossSlot.text(),
        "CROSSSLOT Keys in request don't hash to the same slot"
    );
}

#[test]
fn unbound_and_down() {
    let mut f = fixture();
    f.state.clear_slot(0);
    f.state.update_state();
    let q = Query::default();
    assert_eq!(
        route(&f.state, &["{k596}a"], q),
        Route::Redirect(Redirect::Unbound)
    );
    assert_eq!(
        route(&f.state, &["k279"], q),
        Route::Redirect(Redirect::Down)
    );
    f.state.settings.allow_reads_when_down = true;
    assert_eq!(route(&f.state, &["k279"], q), Route::Here);
    let write = Query { write: true, ..q };
    assert_eq!(
        route(&f.state, &["k279"], write),
        Route::Redirect(Redirect::DownReadOnly)
    );
}

#[test]
fn migrating_slot_asks_or_retries() {
    let mut f = fixture();
    f.state.migrating_to.insert(0, f.other);
    let view = ClusterView::of(&f.state, 1);
    let q = Query::default();
    assert_eq!(
        view.route([&b"{k596}a"[..]].into_iter(), q),
        Route::NeedsKeys(0)
    );
    assert_eq!(view.route_unstable(0, 1, 0, q), Route::Here);
    assert_eq!(
        view.route_unstable(0, 0, 1, q),
        redirect("ASK 0 127.0.0.1:22001")
    );
    assert_eq!(
        view.route_unstable(0, 1, 1, q),
        Route::Redirect(Redirect::TryAgain)
    );
}

/// `SETSLOT s MIGRATING <own id>` is accepted by redis-server, whose ASK would then point at
/// itself: it serves the command (a missing key reads as missing) instead of redirecting.
#[test]
fn migrating_to_itself_serves_here() {
    let mut f = fixture();
    let me = f.state.myself;
    f.state.migrating_to.insert(0, me);
    let view = ClusterView::of(&f.state, 1);
    let q = Query::default();
    assert_eq!(view.route_unstable(0, 0, 1, q), Route::Here);
    assert_eq!(
        view.route_unstable(0, 1, 1, q),
        Route::Redirect(Redirect::TryAgain)
    );
}

#[test]
fn importing_slot_needs_asking() {
    let mut f = fixture();
    f.state.importing_from.insert(9000, f.other);
    let view = ClusterView::of(&f.state, 1);
    let k9000 = (0..100_000)
        .map(|i| format!("k{i}"))
        .find(|k| key_slot(k.as_bytes()).0 == 9000)
        .unwrap();
    let q = Query::default();
    assert_eq!(
        view.route([k9000.as_bytes()].into_iter(), q),
        redirect("MOVED 9000 127.0.0.1:22001")
    );
    let asking = Query { asking: true, ..q };
    assert_eq!(
        view.route([k9000.as_bytes()].into_iter(), asking),
        Route::NeedsKeys(9000)
    );
    assert_eq!(view.route_unstable(9000, 0, 1, asking), Route::Here);
    assert_eq!(
        view.route_unstable(9000, 1, 1, asking),
        Route::Redirect(Redirect::TryAgain)
    );
}

#[test]
fn readonly_replica_serves_reads_of_its_master() {
    let mut f = fixture();
    f.state.myself_mut().flags = flags::MYSELF | flags::SLAVE;
    f.state.myself_mut().master = Some(f.other);
    for slot in 0..SLOT_COUNT as u16 {
        f.state.set_slot(slot, f.other);
    }
    f.state.update_state();
    let ro = Query {
        readonly: true,
        ..Query::default()
    };
    assert_eq!(route(&f.state, &["a"], ro), Route::Here);
    let write = Query { write: true, ..ro };
    assert_eq!(
        route(&f.state, &["a"], write),
        redirect("MOVED 15495 127.0.0.1:22001")
    );
}

#[test]
fn redirects_use_the_preferred_endpoint() {
    let mut f = fixture();
    f.state.settings.preferred_endpoint = crate::cluster::settings::EndpointType::Hostname;
    assert_eq!(
        route(&f.state, &["a"], Query::default()),
        redirect("MOVED 15495 ?:22001")
    );
}
