#!/bin/sh
# tui-idle.sh — with nothing changing, the screen's thread sleeps: no busy loop.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen idle --name pt-idle --tcp 127.0.0.1:7060
# a long interval: the sampler stays quiet, so any CPU time is the screen's
tui_start -d 600
tui_wait pt-idle
sleep 1
pid=$(tui_pid)
# utime + stime of every thread, in clock ticks
ticks() {
	awk '{ print $14 + $15 }' "/proc/$pid/stat"
}
before=$(ticks)
sleep 3
after=$(ticks)
used=$((after - before))
# one tick is 10 ms: a spinning loop would use about 300 in 3 s
[ "$used" -le 5 ] || fail "porttop used $used ticks of CPU in 3 idle seconds"
# and it still answers
tui_keys h
tui_wait "Dashboard"
