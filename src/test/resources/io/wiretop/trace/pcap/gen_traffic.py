#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Generates a known mix of loopback traffic (TCP+HTTP, DNS over UDP, IPv6 UDP/TCP, ICMP, ICMPv6)
# for the packet decoder/formatter golden capture (sample-lo.pcap, recorded with tcpdump -i lo).
import socket, struct, threading, time, http.server, os

def http_server(port):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"hello wiretop\n"
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
        def log_message(self, *a): pass
    s = http.server.HTTPServer(("127.0.0.1", port), H)
    threading.Thread(target=s.handle_request, daemon=True).start()
    return s

def dns_query(qid, name, qtype=1):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", qtype, 1)

def dns_answer(query, ip):
    qid = struct.unpack(">H", query[:2])[0]
    hdr = struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0)
    ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + socket.inet_aton(ip)
    return hdr + query[12:] + ans

def checksum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff

def main():
    srv = http_server(8080)
    c = socket.create_connection(("127.0.0.1", 8080))
    c.sendall(b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n")
    c.recv(4096); c.close(); time.sleep(0.1)
    # DNS over UDP port 53
    d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); d.bind(("127.0.0.1", 53))
    q = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    query = dns_query(0x1234, "example.com")
    q.sendto(query, ("127.0.0.1", 53)); data, peer = d.recvfrom(512)
    d.sendto(dns_answer(data, "93.184.216.34"), peer); q.recvfrom(512)
    q.sendto(dns_query(0x4321, "wiretop.io", 28), ("127.0.0.1", 53)); d.recvfrom(512)
    # plain UDP, IPv4 and IPv6
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b"x" * 100, ("127.0.0.1", 9999))
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.sendto(b"y" * 20, ("::1", 9998))
    # TCP over IPv6 with payload both ways
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM); l6.bind(("::1", 7777)); l6.listen()
    c6 = socket.create_connection(("::1", 7777)); a6, _ = l6.accept()
    c6.sendall(b"ping over v6"); a6.recv(100); a6.sendall(b"pong"); c6.recv(100)
    c6.close(); a6.close(); time.sleep(0.1)
    # ICMP echo via raw socket, IPv4 and IPv6
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    pay = b"abcdefgh" * 7
    hdr = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1)
    r.sendto(struct.pack("!BBHHH", 8, 0, checksum(hdr + pay), 0x77, 1) + pay, ("127.0.0.1", 0))
    time.sleep(0.05)
    r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    r6.sendto(struct.pack("!BBHHH", 128, 0, 0, 0x78, 2) + pay, ("::1", 0))
    time.sleep(0.2)

main()
