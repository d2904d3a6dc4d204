#!/bin/sh
# tui-pause.sh — p freezes the screen (new listeners wait), p again shows them; + and - change
# the interval.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen first --name pt-first --tcp 127.0.0.1:7201
tui_start
tui_wait pt-first
tui_wait "every 1s"
tui_keys p
tui_wait PAUSED
listen later --name pt-later --tcp 127.0.0.1:7202
sleep 2.5 # two samples' worth: they arrive but must not be shown
tui_has pt-later && { tui_dump; fail "a paused screen showed a new listener"; }
tui_keys p
tui_wait_gone PAUSED
tui_wait pt-later 30
tui_keys +
tui_wait "every 2s"
tui_keys - -
tui_wait "every 0.5s"
wait_until 20 grep -q '^interval=5$' "$SCRATCH/porttoprc" || fail "the interval was not saved"
