#!/bin/sh
# no_sockdiag.sh — when a seccomp filter refuses netlink sock_diag (EPROTONOSUPPORT or EACCES,
# as container profiles do) the /proc/net reader takes over with the same rows and owners, and
# the status line says so; --source=sockdiag then fails clearly; --source=procnet is quiet.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
mk_scratch
NO_SOCKDIAG="$top_builddir/tests/live/no_sockdiag"
"$NO_SOCKDIAG" EACCES true
case $? in
0) ;;
77) skip "no seccomp filter for this architecture" ;;
*) fail "no_sockdiag cannot install its filter" ;;
esac

python3 "$top_srcdir/tests/live/sockets.py" --ready "$SCRATCH/a" --comm svc \
	listen:tcp:127.0.0.1:7101 listen:tcp:[::1]:7102 bind:udp:0.0.0.0:7103 &
track $!
wait_until 50 test -s "$SCRATCH/a" || fail "listener did not start"
A=$(cat "$SCRATCH/a")

"$PORTTOP" --once --json >"$SCRATCH/ref.json" 2>"$SCRATCH/ref.err" || fail "reference run failed"
for e in EPROTONOSUPPORT EACCES; do
	"$NO_SOCKDIAG" $e "$PORTTOP" -n 3 -d 1 --json >"$SCRATCH/$e.json" 2>"$SCRATCH/$e.err" ||
		fail "$e: porttop exited $?: $(cat "$SCRATCH/$e.err")"
	"$NO_SOCKDIAG" $e "$PORTTOP" --once >"$SCRATCH/$e.table" 2>>"$SCRATCH/$e.err" ||
		fail "$e: porttop --once exited $?"
	"$NO_SOCKDIAG" $e "$PORTTOP" --once --source=sockdiag >/dev/null 2>"$SCRATCH/$e.forced"
	rc=$?
	[ $rc -eq 2 ] || fail "$e: --source=sockdiag exited $rc, not 2"
done
"$PORTTOP" --once --json --source=procnet >"$SCRATCH/procnet.json" 2>"$SCRATCH/procnet.err" ||
	fail "--source=procnet failed"

python3 - "$SCRATCH" "$A" <<'PY' || exit 1
import json, os, sys
d, A = sys.argv[1], int(sys.argv[2])
fail = []
def check(cond, msg):
    if not cond:
        fail.append(msg)

def read(name):
    return open(os.path.join(d, name)).read()

def rows(doc):
    return {(l["proto"], l["address"], l["port"]): sorted(o["pid"] for o in l["owners"])
            for l in doc["listeners"]}

ref = json.loads(read("ref.json"))
check(ref["source"] == "sock_diag", "reference source %s" % ref["source"])
want = {("tcp", "127.0.0.1", 7101): [A], ("tcp", "::1", 7102): [A], ("udp", "0.0.0.0", 7103): [A]}
check(rows(ref) == want, "reference rows %s" % rows(ref))
reason = {"EPROTONOSUPPORT": "Protocol not supported", "EACCES": "Permission denied"}
for e, why in reason.items():
    check(read(e + ".err") == "", "%s: stderr %r" % (e, read(e + ".err")))
    docs = [json.loads(x) for x in read(e + ".json").splitlines()]
    check(len(docs) == 3, "%s: %d samples" % (e, len(docs)))
    status = "sock_diag unavailable (%s), reading /proc/net" % why
    for doc in docs:
        check(doc["source"] == "procnet", "%s: source %s" % (e, doc["source"]))
        check(doc["status"] == status, "%s: status %r" % (e, doc["status"]))
        check(rows(doc) == want, "%s: rows %s" % (e, rows(doc)))
        tcp = [l for l in doc["listeners"] if l["port"] == 7101]
        check(tcp and tcp[0]["accept_queue"]["backlog"] is None,
              "%s: /proc/net cannot know the backlog: %s" % (e, tcp))
    check(read(e + ".table").rstrip("\n").endswith("# " + status),
          "%s: table does not end with the status:\n%s" % (e, read(e + ".table")))
    check(read(e + ".forced") == "porttop: cannot open netlink sock_diag: %s\n" % why,
          "%s: --source=sockdiag said %r" % (e, read(e + ".forced")))
doc = json.loads(read("procnet.json"))
check(doc["source"] == "procnet" and doc["status"] is None,
      "--source=procnet: source %s status %r" % (doc["source"], doc["status"]))
check(rows(doc) == want, "--source=procnet rows %s" % rows(doc))
check(read("procnet.err") == "", "--source=procnet stderr %r" % read("procnet.err"))
if fail:
    print("\n".join(fail))
    sys.exit(1)
PY
echo "no_sockdiag: ok"
