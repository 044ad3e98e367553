#!/usr/bin/env bash
# Runs SoliKV's checks and tests on a fresh machine, installing what they need.
#
#   scripts/test.sh            formatting, clippy, unit + integration tests
#
# The integration tests start the real solikv binary on loopback ports and compare it with
# Debian's redis-server (the oracle) and drive it with redis-cli, so both are installed first.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need_pkgs+=(redis-tools)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
    echo "installing ${need_pkgs[*]} (the oracle and redis-cli)"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq redis-server redis-tools >/dev/null
    # Debian's package may start a system redis on 6379; the tests use their own ports.
fi

# redis-py's RedisCluster is one of the cluster clients the integration tests drive.
if ! python3 -c "import redis" >/dev/null 2>&1; then
    echo "installing redis-py (PyPI redis) for the cluster client test"
    python3 -m pip install -q redis
fi

# glommio needs at least 512 KiB of locked memory per data core.
if [ "$(ulimit -l)" != "unlimited" ] && [ "$(ulimit -l)" -lt 8192 ]; then
    ulimit -l 8192 2>/dev/null || echo "warning: ulimit -l is $(ulimit -l) KiB"
fi

cargo fmt --check
cargo clippy --all-targets -- -D warnings
# --tests: unit and integration tests (there are no doctests), integration last.
cargo test --tests
