#!/bin/sh
# prometheus.sh — --format=prometheus in a private network namespace: the text parses (promtool
# when installed, and always a strict parser), every number matches the JSON of the same sample,
# hostile process names are escaped, and --output replaces its file atomically every interval.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
SOCKETS="$top_srcdir/tests/live/sockets.py"
PROMPARSE="$top_srcdir/tests/live/promparse.py"
export XDG_CONFIG_HOME="$SCRATCH/config"
export PORTTOP_SYSTEM_RULES="$SCRATCH/none.conf"

# CI installs promtool (Debian package prometheus); elsewhere the strict parser alone decides.
if command -v promtool >/dev/null 2>&1; then
	have_promtool=1
elif [ -n "${CI:-}" ]; then
	fail "promtool is not installed (CI installs the prometheus package)"
else
	have_promtool=0
	echo "promtool is not installed: checking with the strict parser only"
fi

# The fallback parser must refuse what the format forbids, or it proves nothing.
for bad in 'porttop_x 1\n' \
	'# HELP porttop_x h\n# TYPE porttop_x gauge\nporttop_x{a="\\q"} 1\n' \
	'# HELP porttop_x h\n# TYPE porttop_x gauge\nporttop_x 1 1700000000\n' \
	'# HELP porttop_x h\n# TYPE porttop_x gauge\nporttop_x{a="1"} 1\nporttop_x{a="1"} 2\n' \
	'# HELP porttop_x h\n# TYPE porttop_x gauge\nporttop_x{a="\033"} 1\n' \
	'# HELP a h\n# TYPE a gauge\na 1\n# HELP b h\n# TYPE b gauge\nb 1\na 2\n'; do
	printf "$bad" >"$SCRATCH/bad.prom"
	python3 "$PROMPARSE" "$SCRATCH/bad.prom" >/dev/null && fail "promparse.py accepted: $bad"
done

HOSTILE=$(printf 'ev\033]0;x\a"\\')
python3 "$SOCKETS" --ready "$SCRATCH/a" --comm web \
	listen:tcp:127.0.0.1:8080:accept listen:tcp:[::]:9100:v6only=0 bind:udp:0.0.0.0:5353 &
track $!
python3 "$SOCKETS" --ready "$SCRATCH/h" --comm "$HOSTILE" listen:tcp:0.0.0.0:7000:backlog=7 &
track $!
wait_until 50 test -s "$SCRATCH/a" || fail "listener process did not start"
wait_until 50 test -s "$SCRATCH/h" || fail "hostile listener did not start"
python3 "$SOCKETS" --ready "$SCRATCH/c" --comm client connect:tcp:127.0.0.1:8080:2 \
	connect:tcp:127.0.0.1:7000:3 &
track $!
wait_until 50 test -s "$SCRATCH/c" || fail "client did not start"

# One sample, written in both formats: the numbers must agree exactly, cost included.
sample() {
	"$PORTTOP" --once --format=json --output "$SCRATCH/s.json" \
		--format=prometheus --output "$SCRATCH/s.prom" || fail "porttop --output exited $?"
}
accepted() {
	sample
	python3 - "$SCRATCH/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = [l for l in d["listeners"] if l["port"] == 8080]
q = [l for l in d["listeners"] if l["port"] == 7000]
sys.exit(0 if r and r[0]["connections"]["established"] == 2 and q and q[0]["accept_queue"]["current"] == 3 else 1)
PY
}
wait_until 50 accepted || fail "connections never settled: $(cat "$SCRATCH/s.json")"
[ "$(stat -c %a "$SCRATCH/s.prom")" = 644 ] || fail "--output file mode is $(stat -c %a "$SCRATCH/s.prom")"

if [ "$have_promtool" = 1 ]; then
	promtool check metrics <"$SCRATCH/s.prom" >"$SCRATCH/promtool.out" 2>&1 ||
		fail "promtool check metrics: $(cat "$SCRATCH/promtool.out")"
fi

python3 - "$PROMPARSE" "$SCRATCH/s.json" "$SCRATCH/s.prom" <<'PY' || exit 1
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("promparse", sys.argv[1])
promparse = importlib.util.module_from_spec(spec)
spec.loader.exec_module(promparse)
d = json.load(open(sys.argv[2]))
raw = open(sys.argv[3], "rb").read()
m = promparse.parse(raw)
problems = []

