#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The pinned ping-pong of bench/net-overhead, held at the gate until the tracer is ready.

Usage: workload.py PINGPONG SECONDS PIDFILE GOFILE [CPUS]
Starts `taskset -c CPUS PINGPONG SECONDS` (CPUS defaults to 0; 0,1 lets it run as fast as it can) stopped before its exec (sh reads one line first), so its pid
is known before it runs: run.sh writes that pid into `wiretop record --pid P` and, once the recorder
is ready, creates GOFILE. taskset and sh exec, so the pid never changes. Prints one line:
  requests_per_s cpu_s wall_s exit_status
cpu_s is user+sys of pingpong and of the echo child it forks and reaps (wait4's rusage, microsecond
resolution), i.e. all CPU the workload's two ends used on CPU 0, including the in-kernel tracing
that runs in their syscalls. requests = requests_per_s * SECONDS (pingpong stops within 64
requests of SECONDS).
"""
import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit("usage: workload.py PINGPONG SECONDS PIDFILE GOFILE [CPUS]")
    pingpong, seconds, pidfile, gofile = sys.argv[1:5]
    cpus = sys.argv[5] if len(sys.argv) == 6 else "0"
    p = subprocess.Popen(["taskset", "-c", cpus, "sh", "-c", 'read _ && exec "$0" "$1"', pingpong, seconds],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(pidfile + ".tmp", "w") as f:
        f.write(f"{p.pid}\n")
    os.rename(pidfile + ".tmp", pidfile)
    deadline = time.monotonic() + 900
    while not os.path.exists(gofile):
        if time.monotonic() > deadline:
            p.kill()
            sys.exit("workload.py: no go signal within 900 s")
        time.sleep(0.02)
    t0 = time.monotonic()
    p.stdin.write(b"go\n")
    p.stdin.close()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    out = p.stdout.read().decode().strip()
    err = p.stderr.read().decode().strip()
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not out.replace(".", "").isdigit():
        print(f"workload.py: pingpong exit {code}: {err or out}", file=sys.stderr)
        out = "nan"
    print(f"{out} {ru.ru_utime + ru.ru_stime:.6f} {wall:.3f} {code}")


if __name__ == "__main__":
    main()
