#!/bin/sh
# tui-sort.sh — sort keys order the rows: by port, inverted, by port range (r), F6, < and >.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

# the namespace's ephemeral range is the kernel default unless set: make it known
echo "32768 60999" >/proc/sys/net/ipv4/ip_local_port_range || fail "cannot set the port range"
listen sort --name pt-sort --tcp 0.0.0.0:61000 --tcp 0.0.0.0:40000 --tcp 0.0.0.0:80 \
	--tcp 0.0.0.0:35000 --tcp 0.0.0.0:7001
tui_start
tui_wait pt-sort

# the PORT column of the pt-sort rows, top to bottom, on one line
order() {
	tui_rows pt-sort | awk '{ printf "%s%s", sep, $4; sep = " " } END { print "" }'
}
expect_order() {
	n=50
	while [ "$n" -gt 0 ]; do
		[ "$(order)" = "$1" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	tui_dump
	fail "rows in order '$(order)', want '$1' ($2)"
}

expect_order "80 7001 35000 40000 61000" "default: by port"
tui_keys I
expect_order "61000 40000 35000 7001 80" "I inverts"
tui_wait "sorted by PORT descending"
# r: the range class first (well-known, registered, ephemeral), then the port
tui_keys r
expect_order "80 7001 61000 35000 40000" "r sorts by port range"
tui_wait "sorted by RANGE ascending"
# the ephemeral rows carry the R flag, the others not
tui_rows " 40000 " | grep -q 'ephemeral' || { tui_dump; fail "40000 is not shown as ephemeral"; }
tui_rows " 61000 " | grep -q 'registered' || { tui_dump; fail "61000 is not registered"; }
# <: the column left of RANGE is PORT again
tui_keys '<'
expect_order "80 7001 35000 40000 61000" "< moves the sort to PORT"
# F6 opens the sort menu; choosing PORT again flips the order
tui_keys F6
tui_wait "Sort by"
tui_keys Enter
expect_order "61000 40000 35000 7001 80" "F6 Enter on the sort column inverts it"
# the choice is saved for next time
wait_until 20 grep -q '^sort_descending=yes$' "$SCRATCH/porttoprc" ||
	fail "the sort order was not saved: $(cat "$SCRATCH/porttoprc" 2>&1)"
tui_keys q
wait_until 20 tui_dead || fail "q did not quit"
tui_start
tui_wait pt-sort
expect_order "61000 40000 35000 7001 80" "the saved sort order comes back"
