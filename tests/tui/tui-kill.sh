#!/bin/sh
# tui-kill.sh — k: Esc sends nothing; Enter terminates the owner and the row goes GONE; a
# process that ignores SIGTERM is reported alive and k then offers SIGKILL.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen victim --name pt-victim --tcp 0.0.0.0:7020
victim=$LISTEN_PID
listen stubborn --name pt-stubborn --ignore-term --tcp 0.0.0.0:7021
stubborn=$LISTEN_PID
tui_start
tui_wait pt-stubborn

select_port() {
	tui_keys '\' C-u
	tui_keys -l "port:$1"
	tui_keys Enter
	tui_wait "filter: port:$1"
}

# Esc cancels: nothing is sent
select_port 7020
tui_keys k
tui_wait "Send a signal"
tui_wait "pid $victim"
tui_has "> TERM" || { tui_dump; fail "TERM is not the default signal"; }
tui_keys Escape
tui_wait_gone "Send a signal"
sleep 0.5
alive "$victim" || fail "Esc in the kill dialog killed the process"

# Enter sends SIGTERM; the process exits and its row goes GONE
tui_keys k
tui_wait "Send a signal"
tui_keys Enter
tui_wait "exited after"
alive "$victim" && fail "k Enter did not terminate pid $victim"
# the row stays a few seconds, flagged G (the last cell of the line: tmux trims the spaces)
row_gone() {
	tui_rows ' 7020 ' | grep -Eq '[[:space:]]E?R?S?N?G([[:space:]]|$)'
}
wait_until 30 row_gone || { tui_dump; fail "the killed listener's row is not flagged GONE"; }

# a process that ignores SIGTERM: reported alive after 3 s, then k offers SIGKILL
select_port 7021
tui_keys k
tui_wait "pid $stubborn"
tui_keys Enter
tui_wait "still alive after 3 s" 80
alive "$stubborn" || fail "pid $stubborn died of a SIGTERM it ignores"
tui_keys k
tui_wait "> KILL"
tui_keys Enter
tui_wait "exited after"
alive "$stubborn" && fail "SIGKILL did not kill pid $stubborn"

# --readonly: k explains and sends nothing
tui_keys q
wait_until 20 tui_dead || fail "q did not quit"
listen again --name pt-again --tcp 0.0.0.0:7022
again=$LISTEN_PID
rm -f "$SCRATCH/porttoprc" # the saved filter would hide the new listener
tui_start --readonly
tui_wait pt-again
tui_keys k
tui_wait "read-only"
tui_has "Send a signal" && fail "--readonly still opened the kill dialog"
alive "$again" || fail "--readonly killed something"
