#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turns the raw rows run.sh wrote (results.tsv) into the summary tables and goal checks.

Usage: report.py results.tsv
Each workload value is divided by the value of config A in the same round, so slow
periods of the host cancel out; the summary is the median of those ratios. A2 is a
second untraced run and its ratio spread is the noise floor to read the others against.
Always exits 0 when the file parses: the benchmark reports, it does not gate.
"""
import csv
import statistics
import sys

WORKLOADS = {"iperf": ("iperf3 loopback", "Gbit/s", 2), "pp1": ("ping-pong pinned to CPU 0", "req/s", 0)}
GOALS = [("iperf", 0.95), ("pp1", 0.92)]
CPU_GOAL = 2.0


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, digits=2, suffix=""):
    return "n/a" if x is None else f"{x:.{digits}f}{suffix}"


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"))


def ratio_rows(rows, workload):
    """Returns {cfg: [(round, value, ratio, row)]} for one workload, ratio to the same round's A."""
    base = {r["round"]: num(r["value"]) for r in rows
            if r["workload"] == workload and r["cfg"] == "A" and r["status"] == "ok"}
    out = {}
    for r in rows:
        if r["workload"] != workload:
            continue
        v = num(r["value"]) if r["status"] == "ok" else None
        a = base.get(r["round"])
        ratio = v / a if v is not None and a else None
        out.setdefault(r["cfg"], []).append((int(r["round"]), v, ratio, r))
    return out


def print_workload(rows, workload, cfg_order):
    title, unit, digits = WORKLOADS[workload]
    per_cfg = ratio_rows(rows, workload)
    if not per_cfg:
        return {}
    rounds = sorted({rd for runs in per_cfg.values() for rd, *_ in runs})
    print(f"\n## {title} ({unit}; ratio = value / same round's A)\n")
    head = ["cfg", f"median {unit}", "median ratio", "ratio range", "tracer CPU % of 1 core",
            "tracer peak RSS MiB", "lo pkts/s", "system busy %", "tracer saw it"]
    head += [f"R{rd}" for rd in rounds]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    summary = {}
    for cfg in cfg_order:
        runs = per_cfg.get(cfg)
        if not runs:
            continue
        ratios = [x[2] for x in runs if x[2] is not None]
        rows_ = [x[3] for x in runs]
        cpu = med(num(r["tracer_cpu_pct"]) for r in rows_ if r["status"] == "ok")
        hwm = [num(r["tracer_hwm_kb"]) for r in rows_ if num(r["tracer_hwm_kb"])]
        saw = [r["saw"] for r in rows_ if r["saw"] in ("yes", "no")]
        summary[cfg] = {"ratio": med(ratios), "cpu": cpu}
        by_round = {rd: (v, ratio, r["status"]) for rd, v, ratio, r in runs}
        cells = [cfg, fmt(med(x[1] for x in runs), digits), "**" + fmt(med(ratios)) + "**",
                 f"{fmt(min(ratios))}–{fmt(max(ratios))}" if ratios else "n/a",
                 fmt(cpu, 1) if cfg not in ("A", "A2") else "",
                 fmt(max(hwm) / 1024, 0) if hwm else "",
                 fmt(med(num(r["lo_pps"]) for r in rows_), 0),
                 fmt(med(num(r["sys_busy_pct"]) for r in rows_), 0),
                 f"{saw.count('yes')}/{len(saw)}" if saw else ""]
        for rd in rounds:
            v, ratio, status = by_round.get(rd, (None, None, "missing"))
            cells.append(f"{fmt(v, digits)} ({fmt(ratio)})" if status == "ok" else status)
        print("| " + " | ".join(cells) + " |")
    return summary


def verdict(value, ok):
    return "n/a (not measured)" if value is None else ("PASS" if ok else "FAIL")


def main():
    if len(sys.argv) != 2:
        print("usage: report.py results.tsv", file=sys.stderr)
        return 2
    try:
        rows = load(sys.argv[1])
    except (OSError, csv.Error) as e:
        print(f"report.py: cannot read {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    known = ["A", "A2", "W", "WF", "WW", "WA", "N"]
    cfg_order = [c for c in known if any(r["cfg"] == c for r in rows)]
    summaries = {w: print_workload(rows, w, cfg_order) for w in WORKLOADS}

    idle = [r for r in rows if r["workload"] == "idle"]
    if idle:
        print("\n## Tracer idle (no workload)\n")
        print("| cfg | seconds | tracer CPU % of 1 core | tracer peak RSS MiB | status |")
        print("|---|---|---|---|---|")
        for r in idle:
            hwm = num(r["tracer_hwm_kb"])
            print(f"| {r['cfg']} | {r['value']} | {fmt(num(r['tracer_cpu_pct']), 2)} | "
                  f"{fmt(hwm / 1024 if hwm else None, 0)} | {r['status']} |")

    print("\n## Noise floor (A2 = second untraced run)\n")
    for w in WORKLOADS:
        runs = ratio_rows(rows, w).get("A2", [])
        ratios = [x[2] for x in runs if x[2] is not None]
        if ratios:
            print(f"- {w}: A2 median ratio {fmt(med(ratios))}, range {fmt(min(ratios))}–{fmt(max(ratios))}"
                  + ("  (noisy: spread > 5% or median off 1 by > 3%; treat small differences as noise)"
                     if max(ratios) - min(ratios) > 0.05 or abs(med(ratios) - 1) > 0.03 else ""))

    print("\n## Goals (wiretop = W, -d 1000)\n")
    for w, goal in GOALS:
        r = summaries.get(w, {}).get("W", {}).get("ratio")
        print(f"- {w}: W median ratio {fmt(r, 3)} >= {goal:.2f}: {verdict(r, r is not None and r >= goal)}")
    loaded = [num(r["tracer_cpu_pct"]) for r in rows
              if r["cfg"] == "W" and r["workload"] in WORKLOADS and r["status"] == "ok"]
    cpu = med(loaded)
    print(f"- W CPU under load (median of {len(loaded)} runs) {fmt(cpu)}% < {CPU_GOAL:.0f}% of one core: "
          f"{verdict(cpu, cpu is not None and cpu < CPU_GOAL)}")
    idle_w = [num(r["tracer_cpu_pct"]) for r in idle if r["cfg"] == "W" and r["status"] == "ok"]
    icpu = med(idle_w)
    print(f"- W CPU idle {fmt(icpu)}% < {CPU_GOAL:.0f}% of one core: {verdict(icpu, icpu is not None and icpu < CPU_GOAL)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
