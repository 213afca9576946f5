// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import io.wiretop.trace.CaptureFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which reader a trace file goes to, from its first bytes: .scap and pcapng share their first block. */
class TraceFeedsTest {
    @TempDir
    Path tmp;

    private static Path fixture() {
        String shared = System.getenv().getOrDefault("WIRETOP_SHARED", "../shared");
        Path p = Path.of(shared, "fixtures", "scap", "curl_google.scap");
        assertTrue(Files.isRegularFile(p), p.toAbsolutePath() + " missing: shared/ must sit beside the project");
        return p;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TraceFeedsTest.class.getResource("/io/wiretop/trace/pcap/" + name).toURI());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void aScapCaptureGzipOrPlainGoesToTheScapReader() throws IOException {
        byte[] gz = Files.readAllBytes(fixture());
        assertEquals(TraceFeeds.Format.SCAP, TraceFeeds.formatOf(fixture()), "sysdig -z: gzip");
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            plain = in.readAllBytes();
        }
        assertEquals(0x0a, plain[0], "the plain file starts with the section header pcapng has too");
        assertEquals(TraceFeeds.Format.SCAP, TraceFeeds.formatOf(write("plain.scap", plain)),
                "the machine-info block after the section header is .scap's");
    }

    @Test
    void aBareScapSectionHeaderIsAnEmptyScap() throws IOException {
        byte[] shb = hex("0a0d0d0a 1c000000 4d3c2b1a 0100 0200 ffffffffffffffff 1c000000");
        assertEquals(TraceFeeds.Format.SCAP, TraceFeeds.formatOf(write("empty.scap", shb)));
    }

    @Test
    void packetCapturesGoToThePacketReader() throws Exception {
        assertEquals(TraceFeeds.Format.PACKETS, TraceFeeds.formatOf(resource("sample-lo.pcapng")),
                "an interface block after the section header");
        assertEquals(TraceFeeds.Format.PACKETS, TraceFeeds.formatOf(resource("sample-lo.pcap")), "classic pcap");
        // a big-endian pcapng section, then an interface description block: .scap is little-endian only
        byte[] be = hex("0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c"
                + "00000001 00000014 0001 0000 00040000 00000014");
        assertEquals(TraceFeeds.Format.PACKETS, TraceFeeds.formatOf(write("be.pcapng", be)));
    }

    @Test
    void aPacketCaptureReplaysThroughThePacketFeed() throws Exception {
        for (String name : new String[]{"sample-lo.pcapng", "sample-lo.pcap"}) {
            try (io.wiretop.engine.Feed f = TraceFeeds.open(resource(name), 0)) {
                assertEquals(io.wiretop.trace.pcap.PcapNgFeed.class, f.getClass(), name);
                assertEquals(false, f.net(), "a packet file has no NET counts");
                assertEquals(true, f.label().contains(" pkts, "), f.label());
            }
        }
        try (io.wiretop.engine.Feed f = TraceFeeds.open(fixture(), 0)) {
            assertEquals(io.wiretop.trace.replay.ScapFeed.class, f.getClass());
        }
    }

    @Test
    void whatCannotBeOpenedOrIsNoTraceIsOneLineAtOffsetZero() throws IOException {
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> TraceFeeds.open(tmp, 0));
        assertEquals("offset 0: a directory, not a capture file", e.getMessage());
        e = assertThrows(CaptureFileException.class, () -> TraceFeeds.open(tmp.resolve("none.scap"), 0));
        assertEquals("offset 0: no such file", e.getMessage());
        e = assertThrows(CaptureFileException.class, () -> TraceFeeds.open(write("t.txt", "hello world\n".getBytes()), 0));
        assertEquals("offset 0: unknown file format (magic 0x68656c6c): not a pcap or pcapng capture", e.getMessage());
    }
}
