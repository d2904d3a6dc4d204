#!/bin/sh
# valgrind.sh — run unit test programs under valgrind memcheck: any memory error or leak
# (definite, indirect or possible) fails. No suppression file: porttop's own code gets none.
# usage: valgrind.sh [--exclude PROGRAM] [--only-case PROGRAM CASE]... PROGRAM...
# (from the build tree; each log is PROGRAM.vg.log). An excluded program is named in the output;
# --only-case runs just that test case of PROGRAM (CK_RUN_CASE), and says so.
# Check runs the tests in-process (CK_FORK=no) so valgrind sees every allocation.
set -u
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed" >&2; exit 1; }
failed=0
excluded=" "
only=" "
while :; do
	case ${1:-} in
	--exclude) excluded="$excluded$2 "; shift 2 ;;
	--only-case) only="$only$2=$3 "; shift 3 ;;
	*) break ;;
	esac
done
ran=0
for prog in "$@"; do
	case $excluded in
	*" $prog "*)
		echo "EXCLUDED: valgrind $prog (see tests/Makemodule.am for why)"
		continue
		;;
	esac
	ran=$((ran + 1))
	log=$prog.vg.log
	case_=
	case $only in
	*" $prog="*)
		case_=${only#*" $prog="}
		case_=${case_%% *}
		echo "ONLY: valgrind $prog, test case '$case_' (see tests/Makemodule.am for why)"
		;;
	esac
	# An empty CK_RUN_CASE would select a case named "": set it only when asked.
	if env ${case_:+CK_RUN_CASE=$case_} CK_FORK=no CK_DEFAULT_TIMEOUT=600 \
		valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible "$prog" >"$log" 2>&1 &&
		! grep -q 'Checks: 0,' "$log"; then
		echo "PASS: valgrind $prog"
	else
		echo "FAIL: valgrind $prog (log: $log)"
		grep -v '^--[0-9]*--' "$log" | tail -n 40
		failed=$((failed + 1))
	fi
done
echo "valgrind: $ran programs, $failed failed"
[ "$failed" -eq 0 ]
