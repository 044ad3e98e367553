//! ASKING and CLUSTER metadata beyond the captured families (`captured_tests`): the CLUSTER
//! container's own entry, whose subcommands redis-server lists in hash-table order.

use super::captured_tests::run;
use crate::protocol::reply::Proto;

#[test]
fn cluster_container_head_matches_oracle() {
    // Subcommands come in hash-table order from redis-server; each is compared in
    // `captured_tests`.
    // SoliKV has one more than 7.0.15: MYSHARDID (Redis 7.2).
    let head2 = "*1\r\n*10\r\n$7\r\ncluster\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*28\r\n";
    let head3 = "*1\r\n*10\r\n$7\r\ncluster\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*28\r\n";
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    assert!(text(run(Proto::Resp2, "COMMAND INFO cluster")).starts_with(head2));
    assert!(text(run(Proto::Resp3, "COMMAND INFO cluster")).starts_with(head3));
    let docs = text(run(Proto::Resp3, "COMMAND DOCS cluster"));
    assert!(docs.starts_with("%1\r\n$7\r\ncluster\r\n%5\r\n$7\r\nsummary\r\n"));
    assert!(docs.contains("$11\r\nsubcommands\r\n%28\r\n"));
}
