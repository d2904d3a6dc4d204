#!/bin/sh
# tui-kill-perm.sh — run unprivileged, porttop refuses to kill root's listener and says why.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
. "$top_srcdir/tests/tui/tui.sh"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) is not installed"

listen root --name pt-rootsvc --tcp 0.0.0.0:7030
victim=$LISTEN_PID
chmod 1777 "$SCRATCH" # nobody saves its settings there
TUI_AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
tui_start
tui_wait ' 7030 '
tui_keys '\'
tui_keys -l port:7030
tui_keys Enter
tui_wait "filter: port:7030"
tui_keys k
tui_wait "not permitted"
tui_has "run porttop as root" || { tui_dump; fail "the refusal does not say what to do"; }
sleep 0.5
alive "$victim" || fail "an unprivileged porttop killed root's process"
tui_keys q
wait_until 20 tui_dead || fail "q did not quit"

# with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH it sees the owner (/proc/PID/fd), but without
# CAP_KILL the kernel still refuses the signal
TUI_AS="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+sys_ptrace,+dac_read_search --ambient-caps=+sys_ptrace,+dac_read_search"
tui_start
tui_wait pt-rootsvc
tui_keys '\'
tui_keys -l port:7030
tui_keys Enter
tui_wait "filter: port:7030"
tui_keys k
tui_wait "Send a signal"
tui_keys Enter
tui_wait "not permitted"
alive "$victim" || fail "porttop without CAP_KILL killed root's process"
