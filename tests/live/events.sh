#!/bin/sh
# events.sh — porttop --events against real listeners in a private network namespace: a
# listener started, one exposed, one a rule expects, a restart under a new pid (exactly one
# owner event, no close or listen), a stop (close once the GONE window ends), and a stop of
# porttop itself (exit 0, close for what is still inside the window).
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
SOCKETS="$top_srcdir/tests/live/sockets.py"
export XDG_CONFIG_HOME="$SCRATCH/config"
export PORTTOP_SYSTEM_RULES="$SCRATCH/system.conf"
printf 'tcp *:9091 expected\n' >"$PORTTOP_SYSTEM_RULES"
EV="$SCRATCH/events.ndjson"

start() { # start NAME SPEC... : a listener process; its pid in $pid
	name=$1
	shift
	rm -f "$SCRATCH/$name"
	python3 "$SOCKETS" --ready "$SCRATCH/$name" --comm "$name" "$@" &
	pid=$!
	track $pid
	wait_until 50 test -s "$SCRATCH/$name" || fail "$name did not start"
}
stop() { # stop PID : end a listener process and reap it
	kill "$1"
	wait "$1" 2>/dev/null
}
has() { # has PATTERN : the event stream has a line matching the extended regex
	grep -Eq "$1" "$EV"
}

# Something that already listens: reported as initial, and proof that porttop is sampling.
start before listen:tcp:127.0.0.1:1000
"$PORTTOP" --events -d 2 >"$EV" 2>"$SCRATCH/err" &
porttop=$!
track $porttop
wait_until 50 has '"event":"listen".*"port":1000,.*"initial":true' || fail "no initial listen: $(cat "$EV" "$SCRATCH/err")"

start web listen:tcp:127.0.0.1:8080
web=$pid
wait_until 50 has '"event":"listen".*"port":8080,' || fail "no listen for 8080: $(cat "$EV")"

start exposed listen:tcp:0.0.0.0:9090
first=$pid
wait_until 50 has '"event":"exposed".*"port":9090,' || fail "no exposed for 9090: $(cat "$EV")"
start expected listen:tcp:0.0.0.0:9091
wait_until 50 has '"event":"listen".*"port":9091,' || fail "no listen for 9091: $(cat "$EV")"

# Restart 9090 under a new pid within the GONE window.
stop "$first"
sleep 0.5
start exposed listen:tcp:0.0.0.0:9090
second=$pid
wait_until 50 has '"event":"owner".*"port":9090,' || fail "no owner event for 9090: $(cat "$EV")"

# 8080 stops: close comes once its GONE row drops out, ten seconds later.
stop "$web"
wait_until 150 has '"event":"close".*"port":8080,' || fail "no close for 8080: $(cat "$EV")"

# 9090 stops and porttop is stopped inside its window: close at exit, exit status 0.
stop "$second"
sleep 0.5
kill -TERM "$porttop"
wait "$porttop"
status=$?
[ "$status" -eq 0 ] || fail "porttop --events exited $status: $(cat "$SCRATCH/err")"

python3 - "$EV" "$web" "$first" "$second" <<'PY' || exit 1
import json, sys
web, first, second = (int(x) for x in sys.argv[2:5])
events = [json.loads(line) for line in open(sys.argv[1])]
seq = {}
for e in events:
    for k in ("time", "event", "proto", "family", "address", "port", "scope", "owner"):
        if k not in e:
            sys.exit("event without %s: %s" % (k, e))
    seq.setdefault(e["port"], []).append(e)
def names(port):
    return [e["event"] for e in seq.get(port, [])]
problems = []
def expect(port, want):
    if names(port) != want:
        problems.append("port %d: %s, not %s" % (port, names(port), want))
expect(1000, ["listen"])
expect(8080, ["listen", "close"])
expect(9090, ["listen", "exposed", "owner", "close"])
expect(9091, ["listen"])
if not problems:
    if seq[1000][0]["initial"] is not True or seq[8080][0]["initial"] is not False:
        problems.append("initial flags wrong")
    if seq[8080][0]["owner"]["pid"] != web or seq[8080][0]["owner"]["comm"] != "web":
        problems.append("8080 owner %s" % seq[8080][0]["owner"])
    o = seq[9090][2]
    if o["owner"]["pid"] != second or o["previous"]["pid"] != first:
        problems.append("owner event %s -> %s, not %d -> %d" % (o["previous"], o["owner"], first, second))
    if seq[9090][3]["owner"]["pid"] != second:
        problems.append("9090 closed by %s" % seq[9090][3]["owner"])
    c = seq[8080][1]
    if "since" not in c or not (c["since"] < c["time"]):
        problems.append("close without an earlier since: %s" % c)
if sum(1 for e in events if e["event"] == "owner") != 1:
    problems.append("%d owner events" % sum(1 for e in events if e["event"] == "owner"))
times = [e["time"] for e in events]
if times != sorted(times):
    problems.append("times not in order")
if problems:
    print("\n".join(problems))
    print(open(sys.argv[1]).read())
    sys.exit(1)
PY
echo "events: ok"
