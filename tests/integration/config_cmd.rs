//! CONFIG GET / CONFIG SET of redis-server's hidden directives (test and debug knobs such as
//! `watchdog-period`), checked byte for byte against the oracle: test suites and tools set
//! them, so they are accepted (and ignored), and only an exact name reports them.

use super::harness::Pair;

#[test]
fn hidden_directives_answer_only_to_their_exact_name() {
    let pair = Pair::start(&[]);
    let mut c = pair.conns();
    c.check_all(&[
        "CONFIG GET watchdog-period",
        "CONFIG GET WATCHDOG-PERIOD",
        "CONFIG GET watchdog*",
        "CONFIG GET key-load*",
        "CONFIG GET *-save-delay",
        // One name per GET: redis-server lists several matches in its hash table's order.
        "CONFIG GET key-load-delay",
        "CONFIG GET rdb-key-save-delay",
        "CONFIG GET use-exit-on-panic",
        "CONFIG GET loading-process-events-interval-bytes",
        "CONFIG GET lua-enable-deprecated-api",
        "CONFIG SET watchdog-period -1",
        "CONFIG SET watchdog-period 2147483648",
        "CONFIG SET watchdog-period 0",
        "CONFIG SET key-load-delay -2147483648",
        "CONFIG SET key-load-delay -2147483649",
        "CONFIG SET rdb-key-save-delay -5 use-exit-on-panic yes",
        "CONFIG SET loading-process-events-interval-bytes 1023",
        "CONFIG SET loading-process-events-interval-bytes 1024",
        "CONFIG SET use-exit-on-panic maybe",
        "CONFIG SET lua-enable-deprecated-api yes",
        "CONFIG GET key-load-delay",
        "CONFIG GET rdb-key-save-delay",
        "CONFIG GET use-exit-on-panic",
        "CONFIG GET loading-process-events-interval-bytes",
    ]);
}
