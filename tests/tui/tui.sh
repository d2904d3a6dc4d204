# tui.sh — drive the real porttop in a private tmux server; sourced by tests/tui/*.sh after
# tests/lib.sh and in_netns. Every test gets its own server socket, a 120x30 window, and its
# own HOME, XDG_CONFIG_HOME and PORTTOP_CONFIG inside a scratch folder.

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
[ -x "${PORTTOP:-}" ] || fail "PORTTOP (${PORTTOP:-unset}) is not an executable"
PYTHON=${PYTHON:-}
for p in /usr/bin/python3 python3; do
	[ -n "$PYTHON" ] && break
	command -v "$p" >/dev/null 2>&1 && PYTHON=$(command -v "$p")
done
[ -n "$PYTHON" ] || skip "python3 is not installed"
TUI_DIR=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/tui
TUI_SERVERS=
TUI_N=0

mk_scratch
mkdir -p "$SCRATCH/home" "$SCRATCH/config"
chmod 755 "$SCRATCH" "$SCRATCH/home" "$SCRATCH/config"
tui_cleanup() {
	for l in $TUI_SERVERS; do
		tmux -L "$l" kill-server >/dev/null 2>&1
	done
	# some listeners ignore SIGTERM on purpose: make sure cleanup_all's wait returns
	for p in $PIDS_TO_KILL; do
		kill -KILL "$p" 2>/dev/null
	done
	cleanup_all
}
trap tui_cleanup EXIT

tmux_() {
	tmux -L "$TMUX_L" -f /dev/null "$@"
}

# tui_start [PORTTOP ARGS...]: run porttop in window "pt" (${TUI_WIDTH:-120}x30) of a new tmux server (a
# server that is just shutting down cannot take the session). $TUI_AS, when set, is a command
# prefix that runs it as someone else (setpriv ...). The pane stays after porttop exits.
tui_start() {
	{
		echo '#!/bin/sh'
		echo "export HOME='$SCRATCH/home' XDG_CONFIG_HOME='$SCRATCH/config'"
		echo "export PORTTOP_CONFIG='$SCRATCH/porttoprc' LC_ALL=C.UTF-8 TERM=screen"
		echo 'unset NO_COLOR'
		# sanitizer builds: libproc2's per-thread buffers die with the sampler thread
		echo "export LSAN_OPTIONS='suppressions=$TUI_DIR/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}'"
		# the inner shell writes its pid and becomes porttop; the outer one keeps its status
		echo "sh -c 'echo \$\$ >\"\$0\"; exec \"\$@\"' '$SCRATCH/porttop.pid' ${TUI_AS:-} '$PORTTOP' \"\$@\""
		echo "echo \$? >'$SCRATCH/porttop.status'"
	} >"$SCRATCH/run.sh"
	chmod 755 "$SCRATCH/run.sh"
	[ -n "${TMUX_L:-}" ] && tmux_ kill-server >/dev/null 2>&1
	TUI_N=$((TUI_N + 1))
	TMUX_L="porttop-test-$$-$TUI_N"
	TUI_SERVERS="$TUI_SERVERS $TMUX_L"
	tmux_ new-session -d -s pt -x "${TUI_WIDTH:-120}" -y 30 "sleep 600" || fail "tmux cannot start a session"
	tmux_ set-option -t pt remain-on-exit on >/dev/null
	rm -f "$SCRATCH/porttop.pid" "$SCRATCH/porttop.status"
	tmux_ respawn-pane -k -t pt "$SCRATCH/run.sh $*" || fail "tmux cannot start porttop"
}

tui_screen() {
	tmux_ capture-pane -p -t pt
}

# tui_has TEXT: the screen shows TEXT (fixed string).
tui_has() {
	tui_screen | grep -F -q -e "$1"
}

tui_dump() {
	echo "--- screen:" >&2
	tui_screen >&2
	echo "---" >&2
}

# tui_wait TEXT [TENTHS]: wait until the screen shows TEXT, or fail showing the screen.
tui_wait() {
	wait_until "${2:-50}" tui_has "$1" && return 0
	tui_dump
	fail "the screen never showed '$1'"
}

# tui_wait_gone TEXT [TENTHS]: wait until the screen no longer shows TEXT.
tui_wait_gone() {
	n=${2:-50}
	while [ "$n" -gt 0 ]; do
		tui_has "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	tui_dump
	fail "the screen kept showing '$1'"
}

tui_keys() {
	tmux_ send-keys -t pt "$@"
}

# porttop's pid (the pane's own process may be a shell that started it).
tui_pid() {
	wait_until 50 test -s "$SCRATCH/porttop.pid" || fail "porttop did not start"
	cat "$SCRATCH/porttop.pid"
}

# tui_dead: porttop has exited (its status is recorded by run.sh: tmux itself sometimes reaps
# a pane's process late, so #{pane_dead_status} is not reliable).
tui_dead() {
	test -s "$SCRATCH/porttop.status"
}

tui_exit_status() {
	cat "$SCRATCH/porttop.status" 2>/dev/null
}

# The screen's table lines that contain TEXT.
tui_rows() {
	tui_screen | grep -F -e "$1"
}

# listen NAME [listen.py ARGS...]: start a listener process and wait until its sockets are
# ready; its pid is then in LISTEN_PID. It is killed at exit.
listen() {
	name=$1
	shift
	"$PYTHON" "$TUI_DIR/listen.py" --ready "$SCRATCH/$name.ready" "$@" </dev/null \
		>"$SCRATCH/$name.log" 2>&1 &
	LISTEN_PID=$!
	track "$LISTEN_PID"
	wait_until 50 test -f "$SCRATCH/$name.ready" ||
		fail "listener $name did not start: $(cat "$SCRATCH/$name.log")"
}

# alive PID: the process exists and is not a zombie waiting to be reaped.
alive() {
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$state" ] && [ "$state" != Z ]
}

gone() {
	! alive "$1"
}
