//! The control core, and each data core's link to it.
//!
//! In cluster mode one more glommio executor, the control core, owns the [`ClusterState`]. Work
//! reaches it as boxed closures over [`Control`] on one channel (CLUSTER commands from data
//! cores, CONFIG SET of cluster directives); the cluster bus driver (`super::wire`) runs next
//! to it. After each closure the state is committed: if it changed, nodes.conf is saved and a
//! new [`ClusterView`] is published to every data core on its own unbounded channel. A data
//! core keeps the newest view it has seen in [`CoreCluster`] and routes every keyed command
//! from it, with no lock and no hop.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use glommio::{LocalExecutorBuilder, Placement};

use super::nodes_conf;
use super::settings::Settings;
use super::state::ClusterState;
use super::view::ClusterView;
use crate::config::Config;
use crate::shard::core::CoreCtx;

/// Work for the control core.
pub type ControlFn = Box<dyn FnOnce(&mut Control) + Send>;

/// A message published on one node that other nodes deliver to their subscribers: PUBLISH
/// goes to every node, SPUBLISH (`shard`) to the other nodes of the publisher's shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusPublish {
    pub shard: bool,
    pub channel: Vec<u8>,
    pub message: Vec<u8>,
}

/// How many published messages may wait for the bus before publishers wait.
const PUBLISH_QUEUE: usize = 4096;

/// What the control core owns.
pub struct Control {
    pub state: ClusterState,
    version: u64,
    views: Vec<flume::Sender<Arc<ClusterView>>>,
    /// Each data core's inbox of messages published on other nodes.
    deliveries: Vec<flume::Sender<BusPublish>>,
    /// The data core that delivers the next one (round robin).
    next_delivery: usize,
}

impl Control {
    /// If the state changed since the last commit: recomputes the cluster state, saves
    /// nodes.conf, publishes a new view to every data core and returns it.
    pub fn commit(&mut self) -> Option<Arc<ClusterView>> {
        if !self.state.dirty {
            return None;
        }
        self.state.update_state();
        self.state.dirty = false;
        if let Err(e) = nodes_conf::save(&self.state, &self.state.settings.config_file) {
            log::warn!(
                "cannot save the cluster config file {}: {e}",
                self.state.settings.config_file.display()
            );
        }
        self.version += 1;
        let view = Arc::new(ClusterView::of(&self.state, self.version));
        for link in &self.views {
            let _ = link.send(view.clone());
        }
        Some(view)
    }

    /// Hands a message published on another node to one data core, which delivers it to
    /// this node's subscribers on every core (in arrival order per core).
    pub fn deliver(&mut self, publish: BusPublish) {
        if self.deliveries.is_empty() {
            return;
        }
        let core = self.next_delivery % self.deliveries.len();
        self.next_delivery = core + 1;
        let _ = self.deliveries[core].send(publish);
    }
}

/// A data core's end of the control core: its current view and the way to send work.
#[derive(Default)]
pub struct CoreCluster {
    enabled: Cell<bool>,
    view: RefCell<Option<Arc<ClusterView>>>,
    control: RefCell<Option<flume::Sender<ControlFn>>>,
    /// To the bus driver: messages this node's clients published, for the other nodes.
    publish: RefCell<Option<flume::Sender<BusPublish>>>,
}

impl CoreCluster {
    /// Whether the node runs in cluster mode.
    pub fn enabled(&self) -> bool {
        self.enabled.get()
    }

    /// The newest routing view this core has.
    pub fn view(&self) -> Ref<'_, ClusterView> {
        Ref::map(self.view.borrow(), |v| {
            v.as_deref().expect("a cluster-mode core always has a view")
        })
    }

    /// Keeps `view` if it is newer than the current one.
    pub fn install(&self, view: Arc<ClusterView>) {
        let mut current = self.view.borrow_mut();
        if current.as_ref().is_none_or(|c| c.version < view.version) {
            *current = Some(view);
        }
    }

    /// Sends a message published here to the other nodes (PUBLISH: all of them; SPUBLISH:
    /// the shard's). Waits only when the bus is [`PUBLISH_QUEUE`] messages behind.
    pub async fn propagate(&self, shard: bool, channel: &[u8], message: &[u8]) {
        let Some(link) = self.publish.borrow().clone() else {
            return;
        };
        let publish = BusPublish {
            shard,
            channel: channel.to_vec(),
            message: message.to_vec(),
        };
        let _ = link.send_async(publish).await;
    }

    /// Runs `f` on the control core and returns its result.
    pub async fn call<R, F>(&self, f: F) -> R
    where
        R: Send + 'static,
        F: FnOnce(&mut Control) -> R + Send + 'static,
    {
        let (tx, rx) = flume::bounded(1);
        let work: ControlFn = Box::new(move |ctl: &mut Control| {
            let _ = tx.send(f(ctl));
        });
        let link = self
            .control
            .borrow()
            .clone()
            .expect("cluster mode has a control core");
        link.send_async(work).await.expect("control core stopped");
        rx.recv_async().await.expect("control core dropped a call")
    }
}

