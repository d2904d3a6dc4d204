#!/bin/sh
# pid_reuse.sh — in a private PID namespace, a new process forced onto the pid of a killed
# listener (same socket, same fd, often the same start time) is never signalled by a kill
# prepared against the old one. The work is in tests/live/pid_reuse.c.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
unshare -pf --mount-proc true 2>/dev/null || skip "cannot create PID namespaces here"
exec unshare -pf --mount-proc "$top_builddir/tests/live/pid_reuse"
