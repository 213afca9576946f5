// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.DecodedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.trace.pcap.PcapNgFileSink;
import io.wiretop.trace.pcap.PcapReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real BPF (root): a known TCP/UDP, IPv4/IPv6 workload on loopback from two child processes (and a
 * forked grandchild sharing the client's socket), captured by pkt.bpf.o and, at the same time, by
 * tcpdump. Fails (never skips) when BPF cannot load.
 */
class LivePacketKernelIT {
    @TempDir
    Path tmp;

    private static Process python(Path script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void everyPacketNamesItsProcessAndCountsMatchTcpdump() throws Exception {
        Path script = tmp.resolve("workload.py");
        try (InputStream in = getClass().getResourceAsStream("workload.py")) {
            Files.copy(in, script);
        }
        int base = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        String expr = "portrange " + base + "-" + (base + 3);
        Path td = tmp.resolve("td.pcap");
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-n", "-U", "-w", td.toString(), expr)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<CapturedPacket> got = new ArrayList<>();
        Path ours = tmp.resolve("ours.pcapng");
        long serverPid, clientPid, childPid = -1, lost;
        try (LivePacketSource src = LivePacketSource.open(new LivePacketSource.Config(65535, true, List.of(), List.of(),
                List.of("python3"), 0, 1 << 20, false)); // comm filter in the kernel: other traffic never leaves it
             PcapFilter ports = PcapFilter.compile(expr, LinkType.ETHERNET, 262144);
             PcapNgFileSink sink = new PcapNgFileSink(ours.toString(), 0, 0, 262144, expr, "wiretop test")) {
            Thread.sleep(1000); // tcpdump attached
            Process server = python(script, "server", String.valueOf(base));
            BufferedReader sout = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", sout.readLine());
            Process client = python(script, "client", String.valueOf(base));
            serverPid = server.pid();
            clientPid = client.pid();
            BufferedReader cout = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.currentTimeMillis() + 15000;
            for (String line; (line = cout.readLine()) != null && System.currentTimeMillis() < deadline; ) {
                if (line.startsWith("child ")) {
                    childPid = Long.parseLong(line.substring(6).trim());
                }
                while (src.poll(0, r -> collect(r.toPacket(), ports, got, sink)) > 0) {
                    // drain as we go so the ring never fills
                }
                if (line.equals("done")) {
                    break;
                }
            }
            assertEquals(0, client.waitFor());
            server.destroy();
            long end = System.currentTimeMillis() + 500;
            while (System.currentTimeMillis() < end) {
                src.poll(10, r -> collect(r.toPacket(), ports, got, sink));
            }
            lost = src.lost();
        }
        Thread.sleep(300);
        tcpdump.destroy();
        tcpdump.waitFor();

        assertTrue(childPid > 0, "the forked child reported its pid");
        Set<Integer> serverPorts = Set.of(base, base + 1, base + 2, base + 3);
        int out = 0, in = 0, fromChild = 0;
        long outBytes = 0, inBytes = 0;
        for (CapturedPacket p : got) {
            DecodedPacket d = p.decode();
            boolean toServer = serverPorts.contains(d.dstPort());
            boolean serverSide = (p.direction() == Direction.OUT) != toServer;
            long expected = serverSide ? serverPid : clientPid;
            String payload = new String(d.payload(), StandardCharsets.ISO_8859_1);
            if (payload.equals("from-child") && p.direction() == Direction.OUT && toServer) {
                expected = childPid;
                fromChild++;
            }
            String what = p.direction() + " " + d.protocolName() + " " + d.srcPort() + ">" + d.dstPort() + " '" + payload + "'";
            if (!(p.context().pid() == expected || (!serverSide && p.context().pid() == childPid))) {
                throw new AssertionError(what + " attributed to " + p.context().pid() + " (server " + serverPid
                        + ", client " + clientPid + ", child " + childPid + ")");
            }
            assertTrue(p.context().comm().startsWith("python3"), what + " comm " + p.context().comm());
            if (p.direction() == Direction.OUT) {
                out++;
                outBytes += p.origLen();
            } else {
                in++;
                inBytes += p.origLen();
            }
        }
        assertEquals(1, fromChild, "the child's packet is attributed to the child");
        assertEquals(0, lost, "no packet lost");

        int tdCount = 0;
        long tdBytes = 0;
        try (PcapReader r = new PcapReader(Files.newInputStream(td))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                tdCount++;
                tdBytes += p.origLen();
            }
        }
        assertTrue(tdCount > 40, "tcpdump saw the workload: " + tdCount);
        // on lo every packet leaves one socket and enters another: tcpdump keeps one copy of each
        assertEquals(tdCount, out, "egress packets = tcpdump's packets");
        assertEquals(tdCount, in, "ingress packets = tcpdump's packets");
        assertEquals(tdBytes, outBytes, "egress bytes = tcpdump's bytes");
        assertEquals(tdBytes, inBytes, "ingress bytes = tcpdump's bytes");

        // tshark shows the comments with the right pid and command
        Process ts = new ProcessBuilder("tshark", "-r", ours.toString(), "-T", "fields", "-e", "frame.comment")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> comments = List.of(new String(ts.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertEquals(0, ts.waitFor());
        assertEquals(got.size(), comments.size());
        for (int i = 0; i < got.size(); i++) {
            assertTrue(comments.get(i).startsWith("PID: " + got.get(i).context().pid() + "\\nCmd: "), comments.get(i));
            assertTrue(comments.get(i).contains("python3"), comments.get(i));
        }

        // a filter expression selects exactly what tcpdump selects
        String tcp6 = "ip6 and tcp and port " + (base + 1);
        int oursSelected = 0;
        try (PcapFilter f = PcapFilter.compile(tcp6, LinkType.ETHERNET, 262144)) {
            for (CapturedPacket p : got) {
                if (p.direction() == Direction.OUT && f.matches(p.data(), p.origLen())) {
                    oursSelected++;
                }
            }
        }
        Process sel = new ProcessBuilder("tcpdump", "-n", "-r", td.toString(), tcp6)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long tdSelected = new String(sel.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
        sel.waitFor();
        assertTrue(tdSelected > 5);
        assertEquals(tdSelected, oursSelected, tcp6);
    }

    private static void collect(CapturedPacket p, PcapFilter ports, List<CapturedPacket> got, PcapNgFileSink sink) {
        if (p.ifName().equals("lo") && ports.matches(p.data(), p.origLen())) {
            got.add(p);
            sink.write(p);
        }
    }
}
