// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.CaptureFileException;
import io.wiretop.engine.Demand;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.BadFiles;
import io.wiretop.trace.FeedRun;
import io.wiretop.trace.replay.ScapFeed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad .scap files made from the real fixtures and opened from disk as a replay opens them: each
 * ends in one line naming the file, the offset and what is wrong, after every event before the
 * damage, never a stack trace or a hang.
 */
class ScapBadFilesTest {
    private static final byte[] PLAIN = ScapFixtures.plain("curl_google");
    private static final List<Integer> BLOCKS = ScapFixtures.blockOffsets(PLAIN);
    @TempDir
    Path dir;

    /** Events read and the error that ended the read (null: the whole file). */
    record Outcome(int events, CaptureFileException error) {
    }

    private Outcome read(Path f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            int n = 0;
            try (ScapReader r = ScapReader.open(f)) {
                while (r.next() != null) {
                    n++;
                }
                return new Outcome(n, null);
            } catch (CaptureFileException e) {
                return new Outcome(n, e);
            }
        });
    }

    private Path file(String name, byte[] b) throws IOException {
        return Files.write(dir.resolve(name), b);
    }

    /** The k-th event block (from 0) and how many events come before it. */
    private static int eventBlock(int k) {
        int seen = 0;
        for (int at : BLOCKS) {
            if (BlockType.isEvent(Le.i32(PLAIN, at)) && seen++ == k) {
                return at;
            }
        }
        throw new AssertionError("fewer than " + (k + 1) + " events");
    }

    private static int length(byte[] b, int at) {
        return Le.i32(b, at + 4);
    }

    private void damagedAt(byte[] b, int block, int eventsBefore, String reason) throws IOException {
        Path f = file("damaged.scap", b);
        Outcome o = read(f);
        assertNotNull(o.error(), "no error after " + o.events() + " events");
        assertEquals(eventsBefore, o.events(), o.error().getMessage());
        BadFiles.assertOneLine(f, o.error(), block, reason);
    }

    @Test
    void theWholeFixtureReads() throws IOException {
        Outcome o = read(file("sound.scap", PLAIN));
        assertEquals(null, o.error());
        assertTrue(o.events() > 100, o.events() + " events");
    }

    @Test
    void aFileCutInsideAnEventGivesTheEventsBeforeIt() throws IOException {
        int at = eventBlock(50);
        damagedAt(Arrays.copyOf(PLAIN, at + 20), at, 50, "cut short");
    }

    @Test
    void theFeedShowsTheEventsBeforeACutThenItsOneLine() throws Exception {
        int at = eventBlock(50);
        Path f = file("cut.scap", Arrays.copyOf(PLAIN, at + 20));
        FeedRun.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (ScapFeed feed = ScapFeed.open(f, 0)) {
                return FeedRun.run(feed, Demand.NONE);
            }
        });
        assertEquals(1, r.snapshots().size(), "the interval of the 50 events before the cut");
        assertTrue(!r.last().sources().get(Snapshot.PROCESSES).isEmpty());
        BadFiles.assertOneLine(f, r.error(), at, "cut short");
    }

    @Test
    void aGarbledTimestampCostsTheFeedOneIntervalNotBillions() throws Exception {
        byte[] b = PLAIN.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(eventBlock(0) + 8, 0); // the first event at 1970
        Path f = file("epoch.scap", b);
        FeedRun.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (ScapFeed feed = ScapFeed.open(f, 1_000_000_000L)) {
                return FeedRun.run(feed, Demand.NONE);
            }
        });
        assertEquals(null, r.error());
        assertTrue(r.snapshots().size() < 100, r.snapshots().size() + " intervals");
    }

    @Test
    void aTrailerThatDisagreesWithItsBlockLength() throws IOException {
        int at = eventBlock(20);
        byte[] b = PLAIN.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at + length(b, at) - 4, length(b, at) + 8);
        damagedAt(b, at, 20, "length");
    }

    @Test
    void aBigEndianSectionHeader() throws IOException {
        byte[] b = PLAIN.clone();
        ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).putInt(8, BlockType.SHB_MAGIC);
        damagedAt(b, 0, 0, "big-endian");
    }

    @Test
    void anUnknownVersion() throws IOException {
        byte[] b = PLAIN.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(12, (short) 2);
        damagedAt(b, 0, 0, "version 2.");
    }

    @Test
    void anUnknownBlockAfterTheEvents() throws IOException {
        int at = eventBlock(30);
        byte[] b = PLAIN.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 0x7777);
        damagedAt(b, at, 30, "block of type 0x7777");
    }

    @Test
    void aGzipFileCutShortGivesTheEventsItHolds() throws IOException {
        byte[] z = ScapFixtures.gzipped("curl_google");
        Path f = file("cut.scap.gz", Arrays.copyOf(z, z.length / 2));
        Outcome o = read(f);
        assertNotNull(o.error());
        assertTrue(o.events() > 0, "events before the cut");
        String line = BadFiles.assertOneLine(f, o.error(), o.error().offset(), "gzip");
        assertTrue(line.contains("of the gunzipped data"), line);
    }

    @Test
    void anEmptyFileADirectoryAndAMissingFile() throws IOException {
        Path empty = file("empty.scap", new byte[0]);
        BadFiles.assertOneLine(empty, assertThrows(CaptureFileException.class, () -> ScapReader.open(empty)), 0,
                "empty file");
        Path d = Files.createDirectory(dir.resolve("d.scap"));
        BadFiles.assertOneLine(d, assertThrows(CaptureFileException.class, () -> ScapReader.open(d)), 0,
                "a directory");
        Path missing = dir.resolve("missing.scap");
        BadFiles.assertOneLine(missing, assertThrows(CaptureFileException.class, () -> ScapReader.open(missing)), 0,
                "no such file");
    }

    @Test
    void aRefusedFileIsClosedAgain() throws Exception {
        Path f = file("notacapture.scap", "hello, not a capture at all".getBytes());
        Path z = file("cut.scap.gz", Arrays.copyOf(ScapFixtures.gzipped("curl_google"), 5));
        long before = openFiles();
        for (int i = 0; i < 100; i++) {
            assertThrows(CaptureFileException.class, () -> ScapReader.open(f));
            assertThrows(CaptureFileException.class, () -> ScapReader.open(z));
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
        assertEquals(f + ": offset 0: permission denied", BadFiles.problemAsUnprivileged("scap", f));
    }
}
