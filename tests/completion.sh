#!/bin/sh
# completion.sh — the bash completion offers porttop's options, their values, kill and its
# options, and the ports that listen now (in a private network namespace, so they are known).
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v bash >/dev/null || skip "bash is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
python3 "$top_srcdir/tests/live/sockets.py" --ready "$SCRATCH/ready" \
	listen:tcp:127.0.0.1:8080 listen:tcp:0.0.0.0:3000 bind:udp:127.0.0.1:5353 &
track $!
wait_until 50 test -s "$SCRATCH/ready" || fail "listeners did not start"
touch "$SCRATCH/metrics.prom"

# complete WORD... : what the completion offers for the last word, one per line, sorted.
cat >"$SCRATCH/complete.bash" <<'BASH'
compopt() { :; } # only works while readline completes; not needed here
. "$top_srcdir/completions/porttop"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
_porttop
printf '%s\n' "${COMPREPLY[@]}" | sort
BASH
complete() {
	PATH="$(dirname "$PORTTOP"):$PATH" bash "$SCRATCH/complete.bash" "$@" | tr '\n' ' ' | sed 's/ $//'
}
expect() { # expect WANT WORD... : complete WORD... must offer exactly WANT
	want=$1
	shift
	got=$(complete "$@")
	[ "$got" = "$want" ] || fail "completing '$*' offered '$got', not '$want'"
}

expect "kill" porttop k
expect "--source=" porttop --once --so
expect "--format=" porttop --fo
expect "--events --expected" porttop --e
expect "json" porttop --format js
expect "json" porttop --format = js
expect "prometheus" porttop --format=p
expect "procnet" porttop --source pro
expect "$SCRATCH/metrics.prom" porttop --output "$SCRATCH/met"
expect "--dry-run" porttop kill --d
expect "--dry-run --help --signal= --timeout= --yes" porttop kill --
expect "--signal=" porttop kill --si
expect "KILL" porttop kill --signal K
expect "HUP" porttop kill -s hu
expect "3000 5353 8080 tcp/ udp/" porttop kill ""
expect "tcp/3000 tcp/8080" porttop kill tcp/
expect "udp/5353" porttop kill --yes udp/
expect "8080" porttop kill 3000 80
expect "" porttop --once kill
echo "completion: ok"
