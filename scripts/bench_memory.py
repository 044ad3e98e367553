#!/usr/bin/env python3
"""Memory per element of big hashes, sets and sorted sets: SoliKV against redis-server.

usage: scripts/bench_memory.py [--members N] [--record] [--solikv PATH] [--solikv-args ARGS]

Starts target/release/solikv (build it first, or give --solikv) and redis-server side by side on
free loopback ports, then for each type loads N members (default 1,000,000) into one key of each
server with pipelined batches of 1000 members per command:

  hash   HSET big:hash field:<i> value:<i>
  set    SADD big:set member:<i>
  zset   ZADD big:zset <(i * 7919) mod 1000003> member:<i>

and reports, per member, the growth of `INFO memory` used_memory and of the process's resident
set size (VmRSS from /proc/PID/status) while the key was loaded. Both columns are shown because the two servers count used_memory differently:
redis-server counts the allocator's usable size of every block, SoliKV the requested sizes; RSS is
what the kernel sees for both. Each type gets freshly started servers. The Markdown report goes to stdout; --record appends it to
tuning/RESULTS.md. The servers are stopped when each type is done, and on exit.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BATCH = 1000
TYPES = {
    "hash": lambda i: [b"field:%d" % i, b"value:%d" % i],
    "set": lambda i: [b"member:%d" % i],
    "zset": lambda i: [b"%d" % ((i * 7919) % 1000003), b"member:%d" % i],
}
COMMANDS = {"hash": b"HSET", "set": b"SADD", "zset": b"ZADD"}


def encode(args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""

    def _fill(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            sys.exit("bench_memory: server closed the connection")
        self.buf += chunk

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        head = self.line()
        if head[:1] == b"$":
            n = int(head[1:])
            while len(self.buf) < n + 2:
                self._fill()
            body, self.buf = self.buf[:n], self.buf[n + 2:]
            return body
        if head[:1] == b"-":
            sys.exit(f"bench_memory: error reply {head!r}")
        return head

    def call(self, args):
        self.sock.sendall(encode(args))
        return self.reply()


def free_ports(count):
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def used_memory(conn):
    return int(re.search(rb"used_memory:(\d+)", conn.call([b"INFO", b"memory"])).group(1))


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        kb = re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)
    return int(kb) * 1024


def start(cmd, port, log_path):
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"bench_memory: {cmd[0]} exited at start-up (see {log_path})")
        try:
            conn = Conn(port)
            if conn.call([b"PING"]) == b"+PONG":
                return proc, conn
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit(f"bench_memory: {cmd[0]} did not answer PING within 20 s")


def load(conn, kind, members):
    """Loads the members in pipelined batches, 16 commands in flight, within a deadline."""
    key = b"big:" + kind.encode()
    deadline = time.monotonic() + 600
    batches = list(range(0, members, BATCH))
    for group in range(0, len(batches), 16):
        if time.monotonic() > deadline:
            sys.exit("bench_memory: loading took more than 600 s")
        sent = batches[group:group + 16]
        payload = b""
        for start_at in sent:
            args = [COMMANDS[kind], key]
            for i in range(start_at, min(start_at + BATCH, members)):
                args += TYPES[kind](i)
            payload += encode(args)
        conn.sock.sendall(payload)
        for start_at in sent:
            want = min(BATCH, members - start_at)
            got = conn.reply()
            if got != b":%d" % want:
                sys.exit(f"bench_memory: {kind} batch at {start_at} replied {got!r}")
    return key


def measure(proc, conn, kind, members):
    conn.call([b"FLUSHALL"])
    time.sleep(0.2)
    used0, rss0 = used_memory(conn), rss_bytes(proc.pid)
    key = load(conn, kind, members)
    used1, rss1 = used_memory(conn), rss_bytes(proc.pid)
    conn.call([b"DEL", key])
    return (used1 - used0) / members, (rss1 - rss0) / members


def git_commit():
    try:
        out = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", ".",
                                ":!tuning/RESULTS.md"], capture_output=True, text=True).stdout
        return out + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv):
    members, record = 1_000_000, False
    solikv = [os.path.join(ROOT, "target/release/solikv")]
    extra = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--members":
            members = int(args.pop(0))
        elif arg == "--record":
            record = True
        elif arg == "--solikv":
            solikv = shlex.split(args.pop(0))
        elif arg == "--solikv-args":
            extra = shlex.split(args.pop(0))
        else:
            sys.exit(__doc__)
    if members < BATCH:
        sys.exit("bench_memory: --members must be at least 1000")

    work = tempfile.mkdtemp(prefix="solikv-memory.")
    rows = []
    for kind in TYPES:
        # Fresh servers per type, so that memory freed by an earlier type and kept by the
        # allocator does not hide RSS growth.
        sport, rport = free_ports(2)
        scmd = solikv + extra + ["--port", str(sport), "--bind", "127.0.0.1"]
        rcmd = ["redis-server", "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", work]
        sides = {}
        try:
            sides["solikv"] = start(scmd, sport, os.path.join(work, "solikv.log"))
            sides["redis"] = start(rcmd, rport, os.path.join(work, "redis.log"))
            got = {}
            for side, (proc, conn) in sides.items():
                print(f"bench_memory: {kind} on {side}", file=sys.stderr)
                got[side] = measure(proc, conn, kind, members)
            rows.append((kind, got))
        finally:
            for proc, _ in sides.values():
                proc.terminate()
            for proc, _ in sides.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()

    version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    version = re.search(r"v=(\S+)", version).group(1)
    with open("/proc/loadavg") as f:
        load_avg = " ".join(f.read().split()[:3])
    lines = [
        f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — memory per element, "
        f"{git_commit()}",
        "",
        f"- machine: {os.cpu_count()} CPUs, Linux {os.uname().release}; load average {load_avg}",
        f"- command: `scripts/bench_memory.py --members {members}`",
        f"- solikv: `{shlex.join(solikv + extra)}`; redis: redis-server {version}",
        "",
        "Bytes per member while one key grows to the member count; × is solikv/redis "
        "(below 1 is better).",
        "",
        "| type | members | used_memory solikv | used_memory redis | × | RSS solikv | RSS redis | × |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, got in rows:
        (su, sr), (ru, rr) = got["solikv"], got["redis"]
        lines.append(f"| {kind} | {members:,} | {su:.1f} | {ru:.1f} | {su / ru:.2f} | "
                     f"{sr:.1f} | {rr:.1f} | {sr / rr:.2f} |")
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if record:
        with open(os.path.join(ROOT, "tuning/RESULTS.md"), "a") as f:
            f.write("\n" + report)
        print("bench_memory: appended to tuning/RESULTS.md", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
