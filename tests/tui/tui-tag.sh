#!/bin/sh
# tui-tag.sh — Space tags rows, and k then signals the owners of every tagged row.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen one --name pt-tag-one --tcp 0.0.0.0:7101
one=$LISTEN_PID
listen two --name pt-tag-two --tcp 0.0.0.0:7102
two=$LISTEN_PID
listen three --name pt-tag-three --tcp 0.0.0.0:7103
three=$LISTEN_PID
tui_start
tui_wait pt-tag-three
# rows 7101 7102 7103: tag the first and the third (Space moves down)
tui_keys Space Down Space
tui_wait "2 tagged"
tui_keys k
tui_wait "every tagged listener"
tui_wait "pid $one"
tui_wait "pid $three"
tui_has "pid $two" && { tui_dump; fail "the untagged row is in the kill dialog"; }
tui_keys Enter
wait_until 50 gone "$one" || fail "tagged pid $one survived"
wait_until 50 gone "$three" || fail "tagged pid $three survived"
alive "$two" || fail "the untagged pid $two was killed"
tui_wait "exited after"
