#!/usr/bin/env bash
# Usage: scripts/bench.sh [--rounds N] [--only WORKLOAD[,WORKLOAD...]] [--record] [--keep]
#        scripts/bench.sh --cluster [options] (3-master clusters: scripts/bench_cluster.sh)
#        scripts/bench.sh --help
#
# Compares SoliKV with redis-server on this machine. Both servers start side by side on free
# loopback ports; for each workload redis-benchmark runs against them in turn, solikv then redis,
# for N rounds (A B A B ...). Each run reports ops/s, p50 and p99 latency, and the server's CPU
# time per operation (utime+stime of all its threads from /proc/PID/stat, sampled before and
# after). The summary gives medians over rounds and their ratio solikv/redis. Both servers are
# stopped on exit, whatever the cause. See tuning/README.md for how results are recorded.
#
# Options:
#   --rounds N     runs per server and workload (default 2, or BENCH_ROUNDS)
#   --only LIST    run only these workloads (names from the WORKLOADS table, comma-separated)
#   --record       also append the report to tuning/RESULTS.md
#   --keep         keep the working directory (server logs, raw redis-benchmark output)
#   --cluster      against 3-master clusters: runs scripts/bench_cluster.sh with all the arguments
#
# Environment:
#   SOLIKV_CMD     command starting the solikv side, split with shell quoting rules; the script
#                  appends --port P --bind 127.0.0.1. Default: target/release/solikv, built
#                  first with `cargo build --release`. Example stand-in for testing:
#                  SOLIKV_CMD="redis-server --save '' --appendonly no"
#   SOLIKV_ARGS    extra arguments for solikv, e.g. "--cores 1 --pin yes" (default none)
#   REDIS_CMD      command starting the redis side (default redis-server); the script appends
#                  --port P --bind 127.0.0.1 --save '' --appendonly no --dir TMP, and
#                  --server_cpulist C when SoliKV's first data core is pinned to CPU C, so both
#                  servers run their command loop on the same CPU (redis-server's own setting)
#   BENCH_REDIS_PIN  "no" leaves redis-server unpinned even when SoliKV pins (default yes)
#   BENCH_N        requests per unit in the WORKLOADS table (default 100000)
#   BENCH_CLIENTS  redis-benchmark connections, -c (default 50)
#   BENCH_KEYSPACE random keys over 0..K-1, -r; both servers are filled with all K keys first
#                  (default 100000)
#   BENCH_DATA_SIZE value size in bytes, -d (default 32)
#   BENCH_CLIENT_THREADS  redis-benchmark --threads (default: unset, its single-threaded mode)
#   BENCH_RUN_TIMEOUT     seconds one redis-benchmark invocation may take (default 300)
#   BENCH_ZSET_MEMBERS    members of bench:zset, the sorted set ZRANGE reads (default 1000)
#   BENCH_MEMTIER  "no" skips the memtier_benchmark workloads, which otherwise run whenever
#                  memtier_benchmark is on PATH (default yes)
#
# The Markdown report goes to stdout, progress to stderr. Needs redis-server, redis-cli,
# redis-benchmark (7.x) and python3; uses memtier_benchmark too when it is on PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly UTIL="$ROOT/scripts/bench_util.py"
readonly RESULTS_FILE="$ROOT/tuning/RESULTS.md"
readonly BENCH_NAME=bench.sh
# shellcheck source=scripts/bench_common.sh
source "$ROOT/scripts/bench_common.sh"

# ---- Workloads ------------------------------------------------------------------------------------
#
# One line per redis-benchmark invocation:   workload  pipeline  units  redis-benchmark arguments
#
# Lines with the same workload name run back to back against one server and together make one
# run; the report shows each line and, for multi-line workloads, their combination (total ops over
# total time, total CPU over total ops, percentiles of all requests). A line sends units × BENCH_N
# requests, so the units also set the mix (SET 1 : GET 10). The arguments follow the common ones
# (-c -n -r -d -P): a test (-t NAME) or a command with arguments. New workloads are new lines,
# for example `-t lpush` or `ZRANGE bench:zset 0 9 WITHSCORES`. redis-benchmark's -t tests use one
# key each (mylist, myset, myhash, myzset) with random members over the keyspace; bench:zset is made
# by the fill step (ZSET_MEMBERS members with random scores) so that ZRANGE reads a real set.
readonly WORKLOADS=(
  "set-get-P1      1   1  -t set"
  "set-get-P1      1  10  -t get"
  "set-get-P16    16   4  -t set"
  "set-get-P16    16  40  -t get"
  "lpush-lpop-P1   1   1  -t lpush"
  "lpush-lpop-P1   1   1  -t lpop"
  "lpush-lpop-P16 16   4  -t lpush"
  "lpush-lpop-P16 16   4  -t lpop"
  "sadd-P1         1   1  -t sadd"
  "sadd-P16       16   4  -t sadd"
  "hset-P1         1   1  -t hset"
  "hset-P16       16   4  -t hset"
  "zadd-P1         1   1  -t zadd"
  "zadd-P16       16   4  -t zadd"
  "zrange-P1       1   1  ZRANGE bench:zset 0 9 WITHSCORES"
  "zrange-P16     16   4  ZRANGE bench:zset 0 9 WITHSCORES"
  "eval-incr-P1    1   1  EVAL return(redis.call('incr',KEYS[1])) 1 bench:counter"
  "eval-incr-P16  16   4  EVAL return(redis.call('incr',KEYS[1])) 1 bench:counter"
  "eval-4calls-P1  1   1  EVAL redis.call('incr',KEYS[1]);redis.call('incr',KEYS[1]);redis.call('incr',KEYS[1]);return(redis.call('get',KEYS[1])) 1 bench:counter4"
)

