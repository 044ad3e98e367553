//! The `solikv` binary: parses the command line and config file, then runs the server.

use solikv::config::Config;

#[global_allocator]
static ALLOC: solikv::alloc::CountingAlloc = solikv::alloc::CountingAlloc;

fn main() {
    let config = match Config::from_args(std::env::args_os()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("solikv: {e}");
            std::process::exit(1);
        }
    };
    let level = match config.loglevel().as_str() {
        "debug" => "debug",
        "verbose" => "info",
        "warning" => "warn",
        "nothing" => "off",
        _ => "info",
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level)).init();
    solikv::clock::calibrate();
    if let Err(e) = solikv::shard::runtime::run(config) {
        eprintln!("solikv: {e}");
        std::process::exit(1);
    }
}
