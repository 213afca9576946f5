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
 * `wiretop capture -i DEV` takes packets from tc hooks on DEV, so it also sees traffic that no
 * socket of the host owns: here the host routes a TCP connection between two network namespaces
 * of the test's own (client in A, server in B). On the host's veth towards A, every packet of that
 * connection must be captured (the same packets and bytes as tcpdump on that device) and
 * attributed, by flow, to the client or the server process, though neither runs in the host's
 * namespace. The tcx links must be gone when the capture ends.
 */
class CaptureTcKernelIT {
    private static final Pattern EPB = Pattern.compile("^(\\d+)\t(\\d+)\t(.*)$");

    private static String sh(String... cmd) throws Exception {
        return KernelHarness.sh(30, cmd);
    }

    private static void quietly(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // cleanup of something that may not exist
        }
    }

    @Test
    void forwardedTrafficIsCapturedOnTheDeviceAndAttributedByFlow() throws Exception {
        KernelHarness.requireRoot();
        long me = ProcessHandle.current().pid() % 100000;
        String nsA = "wtca" + me, nsB = "wtcb" + me, hostA = "wtha" + me, hostB = "wthb" + me;
        int port = 30000 + (int) (me % 20000);
        Path dir = KernelHarness.workDir();
        Path ours = dir.resolve("tc-wiretop.pcapng"), theirs = dir.resolve("tc-tcpdump.pcap");
        String forward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        Process cap = null, dump = null;
        try {
            for (String[] side : new String[][]{{nsA, hostA, "1"}, {nsB, hostB, "2"}}) {
                sh("ip", "netns", "add", side[0]);
                sh("ip", "link", "add", side[1], "type", "veth", "peer", "name", "eth0", "netns", side[0]);
                sh("ip", "addr", "add", "10.213." + side[2] + ".1/24", "dev", side[1]);
                sh("ip", "link", "set", side[1], "up");
                sh("ip", "-n", side[0], "addr", "add", "10.213." + side[2] + ".2/24", "dev", "eth0");
                sh("ip", "-n", side[0], "link", "set", "eth0", "up");
                sh("ip", "-n", side[0], "link", "set", "lo", "up");
                sh("ip", "-n", side[0], "route", "add", "default", "via", "10.213." + side[2] + ".1");
            }
            sh("sysctl", "-qw", "net.ipv4.ip_forward=1");

            String expr = "tcp port " + port;
            cap = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "capture", "-i", hostA, "-w",
                    ours.toString(), expr).redirectError(dir.resolve("tc-capture.err").toFile()).start();
            dump = new ProcessBuilder("tcpdump", "-i", hostA, "-n", "-B", "8192", "-w", theirs.toString(), expr)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(4000); // JVM start and BPF attach; tcpdump's socket
            // two tcx links (bpftool 7.1 names their type 11), held by the capture's process
            java.util.Set<Long> held = KernelHarness.owned(cap.pid()).links();
            Matcher tcx = Pattern.compile("(?m)^(\\d+): (?:tcx|type 11)\\b").matcher(sh("bpftool", "link", "show"));
            java.util.Set<Long> tcxLinks = new java.util.HashSet<>();
            while (tcx.find()) {
                tcxLinks.add(Long.parseLong(tcx.group(1)));
            }
            tcxLinks.retainAll(held);
            assertEquals(2, tcxLinks.size(), "tcx ingress and egress links held by the capture");

            Process server = new ProcessBuilder("ip", "netns", "exec", nsB, "python3", "-c",
                    "import os,socket\n"
                            + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                            + "s.bind(('10.213.2.2'," + port + ")); s.listen(1); print(os.getpid(), flush=True)\n"
                            + "c,_=s.accept(); n=0\n"
                            + "while True:\n  b=c.recv(65536)\n  if not b: break\n  n+=len(b)\n"
                            + "c.sendall(b'k'*1000); c.close(); print(n, flush=True)\n").start();
            var serverOut = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            long serverPid = Long.parseLong(serverOut.readLine().trim());
            String client = sh("ip", "netns", "exec", nsA, "python3", "-c",
                    "import os,socket\n"
                            + "c=socket.create_connection(('10.213.2.2'," + port + ")); print(os.getpid(), flush=True)\n"
                            + "c.sendall(b'x'*300000); c.shutdown(socket.SHUT_WR)\n"
                            + "n=0\nwhile True:\n  b=c.recv(65536)\n  if not b: break\n  n+=len(b)\nprint(n)\n");
            long clientPid = Long.parseLong(client.lines().findFirst().orElseThrow().trim());
            assertEquals("300000", serverOut.readLine().trim());
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));
            Thread.sleep(1500);

            new ProcessBuilder("kill", "-TERM", Long.toString(cap.pid())).start().waitFor();
            assertTrue(cap.waitFor(20, TimeUnit.SECONDS));
            String err = Files.readString(dir.resolve("tc-capture.err"));
            assertTrue(cap.exitValue() == 0 && err.contains("packets captured"), "ended by SIGTERM after its summary, exit 0 as tcpdump: " + err);
            new ProcessBuilder("kill", "-INT", Long.toString(dump.pid())).start().waitFor();
            assertTrue(dump.waitFor(20, TimeUnit.SECONDS));

            // frames and their lengths, as tshark reads each file
            List<String[]> mine = frames(ours), tcpdump = frames(theirs);
            assertTrue(tcpdump.size() > 10, "tcpdump saw the connection: " + tcpdump.size() + " frames");
            assertEquals(tcpdump.size(), mine.size(), "the same packets as tcpdump on " + hostA);
            assertEquals(tcpdump.stream().mapToLong(f -> Long.parseLong(f[1])).sum(),
                    mine.stream().mapToLong(f -> Long.parseLong(f[1])).sum(), "the same bytes as tcpdump");
            for (String[] f : mine) {
                assertTrue(f[2].contains("PID: " + clientPid) || f[2].contains("PID: " + serverPid),
                        "frame " + f[0] + " attributed to the client (" + clientPid + ") or the server (" + serverPid
                                + "): " + f[2]);
            }
            // the capture's links went with it
            java.util.Set<Long> left = new java.util.HashSet<>(KernelHarness.links());
            left.retainAll(tcxLinks);
            assertTrue(left.isEmpty(), "tcx links left after the capture ended: " + left);
        } finally {
            if (cap != null) {
                cap.destroyForcibly();
            }
            if (dump != null) {
                dump.destroyForcibly();
            }
            quietly("sysctl", "-qw", "net.ipv4.ip_forward=" + forward);
            quietly("ip", "link", "del", hostA);
            quietly("ip", "link", "del", hostB);
            quietly("ip", "netns", "del", nsA);
            quietly("ip", "netns", "del", nsB);
        }
    }

    /** (number, frame length, comments) of every frame of a capture file. */
    private static List<String[]> frames(Path file) throws Exception {
        String out = sh("tshark", "-r", file.toString(), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;",
                "-e", "frame.number", "-e", "frame.len", "-e", "frame.comment");
        List<String[]> r = new ArrayList<>();
        for (String l : out.split("\n")) {
            Matcher m = EPB.matcher(l + (l.chars().filter(c -> c == '\t').count() == 1 ? "\t" : ""));
            if (m.matches()) {
                r.add(new String[]{m.group(1), m.group(2), m.group(3)});
            }
        }
        return r;
    }
}
