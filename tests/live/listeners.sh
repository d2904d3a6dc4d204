#!/bin/sh
# listeners.sh — real sockets in a private network namespace; porttop --once --json must
# report exactly the listeners, scopes, owners, counts and queues that were made.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
SOCKETS="$top_srcdir/tests/live/sockets.py"
ip addr add 192.0.2.1/32 dev lo || fail "cannot add 192.0.2.1 to lo"
ip -6 addr add ::1/128 dev lo 2>/dev/null

python3 "$SOCKETS" --ready "$SCRATCH/a" --comm svc-a \
	listen:tcp:127.0.0.1:8001:accept \
	listen:tcp:[::1]:8002 \
	listen:tcp:0.0.0.0:8003 \
	listen:tcp:[::]:8004:v6only=0 \
	listen:tcp:[::]:8005:v6only=1 \
	listen:tcp:0.0.0.0:8005 \
	listen:tcp:192.0.2.1:8006 \
	listen:tcp:127.0.0.1:8007:reuseport \
	listen:tcp:127.0.0.1:8007:reuseport \
	listen:tcp:127.0.0.1:8008:backlog=1 \
	bind:udp:0.0.0.0:5353 \
	bind:udp:[::1]:5354 &
track $!
python3 "$SOCKETS" --ready "$SCRATCH/b" --comm svc-b --fork listen:tcp:127.0.0.1:8009 &
track $!
wait_until 50 test -s "$SCRATCH/a" || fail "listener process a did not start"
wait_until 50 test -s "$SCRATCH/b" || fail "listener process b did not start"
python3 "$SOCKETS" --ready "$SCRATCH/c" --comm client-c \
	connect:tcp:127.0.0.1:8001:3 connect:tcp:127.0.0.1:8008:3 connect:udp:127.0.0.1:5353 &
track $!
wait_until 50 test -s "$SCRATCH/c" || fail "client process c did not start"

A=$(cat "$SCRATCH/a")
B=$(sed -n 1p "$SCRATCH/b")
B2=$(sed -n 2p "$SCRATCH/b")
C=$(cat "$SCRATCH/c")

# The accept thread needs a moment; poll until the three connections are accepted.
established() {
	"$PORTTOP" --once --json >"$SCRATCH/out.json" || return 1
	python3 - "$SCRATCH/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [l for l in d["listeners"] if l["port"] == 8001]
sys.exit(0 if rows and rows[0]["connections"]["established"] == 3 else 1)
PY
}
wait_until 50 established || fail "8001 never showed 3 established connections: $(cat "$SCRATCH/out.json")"

python3 - "$SCRATCH/out.json" "$A" "$B" "$B2" "$C" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
A, B, B2, C = (int(x) for x in sys.argv[2:6])
fail = []
def check(cond, msg):
    if not cond:
        fail.append(msg)

rows = {(l["proto"], l["address"], l["port"]): l for l in d["listeners"]}
expect = {
    ("tcp", "127.0.0.1", 8001): ("loopback", False, [A]),
    ("tcp", "::1", 8002): ("loopback", False, [A]),
    ("tcp", "0.0.0.0", 8003): ("all", False, [A]),
    ("tcp", "::", 8004): ("all", True, [A]),
    ("tcp", "::", 8005): ("all", False, [A]),
    ("tcp", "0.0.0.0", 8005): ("all", False, [A]),
    ("tcp", "192.0.2.1", 8006): ("address", False, [A]),
    ("tcp", "127.0.0.1", 8007): ("loopback", False, [A]),
    ("tcp", "127.0.0.1", 8008): ("loopback", False, [A]),
    ("tcp", "127.0.0.1", 8009): ("loopback", False, sorted([B, B2])),
    ("udp", "0.0.0.0", 5353): ("all", False, [A]),
    ("udp", "::1", 5354): ("loopback", False, [A]),
}
check(set(rows) == set(expect), "rows %s != %s" % (sorted(rows), sorted(expect)))
for k, (scope, dual, pids) in expect.items():
    l = rows.get(k)
    if l is None:
        continue
    check(l["scope"] == scope, "%s scope %s != %s" % (k, l["scope"], scope))
    check(l["dual_stack"] == dual, "%s dual_stack %s" % (k, l["dual_stack"]))
    got = sorted(o["pid"] for o in l["owners"])
    check(got == pids, "%s owners %s != %s" % (k, got, pids))
    exposed = "exposed" in l["flags"]
    check(exposed == (scope != "loopback"), "%s exposed=%s" % (k, exposed))
    for o in l["owners"]:
        check(o["comm"] in ("svc-a", "svc-b"), "%s comm %r" % (k, o["comm"]))
        check(o["user"] == "root", "%s user %r" % (k, o["user"]))

def conns(k):
    return rows[k]["connections"] if k in rows else {}
check(conns(("tcp", "127.0.0.1", 8001)).get("established") == 3, "8001 established")
check(rows.get(("tcp", "127.0.0.1", 8007), {}).get("sockets") == 2, "8007 is one row of 2 sockets")
q = rows.get(("tcp", "127.0.0.1", 8008), {}).get("accept_queue", {})
check(q == {"current": 2, "backlog": 1}, "8008 accept queue %s" % q)
check(conns(("tcp", "127.0.0.1", 8008)).get("established") == 0, "8008 queued are not established")
# The client's connected UDP socket is a client (its local port is ephemeral): no row, and
# not a connection of the 5353 listener, whose own socket stays unconnected.
check(conns(("udp", "0.0.0.0", 5353)).get("established") == 0, "5353 has no connected socket")
check(rows.get(("tcp", "127.0.0.1", 8001), {}).get("accept_queue", {}).get("backlog") == 128,
      "8001 backlog")
t = d["totals"]
check(t["tcp_listeners"] == 10 and t["udp_listeners"] == 2, "totals %s" % t)
check(t["exposed"] == 6, "exposed total %s" % t["exposed"])
check(d["source"] == "sock_diag", "source %s" % d["source"])
check(d["status"] is None, "status %r" % d["status"])
if fail:
    print("\n".join(fail))
    print(json.dumps(d, indent=1)[:4000])
    sys.exit(1)
PY
echo "listeners: ok"
