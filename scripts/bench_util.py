#!/usr/bin/env python3
"""Parsing, arithmetic and small network chores for scripts/bench.sh.

Subcommands (all write to stdout; errors go to stderr with a non-zero exit):

  free-ports N                      N distinct free TCP ports on 127.0.0.1, space-separated
  fill HOST PORT KEYS SIZE          SET key:000000000000 .. key:<KEYS-1> to SIZE-byte values
  fill-zset HOST PORT KEY MEMBERS   ZADD MEMBERS members (member:<i>, seeded random scores) to KEY
  fill-memtier HOST PORT KEYS SIZE  SET memtier-1 .. memtier-<KEYS> (memtier_benchmark's key names)
  parse FILE                        "title<TAB>ops/s<TAB>p50 ms<TAB>p99 ms" of one redis-benchmark
                                    or memtier_benchmark run
  memtier-count FILE                the request count of memtier_benchmark's JSON report FILE
  report RESULTS.tsv CLK_TCK        the Markdown tables (summary, then every run)

The keys written by `fill` are the ones redis-benchmark's `-r` produces (`key:` and twelve digits),
so GETs in the measured runs hit existing keys on both servers.

RESULTS.tsv has one line per load generator invocation, with these tab-separated columns:
workload, round, side (solikv|redis), step (index within the run), requests, pipeline, server CPU
ticks, idle-side CPU ticks, client CPU seconds, path of the saved output (redis-benchmark's or memtier_benchmark's, told apart by its text).
"""

import json
import random
import re
import socket
import statistics
import sys
import time

SIDES = ("solikv", "redis")

# ---- Commands used while setting up -------------------------------------------------------------


