#!/usr/bin/env python3
"""sockets.py — open the sockets a live test describes, hold them, and say when ready.

usage: sockets.py --ready FILE [--comm NAME] [--fork] [--ignore-term] SPEC...

SPEC is one of
  listen:tcp:ADDR:PORT[:backlog=N][:v6only=0|1][:reuseport][:accept]
  bind:udp:ADDR:PORT[:v6only=0|1]
  connect:tcp:ADDR:PORT[:N]      N client connections (default 1), held open
  connect:udp:ADDR:PORT          a connected UDP socket
ADDR is an IPv4 literal or an IPv6 literal in brackets ([::1]). With --fork the process forks after opening
everything, and parent and child both hold every socket (a pre-fork server). The ready file
gets one line per process: "PID". The process runs until it gets SIGTERM; with
--ignore-term it ignores SIGTERM (a hung service) and only SIGKILL ends it.
"""
import ctypes
import os
import select
import signal
import socket
import sys
import threading


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def set_comm(name):
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_NAME = 15
    buf = ctypes.create_string_buffer(name.encode("utf-8", "surrogateescape")[:15])
    libc.prctl(PR_SET_NAME, buf, 0, 0, 0)


def parse_opts(parts):
    opts = {}
    for p in parts:
        if "=" in p:
            k, v = p.split("=", 1)
            opts[k] = v
        else:
            opts[p] = True
    return opts


def split_spec(spec):
    # kind:proto:ADDR:PORT[:opts...], an IPv6 ADDR in brackets: [::1]
    kind, proto, rest = spec.split(":", 2)
    if rest.startswith("["):
        addr, _, rest = rest[1:].partition("]")
        rest = rest[1:]
    else:
        addr, _, rest = rest.partition(":")
    fields = rest.split(":")
    try:
        socket.inet_pton(family_of(addr), addr)
        port = int(fields[0])
    except (OSError, ValueError):
        raise SystemExit("bad spec: " + spec)
    return kind, proto, addr, port, fields[1:]


held = []
accepting = []


def open_spec(spec):
    kind, proto, addr, port, extra = split_spec(spec)
    fam = family_of(addr)
    if kind == "listen" or kind == "bind":
        opts = parse_opts(extra)
        stype = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        s = socket.socket(fam, stype)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if "reuseport" in opts:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if fam == socket.AF_INET6 and "v6only" in opts:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(opts["v6only"]))
        s.bind((addr, port))
        if stype == socket.SOCK_STREAM:
            s.listen(int(opts.get("backlog", 128)))
            if "accept" in opts:
                accepting.append(s)
        held.append(s)
    elif kind == "connect":
        n = int(extra[0]) if extra else 1
        for _ in range(n):
            stype = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
            c = socket.socket(fam, stype)
            c.setblocking(False)
            try:
                c.connect((addr, port))
            except BlockingIOError:
                pass
            held.append(c)
    else:
        raise SystemExit("bad spec kind: " + spec)


def accept_loop():
    while True:
        r, _, _ = select.select(accepting, [], [])
        for s in r:
            conn, _ = s.accept()
            held.append(conn)


def main(argv):
    ready = None
    comm = None
    fork = False
    ignore_term = False
    specs = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--ready":
            ready = argv[i + 1]
            i += 2
        elif a == "--comm":
            comm = argv[i + 1]
            i += 2
        elif a == "--fork":
            fork = True
            i += 1
        elif a == "--ignore-term":
            ignore_term = True
            i += 1
        else:
            specs.append(a)
            i += 1
    if comm:
        set_comm(comm)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    for spec in specs:
        open_spec(spec)
    pids = [os.getpid()]
    if fork:
        child = os.fork()
        if child == 0:
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            while True:
                signal.pause()
        pids.append(child)

        def stop(*_):
            os.kill(child, signal.SIGTERM)
            os.waitpid(child, 0)
            os._exit(0)
        signal.signal(signal.SIGTERM, stop)
    if ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if accepting:
        threading.Thread(target=accept_loop, daemon=True).start()
    if ready:
        tmp = ready + ".tmp"
        with open(tmp, "w") as f:
            f.write("".join("%d\n" % p for p in pids))
        os.rename(tmp, ready)
    while True:
        signal.pause()


if __name__ == "__main__":
    main(sys.argv[1:])
