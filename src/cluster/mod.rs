//! Cluster mode, state side (placeholder docs; completed below).

pub mod format;
pub mod node;
pub mod nodes_conf;
pub mod settings;
pub mod state;
pub mod view;
