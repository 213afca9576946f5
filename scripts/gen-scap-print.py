#!/usr/bin/env python3
"""Regenerates src/main/resources/scap/print.tsv: what sysdig needs to print parameters.

Usage: scripts/gen-scap-print.py LIBS_GIT_DIR > src/main/resources/scap/print.tsv
It reads, at e5c53d64 (the libs commit sysdig 0.29.3 pins; MIT/GPL-2.0 dual licensed),
driver/event_table.c (each parameter's print format and flag table), driver/dynamic_params_table.c,
driver/flags_table.c (the flag
tables, in their order: sinsp resolves flags walking them in order) and driver/ppm_events_public.h
(the PPM_* values the tables name).
Rows: "P id index format table" (format DEC/HEX/OCT/NA, table "-" when none) and
"F table name value" (value decimal, u32), "E errno name", "S signal name",
"Y dyntable index TYPE" (what a PT_DYN parameter's leading index byte selects), "D id R|W" (events flagged EF_READS_FROM_FD / EF_WRITES_TO_FD: csysdig's Echo shows these).
"""
import re
import subprocess
import sys

COMMIT = "e5c53d648f3c4694385bbe488e7d47eaa36c229a"


def show(git, path):
    return subprocess.run(["git", "--git-dir", git, "show", f"{COMMIT}:{path}"], check=True,
                          capture_output=True, text=True).stdout


git = sys.argv[1]
defs = {}
for m in re.finditer(r'^#define\s+(PPM_\w+)\s+(.+?)\s*(?:/\*.*)?$', show(git, "driver/ppm_events_public.h"), re.M):
    defs[m.group(1)] = m.group(2)


def value(expr, depth=0):
    expr = re.sub(r'(\d+)[uUlL]+\b', r'\1', expr)
    expr = re.sub(r'\bPPM_\w+', lambda m: "(" + str(value(defs[m.group(0)], depth + 1)) + ")", expr)
    return eval(expr) & 0xffffffff

out = ["# sysdig's parameter print formats and flag names, from falcosecurity/libs at e5c53d64 (MIT);",
       "# regenerate with scripts/gen-scap-print.py. Rows: P id index format table | F table name value | E errno name | S signal name | Y dyntable index type | D id R/W."]
entry = re.compile(r'/\*\s*(PPME_\w+)\s*\*/\s*\{\s*"([^"]*)"\s*,[^,]+,([^,]+),\s*(\d+)(.*)')
param = re.compile(r'\{\s*"([^"]*)"\s*,\s*(PT_\w+)\s*,\s*PF_(\w+)\s*(?:,\s*(\w+))?')
n = 0
for line in show(git, "driver/event_table.c").splitlines():
    m = entry.search(line)
    if not m:
        continue
    io = ("R" if "EF_READS_FROM_FD" in m.group(3) else "") + ("W" if "EF_WRITES_TO_FD" in m.group(3) else "")
    if io:
        out.append(f"D\t{n}\t{io}")
    for i, p in enumerate(param.findall(m.group(5))[:int(m.group(4))]):
        out.append(f"P\t{n}\t{i}\t{p[2]}\t{p[3] or '-'}")
    n += 1
if n != 336:
    sys.exit(f"{n} events parsed, 336 expected")
flags = show(git, "driver/flags_table.c")
for t in re.finditer(r'ppm_name_value\s+(\w+)\[\]\s*=\s*\{(.*?)\n\};', flags, re.S):
    for name, v in re.findall(r'\{\s*"([^"]+)"\s*,\s*([^}]+?)\s*\}', t.group(2)):
        out.append(f"F\t{t.group(1)}\t{name}\t{value(v)}")
# dynamic parameters (PT_DYN): per table, index (its PPM_*_IDX_* value) and the type it holds
dyn = show(git, "driver/dynamic_params_table.c")
for t in re.finditer(r'ppm_param_info\s+(\w+)\[\w+\]\s*=\s*\{(.*?)\n\};', dyn, re.S):
    for idx, ptype in re.findall(r'\[(PPM_\w+)\]\s*=\s*\{\s*\{0\}\s*,\s*PT_(\w+)', t.group(2)):
        out.append(f"Y\t{t.group(1)}\t{value(defs[idx])}\t{ptype}")
# errno and signal names as sinsp_utils::errno_to_str / signal_to_str return them (utils.cpp)
utils = show(git, "userspace/libsinsp/utils.cpp")
consts = {}
for h in ("userspace/libsinsp/sinsp_errno.h", "userspace/libsinsp/sinsp_signal.h"):
    for m in re.finditer(r'^#define\s+(SE_\w+)\s+(\d+)', show(git, h), re.M):
        consts[m.group(1)] = int(m.group(2))
for kind, fn in (("E", "errno_to_str"), ("S", "signal_to_str")):
    body = utils[utils.index("sinsp_utils::" + fn):]
    body = body[:body.index("\n}\n")]
    for c, name in re.findall(r'case\s+(SE_\w+):\s*return\s+"([^"]+)"', body):
        out.append(f"{kind}\t{consts[c]}\t{name}")
print("\n".join(out))
