#!/usr/bin/env python3
"""Cluster chores for scripts/bench_cluster.sh (the rest comes from bench_util.py).

Subcommands (all write to stdout; errors go to stderr with a non-zero exit):

  cluster-ports N                   N distinct free ports on 127.0.0.1 below 55535 whose bus
                                    port (+10000) is free too, space-separated
  wait-ok TIMEOUT_S PORT...         waits until every node says cluster_state:ok and flags no
                                    node fail or fail?, and all agree on the node count
  fail-time PID ID TIMEOUT_S PORT...
                                    kill -9 PID (the node ID), then polls CLUSTER NODES on every
                                    PORT; prints the ms until each showed ID as fail, then the max
  failover-report TSV               Markdown table of fail-time results: side, round, ms
"""

import os
import signal
import socket
import statistics
import sys
import time

SIDES = ("solikv", "redis")


def cluster_ports(count):
    socks, ports = [], []
    try:
        while len(ports) < count:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            socks.append(s)
            if port >= 55535 or port + 10000 in ports or port - 10000 in ports:
                continue
            bus = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                bus.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
            finally:
                bus.close()
            ports.append(port)
        print(" ".join(str(p) for p in ports))
    finally:
        for s in socks:
            s.close()


class Node:
    """A RESP connection for CLUSTER INFO / NODES (bulk or verbatim replies)."""

    def __init__(self, port):
        self.port = port
        self.sock = None

    def call(self, *args):
        try:
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            req = b"*%d\r\n" % len(args) + b"".join(
                b"$%d\r\n%s\r\n" % (len(a), a.encode()) for a in args)
            self.sock.sendall(req)
            return self._bulk()
        except OSError:
            self.close()
            return None

    def _bulk(self):
        buf = b""
        while b"\r\n" not in buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            buf += chunk
        head, rest = buf.split(b"\r\n", 1)
        if head[:1] not in (b"$", b"="):
            return None
        size = int(head[1:])
        while len(rest) < size + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            rest += chunk
        text = rest[:size].decode(errors="replace")
        return text[4:] if head[:1] == b"=" else text

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def flags_of(nodes_text, node_id):
    for line in nodes_text.splitlines():
        fields = line.split(" ")
        if fields[0] == node_id and len(fields) > 2:
            return fields[2].split(",")
    return None


def wait_ok(timeout_s, ports):
    nodes = [Node(p) for p in ports]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        counts = set()
        healthy = True
        for n in nodes:
            info, text = n.call("CLUSTER", "INFO"), n.call("CLUSTER", "NODES")
            if info is None or text is None or "cluster_state:ok" not in info:
                healthy = False
                break
            lines = text.splitlines()
            counts.add(len(lines))
            if any(f in ("fail", "fail?", "handshake")
                   for line in lines for f in line.split(" ")[2].split(",")):
                healthy = False
                break
        if healthy and len(counts) == 1:
            return
        time.sleep(0.05)
    sys.exit(f"wait-ok: the cluster on ports {ports} is not ok after {timeout_s} s")


def fail_time(pid, node_id, timeout_s, ports):
    nodes = [Node(p) for p in ports]
    for n in nodes:
        n.call("PING")  # connect before the clock starts
    os.kill(pid, signal.SIGKILL)
    start = time.monotonic()
    seen = {}
    while len(seen) < len(nodes):
        if time.monotonic() - start > timeout_s:
            sys.exit(f"fail-time: {node_id} not flagged fail on every node after {timeout_s} s")
        for n in nodes:
            if n.port in seen:
                continue
            text = n.call("CLUSTER", "NODES")
            flags = flags_of(text or "", node_id)
            if flags is not None and "fail" in flags:
                seen[n.port] = (time.monotonic() - start) * 1000
        time.sleep(0.005)
    print(" ".join(f"{seen[n.port]:.0f}" for n in nodes), f"{max(seen.values()):.0f}")


def failover_report(tsv_path):
    # lines: side, round, per-node ms..., max ms
    rows, by_side = [], {s: [] for s in SIDES}
    with open(tsv_path, encoding="utf-8") as f:
        for line in f:
            side, rnd, *times = line.split()
            rows.append((side, rnd, times[:-1], times[-1]))
            by_side[side].append(float(times[-1]))
    print("| server | rounds | median ms to FAIL on all | min | max |")
    print("|---|---|---|---|---|")
    medians = {}
    for side in SIDES:
        v = by_side[side]
        if v:
            medians[side] = statistics.median(v)
            print(f"| {side} | {len(v)} | {medians[side]:.0f} | {min(v):.0f} | {max(v):.0f} |")
    if len(medians) == 2 and medians["redis"]:
        print()
        print(f"Ratio solikv/redis of the medians: {medians['solikv'] / medians['redis']:.2f}.")
    print()
    print("| server | round | ms per surviving node | ms until all |")
    print("|---|---|---|---|")
    for side, rnd, times, worst in rows:
        print(f"| {side} | {rnd} | {' '.join(times)} | {worst} |")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "cluster-ports" and len(args) == 1:
        cluster_ports(int(args[0]))
    elif cmd == "wait-ok" and len(args) >= 2:
        wait_ok(float(args[0]), [int(p) for p in args[1:]])
    elif cmd == "fail-time" and len(args) >= 4:
        fail_time(int(args[0]), args[1], float(args[2]), [int(p) for p in args[3:]])
    elif cmd == "failover-report" and len(args) == 1:
        failover_report(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
