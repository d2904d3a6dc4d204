#!/bin/sh
# tui-hangup.sh — porttop quits when its terminal goes away, on SIGTERM, and after -n N.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen h --name pt-hangup --tcp 127.0.0.1:7050

# killing the tmux session (the terminal goes away) ends porttop within a second
tui_start
tui_wait pt-hangup
pid=$(tui_pid)
alive "$pid" || fail "no porttop process"
tmux_ kill-session -t pt
wait_until 10 gone "$pid" || {
	kill -9 "$pid" 2>/dev/null
	fail "porttop (pid $pid) outlived its terminal"
}

# SIGTERM restores the terminal and exits 0
tui_start
tui_wait pt-hangup
kill -TERM "$(tui_pid)"
wait_until 20 tui_dead || fail "porttop ignored SIGTERM"
[ "$(tui_exit_status)" = 0 ] || fail "SIGTERM: exit status $(tui_exit_status), want 0"

# -n 3 quits by itself after three samples, with status 0
tui_start -n 3 -d 2
wait_until 50 tui_dead || fail "-n 3 did not quit"
[ "$(tui_exit_status)" = 0 ] || fail "-n 3: exit status $(tui_exit_status), want 0"
