#!/bin/sh
# hostile_names.sh — listeners owned by processes whose names and command lines carry terminal
# escapes (ESC, CSI, OSC, BEL, C1), invalid UTF-8, bidi overrides, a 128 KiB command line, an
# empty one, and a zombie-led process: the table, JSON, Prometheus text and the event stream
# stay well-formed, every row is there, and not one raw control byte from them gets out.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
HOSTILE="$top_builddir/tests/live/hostile"

# The names and argument vectors, as raw bytes (argv files are NUL-separated).
printf '\033]0;pwned\a' >"$SCRATCH/comm1"
printf 'sh\0-c\0\033[2J\033[H\033[31mred\033]0;title\a\0\377\376bad\0\302\233c1-csi\0\033P+q\033\\' \
	>"$SCRATCH/argv1"
printf '\342\200\256evil\377' >"$SCRATCH/comm2"
printf 'svc\0\342\200\256txt.exe\0zero\342\200\213width\0tab\there\0new\nline\0\r\177' >"$SCRATCH/argv2"
python3 - "$SCRATCH/argv3" <<'PY'
import sys
# 4 arguments of 32 KiB + the name: just over 128 KiB, escapes sprinkled through.
chunk = (b"\x1b[31m" + b"A" * 1019)  # 1 KiB
args = [b"big"] + [chunk * 32 for _ in range(4)]
open(sys.argv[1], "wb").write(b"\0".join(args))
PY

# A listener no process owns: the kernel's own VXLAN socket (where the module is there).
kernel=0
if ip link add vx0 type vxlan id 42 dstport 4789 local 127.0.0.1 dev lo 2>/dev/null; then
	ip link set vx0 up && kernel=1
else
	echo "no vxlan module: the kernel-owned listener is left out"
fi

export XDG_CONFIG_HOME="$SCRATCH/config"
export PORTTOP_SYSTEM_RULES="$SCRATCH/none.conf"
# The event stream sees them start.
"$PORTTOP" --events -d 1 >"$SCRATCH/events" 2>"$SCRATCH/events.err" &
EVENTS=$!
track $EVENTS
wait_until 50 test -e "$SCRATCH/events" || fail "porttop --events did not start"

"$HOSTILE" listen 9001 "$SCRATCH/r1" "$SCRATCH/comm1" "$SCRATCH/argv1" &
track $!
"$HOSTILE" listen 9002 "$SCRATCH/r2" "$SCRATCH/comm2" "$SCRATCH/argv2" &
track $!
"$HOSTILE" listen 9003 "$SCRATCH/r3" "$SCRATCH/comm1" "$SCRATCH/argv3" &
track $!
"$HOSTILE" empty 9004 "$SCRATCH/r4" &
track $!
"$HOSTILE" leader 9005 "$SCRATCH/r5" &
track $!
for i in 1 2 3 4 5; do
	wait_until 50 test -s "$SCRATCH/r$i" || fail "hostile process $i did not start"
	track "$(cat "$SCRATCH/r$i")"
done

# Every listen event is out once each row has shown up in a sample.
listened() {
	for port in 9001 9002 9003 9004 9005; do
		grep -q "\"event\":\"listen\".*\"port\":$port," "$SCRATCH/events" || return 1
	done
}
wait_until 100 listened || fail "no listen events for the hostile listeners: $(cat "$SCRATCH/events")"
kill -TERM $EVENTS
wait $EVENTS
[ $? -eq 0 ] || fail "porttop --events did not exit 0 on SIGTERM"

"$PORTTOP" --once >"$SCRATCH/table" 2>"$SCRATCH/table.err" || fail "porttop --once failed"
"$PORTTOP" --once --format=prometheus >"$SCRATCH/prom" 2>>"$SCRATCH/table.err" ||
	fail "porttop --format=prometheus failed"
# The kill plan names the owners too (a dry run signals nothing).
"$PORTTOP" kill --dry-run 9001 9002 9003 9004 9005 >"$SCRATCH/kill" 2>"$SCRATCH/kill.err"
[ $? -le 1 ] || fail "porttop kill --dry-run failed: $(cat "$SCRATCH/kill.err")"
python3 "$top_srcdir/tests/live/promparse.py" "$SCRATCH/prom" >"$SCRATCH/promparse" 2>&1 ||
	fail "the Prometheus text does not parse: $(cat "$SCRATCH/promparse")"
"$PORTTOP" --once --json >"$SCRATCH/json" 2>"$SCRATCH/json.err" || fail "porttop --json failed"
"$PORTTOP" -n 3 -d 1 --json >"$SCRATCH/json3" 2>>"$SCRATCH/json.err" || fail "porttop -n 3 failed"
"$PORTTOP" --check >"$SCRATCH/check" 2>>"$SCRATCH/table.err"
[ $? -le 1 ] || fail "porttop --check failed"

python3 - "$SCRATCH" $kernel <<'PY' || exit 1
import json, os, sys
d, kernel = sys.argv[1], sys.argv[2] == "1"
fail = []
def check(cond, msg):
    if not cond:
        fail.append(msg)

def raw(name):
    return open(os.path.join(d, name), "rb").read()

