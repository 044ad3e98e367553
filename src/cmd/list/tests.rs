use crate::cmd::keys::testing::{keyspace, run};
