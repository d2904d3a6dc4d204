#!/bin/sh
# tui-escape.sh — a process named with ESC and OSC sequences cannot reach the terminal.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

esc=$(printf '\033')
bel=$(printf '\007')
# comm: an OSC title sequence; command line: a colour and a title sequence
listen evil --name "${esc}]0;pwned${bel}" --tcp 0.0.0.0:7040 -- \
	"${esc}[38;5;201mMAGENTA${esc}]2;hijacked${bel}"
tui_start
tui_wait ' 7040 '
# the name is shown as text: libproc2 already turns its controls into '?', porttop escapes
# whatever is left
tui_rows ' 7040 ' | grep -q -e '?]0;pwned?' -e '\\e]0;pwned\\a' || { tui_dump; fail "the name is not shown as text"; }
# the command line reaches porttop raw: the detail view shows it escaped, in full
tui_keys Enter
tui_wait '\e[38;5;201mMAGENTA\e]2;hijacked\a'
# the pane got no escape from the process: no OSC at all, no 256-colour SGR (porttop's own
# colours use the 8 basic ones), and the title was never set
tmux_ capture-pane -p -e -t pt >"$SCRATCH/pane"
grep -q "${esc}]" "$SCRATCH/pane" && fail "an OSC sequence reached the terminal"
grep -q "${esc}\\[38;5;201m" "$SCRATCH/pane" && fail "the process's colour reached the terminal"
grep -q "$bel" "$SCRATCH/pane" && fail "a BEL reached the terminal"
title=$(tmux_ display-message -p -t pt '#{pane_title}')
case $title in
*pwned* | *hijacked*) fail "the process retitled the terminal: '$title'" ;;
esac
# and the escaped text really is on screen, not merely absent
grep -q 'MAGENTA' "$SCRATCH/pane" || fail "the escaped command line is not on screen"
