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

# SIGTERM and a crash leave the terminal as they found it: the alternate screen is left and
# the cursor shown again after porttop entered them (seen through script(1)'s typescript)
restores() {
	sig=$1
	command -v script >/dev/null 2>&1 || skip "script (util-linux) is not installed"
	rm -f "$SCRATCH/typescript"
	tui_start
	rm -f "$SCRATCH/porttop.pid" "$SCRATCH/porttop.status"
	tmux_ respawn-pane -k -t pt "script -qfc '$SCRATCH/run.sh' '$SCRATCH/typescript'"
	tui_wait pt-hangup
	pid=$(tui_pid)
	kill "-$sig" "$pid"
	wait_until 30 gone "$pid" || fail "porttop survived SIG$sig"
	sleep 0.2
	# the last switch of the alternate screen must be the one that leaves it
	last=$(grep -ao "$(printf '\033')\\[?1049[hl]" "$SCRATCH/typescript" | tail -1)
	case $last in
	*l) ;;
	*) fail "SIG$sig left the terminal in the alternate screen ('$last')" ;;
	esac
}
restores TERM
restores SEGV

# -n 3 quits by itself after three samples, with status 0
tui_start -n 3 -d 2
wait_until 50 tui_dead || fail "-n 3 did not quit"
[ "$(tui_exit_status)" = 0 ] || fail "-n 3: exit status $(tui_exit_status), want 0"
