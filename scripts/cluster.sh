#!/usr/bin/env bash
# Local SoliKV cluster, the counterpart of Redis's utils/create-cluster:
#
#   scripts/cluster.sh start N      start N cluster-mode nodes on ports BASE+1 .. BASE+N and
#                                   wait (up to 10 s each) until they answer PING
#   scripts/cluster.sh create N [R] join them with `redis-cli --cluster create`, R replicas
#                                   per master (default 0)
#   scripts/cluster.sh stop N       stop them (by the pid files this script wrote)
#
# Environment: BASE (default 30000), DIR (default ./cluster-nodes: one directory per node with
# its nodes.conf, log and pid), SOLIKV (binary; default target/release/solikv, built if
# missing), TIMEOUT (cluster-node-timeout, default 2000).
#
# Example: scripts/cluster.sh start 3 && scripts/cluster.sh create 3 && redis-cli -c -p 30001
set -euo pipefail

cmd=${1:-}
count=${2:-}
replicas=${3:-0}
base=${BASE:-30000}
dir=${DIR:-./cluster-nodes}
timeout=${TIMEOUT:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SOLIKV:-$root/target/release/solikv}

usage() {
    echo "usage: $0 start|create|stop N [replicas]" >&2
    exit 2
}

[[ -n $cmd && $count =~ ^[0-9]+$ && $count -gt 0 && $replicas =~ ^[0-9]+$ ]] || usage

case $cmd in
start)
    if [[ ! -x $bin ]]; then
        (cd "$root" && cargo build --release)
    fi
    for i in $(seq 1 "$count"); do
        port=$((base + i))
        node="$dir/$port"
        mkdir -p "$node"
        "$bin" --port "$port" --cluster-enabled yes --cluster-node-timeout "$timeout" \
            --dir "$node" --cores 1 --pin no >"$node/log" 2>&1 &
        echo $! >"$node/pid"
        echo "node $port: pid $(cat "$node/pid"), log $node/log"
    done
    for i in $(seq 1 "$count"); do
        port=$((base + i))
        tries=0
        until [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]]; do
            tries=$((tries + 1))
            if ((tries > 200)); then
                echo "node $port did not answer PING within 10 s; see $dir/$port/log" >&2
                exit 1
            fi
            sleep 0.05
        done
    done
    ;;
create)
    hosts=()
    for i in $(seq 1 "$count"); do
        hosts+=("127.0.0.1:$((base + i))")
    done
    redis-cli --cluster create "${hosts[@]}" --cluster-replicas "$replicas" --cluster-yes
    ;;
stop)
    for i in $(seq 1 "$count"); do
        pidfile="$dir/$((base + i))/pid"
        if [[ -f $pidfile ]]; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
    ;;
*)
    usage
    ;;
esac
