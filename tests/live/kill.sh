#!/bin/sh
# kill.sh — porttop kill against real listeners in a private network namespace: --yes frees the
# port, --dry-run and a missing terminal signal nothing, tcp/ and udp/ pick only that protocol's
# owners, another user's listener is refused with the reason, and --timeout escalates to KILL
# for a process that ignores SIGTERM.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
command -v script >/dev/null || skip "script (util-linux) is not installed"
mk_scratch
SOCKETS="$top_srcdir/tests/live/sockets.py"
HARD=
trap 'for p in $HARD; do kill -KILL "$p" 2>/dev/null; done; cleanup_all' EXIT

start() { # start NAME [--ignore-term] SPEC... : a listener process; its pid in $pid
	name=$1
	shift
	rm -f "$SCRATCH/$name"
	python3 "$SOCKETS" --ready "$SCRATCH/$name" --comm "$name" "$@" &
	pid=$!
	track $pid
	wait_until 50 test -s "$SCRATCH/$name" || fail "$name did not start"
}
alive() { # alive PID : running, not a zombie waiting to be reaped
	[ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]
}
run() { # run WANT ARGS... : porttop ARGS must exit WANT; output in out, err
	want=$1
	shift
	"$PORTTOP" "$@" </dev/null >"$SCRATCH/out" 2>"$SCRATCH/err"
	got=$?
	[ "$got" -eq "$want" ] ||
		fail "porttop $* exited $got, not $want: $(cat "$SCRATCH/out" "$SCRATCH/err")"
}
listening() { # listening PROTO PORT : porttop still sees a listener there
	"$PORTTOP" --once --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(l["proto"] == sys.argv[1] and l["port"] == int(sys.argv[2]) for l in d["listeners"]) else 1)
' "$1" "$2"
}

# --dry-run shows what would be signalled and signals nothing.
start web listen:tcp:0.0.0.0:8080 listen:tcp:[::]:8080:v6only=1
web=$pid
run 0 kill --dry-run 8080
grep -q "^tcp 0.0.0.0:8080" "$SCRATCH/out" || fail "dry run does not list 8080: $(cat "$SCRATCH/out")"
grep -q "^tcp \[::\]:8080" "$SCRATCH/out" || fail "dry run does not list [::]:8080: $(cat "$SCRATCH/out")"
grep -q "pid $web .*web" "$SCRATCH/out" || fail "dry run does not name pid $web: $(cat "$SCRATCH/out")"
[ "$(grep -c "would send TERM to pid $web (web)" "$SCRATCH/out")" -eq 1 ] ||
	fail "dry run does not say once what it would do: $(cat "$SCRATCH/out")"
alive "$web" || fail "--dry-run killed $web"

# No terminal to ask on and no --yes: refuse, exit 2, nothing signalled.
run 2 kill 8080
grep -q -- "--yes" "$SCRATCH/err" || fail "no hint at --yes: $(cat "$SCRATCH/err")"
alive "$web" || fail "kill without --yes killed $web"

# On a terminal it asks; anything but yes signals nothing (exit 1: the port is still in use).
printf 'n\n' | script -qec "'$PORTTOP' kill 8080" /dev/null >"$SCRATCH/out" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "declining exited $status: $(cat "$SCRATCH/out")"
grep -q "Send TERM to 1 process? \[y/N\]" "$SCRATCH/out" || fail "no question: $(cat "$SCRATCH/out")"
grep -q "nothing signalled" "$SCRATCH/out" || fail "no 'nothing signalled': $(cat "$SCRATCH/out")"
alive "$web" || fail "declining killed $web"

# Usage errors are exit 2.
run 2 kill
run 2 kill http
run 2 kill 0
run 2 kill --signal NOPE 8080
run 2 kill --bogus 8080

# --yes frees the port and exits 0.
run 0 kill --yes 8080
alive "$web" && fail "$web still running after kill --yes"
listening tcp 8080 && fail "8080 still listening"
grep -q "^8080: free" "$SCRATCH/out" || fail "no 'free': $(cat "$SCRATCH/out")"

# Answering yes on the terminal signals too.
start web2 listen:tcp:127.0.0.1:8081
web2=$pid
printf 'y\n' | script -qec "'$PORTTOP' kill tcp/8081" /dev/null >"$SCRATCH/out" 2>&1
status=$?
[ "$status" -eq 0 ] || fail "answering yes exited $status: $(cat "$SCRATCH/out")"
alive "$web2" && fail "$web2 still running after yes"
grep -q "tcp/8081: free" "$SCRATCH/out" || fail "no 'free': $(cat "$SCRATCH/out")"

# udp/ names only the UDP listener's owner; the TCP one on the same port is left alone.
start tcpsrv listen:tcp:127.0.0.1:5300
tcpsrv=$pid
start udpsrv bind:udp:127.0.0.1:5300
udpsrv=$pid
run 0 kill --yes udp/5300
alive "$udpsrv" && fail "udp/5300 owner $udpsrv survived"
alive "$tcpsrv" || fail "udp/5300 killed the TCP listener's owner $tcpsrv"
grep -q "pid $tcpsrv" "$SCRATCH/out" && fail "udp/5300 listed the TCP owner: $(cat "$SCRATCH/out")"

# Unprivileged, another user's listener cannot be signalled: exit 1 with the reason.
start rootsrv listen:tcp:0.0.0.0:8443
rootsrv=$pid
setpriv --reuid=65534 --regid=65534 --clear-groups "$PORTTOP" --version >/dev/null 2>&1 ||
	skip "nobody cannot run $PORTTOP (a folder on its path is private)"
setpriv --reuid=65534 --regid=65534 --clear-groups "$PORTTOP" kill --yes 8443 </dev/null \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
status=$?
[ "$status" -eq 1 ] || fail "unprivileged kill exited $status: $(cat "$SCRATCH/out" "$SCRATCH/err")"
grep -q "not permitted.*root" "$SCRATCH/err" || fail "no reason: $(cat "$SCRATCH/out" "$SCRATCH/err")"
alive "$rootsrv" || fail "unprivileged kill killed $rootsrv"

# A process that ignores SIGTERM: without --timeout it survives (exit 1, still listening) ...
start stubborn --ignore-term listen:tcp:127.0.0.1:9000
stubborn=$pid
HARD=$stubborn
run 1 kill --yes 9000
alive "$stubborn" || fail "SIGTERM ended a process that ignores it"
grep -q "still running" "$SCRATCH/out" || fail "no 'still running': $(cat "$SCRATCH/out")"
grep -q "still listening" "$SCRATCH/out" || fail "no 'still listening': $(cat "$SCRATCH/out")"
# ... and with --timeout it gets SIGKILL and the port is freed.
run 0 kill --yes --timeout 0.5 9000
grep -q "sending KILL" "$SCRATCH/out" || fail "no escalation: $(cat "$SCRATCH/out")"
alive "$stubborn" && fail "$stubborn survived SIGKILL"
wait "$stubborn" 2>/dev/null
[ $? -eq 137 ] || fail "$stubborn did not die of SIGKILL"
listening tcp 9000 && fail "9000 still listening"

# A port nothing listens on is already free.
run 0 kill --yes 9999
grep -q "9999: nothing listens" "$SCRATCH/out" || fail "no 'nothing listens': $(cat "$SCRATCH/out")"
echo "kill: ok"
