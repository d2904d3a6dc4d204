#!/bin/sh
# tui-resize.sh — narrow terminals drop columns, tiny ones get a notice, and back again.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen r --name pt-resize --tcp 0.0.0.0:7001 --tcp 127.0.0.1:7002
tui_start
tui_wait pt-resize
tui_wait "Listeners:"
tui_has RANGE || { tui_dump; fail "120 columns should show RANGE"; }

tmux_ resize-window -t pt -x 40 -y 10
tui_wait_gone "Listeners:" # the header shrinks to one line
tui_wait " 7001"
tui_wait " 7002"
tui_has PORT || { tui_dump; fail "40x10 lost the PORT title"; }
tui_has RANGE && { tui_dump; fail "40x10 should drop RANGE"; }
# every line fits: nothing wraps
width=$(tui_screen | LC_ALL=C.UTF-8 wc -L)
[ "$width" -le 40 ] || { tui_dump; fail "a line is $width columns wide in a 40-column window"; }
# keys still work at this size
tui_keys I
tui_wait "7002"

tmux_ resize-window -t pt -x 20 -y 5
tui_wait "terminal too"

tmux_ resize-window -t pt -x 120 -y 30
tui_wait "Listeners:"
tui_wait RANGE
tui_wait pt-resize
# F2 hides a column, and the choice is saved
tui_keys F2
tui_wait "Space shows or hides"
tui_keys Down Down Down Space Escape # RANGE
tui_wait_gone "Space shows or hides"
tui_wait_gone RANGE
wait_until 20 grep -q '^hidden_columns=range$' "$SCRATCH/porttoprc" ||
	fail "the hidden column was not saved: $(cat "$SCRATCH/porttoprc")"
tui_keys q
wait_until 20 tui_dead || fail "q did not quit after resizing"
