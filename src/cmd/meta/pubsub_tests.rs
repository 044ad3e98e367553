//! Pub/Sub metadata beyond the captured families (`captured_tests`): the PUBSUB container's
//! own entry, and shard channels counting as keys for routing.

use super::captured_tests::run;
use super::*;
use crate::protocol::reply::Proto;

#[test]
fn pubsub_container_head_matches_oracle() {
    // Subcommands come in hash-table order from redis-server; each is compared in
    // `captured_tests`.
    let head2 = "*1\r\n*10\r\n$6\r\npubsub\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*6\r\n";
    let head3 = "*1\r\n*10\r\n$6\r\npubsub\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*6\r\n";
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    assert!(text(run(Proto::Resp2, "COMMAND INFO pubsub")).starts_with(head2));
    assert!(text(run(Proto::Resp3, "COMMAND INFO pubsub")).starts_with(head3));
    let docs = text(run(Proto::Resp3, "COMMAND DOCS pubsub"));
    assert!(docs.starts_with("%1\r\n$6\r\npubsub\r\n%5\r\n$7\r\nsummary\r\n"));
    assert!(docs.contains("$11\r\nsubcommands\r\n%6\r\n"));
}

#[test]
fn shard_channels_are_keys_for_routing() {
    let keys = |line: &str| {
        let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        command_keys(resolve(&args).unwrap(), &args).unwrap()
    };
    assert_eq!(keys("SSUBSCRIBE a b c"), vec![1, 2, 3]);
    assert_eq!(keys("SPUBLISH ch msg"), vec![1]);
    assert_eq!(keys("SUNSUBSCRIBE"), Vec::<usize>::new());
    for line in [
        "COMMAND GETKEYS SSUBSCRIBE a b",
        "COMMAND GETKEYSANDFLAGS SPUBLISH a b",
    ] {
        assert_eq!(
            run(Proto::Resp2, line),
            b"-ERR The command has no key arguments\r\n"
        );
    }
}
