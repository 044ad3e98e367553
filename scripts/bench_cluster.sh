#!/usr/bin/env bash
# Usage: scripts/bench_cluster.sh [--rounds N] [--record] [--keep]
#        scripts/bench_cluster.sh --failover [--rounds N] [--timeout MS] [--record] [--keep]
#        (also reached as scripts/bench.sh --cluster [options])
#
# Compares a 3-master SoliKV cluster with a 3-master redis-server cluster on this machine. Both
# clusters start side by side (cluster-enabled, on free loopback ports whose bus ports are free
# too) and are joined with `redis-cli --cluster create`.
#
# Default mode: `redis-benchmark --cluster` runs SET then GET at pipeline 1 and 16 against each
# cluster in turn (solikv, redis, solikv, ...) for N rounds. Each run reports ops/s, p50/p99
# latency and the server CPU time per operation, summed over the three processes of the cluster
# (utime+stime of all threads from /proc/PID/stat, before and after). The summary gives medians
# over rounds and the ratio solikv/redis. GETs read what the run's SETs wrote (redis-benchmark
# tags keys per node in cluster mode, so the keyspace is not filled beforehand).
#
# --failover: failure detection. For each round and server, kill -9 one master and measure the
# time until both other masters show it `fail` in CLUSTER NODES (polled every ~5 ms), then
# restart it from its nodes.conf and wait for the cluster to be healthy again.
#
# Options:
#   --rounds N     rounds (default 2, or BENCH_ROUNDS; --failover: default 3)
#   --timeout MS   cluster-node-timeout of every node (default 2000; the throughput mode too)
#   --record       also append the report to tuning/RESULTS.md
#   --keep         keep the working directory (server logs, raw redis-benchmark output)
#
# Environment: SOLIKV_CMD, REDIS_CMD, BENCH_CLIENTS, BENCH_DATA_SIZE, BENCH_RUN_TIMEOUT as in
# scripts/bench.sh; SOLIKV_ARGS (default "--pin no": three nodes share the machine's CPUs);
# BENCH_N requests per unit below (default 200000); BENCH_KEYSPACE (-r, default 100000).
# The Markdown report goes to stdout, progress to stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly UTIL="$ROOT/scripts/bench_util.py"
readonly CUTIL="$ROOT/scripts/bench_cluster.py"
readonly RESULTS_FILE="$ROOT/tuning/RESULTS.md"
readonly BENCH_NAME=bench_cluster.sh
# shellcheck source=scripts/bench_common.sh
source "$ROOT/scripts/bench_common.sh"

# workload  pipeline  units  redis-benchmark arguments (as in scripts/bench.sh)
readonly WORKLOADS=(
  "cluster-set-get-P1    1   1  -t set"
  "cluster-set-get-P1    1   4  -t get"
  "cluster-set-get-P16  16   4  -t set"
  "cluster-set-get-P16  16  16  -t get"
)

usage() {
  sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

readonly ORIGINAL_ARGS=("$@")
MODE=throughput
ROUNDS=""
NODE_TIMEOUT=2000
RECORD=no
KEEP=no
while (($# > 0)); do
  case $1 in
    --failover) MODE=failover; shift ;;
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
    --timeout) NODE_TIMEOUT=${2:?--timeout needs milliseconds}; shift 2 ;;
    --record) RECORD=yes; shift ;;
    --keep) KEEP=yes; shift ;;
    --cluster) shift ;; # as passed on by scripts/bench.sh
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
if [[ -z $ROUNDS ]]; then
  if [[ $MODE == failover ]]; then ROUNDS=3; else ROUNDS=${BENCH_ROUNDS:-2}; fi
fi
readonly MODE ROUNDS NODE_TIMEOUT RECORD KEEP
readonly N=${BENCH_N:-200000}
readonly CLIENTS=${BENCH_CLIENTS:-50}
readonly KEYSPACE=${BENCH_KEYSPACE:-100000}
readonly DATA_SIZE=${BENCH_DATA_SIZE:-32}
readonly RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-300}
require_positive "$ROUNDS" "$NODE_TIMEOUT" "$N" "$CLIENTS" "$KEYSPACE" "$DATA_SIZE" "$RUN_TIMEOUT"
require_tools redis-server redis-cli redis-benchmark python3 timeout git

# ---- Clusters -------------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/solikv-bench-cluster.XXXXXX")
readonly WORK
declare -A PID=() PORT=() ID=()
CLIENT_PID=""

stop_nodes() {
  stop_pids "${PID[@]}"
  PID=()
}

