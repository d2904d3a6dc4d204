#!/bin/sh
# tui-hostile.sh — the screen with the hostile owners of tests/live/hostile_names.sh: C1 and
# OSC sequences, invalid UTF-8, bidi overrides, a 128 KiB command line, an empty argv and a
# zombie-led listener. Every row is drawn, nothing from them reaches the terminal (title, raw
# OSC/BEL, bidi characters), the detail view of the 128 KiB command line works, and q still
# quits cleanly.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"
HOSTILE="$top_builddir/tests/live/hostile"

printf '\033]0;pwned\a' >"$SCRATCH/comm1"
printf 'sh\0-c\0\033]2;hijacked\a\033[2J\0\377\376bad\0\302\233c1\0\342\200\256rtl\342\200\213zw' \
	>"$SCRATCH/argv1"
"$PYTHON" - "$SCRATCH/argv3" <<'PY'
import sys
chunk = b"\x1b[31m" + b"B" * 1019
open(sys.argv[1], "wb").write(b"\0".join([b"big"] + [chunk * 32 for _ in range(4)]))
PY
"$HOSTILE" listen 9101 "$SCRATCH/r1" "$SCRATCH/comm1" "$SCRATCH/argv1" &
track $!
"$HOSTILE" listen 9103 "$SCRATCH/r3" "$SCRATCH/comm1" "$SCRATCH/argv3" &
track $!
"$HOSTILE" empty 9104 "$SCRATCH/r4" &
track $!
"$HOSTILE" leader 9105 "$SCRATCH/r5" &
track $!
for i in 1 3 4 5; do
	wait_until 50 test -s "$SCRATCH/r$i" || fail "hostile process $i did not start"
	track "$(cat "$SCRATCH/r$i")"
done

# Wide from the start: the checks below read the end of a long command line, and tmux does
# not always apply a resize of a detached session at once.
TUI_WIDTH=200
tui_start
# every byte porttop writes from here on; the resize makes it draw the whole screen again
: >"$SCRATCH/tty.log"
tmux_ pipe-pane -o -t pt "cat >>'$SCRATCH/tty.log'" || fail "tmux cannot pipe the pane"
tmux_ resize-window -t pt -x 201 -y 30
for port in 9101 9103 9104 9105; do
	tui_wait " $port "
done
# Owners of new listeners are found within a few samples (a full walk waits for a second
# sighting, then backs off); allow for a loaded machine.
tui_wait '\e]2;hijacked\a' 150
tui_wait '\u{202e}rtl\u{200b}zw' 150
tui_wait '\x9bc1' 150

# nothing reached the terminal: no title, no OSC or BEL, no C1, no bidi or zero-width characters,
# neither in what tmux shows nor in the bytes porttop wrote
check_pane() {
	"$PYTHON" - "$SCRATCH/tty.log" "$1" <<'PY' || exit 1
import sys
out = open(sys.argv[1], "rb").read()
bad = [b for b in (b"\x1b]", b"\x07", b"\xc2\x9b", b"\xe2\x80\xae", b"\xe2\x80\x8b") if b in out]
if not out or bad:
    print("FAIL: %s: porttop wrote %r (%d bytes seen)" % (sys.argv[2], bad, len(out)))
    sys.exit(1)
PY
	tmux_ capture-pane -p -e -t pt >"$SCRATCH/pane"
	"$PYTHON" - "$SCRATCH/pane" "$1" <<'PY' || exit 1
import sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
bad = [c for c in ("\x1b]", "\x07", "\u202e", "\u200b", "\x9b") if c in text]
if bad:
    print("FAIL: %s: the pane holds %r" % (sys.argv[2], bad))
    sys.exit(1)
PY
	title=$(tmux_ display-message -p -t pt '#{pane_title}')
	case $title in
	*pwned* | *hijacked*) fail "$1: a process retitled the terminal: '$title'" ;;
	esac
}
check_pane "the table"

# the detail view of the 128 KiB command line
tui_keys '\'
tui_keys -l 'port:9103'
tui_keys Enter
tui_wait "filter: port:9103"
tui_keys Enter
tui_wait "Owners"
tui_wait 'big \e[31mBBBB'
check_pane "the detail view"
tui_keys Escape
tui_wait_gone "Owners"
pid=$(tui_pid)
alive "$pid" || fail "porttop died"
tui_keys q
wait_until 20 tui_dead || fail "q did not quit"
[ "$(tui_exit_status)" = 0 ] || fail "exit status $(tui_exit_status), want 0"
echo "tui-hostile: ok"
