#!/bin/sh
# tui-expect.sh — a on an EXPOSED row shows the rule, appends it to the user's expected file
# after Enter, and the row is no longer EXPOSED.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen e --name pt-expect --tcp 0.0.0.0:7080
mkdir -p "$SCRATCH/config/porttop"
printf '# mine\ntcp *:1 sshd' >"$SCRATCH/config/porttop/expected" # no final newline
tui_start
tui_wait pt-expect
tui_wait "Exposed: 1"
tui_keys a
tui_wait "Expect this listener"
tui_wait "tcp 0.0.0.0:7080 pt-expect"
# Esc leaves the file alone
tui_keys Escape
tui_wait_gone "Expect this listener"
[ "$(cat "$SCRATCH/config/porttop/expected")" = "$(printf '# mine\ntcp *:1 sshd')" ] ||
	fail "Esc changed the expected file"
tui_keys a
tui_wait "Expect this listener"
tui_keys Enter
tui_wait "added 'tcp 0.0.0.0:7080 pt-expect'"
want=$(printf '# mine\ntcp *:1 sshd\ntcp 0.0.0.0:7080 pt-expect')
[ "$(cat "$SCRATCH/config/porttop/expected")" = "$want" ] ||
	fail "expected file: '$(cat "$SCRATCH/config/porttop/expected")'"
tui_wait "Exposed: 0"
