#!/usr/bin/env python3
"""Sorted-set memory per element: loads N members into one sorted set on each given server
(redis protocol on 127.0.0.1:PORT) and prints INFO memory's used_memory growth per member.

usage: scripts/zset_memory.py PORT [PORT...] [--members N]

The servers must be running and disposable (the script runs FLUSHALL). Members are
`member:<i>` with pseudo-random integer scores, added 1000 per ZADD.
"""
import re
import socket
import sys


def command(args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(1 << 16)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def call(self, args):
        self.sock.sendall(command(args))
        head = self.line()
        if head[:1] == b"$":
            n = int(head[1:])
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 16)
            body, self.buf = self.buf[:n], self.buf[n + 2:]
            return body
        return head


def used_memory(conn):
    info = conn.call(["INFO", "memory"])
    return int(re.search(rb"used_memory:(\d+)", info).group(1))


def main():
    args = sys.argv[1:]
    members = 1_000_000
    if "--members" in args:
        i = args.index("--members")
        members = int(args[i + 1])
        del args[i:i + 2]
    for port in map(int, args):
        conn = Conn(port)
        conn.call(["FLUSHALL"])
        base = used_memory(conn)
        for start in range(0, members, 1000):
            line = ["ZADD", "bigz"]
            for i in range(start, min(start + 1000, members)):
                line += [str((i * 7919) % 1000003), "member:%d" % i]
            conn.call(line)
        grown = used_memory(conn) - base
        print("port %d: %d members, %.1f bytes per member" % (port, members, grown / members))
        conn.call(["FLUSHALL"])


if __name__ == "__main__":
    main()
