#!/usr/bin/env python3
"""promparse.py — a strict reader of the Prometheus text exposition format (version 0.0.4).

usage: promparse.py FILE            check FILE; print "ok N" (N samples) or the first error

As a module: parse(text) returns {(name, ((label, value), ...)): float} and raises ValueError
on anything the format does not allow: a sample before its family's # HELP and # TYPE, a family
split in two or declared twice, a bad metric or label name, an escape other than \\\\, \\" and
\\n in a label value, a duplicate label or series, a value that is not a number, a timestamp
(node_exporter's textfile collector refuses them), a control byte or invalid UTF-8.
"""
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_labels(s, i, where):
    """Parse {a="b",...} starting at s[i] == '{'; return (labels tuple, index after '}')."""
    labels = []
    i += 1
    while True:
        if s[i] == "}":
            return tuple(labels), i + 1
        m = LABEL.match(s, i)
        if not m:
            raise ValueError("%s: bad label name at %r" % (where, s[i:]))
        name = m.group(0)
        i = m.end()
        if s[i : i + 2] != '="':
            raise ValueError("%s: no =\" after label %s" % (where, name))
        i += 2
        value = []
        while True:
            if i >= len(s):
                raise ValueError("%s: unterminated label value" % where)
            c = s[i]
            if c == "\\":
                e = s[i + 1 : i + 2]
                if e not in ("\\", '"', "n"):
                    raise ValueError("%s: bad escape \\%s in label %s" % (where, e, name))
                value.append("\n" if e == "n" else e)
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == "\n":
                raise ValueError("%s: raw newline in label %s" % (where, name))
            else:
                value.append(c)
                i += 1
        if any(n == name for n, _ in labels):
            raise ValueError("%s: label %s twice" % (where, name))
        labels.append((name, "".join(value)))
        if s[i] == ",":
            i += 1
        elif s[i] != "}":
            raise ValueError("%s: expected , or } at %r" % (where, s[i:]))


def parse(data):
    if isinstance(data, bytes):
        text = data.decode("utf-8")  # raises on invalid UTF-8
    else:
        text = data
    if text and not text.endswith("\n"):
        raise ValueError("no newline at the end")
    series = {}
    declared = {}  # family -> [help seen, type]
    done = set()  # families whose samples are over
    current = None
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = "line %d" % n
        if any(ord(c) < 0x20 or ord(c) == 0x7F or 0x80 <= ord(c) < 0xA0 for c in line):
            raise ValueError("%s: control character" % where)
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            kind = line[2:6]
            rest = line[7:]
            name, _, arg = rest.partition(" ")
            if not NAME.fullmatch(name):
                raise ValueError("%s: bad metric name %r" % (where, name))
            if name in done or (current is not None and current != name and name in declared):
                raise ValueError("%s: family %s declared again" % (where, name))
            d = declared.setdefault(name, [False, None])
            if kind == "HELP":
                if d[0]:
                    raise ValueError("%s: second HELP for %s" % (where, name))
                d[0] = True
            else:
                if d[1] is not None:
                    raise ValueError("%s: second TYPE for %s" % (where, name))
                if arg not in TYPES:
                    raise ValueError("%s: bad type %r" % (where, arg))
                d[1] = arg
            if current is not None and current != name:
                done.add(current)
            current = name
            continue
        if line.startswith("#") or line == "":
            raise ValueError("%s: unexpected line %r" % (where, line))
        m = NAME.match(line)
        if not m:
            raise ValueError("%s: bad sample %r" % (where, line))
        name = m.group(0)
        i = m.end()
        labels = ()
        if i < len(line) and line[i] == "{":
            labels, i = parse_labels(line, i, where)
        if line[i : i + 1] != " ":
            raise ValueError("%s: no space before the value" % where)
        fields = line[i + 1 :].split(" ")
        if len(fields) != 1:
            raise ValueError("%s: a timestamp or junk after the value" % where)
        try:
            value = float(fields[0])
        except ValueError:
            raise ValueError("%s: value %r is not a number" % (where, fields[0]))
        if math.isnan(value) and fields[0] != "NaN":
            raise ValueError("%s: bad NaN" % where)
        if name != current or not declared.get(name, [False, None])[0] or declared[name][1] is None:
            raise ValueError("%s: sample of %s outside its declared family" % (where, name))
        key = (name, tuple(sorted(labels)))
        if key in series:
            raise ValueError("%s: duplicate series %s%s" % (where, name, labels))
        series[key] = value
    return series


def main(argv):
    with open(argv[1], "rb") as f:
        data = f.read()
    try:
        series = parse(data)
    except (ValueError, UnicodeDecodeError) as e:
        print("%s: %s" % (argv[1], e))
        return 1
    print("ok %d" % len(series))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
