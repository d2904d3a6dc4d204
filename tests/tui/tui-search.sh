#!/bin/sh
# tui-search.sh — / finds the first match from the cursor; n and N step to the next and the
# previous one, wrapping round the table; with a single match they say "no more matches" and
# the cursor stays where it is.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen z1 --name pt-other-1 --tcp 0.0.0.0:7100
listen a --name pt-find-a --tcp 0.0.0.0:7101
listen z2 --name pt-other-2 --tcp 0.0.0.0:7102
listen b --name pt-find-b --tcp 0.0.0.0:7103
listen c --name pt-find-c --tcp 0.0.0.0:7104
tui_start
tui_wait pt-find-c
first=$(tui_rows pt- | head -1 | awk '{ print $4 }')
[ "$first" = 7100 ] || { tui_dump; fail "the rows do not start at port 7100 but $first"; }

# at: the detail view of the selected row names its port.
at() {
	tui_keys Enter
	tui_wait "tcp 0.0.0.0:$1 "
	tui_keys Escape
	tui_wait_gone "Owners"
}

tui_keys /
tui_keys -l pt-find
tui_keys Enter
tui_wait "search: pt-find"
at 7101
tui_keys n # past the row that does not match
at 7103
tui_keys n
at 7104
tui_keys n # wraps round
at 7101
tui_keys N # and back the other way
at 7104
tui_keys N
at 7103

# One match: nowhere to go.
tui_keys Escape
tui_keys /
tui_keys -l pt-find-b
tui_keys Enter
tui_wait "search: pt-find-b"
at 7103
tui_keys n
tui_wait "no more matches"
at 7103
tui_keys N
at 7103
