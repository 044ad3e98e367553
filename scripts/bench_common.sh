# Shell functions shared by scripts/bench.sh and scripts/bench_cluster.sh (sourced, not run).
#
# The sourcing script sets BENCH_NAME (its name, for messages) and ROOT (the repository), and
# a global CLIENT_PID that its EXIT trap stops.

die() {
  echo "$BENCH_NAME: $*" >&2
  exit 1
}

log() {
  echo "$BENCH_NAME: $*" >&2
}

# require_positive VALUE... — dies unless every value is a positive integer.
require_positive() {
  local value
  for value in "$@"; do
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "settings must be positive integers (got '$value')"
  done
}

# require_tools TOOL... — dies naming the first tool that is not on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH"
  done
}

# set_server_commands DEFAULT_SOLIKV_ARGS — fills the arrays SOLIKV (SOLIKV_CMD, or
# target/release/solikv built first, plus SOLIKV_ARGS or the default) and REDIS (REDIS_CMD or
# redis-server).
set_server_commands() {
  if [[ -n ${SOLIKV_CMD:-} ]]; then
    eval "SOLIKV=($SOLIKV_CMD)"
  else
    log "building target/release/solikv"
    (cd "$ROOT" && cargo build --release --quiet) >&2
    SOLIKV=("$ROOT/target/release/solikv")
  fi
  # Word splitting of SOLIKV_ARGS is intended: it is a list of arguments.
  # shellcheck disable=SC2206
  SOLIKV+=(${SOLIKV_ARGS:-$1})
  eval "REDIS=(${REDIS_CMD:-redis-server})"
}

# pinned_cpu_of_thread PID PATTERN — the CPU the first thread of PID whose name matches the glob
# PATTERN is pinned to; empty when there is no such thread or it may run on several CPUs.
pinned_cpu_of_thread() {
  local task name cpus
  for task in /proc/"$1"/task/*; do
    name=$(<"$task/comm")
    # shellcheck disable=SC2053  # PATTERN is a glob on purpose
    [[ $name == $2 ]] || continue
    cpus=$(taskset -pc "${task##*/}" 2>/dev/null | sed 's/.*: //')
    [[ $cpus =~ ^[0-9]+$ ]] && echo "$cpus"
    return 0
  done
}

# stop_pids PID... — SIGTERM, then SIGKILL for any still alive after 5 s; reaps them.
stop_pids() {
  local pid tries
  for pid in "$@"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    for ((tries = 0; tries < 50; tries++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored SIGTERM for 5 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}

# stop_client — stops a load generator still running (from the EXIT trap).
stop_client() {
  if [[ -n ${CLIENT_PID:-} ]]; then
    kill -TERM "$CLIENT_PID" 2>/dev/null || true
    wait "$CLIENT_PID" 2>/dev/null || true
  fi
}

# run_benchmark OUT SIDE TOOL ARGS... — runs `TOOL ARGS` (redis-benchmark or memtier_benchmark)
# bounded by RUN_TIMEOUT, output in OUT (and OUT.err), and sets CLIENT_CPU to the client's CPU
# seconds (user + system). Call it
# directly, not in $(...), so that CLIENT_PID is this shell's. In the background,
# so that a signal interrupts `wait` and the EXIT trap stops the client at once; `time wait`
# reports the CPU of the children reaped meanwhile: the client and `timeout`.
run_benchmark() {
  local out=$1 side=$2 tool=$3 user sys
  shift 3
  timeout "$RUN_TIMEOUT" "$tool" "$@" >"$out" 2>"$out.err" &
  CLIENT_PID=$!
  local TIMEFORMAT='%3U %3S'
  if ! { time wait "$CLIENT_PID"; } 2>"$out.time"; then
    CLIENT_PID=""
    cat "$out.err" >&2
    die "$tool failed or timed out against $side: $*"
  fi
  CLIENT_PID=""
  read -r user sys <"$out.time"
  CLIENT_CPU=$(python3 -c "print($user + $sys)")
}

# git_commit — the short commit, with -dirty when code (not the results log) has changes.
git_commit() {
  local commit dirty=""
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || {
    echo unknown
    return
  }
  if [[ -n $(git -C "$ROOT" status --porcelain -- . ':!tuning/RESULTS.md') ]]; then
    dirty="-dirty"
  fi
  echo "$commit$dirty"
}

# cpu_model — the CPU's name from /proc/cpuinfo.
cpu_model() {
  local model
  model=$(grep -m1 -E '^(model name|Model|Hardware)\s*:' /proc/cpuinfo | cut -d: -f2- || true)
  echo "${model# }"
}

# record_step WORKLOAD ROUND SIDE STEP REQUESTS PIPELINE TICKS IDLE_TICKS OUT — logs one
# load generator run (parsed from OUT by bench_util.py) and appends its line to $TSV, with
# CLIENT_CPU from the run_benchmark just before.
record_step() {
  local workload=$1 round=$2 side=$3 step=$4 requests=$5 pipeline=$6 ticks=$7 idle=$8 out=$9
  local title rps p50 p99
  IFS=$'\t' read -r title rps p50 p99 < <(python3 "$ROOT/scripts/bench_util.py" parse "$out")
  log "$workload round $round $side $title: $rps ops/s, p50 $p50 ms, p99 $p99 ms"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workload" "$round" "$side" "$step" \
    "$requests" "$pipeline" "$ticks" "$idle" "$CLIENT_CPU" "$out" >>"$TSV"
}
