#!/usr/bin/env bash
# Quick, single-run server CPU per request, for profiling sessions (not for recorded claims:
# scripts/bench.sh alternates runs against redis-server and records them).
#
#   scripts/cpu_per_op.sh PORT PID PIPELINE [REQUESTS]
#
# Runs redis-benchmark GET (50 clients, 100k random keys, 32-byte values) against PORT and
# prints the utime+stime of process PID over the run divided by the requests.
set -euo pipefail
port=$1 pid=$2 pipeline=$3 requests=${4:-200000}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks "$pid")
summary=$(redis-benchmark -p "$port" -c 50 -n "$requests" -r 100000 -d 32 -P "$pipeline" -t get -q 2>&1 |
    tr '\r' '\n' | grep 'requests per second' | tail -1)
after=$(ticks "$pid")
python3 -c "print('port $port P$pipeline: cpu us/op = %.2f | $summary' % (($after - $before) * 1e6 / $hz / $requests))"