cleanup() {
  stop_client
  stop_nodes
  if [[ $KEEP == yes ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

set_server_commands "--pin no"
readonly SOLIKV REDIS

# start_node SIDE I — node I (1..3) of SIDE, from its directory (and nodes.conf, on a restart).
start_node() {
  local side=$1 i=$2 key="$1:$2" dir="$WORK/$1-$2" tries
  local port=${PORT[$key]}
  mkdir -p "$dir"
  local common=(--port "$port" --bind 127.0.0.1 --cluster-enabled yes
    --cluster-node-timeout "$NODE_TIMEOUT" --dir "$dir")
  if [[ $side == solikv ]]; then
    "${SOLIKV[@]}" "${common[@]}" >>"$dir/log" 2>&1 &
  else
    "${REDIS[@]}" "${common[@]}" --save '' --appendonly no >>"$dir/log" 2>&1 &
  fi
  PID[$key]=$!
  for ((tries = 0; tries < 200; tries++)); do
    kill -0 "${PID[$key]}" 2>/dev/null || { cat "$dir/log" >&2; die "$key exited at start-up"; }
    [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return
    sleep 0.1
  done
  die "$key did not answer PING within 20 s"
}

# start_cluster SIDE — three masters joined by redis-cli --cluster create, healthy everywhere.
start_cluster() {
  local side=$1 i hosts=()
  for i in 1 2 3; do
    start_node "$side" "$i"
    hosts+=("127.0.0.1:${PORT[$side:$i]}")
    ID[$side:$i]=$(redis-cli -p "${PORT[$side:$i]}" cluster myid)
  done
  timeout 60 redis-cli --cluster create "${hosts[@]}" --cluster-yes >"$WORK/$side-create.log" 2>&1 ||
    { cat "$WORK/$side-create.log" >&2; die "redis-cli --cluster create failed for $side"; }
  python3 "$CUTIL" wait-ok 60 "${PORT[$side:1]}" "${PORT[$side:2]}" "${PORT[$side:3]}"
  log "$side cluster is up: pids ${PID[$side:1]} ${PID[$side:2]} ${PID[$side:3]}"
}

# cluster_ticks SIDE — CPU ticks of the side's three processes (fields 14 and 15 of stat).
cluster_ticks() {
  local i stat fields total=0
  for i in 1 2 3; do
    stat=$(<"/proc/${PID[$1:$i]}/stat")
    read -ra fields <<<"${stat##*) }"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
readonly LOAD_BEFORE
read -ra ports < <(python3 "$CUTIL" cluster-ports 6)
for i in 1 2 3; do
  PORT[solikv:$i]=${ports[i - 1]}
  PORT[redis:$i]=${ports[i + 2]}
done
start_cluster solikv
start_cluster redis

# ---- Runs -----------------------------------------------------------------------------------------

readonly TSV="$WORK/results.tsv"
: >"$TSV"

# run_step WORKLOAD ROUND SIDE STEP PIPELINE UNITS ARGS... — one redis-benchmark --cluster run.
run_step() {
  local workload=$1 round=$2 side=$3 step=$4 pipeline=$5 units=$6
  shift 6
  local other=redis requests=$((units * N)) out before after other_before other_after
  [[ $side == redis ]] && other=solikv
  out="$WORK/$workload.r$round.$side.$step.txt"
  before=$(cluster_ticks "$side")
  other_before=$(cluster_ticks "$other")
  run_benchmark "$out" "$side" redis-benchmark --cluster -h 127.0.0.1 -p "${PORT[$side:1]}" \
    -c "$CLIENTS" -n "$requests" -r "$KEYSPACE" -d "$DATA_SIZE" -P "$pipeline" "$@"
  after=$(cluster_ticks "$side")
  other_after=$(cluster_ticks "$other")
  record_step "$workload" "$round" "$side" "$step" "$requests" "$pipeline" \
    $((after - before)) $((other_after - other_before)) "$out"
}

if [[ $MODE == throughput ]]; then
  names=()
  for line in "${WORKLOADS[@]}"; do
    read -r name _ <<<"$line"
    [[ " ${names[*]} " == *" $name "* ]] || names+=("$name")
  done
  for name in "${names[@]}"; do
    for ((round = 1; round <= ROUNDS; round++)); do
      for side in solikv redis; do
        step=0
        for line in "${WORKLOADS[@]}"; do
          read -ra fields <<<"$line"
          [[ ${fields[0]} == "$name" ]] || continue
          step=$((step + 1))
          run_step "$name" "$round" "$side" "$step" "${fields[@]:1}"
        done
      done
    done
  done
else
  for ((round = 1; round <= ROUNDS; round++)); do
    for side in solikv redis; do
      victim="$side:3"
      times=$(python3 "$CUTIL" fail-time "${PID[$victim]}" "${ID[$victim]}" 60 \
        "${PORT[$side:1]}" "${PORT[$side:2]}")
      wait "${PID[$victim]}" 2>/dev/null || true
      log "round $round $side: FAIL on the surviving nodes after ${times% *} ms"
      echo "$side $round $times" >>"$TSV"
      start_node "$side" 3
      python3 "$CUTIL" wait-ok 120 "${PORT[$side:1]}" "${PORT[$side:2]}" "${PORT[$side:3]}"
    done
  done
fi

# ---- Report ---------------------------------------------------------------------------------------

commit=$(git_commit)
REPORT="$WORK/report.md"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $commit — cluster ($MODE)"
  echo
  echo "- machine: $(nproc) CPUs, $(cpu_model), Linux $(uname -r); load average before" \
    "$LOAD_BEFORE, after" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`scripts/bench_cluster.sh ${ORIGINAL_ARGS[*]}\`" \
    "(SOLIKV_ARGS=${SOLIKV_ARGS:-default})"
  echo "- solikv: \`${SOLIKV[*]}\`; redis: \`${REDIS[*]}\`" \
    "($("${REDIS[0]}" --version | grep -o 'v=[^ ]*' || true)); 3 masters each," \
    "cluster-node-timeout $NODE_TIMEOUT ms"
  if [[ $MODE == throughput ]]; then
    echo "- redis-benchmark $(redis-benchmark --version | cut -d' ' -f2) --cluster: -c $CLIENTS" \
      "-r $KEYSPACE -d $DATA_SIZE; rounds: $ROUNDS; BENCH_N=$N; server CPU summed over the" \
      "three processes of a cluster"
    echo
    python3 "$UTIL" report "$TSV" "$(getconf CLK_TCK)"
  else
    echo "- kill -9 of one master, time until both other masters show it \`fail\`;" \
      "rounds: $ROUNDS"
    echo
    python3 "$CUTIL" failover-report "$TSV"
  fi
} >"$REPORT"
cat "$REPORT"
if [[ $RECORD == yes ]]; then
  { echo; cat "$REPORT"; } >>"$RESULTS_FILE"
  log "appended to $RESULTS_FILE"
fi
