#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Holds BPF run-time statistics on while it runs: bpf(BPF_ENABLE_STATS, BPF_STATS_RUN_TIME) returns
a file descriptor, and the kernel counts run_cnt/run_time_ns of every program for as long as one such
fd is open. kernel.bpf_stats_enabled is not touched, so nothing is left on if this is killed.

Usage: statsfd.py   (prints "on" once the fd is open, then sleeps until killed)
"""
import ctypes
import os
import signal
import sys

SYS_BPF = 321          # x86_64
BPF_ENABLE_STATS = 32
BPF_STATS_RUN_TIME = 0


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    attr = ctypes.create_string_buffer(16)          # union bpf_attr { struct { __u32 type; } enable_stats; }
    ctypes.c_uint32.from_buffer(attr, 0).value = BPF_STATS_RUN_TIME
    fd = libc.syscall(SYS_BPF, BPF_ENABLE_STATS, attr, ctypes.c_uint(16))
    if fd < 0:
        sys.exit(f"statsfd.py: BPF_ENABLE_STATS: {os.strerror(ctypes.get_errno())}")
    print("on", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