/// What one data core needs to join the control core.
pub struct CoreLink {
    control: flume::Sender<ControlFn>,
    views: flume::Receiver<Arc<ClusterView>>,
    first: Arc<ClusterView>,
    publish: flume::Sender<BusPublish>,
    deliveries: flume::Receiver<BusPublish>,
}

impl CoreLink {
    /// Connects the data core `ctx` and spawns, on it, the task that keeps its view current.
    pub fn attach(self, ctx: &Rc<CoreCtx>) {
        let cluster = &ctx.cluster;
        cluster.enabled.set(true);
        *cluster.control.borrow_mut() = Some(self.control);
        *cluster.publish.borrow_mut() = Some(self.publish);
        cluster.install(self.first);
        let views = self.views;
        let core = ctx.clone();
        // Through `task::spawn`: the view arrives from the control core, a foreign wake the
        // data core's socket driver must hear about.
        crate::shard::task::spawn(async move {
            while let Ok(view) = views.recv_async().await {
                adopt(&core, view);
            }
        })
        .detach();
        let deliveries = self.deliveries;
        let core = ctx.clone();
        crate::shard::task::spawn(async move {
            while let Ok(p) = deliveries.recv_async().await {
                let space = if p.shard {
                    crate::shard::pubsub::Space::Shard
                } else {
                    crate::shard::pubsub::Space::Global
                };
                crate::shard::pubsub::deliver_from_bus(&core, space, &p.channel, &p.message).await;
            }
        })
        .detach();
    }
}

/// Makes `view` this data core's routing view if it is newer, and lets Pub/Sub drop the shard
/// channels of slots the node lost.
pub fn adopt(ctx: &CoreCtx, view: Arc<ClusterView>) {
    ctx.cluster.install(view);
    crate::shard::pubsub::on_view(ctx);
}

/// Runs the work data cores send, committing after each piece.
async fn serve(control: Rc<RefCell<Control>>, work: flume::Receiver<ControlFn>) {
    while let Ok(f) = work.recv_async().await {
        let mut ctl = control.borrow_mut();
        f(&mut ctl);
        ctl.commit();
    }
}

/// Loads or creates the cluster state and starts the control core. Returns one link per data
/// core. A nodes.conf that does not parse is an error (start-up fails; the file is kept).
pub fn start(config: &Config, ncores: usize) -> Result<Vec<CoreLink>, String> {
    let settings = Settings::from_config(config);
    let path = settings.config_file.clone();
    let mut state = match nodes_conf::load(&path, settings.clone())? {
        Some(state) => {
            log::info!(
                "loaded cluster config {}: node {}",
                path.display(),
                state.myself
            );
            state
        }
        None => {
            let state = ClusterState::new(settings);
            log::info!("no cluster config file, new node id {}", state.myself);
            state
        }
    };
    state.dirty = true;
    let (control_tx, control_rx) = flume::unbounded::<ControlFn>();
    let mut links = Vec::with_capacity(ncores);
    let mut senders = Vec::with_capacity(ncores);
    let mut inboxes = Vec::with_capacity(ncores);
    let mut deliveries = Vec::with_capacity(ncores);
    for _ in 0..ncores {
        let (tx, rx) = flume::unbounded();
        senders.push(tx);
        links.push(rx);
        let (tx, rx) = flume::unbounded();
        deliveries.push(tx);
        inboxes.push(rx);
    }
    let (publish_tx, publish_rx) = flume::bounded(PUBLISH_QUEUE);
    let mut control = Control {
        state,
        version: 0,
        views: senders,
        deliveries,
        next_delivery: 0,
    };
    let first = control.commit().expect("a fresh state is dirty");
    if !path.exists() {
        return Err(format!(
            "cannot write the cluster config file {}",
            path.display()
        ));
    }
    let bind = config.bind();
    let (ready_tx, ready_rx) = flume::bounded(1);
    LocalExecutorBuilder::new(Placement::Unbound)
        .name("solikv-control")
        .spawn(move || async move {
            // Shared with the cluster bus's tasks (`super::wire`); nobody holds the borrow
            // across an await.
            let control = Rc::new(RefCell::new(control));
            let started = super::wire::start(control.clone(), &bind, publish_rx);
            let ok = started.is_ok();
            let _ = ready_tx.send(started);
            if ok {
                serve(control, control_rx).await
            }
        })
        .map_err(|e| format!("cannot start the control core: {e}"))?;
    ready_rx
        .recv()
        .map_err(|_| "the control core stopped at start-up".to_string())??;
    Ok(links
        .into_iter()
        .zip(inboxes)
        .map(|(views, deliveries)| CoreLink {
            control: control_tx.clone(),
            views,
            first: first.clone(),
            publish: publish_tx.clone(),
            deliveries,
        })
        .collect())
}
