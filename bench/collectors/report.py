#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summary of bench/collectors/run.sh's results.tsv (Markdown on stdout).

Usage: report.py RESULTS.tsv
Per configuration: the workload's CPU ns per request (min / median / max over rounds), its ratio to the
same round's A (so slow periods of the host cancel out: the median of the per-round ratios, with its
range), what that costs per round in ns, the tracer's CPU, the machine's load; then issue 10's goals.
"""
import statistics
import sys

NAMES = {
    "A": "untraced",
    "D0": "default table, BASE_JAR (before)",
    "D": "default table (`--raw -v procs`: NET only)",
    "P": "UI, Packets view of another process",
    "EO": "UI, Echo on another process",
    "EO0": "UI, Echo on another process, BASE_JAR (before)",
    "ES": "UI, Echo on the workload itself",
}
GOALS = {"D": 3.0, "P": 8.0, "EO": 3.0}


def main():
    head, rows = [], []
    for line in open(sys.argv[1]):
        line = line.rstrip("\n")
        if line.startswith("#"):
            head.append(line)
        elif not line.startswith("round\t"):
            f = line.split("\t")
            if f[0] != "stats" and f[-1] == "ok":
                rows.append(f)
    by = {}
    for f in rows:
        by.setdefault(f[2], {})[int(f[0])] = f
    base = by.get("A", {})
    print("\n".join(head))
    print()
    print("| cfg | what | CPU ns per round (min / **median** / max) | overhead vs same round's A: median (range) |"
          " added ns per round (median) | rounds | tracer CPU % of a core | load avg during runs |")
    print("|---|---|---|---|---|---|---|---|")
    over = {}
    for cfg in NAMES:
        runs = by.get(cfg)
        if not runs:
            continue
        ns = [float(f[5]) for f in runs.values()]
        ratios = [float(f[5]) / float(base[r][5]) for r, f in runs.items() if r in base]
        added = [float(f[5]) - float(base[r][5]) for r, f in runs.items() if r in base]
        tcpu = [float(f[6]) for f in runs.values() if f[6]]
        loads = sorted(float(x) for f in runs.values() for x in f[7].split("/") if x)
        o = 100 * (statistics.median(ratios) - 1) if ratios else None
        over[cfg] = (o, ratios)
        print(f"| {cfg} | {NAMES[cfg]} | {min(ns):.0f} / **{statistics.median(ns):.0f}** / {max(ns):.0f} | "
              + (f"**{o:+.1f}%** ({100 * (min(ratios) - 1):+.1f}% .. {100 * (max(ratios) - 1):+.1f}%)" if ratios else "-")
              + f" | {statistics.median(added):+.0f} | {len(runs)} | "
              + (f"{statistics.median(tcpu):.1f}" if tcpu else "-")
              + f" | {loads[0]:.1f} .. {loads[-1]:.1f} |" if loads else " | - |")
    print()
    print("Goals (issue 10), on the median overhead:")
    print()
    for cfg, goal in GOALS.items():
        if cfg not in over or over[cfg][0] is None:
            print(f"- {cfg} ≤ {goal:.0f}%: not measured")
            continue
        o = over[cfg][0]
        verdict = "PASS" if o <= goal else f"MISSED by {o - goal:.1f} points"
        print(f"- {NAMES[cfg]} ≤ {goal:.0f}%: {o:+.1f}% → {verdict}")


if __name__ == "__main__":
    main()
