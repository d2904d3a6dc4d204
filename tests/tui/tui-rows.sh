#!/bin/sh
# tui-rows.sh — listeners appear as rows with their bind scope, owner and flags; e, t, u narrow.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen rows --name pt-rows --tcp 127.0.0.1:7001 --tcp 0.0.0.0:7002 --udp 0.0.0.0:7003 \
	--tcp '[::]:7004' --tcp6only '[::]:7005' --tcp '[::1]:7006'
pid=$LISTEN_PID
tui_start
tui_wait pt-rows

# one row per socket: PROTO, the address with its scope mark, PORT, RANGE, PID, USER, PROCESS
expect_row() {
	tui_rows "$3" | awk -v proto="$1" -v mark="$2" -v addr="$3" -v port="$4" -v pid="$pid" '
		$1 == proto && $2 == mark && $3 == addr && $4 == port && $5 == "registered" &&
		$6 == pid && $7 == "root" && $8 == "pt-rows" { found = 1 }
		END { exit !found }' || { tui_dump; fail "no row '$1 $2 $3 $4 ... $pid root pt-rows'"; }
}
expect_row tcp L 127.0.0.1 7001
expect_row tcp '*' 0.0.0.0 7002
expect_row udp '*' 0.0.0.0 7003
expect_row tcp '*' '[::]+v4' 7004
expect_row tcp '*' '[::]' 7005
expect_row tcp L '[::1]' 7006

# reachable rows are EXPOSED (no rule expects them); loopback rows never are
flags_have_e() {
	tui_rows " $1 " | grep -E -q '[[:space:]]E[RSNG]*[[:space:]]'
}
for port in 7002 7003 7004 7005; do
	flags_have_e "$port" || { tui_dump; fail "row $port is not flagged E"; }
done
for port in 7001 7006; do
	flags_have_e "$port" && { tui_dump; fail "loopback row $port is flagged E"; }
done
tui_wait "Exposed: 4"
tui_wait "Listeners: 5 tcp, 1 udp"

# e: only exposed rows
tui_keys e
tui_wait "exposed only"
tui_has " 7001 " && { tui_dump; fail "e still shows the loopback row 7001"; }
tui_has " 7002 " || { tui_dump; fail "e hid the exposed row 7002"; }
tui_keys e
tui_wait " 7001 "

# u: only UDP; t: only TCP
tui_keys u
tui_wait "udp only"
tui_has " 7002 " && { tui_dump; fail "u still shows tcp 7002"; }
tui_has " 7003 " || { tui_dump; fail "u hid udp 7003"; }
tui_keys t
tui_wait "tcp only"
tui_has " 7003 " && { tui_dump; fail "t still shows udp 7003"; }
tui_has " 7002 " || { tui_dump; fail "t hid tcp 7002"; }
tui_keys q
wait_until 20 tui_dead || fail "q did not quit"
[ "$(tui_exit_status)" = 0 ] || fail "porttop exited with $(tui_exit_status) after q"
