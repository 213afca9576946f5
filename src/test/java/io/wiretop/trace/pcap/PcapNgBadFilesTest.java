// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.engine.Demand;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.decode.Direction;
import io.wiretop.trace.BadFiles;
import io.wiretop.trace.FeedRun;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad packet files at the feed: each ends in one line naming the file, the offset and what is
 * wrong, never a stack trace or a hang, and the packets before the damage still give rows.
 */
class PcapNgBadFilesTest {
    private static final List<String> CTX = List.of("PID: 42\nCmd: /usr/bin/curl\nArgs: curl x");
    @TempDir
    Path dir;

    /** A sound pcapng of three 100-byte-IP packets of pid 42, 1 ms apart. */
    static byte[] sound() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter w = new PcapNgWriter(out, "wiretop test")) {
            int lo = w.addInterface("lo", 1, 262144, null, null);
            for (int i = 0; i < 3; i++) {
                byte[] f = Frames.tcp4(Frames.ip(127, 0, 0, 1), 5000, Frames.ip(127, 0, 0, 1), 80, 0x18, 60);
                w.write(lo, 1_700_000_000_000_000_000L + i * 1_000_000L, f, 0, f.length, f.length, Direction.OUT, CTX);
            }
        }
        return out.toByteArray();
    }

    /** Offsets of the blocks of a little-endian pcapng. */
    static List<Integer> blocks(byte[] b) {
        List<Integer> r = new ArrayList<>();
        for (int at = 0; at + 12 <= b.length; at += ByteBuffer.wrap(b, at + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
            r.add(at);
        }
        return r;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Replays a file the feed accepted: the rows before the damage, then its error. */
    private FeedRun.Result replay(Path f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (PcapNgFeed feed = PcapNgFeed.open(f, 0)) {
                return FeedRun.run(feed, Demand.NONE);
            }
        });
    }

    private String refused(Path f, long offset, String reason) {
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> PcapNgFeed.open(f, 0));
        return BadFiles.assertOneLine(f, e, offset, reason);
    }

    private static long wireOut(Snapshot s) {
        return s.sources().get(Snapshot.PROCESSES).stream().map(ProcessRow.class::cast).filter(p -> p.pid() == 42)
                .findFirst().orElseThrow().wireOut();
    }

    @Test
    void aFileCutInsideItsThirdPacketGivesTheTwoBeforeThenTheOffsetOfTheCutBlock() throws Exception {
        byte[] b = sound();
        int third = blocks(b).get(4); // SHB, IDB, EPB, EPB, EPB
        Path f = file("cut.pcapng", Arrays.copyOf(b, third + 30));
        FeedRun.Result r = replay(f);
        assertEquals(1, r.snapshots().size());
        assertEquals(2 * 100, wireOut(r.last()), "the two whole packets are counted");
        assertNotNull(r.error());
        BadFiles.assertOneLine(f, r.error(), third, "cut short");
    }

    @Test
    void theErrorComesOnceAfterTheIntervalsOfTheGoodPacketsThenTheEnd() throws Exception {
        byte[] b = sound();
        int third = blocks(b).get(4);
        try (PcapNgFeed feed = PcapNgFeed.open(file("cut1ms.pcapng", Arrays.copyOf(b, third + 30)), 1_000_000L)) {
            feed.start();
            assertNotNull(feed.next(Demand.NONE), "[0, 1 ms): the first packet");
            assertNotNull(feed.next(Demand.NONE), "[1 ms, 2 ms): the second");
            CaptureFileException e = assertThrows(CaptureFileException.class, () -> feed.next(Demand.NONE));
            assertEquals(third, e.offset());
            assertNull(feed.next(Demand.NONE), "then the end");
        }
    }

    @Test
    void aCorruptedBlockLengthGivesThePacketsBeforeItThenItsOffset() throws Exception {
        byte[] b = sound();
        int second = blocks(b).get(3);
        int len = ByteBuffer.wrap(b, second + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(second + len - 4, len + 4); // trailer disagrees
        Path f = file("corrupt.pcapng", b);
        FeedRun.Result r = replay(f);
        assertEquals(100, wireOut(r.last()));
        BadFiles.assertOneLine(f, r.error(), second, "length");
    }

    @Test
    void aWrongByteOrderMagicIsRefusedAtTheSectionHeader() throws Exception {
        byte[] b = sound();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x12345678);
        refused(file("order.pcapng", b), 0, "byte-order");
    }

    @Test
    void anUnknownVersionIsRefused() throws Exception {
        byte[] b = sound();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(12, (short) 2);
        refused(file("version.pcapng", b), 0, "version 2.0 is not supported");
    }

    @Test
    void aPacketOfAnUndeclaredInterfaceIsAnErrorAfterThePacketsBeforeIt() throws Exception {
        byte[] b = sound();
        int third = blocks(b).get(4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(third + 8, 7); // interface id 7 of 1
        Path f = file("iface.pcapng", b);
        FeedRun.Result r = replay(f);
        assertEquals(200, wireOut(r.last()));
        BadFiles.assertOneLine(f, r.error(), third, "interface 7 is not declared");
    }

    @Test
    void aGzippedCaptureIsNamedForWhatItIsNot() throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(sound());
        }
        refused(file("z.pcapng.gz", Arrays.copyOf(z.toByteArray(), z.size() / 2)), 0, "not a pcap or pcapng capture");
    }

    @Test
    void anEmptyFileADirectoryAndAMissingFileAreOneLineEach() throws Exception {
        refused(file("empty.pcapng", new byte[0]), 0, "empty file");
        refused(Files.createDirectory(dir.resolve("d.pcapng")), 0, "a directory");
        refused(dir.resolve("missing.pcapng"), 0, "no such file");
    }

    @Test
    void aRefusedFileIsClosedAgain() throws Exception {
        Path f = file("notacapture.pcapng", "hello, not a capture at all".getBytes());
        long before = openFiles();
        for (int i = 0; i < 200; i++) {
            assertThrows(CaptureFileException.class, () -> PcapNgFeed.open(f, 0));
        }
        assertTrue(openFiles() - before < 20, "descriptors left open: " + (openFiles() - before));
    }

    @Test
    void aClosedFeedReleasesItsFile() throws Exception {
        Path f = file("sound.pcapng", sound());
        long before = openFiles();
        for (int i = 0; i < 200; i++) {
            PcapNgFeed.open(f, 0).close();
        }
        assertTrue(openFiles() - before < 20, "descriptors left open: " + (openFiles() - before));
    }

    private static long openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void aFileThatMayNotBeReadSaysSo() throws Exception {
        Path f = BadFiles.unreadable(dir);
        assertEquals(f + ": offset 0: permission denied", BadFiles.problemAsUnprivileged("pcapng", f));
    }

    @Test
    void aHeaderWithoutPacketsIsOneEmptyIntervalThenTheEnd() throws Exception {
        byte[] b = sound();
        Path f = file("nopackets.pcapng", Arrays.copyOf(b, blocks(b).get(2)));
        FeedRun.Result r = replay(f);
        assertNull(r.error());
        assertEquals(1, r.snapshots().size());
        assertEquals(List.of(), r.last().sources().get(Snapshot.PROCESSES));
    }

    @Test
    void aClassicPcapFileReplaysUnderTheUnattributedProcess() throws Exception {
        byte[] pcap;
        try (InputStream in = PcapNgBadFilesTest.class.getResourceAsStream("/io/wiretop/trace/pcap/sample-lo.pcap")) {
            pcap = in.readAllBytes();
        }
        Path f = file("sample.pcap", pcap);
        FeedRun.Result r = replay(f);
        assertNull(r.error());
        List<ProcessRow> procs = r.last().sources().get(Snapshot.PROCESSES).stream().map(ProcessRow.class::cast).toList();
        assertEquals(1, procs.size(), procs.toString());
        assertEquals(List.of(0L, "[unattributed]"), List.of(procs.get(0).pid(), procs.get(0).comm()));
        assertEquals(false, r.last().sources().get(Snapshot.CONNECTIONS).isEmpty());
    }
}