# The same 1:10 SET:GET mix from memtier_benchmark, when it is on PATH (one invocation per run:
# memtier mixes the commands itself). Same columns, but the third is the run's length in seconds
# at BENCH_N=100000 (scaled with BENCH_N, at least 1): every connection runs that long
# (--test-time), the request count comes from memtier's JSON report, and the throughput is that
# count over the test time. memtier's own Ops/sec divides by the mean of the connections'
# start-to-finish times, which varies from run to run (with -n it reached 1.6M/s at pipeline 16,
# where 800 requests in flight at 0.6 ms allow 1.3M/s; tuning/FINDINGS.md section 16). The
# arguments follow the common ones (-s -p -t 1 -c --test-time --pipeline -d and random keys
# memtier-1 .. memtier-K, which the fill step writes).
readonly MEMTIER_WORKLOADS=(
  "memtier-set-get-P1    1   6  --ratio=1:10"
  "memtier-set-get-P16  16   4  --ratio=1:10"
)

# ---- Settings ---------------------------------------------------------------------------------------

usage() {
  sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

readonly ORIGINAL_ARGS=("$@")
ROUNDS=${BENCH_ROUNDS:-2}
ONLY=""
RECORD=no
KEEP=no
while (($# > 0)); do
  case $1 in
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
    --only) ONLY=${2:?--only needs workload names}; shift 2 ;;
    --record) RECORD=yes; shift ;;
    --keep) KEEP=yes; shift ;;
    --cluster) exec "$ROOT/scripts/bench_cluster.sh" "${ORIGINAL_ARGS[@]}" ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
readonly ROUNDS ONLY RECORD KEEP
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer"

readonly N=${BENCH_N:-100000}
readonly CLIENTS=${BENCH_CLIENTS:-50}
readonly KEYSPACE=${BENCH_KEYSPACE:-100000}
readonly DATA_SIZE=${BENCH_DATA_SIZE:-32}
readonly RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-300}
readonly ZSET_MEMBERS=${BENCH_ZSET_MEMBERS:-1000}
CLIENT_THREAD_ARGS=()
if [[ -n ${BENCH_CLIENT_THREADS:-} ]]; then
  CLIENT_THREAD_ARGS=(--threads "$BENCH_CLIENT_THREADS")
fi
readonly CLIENT_THREAD_ARGS
require_positive "$N" "$CLIENTS" "$KEYSPACE" "$DATA_SIZE" "$RUN_TIMEOUT" "$ZSET_MEMBERS"
require_tools redis-server redis-cli redis-benchmark python3 timeout git
MEMTIER=no
if [[ ${BENCH_MEMTIER:-yes} != no ]] && command -v memtier_benchmark >/dev/null; then
  MEMTIER=yes
fi
readonly MEMTIER
TABLE=("${WORKLOADS[@]}")
if [[ $MEMTIER == yes ]]; then
  TABLE+=("${MEMTIER_WORKLOADS[@]}")
fi
readonly TABLE

