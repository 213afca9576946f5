// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pcap-filter expression given to `wiretop capture` runs in the kernel (a classic-BPF
 * interpreter in pkt.bpf.c) before packets reach the ring. It must select exactly what libpcap
 * selects, for expressions that use every kind of load and jump libpcap emits (absolute,
 * indexed, the IPv4 header-length load, ALU, jset), on both paths:
 * - tc hooks on lo (`-i lo`), real Ethernet headers: each packet passes egress and ingress, so
 *   the capture holds exactly twice what tcpdump keeps on lo with the same expression;
 * - cgroup_skb (no -i), fake Ethernet headers: the capture holds exactly what libpcap selects
 *   from an unfiltered capture of the same run.
 * A mixed traffic of TCP (with an HTTP request), UDP and ICMP over IPv4 and IPv6 runs once while
 * all the captures run side by side.
 */
class CaptureFilterKernelIT {
    private static final Pattern REJECTED = Pattern.compile("(\\d+) packets rejected by the filter in the kernel");

    private static String run(String... cmd) throws Exception {
        return KernelHarness.sh(120, cmd);
    }

    private static long frames(Path file, String expr) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-r", file.toString(), "-n"));
        if (!expr.isEmpty()) {
            cmd.add(expr);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long n = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tcpdump -r " + file);
        return n;
    }

    @Test
    void theKernelSelectsExactlyWhatLibpcapSelects() throws Exception {
        KernelHarness.requireRoot();
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        List<String> exprs = List.of(
                "tcp port " + port,
                "udp and dst port " + (port + 1),
                "ip6 and udp port " + (port + 1),
                "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and port " + port,
                "greater 300 and port " + port,
                "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",  // "GET " at the start of the TCP payload
                "(icmp[icmptype] = icmp-echoreply and icmp[4:2] = 7) or (icmp6 and ip6[40] = 129 and ip6[44:2] = 7)",
                "ip[8] = 64 and not tcp and host 127.0.0.1 and (udp port " + (port + 1) + " or icmp[4:2] = 7)");
        // every expression names this test's own traffic: the captures start one after the other
        Path dir = KernelHarness.workDir();
        List<Process> caps = new ArrayList<>();
        List<Path> tcFiles = new ArrayList<>(), cgFiles = new ArrayList<>();
        Path all = dir.resolve("filter-all.pcapng"), lo = dir.resolve("filter-lo.pcap");
        Process dump = null;
        try {
            for (int i = 0; i < exprs.size(); i++) {
                tcFiles.add(dir.resolve("filter-tc-" + i + ".pcapng"));
                cgFiles.add(dir.resolve("filter-cg-" + i + ".pcapng"));
                caps.add(capture(dir, "tc-" + i, "-i", "lo", "-w", tcFiles.get(i).toString(), exprs.get(i)));
                caps.add(capture(dir, "cg-" + i, "-w", cgFiles.get(i).toString(), exprs.get(i)));
            }
            caps.add(capture(dir, "all", "-w", all.toString()));
            // a snap length shorter than what the expression reads: the kernel decides on the whole
            // packet, as tcpdump's socket filter does, and user space must not undo that
            Path snapped = dir.resolve("filter-snap.pcapng");
            caps.add(capture(dir, "snap", "-s", "40", "-w", snapped.toString(), exprs.get(5)));
            dump = new ProcessBuilder("tcpdump", "-i", "lo", "-n", "-B", "16384", "-w", lo.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.currentTimeMillis() + 90_000; // many JVMs start side by side on two cores
            for (int i = 0; i <= exprs.size(); i++) {
                for (String mode : i == exprs.size() ? List.of("snap") : List.of("tc-" + i, "cg-" + i)) {
                    Path err = dir.resolve("filter-" + mode + ".err");
                    while (!Files.readString(err).contains("capturing on") && System.currentTimeMillis() < deadline) {
                        Thread.sleep(200);
                    }
                    assertTrue(Files.readString(err).contains("capturing on"), err + ": " + Files.readString(err));
                }
            }
            Thread.sleep(1000); // tcpdump's socket
            run("python3", "-c", traffic(port));
            Thread.sleep(1500);
            for (Process c : caps) {
                new ProcessBuilder("kill", "-TERM", Long.toString(c.pid())).start().waitFor();
            }
            new ProcessBuilder("kill", "-INT", Long.toString(dump.pid())).start().waitFor();
            for (Process c : caps) {
                assertTrue(c.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(dump.waitFor(30, TimeUnit.SECONDS));

            long rejected = 0;
            for (int i = 0; i < exprs.size(); i++) {
                String e = exprs.get(i);
                long theirs = frames(lo, e), selected = frames(all, e);
                assertTrue(theirs > 0, "the traffic has packets for: " + e);
                assertEquals(2 * theirs, frames(tcFiles.get(i), ""), "-i lo (egress + ingress) vs tcpdump -i lo: " + e);
                assertEquals(selected, frames(cgFiles.get(i), ""), "cgroup_skb vs libpcap on an unfiltered capture: " + e);
                for (String mode : List.of("tc-", "cg-")) {
                    Matcher m = REJECTED.matcher(Files.readString(dir.resolve("filter-" + mode + i + ".err")));
                    assertTrue(m.find(), "the expression ran in the kernel: " + e);
                    rejected += Long.parseLong(m.group(1));
                }
            }
            assertTrue(rejected > 0, "the kernel rejected packets");
            long gets = frames(all, exprs.get(5));
            assertTrue(gets > 0);
            assertEquals(gets, frames(snapped, ""), "-s 40 keeps the packets the kernel's filter selected on whole packets");
        } finally {
            for (Process c : caps) {
                c.destroyForcibly();
            }
            if (dump != null) {
                dump.destroyForcibly();
            }
        }
    }

    private static Process capture(Path dir, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar",
                KernelHarness.jar().toString(), "capture"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("filter-" + name + ".err").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** TCP (an HTTP request, a closed port), UDP over v4 and v6, ICMP and ICMPv6 echo. */
    private static String traffic(int port) {
        return String.join("\n",
                "import socket, struct, time",
                "P = " + port,
                "srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                "srv.bind(('127.0.0.1', P)); srv.listen(4)",
                "c = socket.create_connection(('127.0.0.1', P)); s, _ = srv.accept()",
                "c.sendall(b'GET /index.html HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'); s.recv(4096)",
                "s.sendall(b'HTTP/1.1 200 OK\\r\\n\\r\\n' + b'y' * 1000); c.recv(65536)",
                "c.sendall(b'z' * 100); s.recv(4096); c.close(); s.close()",
                "for fam, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):",
                "    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((host, P + 1))",
                "    t = socket.socket(fam, socket.SOCK_DGRAM)",
                "    for n in (10, 500): t.sendto(b'u' * n, (host, P + 1)); u.recvfrom(4096)",
                "    u.close(); t.close()",
                "try: socket.create_connection(('127.0.0.1', P + 2), timeout=1)",
                "except OSError: pass",
                "def csum(b):",
                "    b = b + b'\\0' * (len(b) % 2); s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
                "    s = (s >> 16) + (s & 0xffff); s += s >> 16; return ~s & 0xffff",
                "r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)",
                "h = struct.pack('!BBHHH', 8, 0, 0, 7, 1) + b'ping'",
                "r.sendto(h[:2] + struct.pack('!H', csum(h)) + h[4:], ('127.0.0.1', 0))",
                "r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)",
                "r6.sendto(struct.pack('!BBHHH', 128, 0, 0, 7, 1) + b'ping', ('::1', 0))",
                "time.sleep(0.5)");
    }
}
