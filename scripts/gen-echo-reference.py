#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes what sysdig shows of a process's I/O in a .scap file, for the Echo window's test:
one block per read/write-class exit with res > 0, "num type res fd.name" then the captured
buffer in hex (from sysdig -X). Usage: gen-echo-reference.py FILE.scap PID > out.txt
(needs sysdig; the checked-in output was made with sysdig 0.29.3)."""
import re
import subprocess
import sys

scap, pid = sys.argv[1], sys.argv[2]
flt = "proc.pid=%s and evt.is_io=true and evt.rawres>0" % pid
names = {}
out = subprocess.run(["sysdig", "-r", scap, flt, "-p", "*%evt.num %evt.dir %evt.type %evt.rawres %fd.name"],
                     check=True, capture_output=True, text=True).stdout
order = []
for line in out.splitlines():
    num, d, typ, res, name = line.split(" ", 4)
    if d == "<":
        names[num] = (typ, res, name)
        order.append(num)
data = {}
cur = None
out = subprocess.run(["sysdig", "-r", scap, "-X", flt], check=True, capture_output=True,
                     text=True, errors="replace").stdout
for line in out.splitlines():
    m = re.match(r"^(\d+) \S+ \d+ .* ([<>]) \S+ ", line)
    if m and not line.startswith("\t"):
        cur = m.group(1) if m.group(2) == "<" else None
        if cur:
            data[cur] = []
        continue
    h = re.match(r"^\t0x[0-9a-f]{4}: ((?:[0-9a-f]{2,4} ?)+)", line)
    if h and cur:
        data[cur].append(h.group(1).replace(" ", ""))
for num in order:
    typ, res, name = names[num]
    print(num, typ, res, name)
    print("".join(data.get(num, [])))
