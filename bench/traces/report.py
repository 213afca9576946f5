#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Summary of bench/traces/run.sh's results.tsv (Markdown on stdout).

Usage: report.py RESULTS.tsv HAVE_W HAVE_RECORD [HAVE_NULL]
Per configuration: the workload's CPU ns per request (min / median / max over rounds), its ratio to
the same round's A (so slow periods of the host cancel out), requests/s, the tracer's CPU, and for
recordings the event rate and the lost count. Then the issue's goals. A configuration this build
cannot run is listed as not available, never given a figure.
"""
import statistics
import sys

NAMES = {
    "A": "untraced",
    "A2": "untraced again (noise floor)",
    "W": "wiretop --raw (default table)",
    "RS": "wiretop record --pid <workload>",
    "RO": "wiretop record --pid <other>",
    "N": "null programs on sys_enter + sys_exit (the floor)",
    "NE": "null program on sys_enter only",
    "NX": "null program on sys_exit only",
}


def mmm(xs, fmt):
    if not xs:
        return "-"
    return f"{fmt % min(xs)} / **{fmt % statistics.median(xs)}** / {fmt % max(xs)}"


def main():
    path, have_w, have_rec = sys.argv[1], sys.argv[2] == "1", sys.argv[3] == "1"
    have_null = len(sys.argv) > 4 and sys.argv[4] == "1"
    missing = {"W": "W not available in this build" if not have_w else "W not run",
               "RS": "record not available in this build" if not have_rec else "RS not run",
               "RO": "record not available in this build" if not have_rec else "RO not run"}
    head, rows = [], []
    for line in open(path):
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
    print("| cfg | what | CPU ns per request (min / median / max) | ratio to same round's A | req/s median |"
          " tracer CPU % of a core | events/s | lost |")
    print("|---|---|---|---|---|---|---|---|")
    ratios = {}
    for cfg in ["A", "A2", "N", "NE", "NX", "W", "RS", "RO"]:
        if cfg in ("W",) and not have_w or cfg in ("RS", "RO") and not have_rec or cfg in ("N", "NE", "NX") and not have_null:
            print(f"| {cfg} | {NAMES[cfg]} | not available in this build | | | | | |")
            continue
        runs = by.get(cfg, {})
        if not runs:
            continue
        ns = [float(f[5]) for f in runs.values() if f[5]]
        rs = [runs[r][5] and base.get(r) and base[r][5] and float(runs[r][5]) / float(base[r][5]) for r in runs]
        rs = [x for x in rs if x]
        ratios[cfg] = rs
        rate = statistics.median([float(f[3]) for f in runs.values()])
        tcpu = [float(f[6]) for f in runs.values() if f[6]]
        evs = [float(f[8]) for f in runs.values() if f[8]]
        lost = [int(f[9]) for f in runs.values() if f[9]]
        cells = [cfg, NAMES[cfg], mmm(ns, "%.0f"), mmm(rs, "%.3f"), f"{rate:.0f}",
                 f"{statistics.median(tcpu):.1f}" if tcpu else "",
                 f"{statistics.median(evs):.0f}" if evs else "",
                 f"{max(lost)} (max)" if lost else ("?" if cfg in ("RS", "RO") else "")]
        print("| " + " | ".join(cells) + " |")
    print()
    print(f"Rounds counted: {max((len(v) for v in by.values()), default=0)}; a ratio is CPU ns per request of the"
          " configuration over A's in the same round (higher = costlier).")
    print()

    def goal(text, cfg, limit):
        if cfg not in ratios or not ratios[cfg]:
            print(f"- {text}: not measured ({missing[cfg]})")
            return
        m = statistics.median(ratios[cfg])
        print(f"- {text}: median {m:.3f} -> {'PASS' if m <= limit else 'FAIL'} (limit {limit:.2f})")

    goal("recording another process costs the workload <= 3% (RO / A)", "RO", 1.03)
    goal("recording the workload itself costs it <= 25% (RS / A)", "RS", 1.25)
    if "RO" in by and "W" in by:
        pairs = [float(by["RO"][r][5]) / float(by["W"][r][5]) for r in by["RO"] if r in by["W"]]
        if pairs:
            print(f"- RO / W (recording another process, over the default table), same rounds: median"
                  f" {statistics.median(pairs):.3f} (min {min(pairs):.3f}, max {max(pairs):.3f})")
    if "RO" in by and "N" in by:
        pairs = [float(by["RO"][r][5]) / float(by["N"][r][5]) for r in by["RO"] if r in by["N"] and by["N"][r][5]]
        if pairs:
            print(f"- RO / N (what the stream's programs add over null hooks on the same tracepoints), same rounds:"
                  f" median {statistics.median(pairs):.3f} (min {min(pairs):.3f}, max {max(pairs):.3f})")
    runs = [f for c in ("RS", "RL") for f in by.get(c, {}).values() if f[8]]
    if runs:
        if "RL" in by:
            f = next(iter(by["RL"].values()))
            print(f"- RL (recording every process, ping-pong unpinned): {float(f[8]):.0f} events/s, {f[3]} req/s,"
                  f" lost {f[9] or '?'}, recorder {f[6]}% of a core")
        unknown = any(not f[9] for f in runs)
        lost = sum(int(f[9]) for f in runs if f[9])
        fastest = max(float(f[8]) for f in runs)
        verdict = "not checked (no lost count in record's summary)" if unknown else (
            "FAIL" if lost else "PASS" if fastest >= 200_000 else f"0 lost, but the fastest run gave only {fastest:.0f} events/s")
        print(f"- nothing lost at 200 k events/s: {len(runs)} recordings (RS, RL), fastest {fastest:.0f} events/s,"
              f" lost {lost} in all -> {verdict}")
    else:
        print(f"- nothing lost at 200 k events/s: not measured ({missing['RS']})")
    if "A2" in ratios and ratios["A2"]:
        print(f"- noise floor: A2 / A spread {min(ratios['A2']):.3f}-{max(ratios['A2']):.3f}: a difference smaller than"
              " that is not an effect")


if __name__ == "__main__":
    main()
