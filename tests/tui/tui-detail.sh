#!/bin/sh
# tui-detail.sh — Enter shows the full command line, the owner and the connected client process.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"

listen srv --name pt-server --tcp 127.0.0.1:7010 -- "a-long-argument-that-only-the-detail-view-shows"
srv=$LISTEN_PID
listen cli --name pt-client --connect 127.0.0.1:7010
cli=$LISTEN_PID
tui_start
tui_wait pt-server

tui_keys '\'
tui_keys -l 'port:7010'
tui_keys Enter
tui_wait "filter: port:7010"
tui_keys Enter
tui_wait "tcp 127.0.0.1:7010"
tui_wait "Owners"
tui_wait "pid $srv"
tui_wait "a-long-argument-that-only-the-detail-view-shows"
# the connection from the client, attributed to the client process
tui_wait "pid $cli pt-client" 80
tui_has "ESTAB" || { tui_dump; fail "the connection's state is not shown"; }
tui_keys Escape
tui_wait_gone "Owners"
tui_wait pt-server
