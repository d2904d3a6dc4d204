#!/usr/bin/env python3
"""mkcorpus.py — write the fuzzers' seed corpora into tests/fuzz/corpus/NAME/.

usage: unshare -n python3 tests/fuzz/mkcorpus.py [OUTDIR]

Run it as root in a fresh network namespace: it opens a few listeners and connections there,
then records real sock_diag replies and /proc/net tables, and adds hand-made inputs (replies
with errors and lying lengths, fd links, stat lines, rules files, hostile text). Each file
starts with the harness's control byte where the harness takes one (see tests/fuzz/fuzz_*.c).
"""
import os
import socket
import struct
import subprocess
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
SEQ = 1
PORTID = 4242
NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_DUMP, NLM_F_DUMP_INTR = 1, 2, 0x300, 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3


def put(name, fname, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


def nlmsg(mtype, flags, payload, seq=SEQ, pid=PORTID):
    h = struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, pid)
    pad = b"\0" * (-(16 + len(payload)) % 4)
    return h + payload + pad


def diag_dump(family, proto, states):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    s.bind((PORTID, 0))
    req = struct.pack("=BBBBI", family, proto, 0, 0, states) + b"\0" * 48
    s.send(nlmsg(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, req, pid=0))
    bufs = []
    while True:
        b = s.recv(65536)
        bufs.append(b)
        if b"\x03\x00" in b[4:6] or any(
                struct.unpack_from("=H", b, off + 4)[0] in (NLMSG_DONE, NLMSG_ERROR)
                for off in msg_offsets(b)):
            break
    s.close()
    return bufs


def msg_offsets(b):
    off = 0
    while off + 16 <= len(b):
        yield off
        ln = struct.unpack_from("=I", b, off)[0]
        if ln < 16:
            return
        off += (ln + 3) & ~3


def diag_msg(family, state, sport, inode, attrs=b""):
    src = socket.inet_pton(family, "127.0.0.1" if family == socket.AF_INET else "::1")
    src = src.ljust(16, b"\0")
    m = struct.pack("=BBBB", family, state, 0, 0)
    m += struct.pack(">HH", sport, 0) + src + b"\0" * 16 + struct.pack("=III", 0, 0, 0)
    m += struct.pack("=IIIII", 0, 0, 128, 0, inode)
    return m + attrs


def nla(atype, payload):
    a = struct.pack("=HH", 4 + len(payload), atype) + payload
    return a + b"\0" * (-len(a) % 4)


def sockdiag():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    held = []
    for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1"),
                      (socket.AF_INET6, "::")):
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.bind((addr, 0))
        t.listen(8)
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((addr, 0))
        held += [t, u]
        if addr != "::":
            c = socket.create_connection(t.getsockname()[:2])
            held += [c, t.accept()[0]]
    listen = 1 << 10
    conns = sum(1 << s for s in (1, 2, 3, 4, 5, 6, 8, 9, 11))
    n = 0
    for fam in (socket.AF_INET, socket.AF_INET6):
        for proto, states, ctl in ((socket.IPPROTO_TCP, listen, 2), (socket.IPPROTO_TCP, conns, 2),
                                   (socket.IPPROTO_UDP, 0xffffffff, 3)):
            for b in diag_dump(fam, proto, states):
                put("sockdiag", "recorded-%02d" % n, bytes([ctl]) + b)
                n += 1
    # hand-made: every corner the parser handles
    v6only = nla(8, b"\x01")  # INET_DIAG_SKV6ONLY
    cgroup = nla(21, struct.pack("=Q", 1234))  # INET_DIAG_CGROUP_ID
    sock4 = nlmsg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, diag_msg(socket.AF_INET, 10, 22, 100, cgroup))
    sock6 = nlmsg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, diag_msg(socket.AF_INET6, 10, 80, 101, v6only))
    done = nlmsg(NLMSG_DONE, NLM_F_MULTI, struct.pack("=i", 0))
    put("sockdiag", "two-and-done", b"\x00" + sock4 + sock6 + done)
    put("sockdiag", "intr", b"\x00" + nlmsg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI | NLM_F_DUMP_INTR,
                                           diag_msg(socket.AF_INET, 1, 5, 7)) + done)
    put("sockdiag", "error-enoent", b"\x00" + nlmsg(NLMSG_ERROR, 0, struct.pack("=i", -2) + b"\0" * 16))
    put("sockdiag", "done-with-error", b"\x00" + nlmsg(NLMSG_DONE, NLM_F_MULTI, struct.pack("=i", -4)))
    put("sockdiag", "stale-seq", b"\x00" + nlmsg(NLMSG_DONE, 0, b"\0" * 4, seq=9) + sock4 + done)
    put("sockdiag", "other-portid", b"\x02" + nlmsg(NLMSG_DONE, 0, b"\0" * 4, pid=7) + sock6 + done)
    put("sockdiag", "short-attr", b"\x00" + nlmsg(SOCK_DIAG_BY_FAMILY, 0,
        diag_msg(socket.AF_INET6, 10, 80, 101, struct.pack("=HH", 4, 8))))
    put("sockdiag", "lying-length", b"\x00" + struct.pack("=IHHII", 4000, 20, 2, SEQ, PORTID) + sock4[16:])
    put("sockdiag", "unpadded-tail", b"\x00" + sock4 + nlmsg(SOCK_DIAG_BY_FAMILY, 0,
        diag_msg(socket.AF_INET, 7, 53, 102, struct.pack("=HHB", 5, 8, 1)))[:-3])
    for s in held:
        s.close()


