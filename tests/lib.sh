# lib.sh — helpers for the shell-driven tests; sourced, not run.
# Exit codes follow automake: 0 pass, 1 fail, 77 skip (with the reason on stdout).

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Re-run this script as root inside a private network namespace with lo up, so it sees only
# the sockets it makes. Call first thing: in_netns "$0" "$@".
in_netns() {
	if [ "${PORTTOP_IN_NETNS:-}" = 1 ]; then
		ip link set lo up || fail "cannot bring lo up"
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || skip "needs root for a private network namespace (unshare -n)"
	command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) is not installed"
	command -v ip >/dev/null 2>&1 || skip "ip (iproute2) is not installed"
	unshare -n true 2>/dev/null || skip "cannot create network namespaces here"
	script=$1
	shift
	PORTTOP_IN_NETNS=1 exec unshare -n "$SHELL" "$script" "$@"
}

# A scratch folder removed at exit.
mk_scratch() {
	SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/porttop-test.XXXXXX") || fail "mktemp"
	trap 'cleanup_all' EXIT
}

PIDS_TO_KILL=
cleanup_all() {
	for p in $PIDS_TO_KILL; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	[ -n "${SCRATCH:-}" ] && rm -rf "$SCRATCH"
}

# Remember a background pid to kill at exit.
track() {
	PIDS_TO_KILL="$PIDS_TO_KILL $1"
}

# Wait until a command succeeds, up to $1 tenths of a second.
wait_until() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
