// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -C/-W rotation as tcpdump does it: file names, ring reuse, every file complete and readable. */
class PcapNgFileSinkTest {
    @TempDir
    Path tmp;

    private static CapturedPacket packet(int i) {
        byte[] data = new byte[200];
        data[12] = 0x08; // an Ethernet frame carrying IPv4, the rest zeros: enough for the writer
        data[0] = (byte) i;
        return new CapturedPacket(1_700_000_000_000_000_000L + i * 1000L, "lo", LinkType.ETHERNET, data, 200,
                Direction.OUT, ProcessContext.NONE, List.of("PID: 42\nCmd: test\nArgs: test " + i));
    }

    private static List<CapturedPacket> read(Path f) throws IOException {
        List<CapturedPacket> out = new ArrayList<>();
        try (PcapReader r = new PcapReader(Files.newInputStream(f))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void aCaptureWithoutPacketsIsStillAFileTcpdumpReads() throws Exception {
        Path f = tmp.resolve("empty.pcapng");
        new PcapNgFileSink(f.toString(), 0, 0, 262144, "udp port 1", "test").close();
        Process p = new ProcessBuilder("tcpdump", "-r", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(read(f).isEmpty());
    }

    @Test
    void withoutRotationOneFileHoldsEverything() throws Exception {
        Path f = tmp.resolve("all.pcapng");
        try (PcapNgFileSink s = new PcapNgFileSink(f.toString(), 0, 0, 262144, "", "test")) {
            for (int i = 0; i < 50; i++) {
                s.write(packet(i));
            }
        }
        assertEquals(50, read(f).size());
    }

    @Test
    void sizeRotationNumbersFilesLikeTcpdump() throws Exception {
        Path f = tmp.resolve("c.pcapng");
        try (PcapNgFileSink s = new PcapNgFileSink(f.toString(), 5_000, 0, 262144, "", "test")) {
            for (int i = 0; i < 100; i++) {
                s.write(packet(i));
            }
        }
        // tcpdump -C: name, name1, name2, ...; every file complete, no packet lost or repeated
        int total = 0;
        List<Integer> firstBytes = new ArrayList<>();
        for (int i = 0; ; i++) {
            Path part = tmp.resolve(i == 0 ? "c.pcapng" : "c.pcapng" + i);
            if (!Files.exists(part)) {
                assertTrue(i > 3, "rotated into several files, got " + i);
                break;
            }
            List<CapturedPacket> ps = read(part);
            assertFalse(ps.isEmpty(), part + " has packets");
            Process cap = new ProcessBuilder("capinfos", "-c", part.toString()).redirectErrorStream(true).start();
            String info = new String(cap.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, cap.waitFor(), "capinfos reads " + part + ": " + info);
            assertTrue(info.matches("(?s).*Number of packets:\\s+" + ps.size() + "\\b.*"), info);
            assertTrue(Files.size(part) < 5_000 + 1_000, part + " is cut near the size: " + Files.size(part));
            for (CapturedPacket p : ps) {
                firstBytes.add(p.data()[0] & 0xff);
            }
            total += ps.size();
        }
        assertEquals(100, total);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, firstBytes.get(i), "packets stay in order across files");
        }
    }

    @Test
    void fileCountMakesARingOfNames() throws Exception {
        Path f = tmp.resolve("w.pcapng");
        try (PcapNgFileSink s = new PcapNgFileSink(f.toString(), 5_000, 3, 262144, "", "test")) {
            for (int i = 0; i < 100; i++) {
                s.write(packet(i));
            }
        }
        // tcpdump -W 3: name0, name1, name2 reused in turn; nothing else is created
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("w.pcapng0", "w.pcapng1", "w.pcapng2"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        int newest = -1;
        for (int i = 0; i < 3; i++) {
            for (CapturedPacket p : read(tmp.resolve("w.pcapng" + i))) {
                newest = Math.max(newest, p.data()[0] & 0xff);
            }
        }
        assertEquals(99, newest, "the last packet is in the ring");
    }
}
