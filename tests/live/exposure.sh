#!/bin/sh
# exposure.sh — EXPOSED and --check against real listeners in a private network namespace,
# with expected-service rules from a user file (XDG_CONFIG_HOME) and a system file.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
SOCKETS="$top_srcdir/tests/live/sockets.py"
ip addr add 192.0.2.1/32 dev lo || fail "cannot add 192.0.2.1"
ip -6 addr add 2001:db8::1/128 dev lo nodad || fail "cannot add 2001:db8::1"
export XDG_CONFIG_HOME="$SCRATCH/config"
export PORTTOP_SYSTEM_RULES="$SCRATCH/system.conf"
mkdir -p "$XDG_CONFIG_HOME/porttop"
RULES="$XDG_CONFIG_HOME/porttop/expected"

start() { # start NAME SPEC... : a listener process, waited for
	name=$1
	shift
	python3 "$SOCKETS" --ready "$SCRATCH/$name" --comm "$name" "$@" &
	track $!
	wait_until 50 test -s "$SCRATCH/$name" || fail "$name did not start"
}

check_status() { # check_status WANT ARGS... : porttop --check ARGS must exit WANT
	want=$1
	shift
	"$PORTTOP" --check "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "--check $* exited $got, not $want: $(cat "$SCRATCH/out" "$SCRATCH/err")"
}

# Loopback only: nothing exposed.
start lo-only listen:tcp:127.0.0.1:8080 listen:tcp:[::1]:8080 bind:udp:127.0.0.1:5300
check_status 0
grep -q "no unexpected exposed listeners" "$SCRATCH/out" || fail "no 'none' message: $(cat "$SCRATCH/out")"
check_status 0 --quiet
[ -s "$SCRATCH/out" ] && fail "--quiet printed: $(cat "$SCRATCH/out")"

# A wildcard listener is exposed; --check names it and exits 1.
start devsrv listen:tcp:0.0.0.0:8081
check_status 1
grep -q "0.0.0.0 .* 8081 .*devsrv" "$SCRATCH/out" || fail "8081 not listed: $(cat "$SCRATCH/out")"
grep -q "8080" "$SCRATCH/out" && fail "loopback 8080 listed as exposed"
check_status 1 --quiet
[ -s "$SCRATCH/out" ] && fail "--quiet printed: $(cat "$SCRATCH/out")"

# A rule expects it: exit 0. The rule file's bad line is reported with its line number and
# the good lines still apply.
printf '# dev server\nudp *:99999\ntcp *:8081 devsrv\n' >"$RULES"
check_status 0
grep -q "expected:2: .*99999" "$SCRATCH/err" || fail "bad line not reported: $(cat "$SCRATCH/err")"
"$PORTTOP" --expected >"$SCRATCH/out" 2>/dev/null || fail "--expected failed"
grep -q "tcp \*:8081 devsrv .*expected:3" "$SCRATCH/out" || fail "--expected: $(cat "$SCRATCH/out")"

# The rule names the process: another program on a rule-matched port is still exposed.
printf 'tcp *:8082 devsrv\n' >"$RULES"
start other listen:tcp:0.0.0.0:8082
check_status 1
grep -q "8082" "$SCRATCH/out" || fail "8082 by another process not exposed: $(cat "$SCRATCH/out")"

# Dual-stack :: is exposed on both families; v6only :: on IPv6 only; a specific address on itself.
: >"$RULES"
start dual listen:tcp:[::]:8083:v6only=0 listen:tcp:[::]:8084:v6only=1 listen:tcp:192.0.2.1:8085
check_status 1 --json
python3 - "$SCRATCH/out" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
rows = {(l["address"], l["port"]): l for l in d["listeners"]}
def reach(k):
    return sorted(a["address"] for a in rows[k]["reachable_on"])
problems = []
for k in [("::", 8083), ("::", 8084), ("192.0.2.1", 8085), ("0.0.0.0", 8081), ("0.0.0.0", 8082)]:
    if k not in rows:
        problems.append("%s not exposed" % (k,))
    elif "exposed" not in rows[k]["flags"]:
        problems.append("%s has no exposed flag" % (k,))
if not problems:
    if reach(("::", 8083)) != ["192.0.2.1", "2001:db8::1"] or not rows[("::", 8083)]["dual_stack"]:
        problems.append("dual-stack reach %s" % reach(("::", 8083)))
    if reach(("::", 8084)) != ["2001:db8::1"]:
        problems.append("v6only reach %s" % reach(("::", 8084)))
    if reach(("192.0.2.1", 8085)) != ["192.0.2.1"]:
        problems.append("address reach %s" % reach(("192.0.2.1", 8085)))
    if any(l["scope"] == "loopback" for l in d["listeners"]):
        problems.append("--check --json lists a loopback listener")
if d["totals"]["exposed"] != 5:
    problems.append("exposed total %d" % d["totals"]["exposed"])
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY

# System rules apply too, and name where they came from.
printf 'tcp *:8081-8085\n' >"$PORTTOP_SYSTEM_RULES"
check_status 0
"$PORTTOP" --expected | grep -q "system.conf:1" || fail "--expected lacks the system rule"

# A rules file that cannot be read is an error: exit 2 with the reason.
rm -f "$RULES"
mkdir "$RULES"
check_status 2
grep -q "$RULES" "$SCRATCH/err" || fail "no reason for exit 2: $(cat "$SCRATCH/err")"
echo "exposure: ok"
