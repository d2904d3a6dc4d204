#!/usr/bin/env python3
"""churn.py — start and stop listener processes at a steady rate, and log when each held its port.

usage: churn.py --rate N --seconds S --ports LO-HI --log FILE [--ready FILE]

Starts N processes a second for S seconds. Process i listens on TCP 127.0.0.1, port
LO + i mod (HI - LO + 1), for 0.2-1.0 s, then closes the socket and exits. The log gets one
line per event, written whole with O_APPEND:
  start PID PORT MS    after listen() returned
  stop PID PORT MS     after close() returned
  fail PID PORT ERRNO  when the port could not be had
MS is CLOCK_REALTIME in milliseconds, the clock porttop stamps samples with. --ready names a
file written once the first process listens. Exits 0 once every process has ended.
"""
import errno
import os
import random
import signal
import socket
import sys
import time


def now_ms():
    return time.clock_gettime_ns(time.CLOCK_REALTIME) // 1000000


def child(log, port, life):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    pid = os.getpid()
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(8)
    except OSError as e:
        os.write(log, b"fail %d %d %d\n" % (pid, port, e.errno or 0))
        os._exit(1)
    os.write(log, b"start %d %d %d\n" % (pid, port, now_ms()))
    time.sleep(life)
    s.close()
    os.write(log, b"stop %d %d %d\n" % (pid, port, now_ms()))
    os._exit(0)


def main(argv):
    args = dict(zip(argv[0::2], argv[1::2]))
    rate = int(args["--rate"])
    seconds = float(args["--seconds"])
    lo, hi = (int(x) for x in args["--ports"].split("-"))
    log = os.open(args["--log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o644)
    ready = args.get("--ready")
    rng = random.Random(42)
    total = int(rate * seconds)
    live = set()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    t0 = time.monotonic()
    for i in range(total):
        if stopping:
            break
        due = t0 + i / rate
        while True:
            while live:
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                live.discard(pid)
            left = due - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, 0.005))
        port = lo + i % (hi - lo + 1)
        pid = os.fork()
        if pid == 0:
            child(log, port, rng.uniform(0.2, 1.0))
        rng.random()
        live.add(pid)
        if ready and i == 0:
            with open(ready + ".tmp", "w") as f:
                f.write("%d\n" % os.getpid())
            os.rename(ready + ".tmp", ready)
    for pid in list(live):
        if stopping:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
