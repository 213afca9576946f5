#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Per-program BPF run counters of one process's programs (and only of that process's).

Usage: bpfstats.py PID                  one snapshot: a line "id type name run_cnt run_time_ns" per program
       bpfstats.py --diff BEFORE AFTER REQUESTS   two snapshot files -> Markdown rows:
              program, type, runs, ns per run, runs per request
A program belongs to PID when one of PID's fds is that program or a link to it: the `prog_id:`
line of /proc/PID/fdinfo/FD (this bpftool is built without the pid iterator, so `bpftool prog show`
names no owners). run_cnt and run_time_ns count only while
kernel.bpf_stats_enabled=1 (run.sh sets it for its separate stats pass and puts it back after).
"""
import json
import os
import subprocess
import sys


def prog_ids(pid):
    ids = set()
    d = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(d):
        try:
            with open(f"{d}/{fd}") as f:
                for line in f:
                    if line.startswith("prog_id:"):
                        ids.add(int(line.split()[1]))
        except OSError:
            pass  # closed meanwhile
    return ids


def snapshot(pid):
    for i in sorted(prog_ids(pid)):
        r = subprocess.run(["bpftool", "-j", "prog", "show", "id", str(i)], capture_output=True, text=True)
        if r.returncode == 0:
            p = json.loads(r.stdout)
            print(p["id"], p.get("type", "?"), p.get("name", "?"), p.get("run_cnt", 0), p.get("run_time_ns", 0))


def read(path):
    progs = {}
    with open(path) as f:
        for line in f:
            i, t, n, c, ns = line.split()
            progs[i] = (t, n, int(c), int(ns))
    return progs


def diff(before, after, requests):
    a, b = read(before), read(after)
    for i, (t, n, c, ns) in sorted(b.items(), key=lambda kv: kv[1][1]):
        c0, ns0 = a.get(i, (t, n, 0, 0))[2:]
        runs, time_ns = c - c0, ns - ns0
        per_run = f"{time_ns / runs:.0f}" if runs else "-"
        per_req = f"{runs / requests:.2f}" if requests > 0 else "-"
        print(f"| {n} | {t} | {runs} | {per_run} | {per_req} |")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1].isdigit():
        snapshot(int(sys.argv[1]))
    elif len(sys.argv) == 5 and sys.argv[1] == "--diff":
        diff(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit("usage: bpfstats.py PID | bpfstats.py --diff BEFORE AFTER REQUESTS")
