#!/bin/sh
# tui-color.sh — colours by default; none with -C or NO_COLOR (attributes only).
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

esc=$(printf '\033')
listen c --name pt-color --tcp 0.0.0.0:7301
# an SGR that sets a foreground or background colour: 30-37, 40-47, 38;5 / 48;5, 90-97
colours() {
	tmux_ capture-pane -p -e -t pt | grep -Eq "${esc}\\[([0-9;]*;)?([34][0-7]|[34]8;5;[0-9]+|9[0-7])(;[0-9;]*)?m"
}
tui_start
tui_wait pt-color
colours || fail "no colour on the default screen"
tui_start -C
tui_wait pt-color
colours && fail "-C still draws colours"
tmux_ capture-pane -p -e -t pt | grep -Eq "${esc}\\[([0-9]+;)*7(;[0-9]+)*m" ||
	fail "-C lost the reverse-video title"
TUI_AS="env NO_COLOR=1"
tui_start
tui_wait pt-color
colours && fail "NO_COLOR still draws colours"
exit 0
