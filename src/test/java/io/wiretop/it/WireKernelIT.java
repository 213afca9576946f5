// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WIRE beside NET: the bytes on the wire per process equal what tcpdump records for that
 * process's packets (IP headers included), and exceed the payload NET counts.
 */
class WireKernelIT {
    @Test
    void wireBytesPerProcessEqualTcpdumpsPacketLengths() throws Exception {
        KernelHarness.requireRoot();
        KernelHarness.workload();
        Path pcap = KernelHarness.workDir().resolve("wire.pcap");
        Files.deleteIfExists(pcap);
        int port = 20000 + new java.util.Random().nextInt(10000);
        // only this test's port: other loopback traffic must not make tcpdump drop packets
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-n", "-Z", "root", "--immediate-mode", "-U", "-s", "128", "-B", "65536",
                "-w", pcap.toString(), "tcp port " + port)
                .redirectErrorStream(true).start();
        try (KernelHarness.Wiretop w = new KernelHarness.Wiretop("--json", "--wire", "-d", "300")) {
            w.awaitIntervals(1, 30_000);
            Thread.sleep(500); // tcpdump is listening by now
            List<KernelHarness.Moved> moved = KernelHarness.runWorkload(java.util.Map.of("WORKLOAD_PORT",
                    Integer.toString(port)), "tcp", "4", "2000000", "16384");
            w.awaitIntervals(2, 10_000);
            Thread.sleep(1000); // let tcpdump write what it has
            new ProcessBuilder("kill", "-INT", Long.toString(tcpdump.pid())).start().waitFor();
            assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS));
            String stats = new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(Pattern.compile("(?m)^0 packets dropped by kernel").matcher(stats).find(), "tcpdump lost packets: " + stats);
            long[] ports = ports(KernelHarness.lastOutput());
            KernelHarness.Moved client = moved.stream().filter(m -> m.role().equals("client")).findFirst().orElseThrow();
            long out = ipBytes(pcap, "tcp.srcport==" + ports[0] + " && tcp.dstport==" + ports[1]);
            long in = ipBytes(pcap, "tcp.srcport==" + ports[1] + " && tcp.dstport==" + ports[0]);
            assertTrue(out > 2_000_000, "tcpdump saw the transfer: " + out);
            assertEquals(out, w.sum(client.pid(), "wire_bytes_out"), "WIRE out of the client = tcpdump's IP bytes");
            assertEquals(in, w.sum(client.pid(), "wire_bytes_in"), "WIRE in of the client = tcpdump's IP bytes");
            assertEquals(2_000_000, w.sum(client.pid(), "net_bytes_out"), "NET stays payload only");
        } finally {
            tcpdump.destroy();
        }
    }

    private static long[] ports(String workloadOutput) {
        Matcher m = Pattern.compile("ports client=(\\d+) server=(\\d+)").matcher(workloadOutput);
        assertTrue(m.find(), "workload printed its ports: " + workloadOutput);
        return new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    /**
     * Bytes from the IP header on of the packets a display filter selects, by tshark: the frame
     * length less the 14-byte Ethernet header (ip.len is 0 in BIG TCP packets over 64 KiB).
     */
    private static long ipBytes(Path pcap, String filter) throws Exception {
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields", "-e", "frame.len")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tshark failed");
        long sum = 0;
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                sum += Long.parseLong(l.strip()) - 14;
            }
        }
        return sum;
    }
}
