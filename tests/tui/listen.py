#!/usr/bin/env python3
"""listen.py — sockets with known properties for porttop's tmux tests.

Binds every --tcp/--tcp6only/--udp address, connects every --connect address, optionally
renames itself (--name, through prctl PR_SET_NAME, so the kernel's comm may hold anything),
creates the --ready file, then waits for a signal. TCP connections are accepted as they come.
"""
import argparse
import ctypes
import os
import signal
import socket
import sys
import threading


def parse(addr):
    host, port = addr.rsplit(":", 1)
    if host.startswith("["):
        return socket.AF_INET6, host[1:-1], int(port)
    return socket.AF_INET, host, int(port)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tcp", action="append", default=[])
    p.add_argument("--tcp6only", action="append", default=[])
    p.add_argument("--udp", action="append", default=[])
    p.add_argument("--connect", action="append", default=[])
    p.add_argument("--name")
    p.add_argument("--ignore-term", action="store_true")
    p.add_argument("--no-accept", action="store_true")
    p.add_argument("--ready", required=True)
    p.add_argument("extra", nargs="*", help="ignored: shows in the command line")
    a = p.parse_args()

    if a.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    keep = []
    for spec, v6only, kind in ([(s, False, socket.SOCK_STREAM) for s in a.tcp] +
                               [(s, True, socket.SOCK_STREAM) for s in a.tcp6only] +
                               [(s, False, socket.SOCK_DGRAM) for s in a.udp]):
        family, host, port = parse(spec)
        s = socket.socket(family, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
        s.bind((host, port))
        if kind == socket.SOCK_STREAM:
            s.listen(16)
            if not a.no_accept:
                threading.Thread(target=accept_forever, args=(s, keep), daemon=True).start()
        keep.append(s)
    for spec in a.connect:
        family, host, port = parse(spec)
        keep.append(socket.create_connection((host, port)))
    if a.name is not None:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(15, a.name.encode("utf-8", "surrogateescape"), 0, 0, 0) != 0:
            sys.exit("prctl(PR_SET_NAME) failed")
    with open(a.ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(a.ready + ".tmp", a.ready)
    while True:
        signal.pause()


def accept_forever(s, keep):
    while True:
        c, _ = s.accept()
        keep.append(c)


if __name__ == "__main__":
    main()
