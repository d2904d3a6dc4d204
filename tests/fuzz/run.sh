#!/bin/sh
# run.sh — fuzz each named harness for a bounded time: run.sh SEEDS OUT SECONDS NAME...
# SEEDS/NAME is the harness's seed corpus (only read); OUT/NAME/corpus collects new inputs and
# OUT/NAME/ any crash-*, leak-*, timeout-* or oom-* input. Exits 1 after the first harness
# that found one, with the input's path and its replay command; 0 when all ran clean.
set -u
seeds=$1
out=$2
secs=$3
shift 3
for name in "$@"; do
	bin=tests/fuzz/fuzz_$name
	[ -x "$bin" ] || { echo "fuzz: $bin is not built" >&2; exit 1; }
	[ -d "$seeds/$name" ] || { echo "fuzz: no seed corpus $seeds/$name" >&2; exit 1; }
	mkdir -p "$out/$name/corpus"
	echo "fuzz: $name for ${secs}s"
	# -rss_limit_mb: one input may not cost more than this; -timeout: nor take longer (s).
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$out/$name/" \
		"$out/$name/corpus" "$seeds/$name" >"$out/$name/log" 2>&1; then
		tail -n 40 "$out/$name/log" >&2
		found=$(ls "$out/$name"/crash-* "$out/$name"/leak-* "$out/$name"/timeout-* \
			"$out/$name"/oom-* 2>/dev/null | head -n 1)
		echo "fuzz: $name failed; input: ${found:-see $out/$name/log}" >&2
		[ -n "$found" ] && echo "fuzz: replay with: $bin $found" >&2
		exit 1
	fi
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/$name/log" |
		sed "s/^/fuzz: $name /"
	echo "fuzz: $name clean, corpus $(ls "$out/$name/corpus" | wc -l) inputs"
done
