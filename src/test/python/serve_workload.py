#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Loopback workloads of ServePrometheusKernelIT, each run through a symlink whose name becomes the comm.

recv PORTFILE          listen on 127.0.0.1:0 (port written to PORTFILE), read and discard every connection
send PORT RATE SECS    1 marker byte, 4 s pause, then RATE bytes/s for SECS s, paced on the clock;
                       prints "steady START END BYTES" (epoch seconds, bytes sent after the marker)
burst PORT             25 KB every 0.1 s for 1.5 s, then exit (a short-lived process)
hostile PORT NAMEHEX   rename itself (prctl PR_SET_NAME) to the bytes NAMEHEX, send 10 bytes, sleep 40 s
"""
import ctypes
import socket
import sys
import threading
import time


def drain(conn):
    with conn:
        while conn.recv(1 << 16):
            pass


def recv(portfile):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(256)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=drain, args=(conn,), daemon=True).start()


def send(port, rate, secs):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"x")
    time.sleep(4)
    chunk = b"\0" * 16384
    sent = 0
    start = time.time()
    while True:
        now = time.time()
        if now - start >= secs:
            break
        due = int(rate * (now - start))
        while sent < due:
            n = min(len(chunk), due - sent)
            s.sendall(chunk[:n])
            sent += n
        time.sleep(0.02)
    end = time.time()
    due = int(rate * secs)
    if sent < due:  # the last stretch, so that the total is exactly rate * secs
        s.sendall(b"\0" * (due - sent))
        sent = due
    print("steady %.3f %.3f %d" % (start, end, sent), flush=True)
    s.close()


def burst(port):
    s = socket.create_connection(("127.0.0.1", port))
    block = b"\0" * 25000
    for _ in range(15):
        s.sendall(block)
        time.sleep(0.1)
    s.close()


def hostile(port, namehex):
    libc = ctypes.CDLL(None)
    libc.prctl(15, ctypes.c_char_p(bytes.fromhex(namehex)), 0, 0, 0)  # PR_SET_NAME
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"0123456789")
    time.sleep(40)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "recv":
        recv(sys.argv[2])
    elif mode == "send":
        send(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "burst":
        burst(int(sys.argv[2]))
    elif mode == "hostile":
        hostile(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("unknown mode " + mode)
