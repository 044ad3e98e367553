//! Micro-benchmarks (placeholder until the store exists).
fn main() {}
