// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.pcap.PcapReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares the decoder + formatter with the real tcpdump on a recorded loopback capture
 * (TCP/HTTP, DNS, UDP, ICMP errors, IPv6 TCP, ICMP and ICMPv6 echo; see /io/wiretop/trace/pcap/gen_traffic.py).
 */
public class TcpdumpParityTest {
    @TempDir
    Path tmp;

    /** The sample capture, copied into {@code dir}. */
    public static Path sample(Path dir) throws IOException {
        Path p = dir.resolve("sample-lo.pcap");
        try (InputStream in = TcpdumpParityTest.class.getResourceAsStream("/io/wiretop/trace/pcap/sample-lo.pcap")) {
            Files.copy(in, p);
        }
        return p;
    }

    /** What the real tcpdump prints for a file (UTC), one packet a line. */
    public static List<String> tcpdump(Path file, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-n", "-r", file.toString()));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "tcpdump failed");
        return List.of(out.split("\n", -1));
    }

    static List<String> ours(Path file, PacketPrinter.Options o, boolean stripEthernet) throws IOException {
        List<String> lines = new ArrayList<>();
        PacketPrinter pr = new PacketPrinter(o);
        try (PcapReader r = new PcapReader(Files.newInputStream(file))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                if (stripEthernet) {
                    byte[] raw = java.util.Arrays.copyOfRange(p.data(), 14, p.data().length);
                    p = new CapturedPacket(p.tsNanos(), "", LinkType.RAW, raw, p.origLen() - 14, p.direction(),
                            p.context(), p.comments());
                }
                lines.addAll(List.of(pr.format(p).split("\n", -1)));
            }
        }
        lines.add("");
        return lines;
    }

    private static PacketPrinter.Options opts(boolean x, boolean a) {
        return new PacketPrinter.Options(false, x, a, false, ZoneId.of("UTC"));
    }

    @Test
    void oneLineDecodeEqualsTcpdump() throws Exception {
        Path f = sample(tmp);
        List<String> expected = tcpdump(f);
        assertTrue(expected.size() > 25, "sample has the whole traffic mix");
        assertEquals(expected, ours(f, opts(false, false), false));
    }

    @Test
    void rawIpPacketsDecodeLikeEthernetFrames() throws Exception {
        Path f = sample(tmp);
        assertEquals(tcpdump(f), ours(f, opts(false, false), true));
    }

    @Test
    void hexAsciiDumpEqualsTcpdumpX() throws Exception {
        Path f = sample(tmp);
        assertEquals(tcpdump(f, "-X"), ours(f, opts(true, false), false));
    }

    @Test
    void asciiDumpEqualsTcpdumpA() throws Exception {
        Path f = sample(tmp);
        assertEquals(tcpdump(f, "-A"), ours(f, opts(false, true), false));
    }

    @Test
    void absoluteSequenceNumbersEqualTcpdumpS() throws Exception {
        Path f = sample(tmp);
        assertEquals(tcpdump(f, "-S"), ours(f, new PacketPrinter.Options(false, false, false, true, ZoneId.of("UTC")), false));
    }
}