FORMAT = set(range(0x200b, 0x2010)) | set(range(0x2028, 0x202f)) | set(range(0x2060, 0x2070)) \
    | {0xfeff, 0xfff9, 0xfffa, 0xfffb}
def terminal_safe(name, data):
    """Valid UTF-8 with no C0 (but newline), DEL, C1 or bidi/format character."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail.append("%s: not UTF-8: %s" % (name, e))
        return
    for i, ch in enumerate(text):
        c = ord(ch)
        if (c < 0x20 and ch != "\n") or c == 0x7f or 0x80 <= c < 0xa0 or c in FORMAT:
            fail.append("%s: raw U+%04X at %d: %r" % (name, c, i, text[max(0, i - 20):i + 20]))
            return

for name in ("table", "json", "json3", "check", "prom", "events", "kill", "table.err",
             "json.err", "events.err", "kill.err"):
    terminal_safe(name, raw(name))
for name in ("table.err", "json.err", "events.err"):
    check(raw(name) == b"", "%s is not empty: %r" % (name, raw(name)[:300]))

pids = {9000 + i: int(raw("r%d" % i)) for i in range(1, 6)}
argv = {9001: raw("argv1"), 9002: raw("argv2"), 9003: raw("argv3")}

# JSON: strict, one object per line, and the command lines exactly as the processes set them
# (arguments joined by spaces, invalid UTF-8 as U+FFFD; libproc2 reads a newline inside an
# argument as a space).
docs = [json.loads(line) for line in raw("json3").decode().splitlines()]
check(len(docs) == 3, "-n 3 printed %d objects" % len(docs))
doc = json.loads(raw("json").decode())
rows = {l["port"]: l for l in doc["listeners"] if l["proto"] == "tcp"}
for port in range(9001, 9006):
    check(port in rows, "no row for %d" % port)
for port in range(9001, 9006):
    l = rows.get(port)
    if l is None:
        continue
    owners = [o["pid"] for o in l["owners"]]
    check(owners == [pids[port]], "%d owners %s, not [%d]" % (port, owners, pids[port]))
    if port in argv and owners:
        want = b" ".join(argv[port].split(b"\0")).replace(b"\n", b" ").decode("utf-8", "replace")
        got = l["owners"][0]["cmdline"]
        check(got == want, "%d cmdline %r... (%d chars) != %r... (%d chars)"
              % (port, got[:60], len(got), want[:60], len(want)))
check(len(rows.get(9003, {"owners": [{"cmdline": ""}]})["owners"][0]["cmdline"]) > 128 * 1024,
      "the 128 KiB command line was cut")
check(rows.get(9004, {"owners": [{}]})["owners"][0].get("cmdline") == "",
      "an empty argv is an empty cmdline")
# The zombie leader's socket is read through its live thread; it has no command line left.
check(rows.get(9005, {"owners": [{}]})["owners"][0].get("cmdline") == "",
      "a zombie leader's cmdline is empty")
# No process to name: the kernel's own socket is a row without owners, and the status says why.
if kernel:
    vx = [l for l in doc["listeners"] if l["proto"] == "udp" and l["port"] == 4789]
    check(len(vx) == 1 and vx[0]["owners"] == [], "the kernel's VXLAN socket: %s" % vx)
    check((doc["status"] or "").endswith("unknown (other namespaces or kernel)"),
          "status %r" % doc["status"])

# Events: strict JSON lines; the listen event carries the owner's command line as JSON does.
events = [json.loads(line) for line in raw("events").decode().splitlines()]
listens = {e["port"]: e for e in events if e["event"] == "listen" and e["proto"] == "tcp"}
for port in range(9001, 9006):
    check(port in listens, "no listen event for %d" % port)
if 9001 in listens and listens[9001].get("owner"):
    check(listens[9001]["owner"]["cmdline"] == rows[9001]["owners"][0]["cmdline"],
          "the listen event's command line differs from the JSON one")

# The kill plan: every hostile owner is in it, by pid.
plan = raw("kill").decode()
for port in range(9001, 9006):
    check(("pid %d" % pids[port]) in plan, "the kill plan does not name pid %d" % pids[port])

# Prometheus: every hostile owner's row is a series, its label values escaped.
prom = raw("prom").decode()
for port in range(9001, 9006):
    check(('port="%d"' % port) in prom, "no Prometheus series for %d" % port)

# The table: one line per row, every column there, the escapes shown as text.
table = raw("table").decode()
lines = table.splitlines()
for port in range(9001, 9006):
    mine = [x for x in lines if (" %d " % port) in x]
    check(len(mine) == 1, "table has %d lines for %d" % (len(mine), port))
check("\\e]0;title\\a" in table, "the OSC in a command line is not shown escaped")
check("\\xff\\xfebad" in table, "invalid UTF-8 is not shown as \\xNN")
check("\\u{202e}txt.exe" in table, "a bidi override is not shown as \\u{202e}")
big = [x for x in lines if " 9003 " in x]
check(big and len(big[0]) > 128 * 1024, "the table cut the 128 KiB command line")
if fail:
    print("\n".join(fail))
    print(table[:3000])
    sys.exit(1)
PY
echo "hostile_names: ok"