def free_ports(count):
    """Holds all sockets open until every port is known, so the ports are distinct."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        print(" ".join(str(s.getsockname()[1]) for s in socks))
    finally:
        for s in socks:
            s.close()


def fill(host, port, keys, size, key_format=b"key:%012d", first=0, batch=1000, timeout_s=60.0):
    """SETs the keys key_format % i for i in first .. first+keys-1, pipelined in batches, and
    checks that every reply is +OK, within a deadline."""
    value = b"x" * size
    deadline = time.monotonic() + timeout_s
    with socket.create_connection((host, port), timeout=10) as conn:
        for start in range(first, first + keys, batch):
            if time.monotonic() > deadline:
                sys.exit(f"fill: not done after {timeout_s:.0f} s")
            n = min(batch, first + keys - start)
            parts = []
            for i in range(start, start + n):
                key = key_format % i
                parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n"
                             % (len(key), key, size, value))
            conn.sendall(b"".join(parts))
            expected = b"+OK\r\n" * n
            got = b""
            while len(got) < len(expected):
                chunk = conn.recv(65536)
                if not chunk:
                    sys.exit("fill: server closed the connection")
                got += chunk
                if not expected.startswith(got[: len(expected)]):
                    sys.exit(f"fill: unexpected reply {got[:80]!r}")
            if got != expected:
                sys.exit(f"fill: unexpected trailing reply {got[len(expected):][:80]!r}")


def fill_zset(host, port, key, members, batch=1000, timeout_s=60.0):
    """ZADDs members in batches of one command each and checks the added counts."""
    rng = random.Random(members)
    deadline = time.monotonic() + timeout_s
    with socket.create_connection((host, port), timeout=10) as conn:
        for start in range(0, members, batch):
            if time.monotonic() > deadline:
                sys.exit(f"fill-zset: not done after {timeout_s:.0f} s")
            n = min(batch, members - start)
            args = [b"ZADD", key.encode()]
            for i in range(start, start + n):
                args += [b"%d" % rng.randrange(1_000_000), b"member:%d" % i]
            conn.sendall(b"*%d\r\n" % len(args)
                         + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
            got = b""
            while not got.endswith(b"\r\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    sys.exit("fill-zset: server closed the connection")
                got += chunk
            if got != b":%d\r\n" % n:
                sys.exit(f"fill-zset: unexpected reply {got[:80]!r}")


# ---- Reading redis-benchmark's output -------------------------------------------------------------

TITLE = re.compile(r"^====== (.+) ======$")
THROUGHPUT = re.compile(r"throughput summary: ([\d.]+) requests per second")
SUMMARY_HEADER = re.compile(r"^\s*avg\s+min\s+p50\s+p95\s+p99\s+max\s*$")
POINT = re.compile(r"^([\d.]+)% <= ([\d.]+) milliseconds \(cumulative count (\d+)\)$")
COMPLETED = re.compile(r"(\d+) requests completed in")


class Run:
    """One redis-benchmark invocation: its headline numbers and its latency distribution."""

    def __init__(self, path):
        with open(path, encoding="utf-8", errors="replace") as f:
            # Progress updates are separated by carriage returns; they are not needed.
            lines = [line.strip() for line in re.split(r"[\r\n]", f.read())]
        self.title = None
        self.ops_per_sec = None
        self.p50 = self.p99 = None
        self.completed = None
        counts = {}
        for i, line in enumerate(lines):
            if (m := TITLE.match(line)) and self.title is None:
                self.title = m.group(1)
            elif m := THROUGHPUT.search(line):
                self.ops_per_sec = float(m.group(1))
            elif SUMMARY_HEADER.match(line) and i + 1 < len(lines):
                fields = [float(x) for x in lines[i + 1].split()]
                self.p50, self.p99 = fields[2], fields[4]
            elif m := POINT.match(line):
                ms, count = float(m.group(2)), int(m.group(3))
                counts[ms] = max(count, counts.get(ms, 0))
            elif m := COMPLETED.search(line):
                self.completed = int(m.group(1))
        if None in (self.title, self.ops_per_sec, self.p50, self.completed) or not counts:
            sys.exit(f"{path}: not a complete redis-benchmark 7 report")
        # Cumulative counts from both distribution sections, as (ms, count) rising in both.
        self.points = []
        for ms in sorted(counts):
            if not self.points or counts[ms] > self.points[-1][1]:
                self.points.append((ms, counts[ms]))

    def seconds(self):
        return self.completed / self.ops_per_sec


    def count_within(self, ms):
        """Requests answered within `ms`, interpolated linearly between printed points."""
        prev_ms, prev_count = 0.0, 0
        for point_ms, count in self.points:
            if ms <= point_ms:
                if point_ms == prev_ms:
                    return count
                return prev_count + (count - prev_count) * (ms - prev_ms) / (point_ms - prev_ms)
            prev_ms, prev_count = point_ms, count
        return prev_count


class MemtierRun(Run):
    """One memtier_benchmark invocation, from the Totals line of its ALL STATS table.

    Its text prints no request count, so it is given (from its JSON report, as the run's requests
    in RESULTS.tsv; 0 when
    only the headline numbers are wanted). Its percentiles are only the printed ones, so runs
    of several steps cannot be merged: memtier workloads are one step each.
    """

    def __init__(self, path, requests=0):
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in re.split(r"[\r\n]", f.read())]
        header, rows = None, {}
        if "ALL STATS" in lines:
            for line in lines[lines.index("ALL STATS"):]:
                if header is None:
                    if line.startswith("Type "):
                        header = re.split(r"\s{2,}", line)
                elif line.split() and len(line.split()) == len(header):
                    rows[line.split()[0]] = dict(zip(header, line.split()))
                    if line.startswith("Totals "):
                        break
        totals = rows.get("Totals")
        if totals is None:
            sys.exit(f"{path}: not a complete memtier_benchmark report (no ALL STATS Totals)")
        try:
            self.ops_per_sec = float(totals["Ops/sec"])
            self.p50 = float(totals["p50 Latency"])
            self.p99 = float(totals["p99 Latency"])
        except (KeyError, ValueError):
            sys.exit(f"{path}: memtier's table lacks Ops/sec, p50 or p99 Latency: {header}")
        # "memtier Sets+Gets": the command types that ran.
        kinds = [kind for kind, cells in rows.items() if kind != "Totals"
                 and cells.get("Ops/sec", "0") not in ("0", "0.00", "---")]
        self.title = "memtier " + "+".join(kinds)
        self.completed = requests
        self.points = []
        # With --test-time every connection runs that long, so the throughput is the count over
        # it. memtier's own Ops/sec divides by the mean of the connections' start-to-finish
        # times, which came out up to 13% short in some runs (tuning/FINDINGS.md section 16).
        count, seconds = memtier_json(path + ".json")
        if count and seconds:
            self.ops_per_sec = count / seconds


def memtier_json(path):
    """(requests completed, --test-time seconds) from a memtier_benchmark --json-out-file
    report; (None, None) when there is no such file, 0 seconds for a run without --test-time."""
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: unreadable memtier JSON report ({e!r})")
    try:
        count = int(report["ALL STATS"]["Totals"]["Count"])
        seconds = int(report.get("configuration", {}).get("test_time", 0) or 0)
    except (KeyError, ValueError, TypeError) as e:
        sys.exit(f"{path}: no request count in memtier's JSON report ({e!r})")
    return count, seconds


def memtier_count(path):
    """The requests a memtier_benchmark run completed, from its --json-out-file report."""
    count, _ = memtier_json(path)
    if count is None:
        sys.exit(f"{path}: no memtier JSON report")
    return count


def load_run(path, requests=0):
    """The run saved at `path`, whichever load generator wrote it."""
    with open(path, encoding="utf-8", errors="replace") as f:
        memtier = "ALL STATS" in f.read()
    return MemtierRun(path, requests) if memtier else Run(path)


def merged_percentile(runs, q):
    """The q-th percentile of all requests of several runs, from their merged distributions.

    redis-benchmark prints only a sampled cumulative distribution, so this interpolates between
    the printed points; it agrees with a single run's own percentiles to within its buckets.
    """
    total = sum(r.completed for r in runs)
    target = total * q / 100.0
    bounds = sorted({ms for r in runs for ms, _ in r.points})
    prev_ms, prev_count = 0.0, 0.0
    for ms in bounds:
        count = sum(r.count_within(ms) for r in runs)
        if count >= target:
            if count == prev_count:
                return ms
            return prev_ms + (ms - prev_ms) * (target - prev_count) / (count - prev_count)
        prev_ms, prev_count = ms, count
    return bounds[-1]


# ---- The report -----------------------------------------------------------------------------------


class Row:
    """Metrics of one step, or of all steps of a run combined."""

    def __init__(self, runs, server_ticks, client_cpu_s, clk_tck):
        ops = sum(r.completed for r in runs)
        self.ops = ops
        self.ops_per_sec = ops / sum(r.seconds() for r in runs)
        if len(runs) == 1:
            self.p50, self.p99 = runs[0].p50, runs[0].p99
        else:
            self.p50, self.p99 = merged_percentile(runs, 50), merged_percentile(runs, 99)
        self.server_us = server_ticks / clk_tck / ops * 1e6
        self.client_us = client_cpu_s / ops * 1e6


METRICS = (
    ("ops/s", "ops_per_sec", "{:,.0f}"),
    ("p50 ms", "p50", "{:.3f}"),
    ("p99 ms", "p99", "{:.3f}"),
    ("server CPU µs/op", "server_us", "{:.2f}"),
)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def paired_ratios(workloads, labels, rows):
    """Per workload step, the ratios of the rounds both servers completed."""
    out = []
    for w in workloads:
        for label in labels[w]:
            by_side = rows[(w, label)]
            pairs = list(zip(by_side.get(SIDES[0], []), by_side.get(SIDES[1], [])))
            cells = [w, label, str(len(pairs))]
            for attr in ("server_us", "ops_per_sec"):
                ratios = [getattr(a, attr) / getattr(b, attr) for a, b in pairs
                          if getattr(b, attr)]
                cells.append(f"{statistics.median(ratios):.2f} [{min(ratios):.2f} – "
                             f"{max(ratios):.2f}]" if ratios else "—")
            out.append(cells)
    return out


def report(tsv_path, clk_tck):
    # runs[(workload, round, side)] = list of (step index, Run, server ticks, idle ticks, client s)
    runs = {}
    workloads = []
    with open(tsv_path, encoding="utf-8") as f:
        for line in f:
            w, rnd, side, step, req, _pipe, ticks, idle, client, path = line.rstrip("\n").split("\t")
            if w not in workloads:
                workloads.append(w)
            runs.setdefault((w, int(rnd), side), []).append(
                (int(step), load_run(path, int(req)), int(ticks), int(idle), float(client)))

    # rows[(workload, step label)][side] = list of Row, one per round
    rows = {}
    labels = {w: [] for w in workloads}
    idle = {side: [0, 0] for side in SIDES}  # side -> [its idle ticks, the other's busy ticks]
    detail = []
    for (w, rnd, side), steps in sorted(runs.items(), key=lambda kv: (
            workloads.index(kv[0][0]), kv[0][1], SIDES.index(kv[0][2]))):
        steps.sort(key=lambda s: s[0])
        entries = [(s[1].title, Row([s[1]], s[2], s[4], clk_tck)) for s in steps]
        if len(steps) > 1:
            entries.append(("combined", Row([s[1] for s in steps], sum(s[2] for s in steps),
                                            sum(s[4] for s in steps), clk_tck)))
        for label, row in entries:
            if label not in labels[w]:
                labels[w].append(label)
            rows.setdefault((w, label), {}).setdefault(side, []).append(row)
            detail.append([w, label, str(rnd), side, f"{row.ops:,}"]
                          + [fmt.format(getattr(row, attr)) for _, attr, fmt in METRICS]
                          + [f"{row.client_us:.2f}"])
        other = SIDES[1 - SIDES.index(side)]
        idle[other][0] += sum(s[3] for s in steps)
        idle[other][1] += sum(s[2] for s in steps)

    summary = []
    for w in workloads:
        for label in labels[w]:
            by_side = rows[(w, label)]
            cells = [w, label]
            for _, attr, fmt in METRICS:
                medians = [statistics.median(getattr(r, attr) for r in by_side.get(side, []))
                           if by_side.get(side) else float("nan") for side in SIDES]
                ratio = medians[0] / medians[1] if medians[1] else float("nan")
                cells += [fmt.format(medians[0]), fmt.format(medians[1]), f"{ratio:.2f}"]
            summary.append(cells)

    header = ["workload", "step"]
    for name, _, _ in METRICS:
        header += [f"{name} solikv", f"{name} redis", "×"]
    print("Medians over rounds; × is solikv/redis (above 1 is better for ops/s, worse for the rest).")
    print()
    print(table(header, summary))
    print()
    print("Round by round (each round runs solikv, then redis): solikv ÷ redis of the same round,")
    print("median [lowest – highest]; the spread shows how far one round can be trusted.")
    print()
    print(table(["workload", "step", "rounds", "server CPU µs/op ×", "ops/s ×"],
                paired_ratios(workloads, labels, rows)))
    print()
    print("Every run:")
    print()
    print(table(["workload", "step", "round", "server", "ops"] + [m[0] for m in METRICS]
                + ["client CPU µs/op"], detail))
    print()
    for side in SIDES:
        own, busy = idle[side]
        other = SIDES[1 - SIDES.index(side)]
        share = f" ({own / busy:.1%} of {other}'s)" if busy else ""
        print(f"Idle {side} used {own * 1000 / clk_tck:.0f} ms CPU during {other}'s runs{share}.")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "free-ports" and len(args) == 1:
        free_ports(int(args[0]))
    elif cmd == "fill" and len(args) == 4:
        fill(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif cmd == "fill-zset" and len(args) == 4:
        fill_zset(args[0], int(args[1]), args[2], int(args[3]))
    elif cmd == "fill-memtier" and len(args) == 4:
        fill(args[0], int(args[1]), int(args[2]), int(args[3]), b"memtier-%d", 1)
    elif cmd == "memtier-count" and len(args) == 1:
        print(memtier_count(args[0]))
    elif cmd == "parse" and len(args) == 1:
        r = load_run(args[0])
        print(f"{r.title}\t{r.ops_per_sec:.0f}\t{r.p50:.3f}\t{r.p99:.3f}")
    elif cmd == "report" and len(args) == 2:
        report(args[0], int(args[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
