//! The `solikv` binary: parses the command line and runs the server.

use solikv::shard::options::RunOptions;

#[global_allocator]
static ALLOC: solikv::alloc::CountingAlloc = solikv::alloc::CountingAlloc;

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let mut opts = RunOptions::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--port" => opts.port = value.parse().expect("port"),
            "--bind" => opts.bind = vec![value],
            "--cores" => opts.cores = value.parse().expect("cores"),
            "--shards" => opts.shards = value.parse().expect("shards"),
            "--pin" => opts.pin = value == "yes",
            "--requirepass" => opts.requirepass = Some(value.into_bytes()),
            other => {
                eprintln!("solikv: unknown option '{other}'");
                std::process::exit(1);
            }
        }
        i += 2;
    }
    if let Err(e) = solikv::shard::runtime::run(opts) {
        eprintln!("solikv: {e}");
        std::process::exit(1);
    }
}