def escape_text(s):
    names = {"\\": "\\\\", "\x1b": "\\e", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a"}
    out = []
    for c in s:
        n = ord(c)
        if c in names:
            out.append(names[c])
        elif n < 0x20 or n == 0x7F or 0x80 <= n < 0xA0:
            out.append("\\x%02x" % n)
        else:
            out.append(c)
    return "".join(out)

def get(name, **labels):
    key = (name, tuple(sorted(labels.items())))
    if key not in m:
        problems.append("missing %s%s" % (name, labels))
        return None
    return m[key]

def same(what, got, want):
    if got is not None and got != want:
        problems.append("%s: prometheus %r, json %r" % (what, got, want))

ids = set()
for l in d["listeners"]:
    ident = dict(proto=l["proto"], address=l["address"], port=str(l["port"]))
    ids.add(tuple(sorted(ident.items())))
    o = l["owners"][0] if l["owners"] else None
    info = [k for k in m if k[0] == "porttop_listener_info" and
            all((a, b) in k[1] for a, b in ident.items())]
    if len(info) != 1:
        problems.append("%d info series for %s" % (len(info), ident))
        continue
    labels = dict(info[0][1])
    same("scope %s" % ident, labels["scope"], l["scope"])
    same("family %s" % ident, labels["family"], l["family"])
    same("dual_stack %s" % ident, labels["dual_stack"], "true" if l["dual_stack"] else "false")
    same("user %s" % ident, labels["user"], o["user"] if o else str(l["uid"]))
    same("unit %s" % ident, labels["unit"], (o["unit"] or "") if o else "")
    # A label holds escape_text's form of the name: controls spelled out, backslash doubled.
    same("process %s" % ident, labels["process"], escape_text(o["comm"]) if o else "")
    if l["port"] == 7000 and not (o and o["comm"].startswith("ev") and labels["process"].endswith('"\\\\')):
        problems.append("hostile name %r became %r" % (o and o["comm"], labels["process"]))
    for state, n in l["connections"].items():
        same("%s %s" % (state, ident), get("porttop_listener_connections", state=state, **ident), n)
    if l["proto"] == "tcp":
        same("accept queue %s" % ident, get("porttop_listener_accept_queue", **ident),
             l["accept_queue"]["current"])
        same("backlog %s" % ident, get("porttop_listener_accept_backlog", **ident),
             l["accept_queue"]["backlog"])
    elif ("porttop_listener_accept_queue", tuple(sorted(ident.items()))) in m:
        problems.append("UDP %s has an accept queue" % ident)
    same("sockets %s" % ident, get("porttop_listener_sockets", **ident), l["sockets"])
    for flag in ("exposed", "ephemeral", "stuck", "new", "gone"):
        same("%s %s" % (flag, ident), get("porttop_listener_" + flag, **ident),
             1 if flag in l["flags"] else 0)
info_ids = {tuple(sorted((a, b) for a, b in k[1] if a in ("proto", "address", "port")))
            for k in m if k[0] == "porttop_listener_info"}
if info_ids != ids:
    problems.append("listeners differ: %s vs %s" % (sorted(info_ids), sorted(ids)))
if len(ids) != 4:
    problems.append("%d listeners, not 4" % len(ids))

t = d["totals"]
same("tcp listeners", get("porttop_listeners", proto="tcp"), t["tcp_listeners"])
same("udp listeners", get("porttop_listeners", proto="udp"), t["udp_listeners"])
for name, key in [("porttop_exposed_listeners", "exposed"), ("porttop_stuck_listeners", "stuck"),
                  ("porttop_established_connections", "established"),
                  ("porttop_time_wait_connections", "time_wait"), ("porttop_sockets", "sockets"),
                  ("porttop_ephemeral_ports_used", "ephemeral_used"),
                  ("porttop_ephemeral_ports", "ephemeral_size"),
                  ("porttop_owners_unknown", "owners_unknown")]:
    same(name, get(name), t[key])
same("range first", get("porttop_ephemeral_range_first"), d["ephemeral_range"][0])
same("range last", get("porttop_ephemeral_range_last"), d["ephemeral_range"][1])
same("wall cost", round(get("porttop_sample_wall_seconds") * 1e6), d["cost_us"]["wall"])
same("cpu cost", round(get("porttop_sample_cpu_seconds") * 1e6), d["cost_us"]["cpu"])
same("inconsistent", get("porttop_sample_inconsistent"), 1 if d["inconsistent"] else 0)
import datetime
ts = datetime.datetime.strptime(d["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
    tzinfo=datetime.timezone.utc).timestamp()
same("timestamp", round(get("porttop_sample_timestamp_seconds"), 3), round(ts, 3))
if t["established"] < 5 or t["exposed"] != 3:
    problems.append("totals are not what was made: %s" % t)
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY

# Without --once the file is replaced every interval until porttop is stopped; never a part.
rm -f "$SCRATCH/s.prom"
mkdir "$SCRATCH/textfile"
"$PORTTOP" --format=prometheus --output "$SCRATCH/textfile/porttop.prom" -d 2 &
exporter=$!
track $exporter
wait_until 50 test -s "$SCRATCH/textfile/porttop.prom" || fail "--output never wrote"
first=$(grep '^porttop_sample_timestamp_seconds ' "$SCRATCH/textfile/porttop.prom")
changed() {
	python3 "$PROMPARSE" "$SCRATCH/textfile/porttop.prom" >/dev/null || return 2
	[ "$(grep '^porttop_sample_timestamp_seconds ' "$SCRATCH/textfile/porttop.prom")" != "$first" ]
}
wait_until 50 changed || fail "the file was not replaced by a newer sample"
kill -TERM "$exporter"
wait "$exporter"
status=$?
[ "$status" -eq 0 ] || fail "porttop --output exited $status on SIGTERM"
[ "$(ls "$SCRATCH/textfile")" = porttop.prom ] || fail "left behind: $(ls "$SCRATCH/textfile")"
python3 "$PROMPARSE" "$SCRATCH/textfile/porttop.prom" >/dev/null || fail "last file does not parse"

# A folder that does not exist: exit 2 with the reason.
"$PORTTOP" --once --format=prometheus --output "$SCRATCH/missing/x.prom" 2>"$SCRATCH/err"
status=$?
[ "$status" -eq 2 ] || fail "writing into a missing folder exited $status"
grep -q "missing/x.prom" "$SCRATCH/err" || fail "no reason: $(cat "$SCRATCH/err")"
echo "prometheus: ok"