# quote WORD... — the words as one line that a shell would split back into the same words.
quote() {
  local word out=()
  for word in "$@"; do
    if [[ $word =~ ^[[:alnum:]_./:=,+-]+$ ]]; then
      out+=("$word")
    elif [[ $word != *"'"* ]]; then
      out+=("'$word'")
    elif [[ $word != *[\"\$\`\\]* ]]; then
      out+=("\"$word\"")
    else
      out+=("$(printf '%q' "$word")")
    fi
  done
  echo "${out[*]}"
}

# The exact command line, with the settings that came from the environment.
COMMAND_LINE=""
for var in SOLIKV_CMD SOLIKV_ARGS REDIS_CMD BENCH_ROUNDS BENCH_N BENCH_CLIENTS BENCH_KEYSPACE \
  BENCH_DATA_SIZE BENCH_CLIENT_THREADS BENCH_RUN_TIMEOUT BENCH_ZSET_MEMBERS BENCH_MEMTIER; do
  if [[ -n ${!var:-} ]]; then
    COMMAND_LINE+="$var=$(quote "${!var}") "
  fi
done
COMMAND_LINE+=$(quote scripts/bench.sh "${ORIGINAL_ARGS[@]}")
readonly COMMAND_LINE

# The workloads to run, in table order, each once.
ALL=()
SELECTED=()
for line in "${TABLE[@]}"; do
  read -r name _ <<<"$line"
  [[ " ${ALL[*]} " == *" $name "* ]] && continue
  ALL+=("$name")
  if [[ -z $ONLY || ",$ONLY," == *",$name,"* ]]; then
    SELECTED+=("$name")
  fi
done
IFS=, read -ra wanted <<<"$ONLY"
for name in "${wanted[@]}"; do
  [[ " ${ALL[*]} " == *" $name "* ]] || die "no workload '$name'; there are: ${ALL[*]}"
done
readonly SELECTED

# ---- Servers --------------------------------------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/solikv-bench.XXXXXX")
readonly WORK
declare -A PID=() PORT=()
STARTED=()
CLIENT_PID=""

stop_servers() {
  stop_pids "${STARTED[@]}"
  STARTED=()
}

cleanup() {
  stop_client
  stop_servers
  if [[ $KEEP == yes ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server SIDE PORT COMMAND... — starts it in the background and waits until it answers PING.
start_server() {
  local side=$1 port=$2 tries
  shift 2
  "$@" >"$WORK/$side.log" 2>&1 &
  PID[$side]=$!
  PORT[$side]=$port
  STARTED+=("${PID[$side]}")
  for ((tries = 0; tries < 200; tries++)); do
    kill -0 "${PID[$side]}" 2>/dev/null || {
      cat "$WORK/$side.log" >&2
      die "$side exited during start-up: $(quote "$@")"
    }
    if [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; then
      log "$side is up on port $port (pid ${PID[$side]}): $(quote "$@")"
      return
    fi
    sleep 0.1
  done
  die "$side did not answer PING within 20 s: $(quote "$@")"
}

# cpu_ticks PID — utime+stime of all the process's threads, in clock ticks (fields 14 and 15).
cpu_ticks() {
  local stat fields
  stat=$(<"/proc/$1/stat")
  # Field 2 is the command name in parentheses and may contain spaces; field 3 follows ") ".
  read -ra fields <<<"${stat##*) }"
  echo $((fields[11] + fields[12]))
}

set_server_commands ""
readonly SOLIKV REDIS

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
readonly LOAD_BEFORE
read -r solikv_port redis_port < <(python3 "$UTIL" free-ports 2)
start_server solikv "$solikv_port" "${SOLIKV[@]}" --port "$solikv_port" --bind 127.0.0.1
# On a small machine the CPU a server runs on next to the load generator changes its cost per
# request by up to 2x (same CPU: no cross-CPU wake-ups), so redis-server's event loop goes
# where SoliKV's first data core is pinned (tuning/FINDINGS.md section 8).
redis_pin=()
solikv_cpu=$(pinned_cpu_of_thread "${PID[solikv]}" 'solikv-core-0-*')
if [[ -n $solikv_cpu && ${BENCH_REDIS_PIN:-yes} != no ]]; then
  redis_pin=(--server_cpulist "$solikv_cpu")
fi
start_server redis "$redis_port" "${REDIS[@]}" --port "$redis_port" --bind 127.0.0.1 \
  --save '' --appendonly no --dir "$WORK" "${redis_pin[@]}"

for side in solikv redis; do
  log "filling $side with $KEYSPACE keys of $DATA_SIZE bytes"
  timeout "$RUN_TIMEOUT" python3 "$UTIL" fill 127.0.0.1 "${PORT[$side]}" "$KEYSPACE" "$DATA_SIZE"
  timeout "$RUN_TIMEOUT" python3 "$UTIL" fill-zset 127.0.0.1 "${PORT[$side]}" bench:zset \
    "$ZSET_MEMBERS"
  if [[ $MEMTIER == yes ]]; then
    timeout "$RUN_TIMEOUT" python3 "$UTIL" fill-memtier 127.0.0.1 "${PORT[$side]}" "$KEYSPACE" \
      "$DATA_SIZE"
  fi
done

# ---- Runs -----------------------------------------------------------------------------------------

readonly TSV="$WORK/results.tsv"
: >"$TSV"

# run_step WORKLOAD ROUND SIDE STEP PIPELINE UNITS ARGS... — one load generator invocation:
# memtier_benchmark for the memtier-* workloads, redis-benchmark for the others.
run_step() {
  local workload=$1 round=$2 side=$3 step=$4 pipeline=$5 units=$6
  shift 6
  local other=redis requests=$((units * N)) out before after other_before other_after seconds
  [[ $side == redis ]] && other=solikv
  out="$WORK/$workload.r$round.$side.$step.txt"

  before=$(cpu_ticks "${PID[$side]}")
  other_before=$(cpu_ticks "${PID[$other]}")
  if [[ $workload == memtier-* ]]; then
    seconds=$(((units * N + 99999) / 100000))
    run_benchmark "$out" "$side" memtier_benchmark -s 127.0.0.1 -p "${PORT[$side]}" \
      --protocol=redis -t 1 -c "$CLIENTS" --test-time="$seconds" --pipeline="$pipeline" \
      -d "$DATA_SIZE" --key-pattern=R:R --key-minimum=1 --key-maximum="$KEYSPACE" \
      --hide-histogram --json-out-file="$out.json" "$@"
    requests=$(python3 "$UTIL" memtier-count "$out.json")
  else
    run_benchmark "$out" "$side" redis-benchmark -h 127.0.0.1 -p "${PORT[$side]}" \
      -c "$CLIENTS" -n "$requests" -r "$KEYSPACE" -d "$DATA_SIZE" -P "$pipeline" \
      "${CLIENT_THREAD_ARGS[@]}" "$@"
  fi
  after=$(cpu_ticks "${PID[$side]}")
  other_after=$(cpu_ticks "${PID[$other]}")

  record_step "$workload" "$round" "$side" "$step" "$requests" "$pipeline" \
    $((after - before)) $((other_after - other_before)) "$out"
}

# run_workload WORKLOAD ROUND SIDE — every table line of the workload, in order.
run_workload() {
  local line fields step=0
  for line in "${TABLE[@]}"; do
    read -ra fields <<<"$line"
    [[ ${fields[0]} == "$1" ]] || continue
    step=$((step + 1))
    run_step "$1" "$2" "$3" "$step" "${fields[@]:1}"
  done
}

for workload in "${SELECTED[@]}"; do
  for ((round = 1; round <= ROUNDS; round++)); do
    for side in solikv redis; do
      run_workload "$workload" "$round" "$side"
      kill -0 "${PID[$side]}" 2>/dev/null || die "$side died during $workload"
    done
  done
done

# ---- Report ---------------------------------------------------------------------------------------

REPORT="$WORK/report.md"
{
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $(git_commit)"
  echo
  echo "- machine: $(nproc) CPUs, $(cpu_model), Linux $(uname -r);" \
    "load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`$COMMAND_LINE\`"
  echo "- solikv: \`$(quote "${SOLIKV[@]}")\`"
  echo "- redis: \`$(quote "${REDIS[@]}" "${redis_pin[@]}")\` ($("${REDIS[0]}" --version | grep -o 'v=[^ ]*' || true));" \
    "SoliKV's first data core pinned to CPU ${solikv_cpu:-none}"
  echo "- redis-benchmark $(redis-benchmark --version | cut -d' ' -f2): -c $CLIENTS -r $KEYSPACE" \
    "-d $DATA_SIZE ${CLIENT_THREAD_ARGS[*]:-(single-threaded)}; rounds: $ROUNDS; BENCH_N=$N;" \
    "keyspace filled before the runs"
  if [[ $MEMTIER == yes ]]; then
    echo "- $(memtier_benchmark --version 2>&1 | head -1): -t 1 -c $CLIENTS" \
      "--key-maximum $KEYSPACE -d $DATA_SIZE, --test-time as in the workload table"
  else
    echo "- memtier_benchmark: workloads not run (not on PATH, or BENCH_MEMTIER=no)"
  fi
  echo
  python3 "$UTIL" report "$TSV" "$(getconf CLK_TCK)"
} >"$REPORT"

cat "$REPORT"
if [[ $RECORD == yes ]]; then
  mkdir -p "$(dirname "$RESULTS_FILE")"
  if [[ ! -s $RESULTS_FILE ]]; then
    cat >"$RESULTS_FILE" <<'EOF'
# Benchmark results

Appended by `scripts/bench.sh --record`; README.md beside this file says how to read them.
EOF
  fi
  { echo; cat "$REPORT"; } >>"$RESULTS_FILE"
  log "appended to $RESULTS_FILE"
fi
