//! The `solikv` binary: parses the command line and runs the server.

fn main() {
    env_logger::init();
}
