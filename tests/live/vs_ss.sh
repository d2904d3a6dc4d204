#!/bin/sh
# vs_ss.sh — porttop --once --json and ss -tunap on the same private namespace must agree on
# listeners, owners and established connection counts.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v ss >/dev/null || skip "ss (iproute2) is not installed"
mk_scratch
SOCKETS="$top_srcdir/tests/live/sockets.py"

python3 "$SOCKETS" --ready "$SCRATCH/a" --comm web \
	listen:tcp:0.0.0.0:80:accept listen:tcp:[::]:443:v6only=0:accept \
	listen:tcp:127.0.0.1:6379:accept bind:udp:0.0.0.0:53 bind:udp:[::1]:123 &
track $!
python3 "$SOCKETS" --ready "$SCRATCH/b" --comm pool --fork \
	listen:tcp:127.0.0.1:9000:accept listen:tcp:[::1]:9001 &
track $!
wait_until 50 test -s "$SCRATCH/a" || fail "server a did not start"
wait_until 50 test -s "$SCRATCH/b" || fail "server b did not start"
python3 "$SOCKETS" --ready "$SCRATCH/c" --comm cli \
	connect:tcp:127.0.0.1:80:4 connect:tcp:[::1]:443:2 connect:tcp:127.0.0.1:443:3 \
	connect:tcp:127.0.0.1:6379:5 connect:tcp:127.0.0.1:9000:1 &
track $!
wait_until 50 test -s "$SCRATCH/c" || fail "client did not start"

compare() {
	ss -tlnpH >"$SCRATCH/ss-listen" &&
		ss -ulnpH >"$SCRATCH/ss-udp" &&
		ss -tnH state established >"$SCRATCH/ss-estab" &&
		"$PORTTOP" --once --json >"$SCRATCH/pt.json" || return 2
	python3 - "$SCRATCH" <<'PY'
import json, re, sys
d = sys.argv[1]
pt = json.load(open(d + "/pt.json"))

def split_addr(a):
    host, port = a.rsplit(":", 1)
    host = host.strip("[]")
    if host == "*":  # ss prints a dual-stack IPv6 wildcard as *
        host = "::"
    host = host.split("%")[0]
    return host, int(port)

def ss_rows(path, proto):
    rows = {}
    for line in open(path):
        f = line.split()
        # State Recv-Q Send-Q Local Peer [Process]
        host, port = split_addr(f[3])
        pids = sorted(int(p) for p in re.findall(r"pid=(\d+)", line))
        key = (proto, host, port)
        rows.setdefault(key, set()).update(pids)
    return {k: sorted(v) for k, v in rows.items()}

ss = ss_rows(d + "/ss-listen", "tcp")
ss.update(ss_rows(d + "/ss-udp", "udp"))
mine = {(l["proto"], l["address"], l["port"]): sorted(o["pid"] for o in l["owners"])
        for l in pt["listeners"]}
problems = []
if set(ss) != set(mine):
    problems.append("listeners differ: ss %s porttop %s" % (sorted(ss), sorted(mine)))
for k in set(ss) & set(mine):
    if ss[k] != mine[k]:
        problems.append("%s owners: ss %s porttop %s" % (k, ss[k], mine[k]))

# Established connections whose local end is a listener's port, per listener.
est = {}
for line in open(d + "/ss-estab"):
    f = line.split()
    host, port = split_addr(f[2])
    est[port] = est.get(port, 0) + 1
for l in pt["listeners"]:
    if l["proto"] != "tcp":
        continue
    want = est.get(l["port"], 0)
    got = l["connections"]["established"]
    if want != got:
        problems.append("port %d established: ss %d porttop %d" % (l["port"], want, got))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}
# The servers accept in a thread: allow it a moment to catch up, then require agreement.
wait_until 50 compare || { compare; fail "porttop and ss disagree"; }
echo "vs_ss: ok"
