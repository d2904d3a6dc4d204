#!/bin/sh
# churn.sh — 100 listener processes a second start and stop (tests/live/churn.py) while porttop
# samples ten times a second: it never fails, every owner it shows on a live row held that port
# no longer ago than the previous sample, it attributes the churning listeners, and its memory
# and open files stay flat. PORTTOP_CHURN_SECONDS (default 25) sets the length; 60 is the
# longer run of doc/reliability.md.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
SECS=${PORTTOP_CHURN_SECONDS:-25}
RATE=100
SAMPLES=$((SECS * 10))

# The generator outlasts porttop (a sanitizer build samples slower) and is stopped after it.
python3 "$top_srcdir/tests/live/churn.py" --rate $RATE --seconds $((SECS * 4 + 60)) \
	--ports 20000-20299 --log "$SCRATCH/churn.log" --ready "$SCRATCH/ready" &
GEN=$!
track $GEN
wait_until 100 test -s "$SCRATCH/ready" || fail "the churn generator did not start"
# AddressSanitizer keeps freed memory in a quarantine (256 MiB by default) that would read as
# growth here: a small one keeps RSS meaningful and still catches use after free.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
	"$PORTTOP" -n $SAMPLES -d 1 --json >"$SCRATCH/samples" 2>"$SCRATCH/err" &
PT=$!
track $PT
# Memory and open files of porttop, twice a second, until it ends.
while kill -0 $PT 2>/dev/null; do
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$PT/status 2>/dev/null)
	fds=$(ls /proc/$PT/fd 2>/dev/null | wc -l)
	[ -n "$rss" ] && echo "$rss $fds" >>"$SCRATCH/usage"
	sleep 0.5
done
wait $PT
rc=$?
kill -TERM $GEN
wait $GEN
[ $rc -eq 0 ] || fail "porttop exited $rc under churn: $(head -c 2000 "$SCRATCH/err")"

python3 - "$SCRATCH" $SAMPLES $RATE "$SECS" <<'PY' || exit 1
import datetime, json, os, sys
d, samples, rate, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
fail = []
def check(cond, msg):
    if not cond:
        fail.append(msg)

def ms(t):
    dt = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")
    return int(dt.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000 + 0.5)

err = open(os.path.join(d, "err"), "rb").read()
check(err == b"", "stderr: %r" % err[:500])
start, stop, port_of = {}, {}, {}
for line in open(os.path.join(d, "churn.log")):
    kind, pid, port, v = line.split()
    pid, port, v = int(pid), int(port), int(v)
    if kind == "start":
        start[pid], port_of[pid] = v, port
    elif kind == "stop":
        stop[pid] = v
docs = [json.loads(x) for x in open(os.path.join(d, "samples"))]
span = (ms(docs[-1]["time"]) - ms(docs[0]["time"])) / 1000.0 if docs else 0
check(span >= secs * 0.9, "porttop sampled for %.1f s only" % span)
check(len(start) >= 0.9 * rate * span, "the generator started only %d listeners in %.1f s"
      % (len(start), span))

check(len(docs) == samples, "%d samples, not %d" % (len(docs), samples))
shown, stale, rows_live, rows_owned = set(), 0, 0, 0
prev_t = None
for doc in docs:
    t = ms(doc["time"])
    for l in doc["listeners"]:
        if l["proto"] != "tcp" or not 20000 <= l["port"] <= 20299 or "gone" in l["flags"]:
            continue
        rows_live += 1
        rows_owned += bool(l["owners"])
        for o in l["owners"]:
            p = o["pid"]
            shown.add(p)
            if p not in start or port_of[p] != l["port"]:
                fail.append("%s: port %d shown owned by %d, which never held it" % (doc["time"], l["port"], p))
            elif start[p] > t + 50:
                fail.append("%s: port %d owner %d shown before it listened" % (doc["time"], l["port"], p))
            elif prev_t is not None and p in stop and stop[p] < prev_t - 5:
                stale += 1
                if stale <= 10:
                    fail.append("%s: port %d owner %d stopped at %d, before the previous sample %d"
                                % (doc["time"], l["port"], p, stop[p], prev_t))
    prev_t = t
check(stale == 0, "%d stale owners" % stale)
check(len(shown) >= 0.5 * len(start), "only %d of %d churning listeners were ever attributed"
      % (len(shown), len(start)))
check(rows_live > 0 and rows_owned >= 0.8 * rows_live,
      "only %d of %d live rows had an owner" % (rows_owned, rows_live))

usage = [tuple(map(int, x.split())) for x in open(os.path.join(d, "usage"))]
n = len(usage)
check(n >= 8, "only %d usage readings" % n)
if n >= 8:
    mid = usage[n // 4:n // 2]
    last = usage[3 * n // 4:]
    mid_rss, last_rss = max(r for r, _ in mid), max(r for r, _ in last)
    mid_fds, last_fds = max(f for _, f in mid), max(f for _, f in last)
    check(last_rss <= mid_rss * 1.25 + 2048, "RSS grew: %d kB then %d kB" % (mid_rss, last_rss))
    check(last_fds <= mid_fds + 16, "open files grew: %d then %d" % (mid_fds, last_fds))
    print("churn: %d listeners started, %d attributed, %d/%d live rows owned; RSS %d -> %d kB, "
          "fds %d -> %d" % (len(start), len(shown), rows_owned, rows_live, mid_rss, last_rss,
                            mid_fds, last_fds))
if fail:
    print("\n".join(fail[:30]))
    sys.exit(1)
PY
echo "churn: ok"
