#!/bin/sh
# tui-settings.sh — a settings file with a bad line: the line is reported with its number, the
# rest applies, and porttop never saves over the file.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen s --name pt-settings --tcp 127.0.0.1:7070 --udp 127.0.0.1:7071
printf 'protocol=udp\nsort=nonsense\n' >"$SCRATCH/porttoprc"
cp "$SCRATCH/porttoprc" "$SCRATCH/porttoprc.orig"
tui_start
tui_wait "porttoprc:2: sort: unknown column 'nonsense'"
tui_wait "udp only" # line 1 still applied
tui_has " 7070 " && { tui_dump; fail "protocol=udp from line 1 was not applied"; }
tui_keys I t
tui_wait "tcp only"
tui_keys q
wait_until 20 tui_dead || fail "q did not quit"
cmp -s "$SCRATCH/porttoprc" "$SCRATCH/porttoprc.orig" ||
	fail "porttop overwrote a settings file it could not parse: $(cat "$SCRATCH/porttoprc")"
