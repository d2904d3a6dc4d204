#!/bin/sh
# tui-select.sh — the cursor stays on its listener when rows appear above it; the mouse selects
# a row and sorts by the title clicked.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen a --name pt-sel-a --tcp 0.0.0.0:7001
a=$LISTEN_PID
listen b --name pt-sel-b --tcp 0.0.0.0:7002
tui_start
tui_wait pt-sel-b
# the cursor goes to 7002 (second row)
tui_keys Down
# two listeners appear above it; the cursor must not slide onto one of them
listen c --name pt-sel-c --tcp 0.0.0.0:100 --tcp 0.0.0.0:200
tui_wait pt-sel-c
tui_keys Enter
tui_wait "tcp 0.0.0.0:7002"
tui_keys Escape
tui_wait_gone "Owners"

# mouse BUTTON X Y: press and release (X10 encoding: ESC [ M 32+button 33+x 33+y; button
# 3 is the release)
x10() {
	printf '\033[M%s%s%s' "$(printf "\\$(printf '%03o' $((32 + $1)))")" \
		"$(printf "\\$(printf '%03o' $((33 + $2)))")" \
		"$(printf "\\$(printf '%03o' $((33 + $3)))")"
}
mouse() {
	tui_keys -l "$(x10 "$1" "$2" "$3")$(x10 3 "$2" "$3")"
}
# rows start below the 4 header lines and the title line: 100 200 7001 7002
mouse 0 2 5 # button 1 at column 2 of the first row: port 100
tui_keys Enter
tui_wait "tcp 0.0.0.0:100 "
tui_keys Escape
tui_wait_gone "Owners"
# a click on the PORT title (line 4) sorts by it again: the order flips
title_x=$(tui_screen | awk '/^PROTO/ { print index($0, "PORT") - 1; exit }')
[ -n "$title_x" ] || { tui_dump; fail "no title line"; }
mouse 0 "$title_x" 4
tui_wait "sorted by PORT descending"
first=$(tui_rows pt-sel | head -1 | awk '{ print $4 }')
[ "$first" = 7002 ] || { tui_dump; fail "after the click the first row is $first, want 7002"; }

# the selected listener goes away: the row stays GONE a few seconds, then the cursor moves to
# the row that followed it, and the status line says so
mouse 0 "$title_x" 4 # ascending again: 100 200 7001 7002
tui_wait "sorted by PORT ascending"
tui_keys /
tui_keys -l pt-sel-a
tui_keys Enter
tui_wait "search: pt-sel-a"
tui_keys Escape # ends the search; the cursor stays on 7001
kill -KILL "$a"
tui_wait "the selected listener (tcp port 7001) is gone" 200
tui_keys Enter
tui_wait "tcp 0.0.0.0:7002"
