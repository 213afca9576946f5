#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Known loopback workload for LivePacketKernelIT. "server BASE" serves TCP/UDP on IPv4 and IPv6 at
# ports BASE..BASE+3 and echoes; "client BASE" talks to each, and on TCP/IPv4 forks a child that
# sends "from-child" on the inherited socket. Prints "ready" / "child PID" lines for the test.
import os, socket, sys, threading, time

def server(base):
    socks = []
    for fam, typ, addr, port in [(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", base),
                                 (socket.AF_INET6, socket.SOCK_STREAM, "::1", base + 1),
                                 (socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", base + 2),
                                 (socket.AF_INET6, socket.SOCK_DGRAM, "::1", base + 3)]:
        s = socket.socket(fam, typ); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        if typ == socket.SOCK_STREAM:
            s.listen()
        socks.append(s)
    def tcp(l):
        while True:
            c, _ = l.accept()
            def echo(c=c):
                while True:
                    d = c.recv(4096)
                    if not d:
                        break
                    c.sendall(d)
                c.close()
            threading.Thread(target=echo, daemon=True).start()
    def udp(u):
        while True:
            d, peer = u.recvfrom(4096); u.sendto(d, peer)
    for s in socks:
        threading.Thread(target=tcp if s.type == socket.SOCK_STREAM else udp, args=(s,), daemon=True).start()
    print("ready", flush=True)
    time.sleep(60)

def client(base):
    c4 = socket.create_connection(("127.0.0.1", base))
    for i in range(5):
        c4.sendall(b"v4-%d " % i * 50); c4.recv(4096)
    pid = os.fork()
    if pid == 0:
        c4.sendall(b"from-child"); c4.recv(4096); os._exit(0)
    print("child", pid, flush=True)
    os.waitpid(pid, 0)
    c4.close()
    c6 = socket.create_connection(("::1", base + 1))
    for i in range(5):
        c6.sendall(b"v6-%d " % i * 80); c6.recv(4096)
    c6.close()
    for fam, addr, port in [(socket.AF_INET, "127.0.0.1", base + 2), (socket.AF_INET6, "::1", base + 3)]:
        u = socket.socket(fam, socket.SOCK_DGRAM)
        for i in range(5):
            u.sendto(b"udp-%d" % i * 30, (addr, port)); u.recvfrom(4096)
        u.close()
    time.sleep(0.3)
    print("done", flush=True)

if __name__ == "__main__":
    (server if sys.argv[1] == "server" else client)(int(sys.argv[2]))
