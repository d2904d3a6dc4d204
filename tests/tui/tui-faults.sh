#!/bin/sh
# tui-faults.sh — terminal faults: a storm of resizes between 20x5 and 300x100, both extremes
# held, SIGHUP, and a terminal that disappears in the middle of a storm. porttop keeps drawing
# within the window, never spins, and exits within a second with the terminal restored.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen f --name pt-faults --tcp 0.0.0.0:7070 --tcp 127.0.0.1:7071

# utime + stime of every thread of $1, in clock ticks (10 ms)
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
# The widest line on screen, in columns.
screen_width() {
	tui_screen | LC_ALL=C.UTF-8 wc -L
}
# quiet PID: over two seconds without input or samples, it uses (almost) no CPU
quiet() {
	b=$(ticks "$1")
	sleep 2
	a=$(ticks "$1")
	[ $((a - b)) -le 5 ] || fail "porttop used $((a - b)) ticks of CPU in 2 idle seconds: $2"
}
# record: from now on, keep every byte porttop writes to its terminal in $SCRATCH/tty.log
record() {
	: >"$SCRATCH/tty.log"
	tmux_ pipe-pane -o -t pt "cat >>'$SCRATCH/tty.log'" || fail "tmux cannot pipe the pane"
}
# restored WHAT: the pane porttop left is off the alternate screen, without mouse reporting or
# keypad mode, and the last cursor command porttop wrote shows the cursor. (tmux's own
# cursor_flag is no witness: tmux hides the cursor of a pane that died with a non-zero status.)
restored() {
	[ "$(tmux_ display-message -p -t pt '#{alternate_on}')" = 0 ] ||
		fail "$1: the terminal was left on the alternate screen"
	[ "$(tmux_ display-message -p -t pt '#{mouse_any_flag}')" = 0 ] ||
		fail "$1: mouse reporting was left on"
	[ "$(tmux_ display-message -p -t pt '#{keypad_flag}')" = 0 ] ||
		fail "$1: keypad mode was left on"
	"$PYTHON" - "$SCRATCH/tty.log" <<'PY' || fail "$1: the cursor was left hidden"
import sys
out = open(sys.argv[1], "rb").read()
sys.exit(0 if out.rfind(b"\x1b[?25h") > out.rfind(b"\x1b[?25l") else 1)
PY
}
# storm N: N resizes as fast as tmux takes them, sizes spread over 20x5 .. 300x100
storm() {
	i=0
	while [ $i -lt "$1" ]; do
		tmux_ resize-window -t pt -x $((20 + (i * 37) % 281)) -y $((5 + (i * 13) % 96)) \
			2>/dev/null || return 0
		i=$((i + 1))
	done
}

# A long interval: any CPU time after the storm would be the screen's own.
tui_start -d 600
tui_wait pt-faults
pid=$(tui_pid)
record

# 300x100: the whole table, nothing drawn past the edge
tmux_ resize-window -t pt -x 300 -y 100
tui_wait "Listeners:"
tui_wait RANGE
[ "$(screen_width)" -le 300 ] || { tui_dump; fail "a line is wider than 300 columns"; }

# 20x5: the notice, inside the window
tmux_ resize-window -t pt -x 20 -y 5
tui_wait "terminal too"
[ "$(screen_width)" -le 20 ] || { tui_dump; fail "a line is wider than 20 columns"; }

# a storm of 300 resizes, then back to 120x30: alive, drawing, answering, quiet
storm 300
alive "$pid" || fail "porttop died in a resize storm"
tmux_ resize-window -t pt -x 120 -y 30
tui_wait "Listeners:"
tui_wait pt-faults
[ "$(screen_width)" -le 120 ] || { tui_dump; fail "a line is wider than 120 columns"; }
tui_keys h
tui_wait "Dashboard"
tui_keys Escape
quiet "$pid" "after a resize storm"

# SIGHUP: gone within a second, the terminal restored
kill -HUP "$pid"
wait_until 10 tui_dead || {
	kill -9 "$pid" 2>/dev/null
	fail "porttop outlived SIGHUP by more than a second"
}
restored SIGHUP

# the terminal disappears in the middle of a storm: gone within a second
tui_start -d 600
tui_wait pt-faults
pid=$(tui_pid)
storm 1000 &
stormer=$!
sleep 0.3
tmux_ kill-server
wait_until 10 gone "$pid" || {
	kill -9 "$pid" 2>/dev/null
	fail "porttop (pid $pid) outlived its terminal by more than a second"
}
wait $stormer 2>/dev/null
echo "tui-faults: ok"