def procnet():
    held = []
    for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.bind((addr, 0))
        t.listen(8)
        c = socket.create_connection(t.getsockname()[:2])
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((addr, 0))
        held += [t, c, t.accept()[0], u]
    for ctl, name in ((0x1c, "tcp"), (0x1e, "tcp6"), (0x1d, "udp"), (0x1f, "udp6")):
        with open("/proc/net/" + name, "rb") as f:
            put("procnet", "recorded-" + name, bytes([ctl]) + f.read())
    hdr = b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    line = b"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n"
    put("procnet", "one-listener", b"\x1c" + hdr + line)
    put("procnet", "malformed", b"\x1c" + hdr + line.replace(b"0A", b"ZZ") + line[:40] + b"\n" +
        line.replace(b"12345", b"99999999999") + line.replace(b"12345", b"123x"))
    put("procnet", "no-newline", b"\x1d" + line.rstrip(b"\n"))
    for s in held:
        s.close()


def fdlink():
    for i, t in enumerate((b"socket:[12345]", b"socket:[1]", b"socket:[4294967295]",
                           b"socket:[4294967296]", b"socket:[012]", b"socket:[]", b"pipe:[4026531840]",
                           b"anon_inode:[eventfd]", b"/dev/null", b"socket:[123] (deleted)")):
        put("fdlink", "link-%02d" % i, t)
    with open("/proc/self/stat", "rb") as f:
        put("fdlink", "stat-self", f.read())
    put("fdlink", "stat-hostile-comm",
        b"4242 (a) (b c) ) R 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 1 1\n")
    put("fdlink", "stat-short", b"1 (init) S 0 1 1")


def rules():
    texts = [
        b"# expected services\ntcp *:22 sshd\nudp [::1]:53 user=systemd-resolve\n"
        b"* 0.0.0.0:8000-8100 \"Web Content\" uid=1000\ntcp [::ffff:192.0.2.1]:443 /usr/sbin/nginx\n",
        b"tcp 192.0.2.1:80 \"a\\\"b\\\\c\\x41\" # comment\n\ttcp\t*:1\n",
        b"tcp *:0\nudp *:65536\ntcp 1.2.3:4\nfoo *:1\ntcp [::1]:5-4\ntcp *:22 a b\ntcp *:22 user= \n"
        b"tcp *:22 \"unterminated\ntcp *:22 \"\\x00\"\ntcp *:22 uid=4294967295 user=x\n",
        b"tcp *:22 \x1b]0;pwned\x07\ntcp *:\xff\xfe\r\n",
    ]
    for i, t in enumerate(texts):
        put("rules", "rules-%02d" % i, t)
    put("rules", "format-for", b"\x00\x1f\x90\x00\x7f\x00\x00\x01" + b"\0" * 12 + b"sshd")
    put("rules", "format-for-v6", b"\x03\x00\x35\x65" + b"\0" * 15 + b"\x01" + b"a \"#=\\\x1b\xff")


def escape():
    texts = [b"plain text", b"\x1b]0;pwned\x07", b"\x1b[2J\x1b[H\x1b[31mred", b"tab\tnew\nline\r\x7f",
             b"\xc2\x9b31m C1 CSI", b"bad \xff\xfe utf-8 \xc0\x80 \xed\xa0\x80 \xf4\x90\x80\x80",
             "wide 漢字 and emoji 😀".encode(), "bidi \u202egnp.exe \u2066x\u2069 \ufeff".encode(),
             b"back\\slash \"quote\"", b"nul\0inside", "combining e\u0301".encode(),
             b"cut \xe6\xbc"]
    for i, t in enumerate(texts):
        put("escape", "text-%02d" % i, t)


if __name__ == "__main__":
    sockdiag()
    procnet()
    fdlink()
    rules()
    escape()
