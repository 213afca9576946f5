#!/usr/bin/env python3
"""Regenerates src/main/resources/scap/syscalls.tsv: the names sysdig gives generic syscall events.

Usage: scripts/gen-scap-syscalls.py PPM_EVENTS_PUBLIC_H SYSCALL_INFO_TABLE_C
with both files from falcosecurity/libs at e5c53d648f3c4694385bbe488e7d47eaa36c229a (the libs sysdig
0.29.3 pins; driver/ppm_events_public.h is MIT/GPL-2.0, userspace/libscap/syscall_info_table.c Apache-2.0).
Output: one line per PPM_SC code: code, name.
"""
import re
import sys

header, table = open(sys.argv[1]).read(), open(sys.argv[2]).read()
codes = {m.group(1): int(m.group(2)) for m in re.finditer(r'\b(PPM_SC_\w+)\s*=\s*(\d+)', header)}
rows = re.findall(r'/\*\s*(\w+)\s*\*/\s*\{[^}]*"([^"]*)"\s*\}', table)
out = ["# PPM_SC syscall codes -> names, from falcosecurity/libs userspace/libscap/syscall_info_table.c at e5c53d64;",
       "# regenerate with scripts/gen-scap-syscalls.py. Columns: code, name."]
for position, (sym, name) in enumerate(rows):
    code = 0 if sym == "dummy" else codes.get(sym)
    if code != position:
        sys.exit(f"{sym} at position {position} has code {code}")
    out.append(f"{code}\t{name}")
print("\n".join(out))
