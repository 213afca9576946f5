#!/usr/bin/env python3
"""Regenerates src/main/resources/scap/events.tsv from falcosecurity/libs driver/event_table.c.

Usage: git -C LIBS show e5c53d648f3c4694385bbe488e7d47eaa36c229a:driver/event_table.c | scripts/gen-scap-events.py
(e5c53d64 is the libs commit sysdig 0.29.3 pins; event_table.c is MIT/GPL-2.0 dual licensed.)
Output: one line per event id: id, name, category, large-payload flag (0/1), then name:PT_TYPE per parameter.
"""
import re
import sys

entry = re.compile(r'/\*\s*(PPME_\w+)\s*\*/\s*\{\s*"([^"]*)"\s*,\s*([A-Z_|\s]+?)\s*,\s*([A-Z_|\s()0-9<]+?)\s*,\s*(\d+)(.*)')
param = re.compile(r'\{\s*"([^"]*)"\s*,\s*(PT_\w+)')
out = ["# scap event table (ids 0..335) derived from falcosecurity/libs driver/event_table.c at e5c53d64 (MIT);",
       "# regenerate with scripts/gen-scap-events.py. Columns: id, name, category, large payload, params (name:type)."]
n = 0
for line in sys.stdin:
    m = entry.search(line)
    if not m:
        continue
    _, name, cat, flags, count, rest = m.groups()
    params = param.findall(rest)
    if len(params) < int(count):
        sys.exit(f"event {n} ({name}): {count} params declared, {len(params)} parsed")
    params = params[:int(count)]  # the declared count is what libscap uses (seccomp_e lists 2, declares 1)
    large = "1" if "EF_LARGE_PAYLOAD" in flags else "0"
    cols = [str(n), name, cat.strip().replace(" ", ""), large] + [f"{p.replace(' ', '_')}:{t}" for p, t in params]
    out.append("\t".join(cols))
    n += 1
if n != 336:
    sys.exit(f"{n} events parsed, 336 expected")
print("\n".join(out))
