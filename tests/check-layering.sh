#!/bin/sh
# check-layering.sh — fail when a file includes a header from a layer above its own
# (DESIGN.md: util < core < sys < sampler < front ends < main).
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1
status=0

# forbid FOLDER-OR-FILES REGEX WHY
forbid() {
	where=$1 re=$2 why=$3
	# shellcheck disable=SC2086
	hits=$(grep -HnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($re)[>\"]" $where 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layering: $why:"
		echo "$hits"
		status=1
	fi
}

curses='(n?curses|ncursesw/[^>"]*|curses|term|panel|menu|form)\.h'
kernel='libmnl/libmnl\.h|linux/(netlink|rtnetlink|sock_diag|inet_diag|unix_diag)\.h|libproc2/[^>"]*'
ours='porttop/'

util_files=$(find src/util -name '*.[ch]' 2>/dev/null)
core_files=$(find src/core -name '*.[ch]' 2>/dev/null)
sys_files=$(find src/sys -name '*.[ch]' 2>/dev/null)
ui_files=$(find src/ui -name '*.[ch]' 2>/dev/null)
front_files="$ui_files src/batch.c src/eventscmd.c src/killcmd.c src/stop.c"

# util knows only libc.
forbid "$util_files" "$ours(model|addr|ports|escape|json|snapshot|policy|rules|filter|sort|columns|settings|format|metrics|events)\.h" "util includes core"
forbid "$util_files" "$ours(sockdiag|procnet|owners|procinfo|sysinfo|killer|netif|sampler)\.h|$curses|$kernel" "util includes sys, curses or kernel headers"
# core: no netlink, /proc readers, libproc2, curses, threads.
forbid "$core_files" "$kernel|$curses|pthread\.h" "core includes netlink, libproc2, curses or threads"
forbid "$core_files" "$ours(sockdiag|procnet|owners|procinfo|sysinfo|killer|netif|sampler)\.h" "core includes sys or sampler"
# sys: no curses, no sampler.
forbid "$sys_files" "$curses" "sys includes curses"
forbid "$sys_files" "${ours}sampler\.h" "sys includes the sampler"
# sampler: no curses.
forbid "src/sampler.c" "$curses" "the sampler includes curses"
# front ends: no netlink, no libproc2, none of the kernel readers.
forbid "$front_files" "$kernel" "a front end includes netlink or libproc2 headers"
forbid "$front_files" "$ours(sockdiag|procnet|owners|procinfo|netif|sysinfo)\.h" "a front end reads the kernel directly"
# public headers follow their layer too.
forbid "include/porttop/model.h include/porttop/addr.h include/porttop/ports.h include/porttop/escape.h include/porttop/json.h include/porttop/snapshot.h include/porttop/policy.h include/porttop/rules.h include/porttop/metrics.h include/porttop/events.h" "$kernel|$curses" "a core header includes kernel or curses headers"

[ $status -eq 0 ] && echo "layering: ok"
exit $status
