#!/bin/sh
# tui-filter.sh — \ filters rows as you type, bad filters are explained, Esc clears, / finds.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen web --name pt-web --tcp 0.0.0.0:8001 --tcp 0.0.0.0:8002
listen dns --name pt-dns --udp 127.0.0.1:5353
listen db --name pt-db --tcp 127.0.0.1:9003
tui_start
tui_wait pt-db

tui_keys '\'
tui_wait "Filter:"
tui_keys -l 'port:8000-8999'
tui_wait_gone pt-db
tui_has pt-dns && { tui_dump; fail "port:8000-8999 kept the dns row"; }
[ "$(tui_rows pt-web | wc -l)" -eq 2 ] || { tui_dump; fail "port:8000-8999 did not keep both web rows"; }
tui_keys Enter
tui_wait "filter: port:8000-8999"
wait_until 20 grep -q '^filter=port:8000-8999$' "$SCRATCH/porttoprc" ||
	fail "the filter was not saved"

# a bad term is explained and the last good filter stays
tui_keys '\' C-u
tui_keys -l 'port:99999'
tui_wait "expected a port"
tui_keys Escape
tui_wait "filter: port:8000-8999"

# Esc clears the filter
tui_keys Escape
tui_wait pt-db
tui_wait pt-dns

# free text and AND: a name and a protocol
tui_keys '\'
tui_keys -l 'pt proto:udp'
tui_wait_gone pt-web
tui_has pt-dns || { tui_dump; fail "'pt proto:udp' hid the dns row"; }
tui_keys Enter Escape
tui_wait pt-web

# / moves the cursor to the first match without hiding anything
tui_keys / 
tui_keys -l pt-db
tui_keys Enter
tui_wait "search: pt-db"
tui_has pt-web || { tui_dump; fail "search hid rows"; }
# the cursor row is the one that matched: Enter opens its detail
tui_keys Enter
tui_wait "tcp 127.0.0.1:9003"
