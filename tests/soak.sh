#!/bin/sh
# soak.sh — the sampler at 100 Hz for 10 minutes (about 17 hours of samples at 1 Hz) under
# listener churn, in an AddressSanitizer build: RSS and open fds must stay flat after warm-up,
# and LeakSanitizer must find nothing at exit (tests/tui/lsan.supp: libproc2's thread buffers).
# Not part of make check; run it from the source tree as root:
#   tests/soak.sh [SECONDS] [INTERVAL_MS]
# It builds _build/soak (configure --enable-sanitizers=address,undefined) unless SOAK_BUILD
# names a build tree with tests/soak_sampler, and prints the figures doc/reliability.md quotes.
set -u
SECS=${1:-600}
INTERVAL=${2:-10}
WARMUP=60
cd "$(dirname "$0")/.."
top_srcdir=$PWD
. "$top_srcdir/tests/lib.sh"
in_netns "$0" "$@"

build=${SOAK_BUILD:-$top_srcdir/_build/soak}
if [ -z "${SOAK_BUILD:-}" ]; then
	mkdir -p "$build"
	(cd "$build" && { [ -f Makefile ] ||
		"$top_srcdir/configure" --quiet --enable-sanitizers=address,undefined; } &&
		make -s -j2 tests/soak_sampler) >/dev/null 2>&1 || fail "cannot build $build"
fi
mk_scratch
python3 "$top_srcdir/tests/live/churn.py" --rate 100 --seconds "$SECS" --ports 20000-20299 \
	--log "$SCRATCH/churn.log" --ready "$SCRATCH/ready" &
track $!
wait_until 100 test -s "$SCRATCH/ready" || fail "the churn generator did not start"
echo "soak: ${SECS}s at ${INTERVAL} ms under churn (100 listener processes/s)"
ASAN_OPTIONS=detect_leaks=1:exitcode=23 \
	LSAN_OPTIONS="suppressions=$top_srcdir/tests/tui/lsan.supp:print_suppressions=0" \
	"$build/tests/soak_sampler" "$SECS" "$INTERVAL" 10 \
	>"$SCRATCH/soak.out" 2>"$SCRATCH/soak.err"
rc=$?
cat "$SCRATCH/soak.out"
[ $rc -eq 0 ] || fail "soak_sampler exited $rc: $(head -c 4000 "$SCRATCH/soak.err")"
[ ! -s "$SCRATCH/soak.err" ] || fail "soak_sampler wrote to stderr: $(head -c 4000 "$SCRATCH/soak.err")"
started=$(grep -c '^start' "$SCRATCH/churn.log" || true)

# Flat after warm-up: the largest reading after WARMUP against the first one after it.
awk -v warm=$WARMUP -v started="$started" '
/^soak t=/ {
	for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	t = v["t"] + 0
	if (t < warm) next
	if (n++ == 0) { rss0 = v["rss_kb"]; fds0 = v["fds"]; rmax = rss0; fmax = fds0; fmin = fds0 }
	if (v["rss_kb"] + 0 > rmax) rmax = v["rss_kb"] + 0
	if (v["fds"] + 0 > fmax) fmax = v["fds"] + 0
	if (v["fds"] + 0 < fmin) fmin = v["fds"] + 0
	rlast = v["rss_kb"]; flast = v["fds"]; samples = v["samples"]
}
/^soak done/ { split($3, kv, "="); samples = kv[2] }
END {
	printf "soak: %s samples, %s listener processes churned\n", samples, started
	printf "soak: after %ds warm-up RSS %d kB first, %d kB max, %d kB last (+%d kB)\n", warm, rss0, rmax, rlast, rmax - rss0
	printf "soak: open fds %d first, %d..%d range, %d last\n", fds0, fmin, fmax, flast
	if (n < 2) { print "soak: too short to judge"; exit 1 }
	# Allowed: allocator slack, and one pidfd per live churning owner (up to ~100).
	if (rmax - rss0 > 4096 + rss0 / 10) { print "soak: RSS grew"; exit 1 }
	if (fmax - fmin > 150) { print "soak: open fds grew"; exit 1 }
}' "$SCRATCH/soak.out" || fail "not flat"
echo "soak: ok (no leaks: LeakSanitizer checked the exit)"
