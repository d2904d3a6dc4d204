#!/bin/sh
# unprivileged.sh — porttop run as nobody beside root's listeners, first with a normal /proc
# and then with /proc mounted hidepid=invisible in a private mount namespace: root's owners
# are hidden, nobody's own are shown, the status line says why, nothing goes to stderr.
. "${top_srcdir:-.}/tests/lib.sh"
in_netns "$0" "$@"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
mk_scratch
chmod 755 "$SCRATCH"
SOCKETS="$top_srcdir/tests/live/sockets.py"
# nobody's own environment: root's HOME is not readable to it.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=$SCRATCH/nobody XDG_CONFIG_HOME="
# A copy nobody can surely run, wherever the build tree is.
cp "$PORTTOP" "$SCRATCH/porttop" && chmod 755 "$SCRATCH/porttop" || fail "cannot copy porttop"
cp "$top_builddir/tests/live/hostile" "$SCRATCH/hostile" || fail "cannot copy hostile"
mkdir "$SCRATCH/nobody" && chown 65534:65534 "$SCRATCH/nobody" || fail "cannot chown"

python3 "$SOCKETS" --ready "$SCRATCH/root" --comm rootsvc listen:tcp:127.0.0.1:7001 \
	bind:udp:127.0.0.1:7003 &
track $!
printf nobodysvc >"$SCRATCH/nobody/comm"
$NOBODY "$SCRATCH/hostile" listen 7002 "$SCRATCH/nobody/r" "$SCRATCH/nobody/comm" &
track $!
wait_until 50 test -s "$SCRATCH/root" || fail "root's listener did not start"
wait_until 50 test -s "$SCRATCH/nobody/r" || fail "nobody's listener did not start"
ROOT_PID=$(cat "$SCRATCH/root")
NOBODY_PID=$(cat "$SCRATCH/nobody/r")
track "$NOBODY_PID"

# $1: label; the rest: how to start porttop. Three JSON samples and a table.
run() {
	label=$1
	shift
	"$@" "$SCRATCH/porttop" -n 3 -d 1 --json >"$SCRATCH/$label.json" 2>"$SCRATCH/$label.err" ||
		fail "$label: porttop --json exited $?: $(cat "$SCRATCH/$label.err")"
	"$@" "$SCRATCH/porttop" --once >"$SCRATCH/$label.table" 2>>"$SCRATCH/$label.err" ||
		fail "$label: porttop --once exited $?: $(cat "$SCRATCH/$label.err")"
}
run root
run nobody $NOBODY
run hidepid unshare -m sh -c 'mount -t proc -o hidepid=invisible proc /proc && exec "$@"' sh \
	$NOBODY

python3 - "$SCRATCH" "$ROOT_PID" "$NOBODY_PID" <<'PY' || exit 1
import json, os, sys
d, root_pid, nobody_pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fail = []
def check(cond, msg):
    if not cond:
        fail.append(msg)

def owners(doc, proto, port):
    rows = [l for l in doc["listeners"] if l["proto"] == proto and l["port"] == port]
    return [o["pid"] for o in rows[0]["owners"]] if rows else None

for label in ("root", "nobody", "hidepid"):
    err = open(os.path.join(d, label + ".err"), "rb").read()
    check(err == b"", "%s: stderr %r" % (label, err[:500]))
    docs = [json.loads(x) for x in open(os.path.join(d, label + ".json"))]
    check(len(docs) == 3, "%s: %d samples" % (label, len(docs)))
    table = open(os.path.join(d, label + ".table")).read()
    for doc in docs:
        if label == "root":
            check(owners(doc, "tcp", 7001) == [root_pid], "root: 7001 %s" % owners(doc, "tcp", 7001))
            check(owners(doc, "udp", 7003) == [root_pid], "root: 7003 %s" % owners(doc, "udp", 7003))
            check(doc["status"] is None, "root: status %r" % doc["status"])
            continue
        # Another user's listeners: there, with their socket uid, owners hidden, and why.
        check(owners(doc, "tcp", 7001) == [], "%s: 7001 owners %s" % (label, owners(doc, "tcp", 7001)))
        check(owners(doc, "udp", 7003) == [], "%s: 7003 owners %s" % (label, owners(doc, "udp", 7003)))
        check(owners(doc, "tcp", 7002) == [nobody_pid],
              "%s: nobody's own 7002 owners %s" % (label, owners(doc, "tcp", 7002)))
        check(doc["totals"]["owners_unknown"] == 2, "%s: owners_unknown %s" % (label, doc["totals"]))
        check(doc["status"] == "owners of 2 sockets hidden: run as root to see other users' processes",
              "%s: status %r" % (label, doc["status"]))
    if label != "root":
        check(table.rstrip("\n").endswith(
            "# owners of 2 sockets hidden: run as root to see other users' processes"),
            "%s: table does not end with the reason:\n%s" % (label, table))
        r7001 = [x for x in table.splitlines() if " 7001 " in x]
        check(len(r7001) == 1 and r7001[0].split()[4] == "-" and r7001[0].split()[5] == "0",
              "%s: 7001 row %s" % (label, r7001))
if fail:
    print("\n".join(fail))
    sys.exit(1)
PY
echo "unprivileged: ok"
