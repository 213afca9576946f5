#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One sample of the counters run.sh takes before and after each workload.

Usage: procsample.py ROOTPID   (0 = no tracer)
Prints one line: tree_ticks tree_hwm_kb lo_rx_packets cpu_busy_ticks cpu_total_ticks
  tree_ticks   utime+stime+cutime+cstime summed over ROOTPID and all its
               descendants, so a launcher script that starts a JVM is charged
               for the JVM, and children reaped during the run are not lost.
  tree_hwm_kb  VmHWM (peak RSS) summed over the same processes.
Kept in Python because /proc/<pid>/stat comm fields may contain spaces and ')'.
"""
import os
import sys


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    # Fields after the last ')' start at field 3 (state).
    return data[data.rindex(")") + 2:].split()


def process_tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            ppid = int(stat_fields(name)[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_usage(root):
    ticks = hwm = 0
    if root <= 0 or not os.path.exists(f"/proc/{root}"):
        return ticks, hwm
    for pid in process_tree(root):
        try:
            f = stat_fields(pid)
            # utime, stime, cutime, cstime are fields 14-17; f[0] is field 3.
            ticks += sum(int(x) for x in f[11:15])
            with open(f"/proc/{pid}/status") as s:
                for line in s:
                    if line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # exited between listing and reading
    return ticks, hwm


def lo_rx_packets():
    with open("/proc/net/dev") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name.strip() == "lo":
                return int(rest.split()[1])
    return 0


def cpu_ticks():
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)  # idle + iowait
    return sum(vals) - idle, sum(vals)


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print("usage: procsample.py ROOTPID", file=sys.stderr)
        return 2
    ticks, hwm = tree_usage(int(sys.argv[1]))
    busy, total = cpu_ticks()
    print(ticks, hwm, lo_rx_packets(), busy, total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
