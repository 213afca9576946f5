// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.decode.TcpdumpParityTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes PcapNG with process comments and checks it with tshark, tcpdump, capinfos and our reader. */
class PcapNgWriterTest {
    @TempDir
    Path tmp;
    private final List<CapturedPacket> source = new ArrayList<>();
    private Path out;
    private Path original;

    static final ProcessContext CURL = new ProcessContext(4242, "/usr/bin/curl", "curl -s http://127.0.0.1:8080/",
            4243, "curl-worker", 1000, 77, "/usr/bin/bash", "-bash", null, null, null, null);

    @BeforeEach
    void write() throws IOException {
        original = TcpdumpParityTest.sample(tmp);
        try (PcapReader r = new PcapReader(Files.newInputStream(original))) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                source.add(p);
            }
        }
        out = tmp.resolve("ctx.pcapng");
        try (PcapNgWriter w = new PcapNgWriter(Files.newOutputStream(out), "wiretop test")) {
            int lo = w.addInterface("lo", LinkType.ETHERNET, 262144,
                    "ifIndex: 1, netNsInode: 4026531840, netNsPath: /proc/self/ns/net", "tcp or udp");
            for (int i = 0; i < source.size(); i++) {
                CapturedPacket p = source.get(i);
                ProcessContext ctx = i % 3 == 2 ? ProcessContext.NONE : CURL;
                Direction d = i % 2 == 0 ? Direction.OUT : Direction.IN;
                w.write(lo, p.tsNanos(), p.data(), 0, p.data().length, p.origLen(), d, ctx.comments());
            }
        }
    }

    private static List<String> run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed");
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    void capinfosFindsAWellFormedFile() throws Exception {
        String info = String.join("\n", run("capinfos", "-M", out.toString()));
        assertTrue(info.contains("pcapng"), info);
        assertTrue(info.contains("Number of packets:   " + source.size()), info);
        assertTrue(info.contains("Time precision = nanoseconds (9)"), info);
    }

    @Test
    void tcpdumpReadsTheSamePacketsAsFromTheOriginal() throws Exception {
        List<String> fromOriginal = TcpdumpParityTest.tcpdump(original);
        List<String> fromOurs = TcpdumpParityTest.tcpdump(out);
        assertEquals(fromOriginal, fromOurs);
    }

    @Test
    void tsharkShowsCommentsAndDirections() throws Exception {
        List<String> rows = run("tshark", "-r", out.toString(), "-T", "fields", "-E", "separator=|",
                "-e", "frame.number", "-e", "frame.packet_flags_direction", "-e", "frame.comment");
        assertEquals(source.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).split("\\|", -1);
            assertEquals(String.valueOf(i + 1), f[0]);
            assertEquals(i % 2 == 0 ? "0x00000002" : "0x00000001", f[1], rows.get(i));
            if (i % 3 == 2) {
                assertEquals("", f[2]);
            } else {
                // tshark joins several comments with ","; newlines inside one comment print as \n
                assertTrue(f[2].startsWith("PID: 4242\\nCmd: /usr/bin/curl\\nArgs: curl -s http://127.0.0.1:8080/"), f[2]);
                assertTrue(f[2].contains("ThreadId: 4243\\nThreadName: curl-worker"), f[2]);
                assertTrue(f[2].contains("UserId: 1000"), f[2]);
                assertTrue(f[2].contains("ParentPID: 77\\nParentCmd: /usr/bin/bash\\nParentArgs: -bash"), f[2]);
            }
        }
    }

    @Test
    void readerRestoresEverything() throws Exception {
        try (PcapReader r = new PcapReader(Files.newInputStream(out))) {
            for (int i = 0; i < source.size(); i++) {
                CapturedPacket p = r.next();
                CapturedPacket s = source.get(i);
                assertEquals(s.tsNanos(), p.tsNanos());
                assertArrayEquals(s.data(), p.data());
                assertEquals(s.origLen(), p.origLen());
                assertEquals("lo", p.ifName());
                assertEquals(i % 2 == 0 ? Direction.OUT : Direction.IN, p.direction());
                assertEquals(i % 3 == 2 ? ProcessContext.NONE : CURL, p.context());
            }
            assertNull(r.next());
        }
    }
}
