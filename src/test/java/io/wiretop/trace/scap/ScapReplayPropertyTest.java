// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.trace.CaptureFileException;
import io.wiretop.engine.Demand;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.FeedRun;
import io.wiretop.trace.TraceFiles;
import io.wiretop.trace.replay.ScapFeed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The fixtures gunzipped, damaged in ways that shift their structure (bytes deleted, repeated,
 * overwritten, blocks of one fixture spliced into another), optionally gzipped again and cut, then
 * replayed from disk as {@code wiretop -r} opens them: {@link ScapReader#open} and everything a
 * replay reads (each section's threads, fds and users, each event's parameters), and
 * {@link ScapFeed} through the aggregator (reader + fold). Every input ends
 * in events and at most one {@link CaptureFileException} whose one line names the file and an
 * offset, never another exception, never over a second.
 */
class ScapReplayPropertyTest {
    private static final List<byte[]> PLAIN = ScapFixtures.NAMES.stream().map(ScapFixtures::plain).toList();
    /** Where each fixture's events start: the state blocks before are most of a file's bytes. */
    private static final List<Integer> FIRST_EVENT = PLAIN.stream().map(b -> ScapFixtures.blockOffsets(b).stream()
            .filter(at -> BlockType.isEvent(Le.i32(b, at))).findFirst().orElseThrow()).toList();
    private static final Path DIR;
    private static int files;

    static {
        try {
            DIR = Files.createTempDirectory("wiretop-scap-prop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var s = Files.list(DIR)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(DIR);
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Replays a file from disk within a second: events read, and the error if one ended it. */
    static void replay(byte[] bytes) throws IOException {
        Path f = Files.write(DIR.resolve("f" + (files++ % 4) + ".scap"), bytes);
        // statistics are collected on jqwik's thread, not the timeout's
        Statistics.label("outcome").collect(assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            int n = 0;
            try (ScapReader r = ScapReader.open(f)) {
                touch(r.section());
                int sections = r.sections();
                for (ScapEvent e; (e = r.next()) != null; n++) {
                    if (r.sections() != sections) {
                        sections = r.sections();
                        touch(r.section());
                    }
                    for (int i = 0; i < e.paramCount(); i++) {
                        e.asLong(i, 0);
                        e.asString(i);
                        e.asStrings(i);
                        ScapSocket s = e.asTuple(i);
                        if (s != null && s.family() != ScapSocket.AF_UNIX) {
                            assertNotNull(s.text());
                        }
                        e.asAddress(i);
                    }
                    assertNotNull(e.name());
                }
                return "events";
            } catch (CaptureFileException e) {
                String line = TraceFiles.problem(f, e);
                assertTrue(e.offset() >= 0 && !e.reason().isBlank() && !line.contains("\n") && !line.contains("null"),
                        line);
                return n > 0 ? "events, then error" : "error";
            }
        }));
    }

    /**
     * Replays the file through the feed and the aggregator (what {@code wiretop -r} does) within a
     * second: rows, or one CaptureFileException, at open or after the intervals before the damage.
     */
    static void replayFeed(byte[] bytes, long intervalNanos) throws IOException {
        Path f = Files.write(DIR.resolve("feed" + (files++ % 4) + ".scap"), bytes);
        Statistics.label("feed").collect(assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            ScapFeed feed;
            try {
                feed = ScapFeed.open(f, intervalNanos);
            } catch (CaptureFileException e) {
                assertOneLine(f, e);
                return "refused";
            }
            try (feed) {
                FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
                for (var snap : r.snapshots()) {
                    assertNotNull(snap.sources().get(Snapshot.PROCESSES));
                }
                if (r.error() != null) {
                    assertOneLine(f, r.error());
                    return "rows, then error";
                }
                return "rows";
            }
        }));
    }

    private static void assertOneLine(Path f, CaptureFileException e) {
        String line = TraceFiles.problem(f, e);
        assertTrue(e.offset() >= 0 && !e.reason().isBlank() && !line.contains("\n") && !line.contains("null"), line);
    }

    private static void touch(ScapSection s) {
        assertNotNull(s.version());
        for (ScapThread t : s.threads()) {
            assertNotNull(t.toString());
        }
        s.fds().values().forEach(l -> l.forEach(fd -> {
            if (fd.socket() != null && fd.socket().family() != ScapSocket.AF_UNIX) {
                assertNotNull(fd.socket().text());
            }
        }));
        s.users().forEach(u -> assertNotNull(u.toString()));
        s.interfaces().forEach(i -> assertNotNull(i.toString()));
    }

    /** 0: delete, 1: repeat, 2: overwrite with random bytes, 3: splice a stretch of another fixture. */
    private static byte[] mutate(byte[] b, int kind, int at, int len, byte[] random, byte[] other, int from) {
        int p = at % (b.length + 1);
        int l = Math.min(len, b.length - p);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + len);
        out.write(b, 0, p);
        switch (kind) {
            case 0 -> out.write(b, p + l, b.length - p - l);
            case 1 -> {
                out.write(b, p, l);
                out.write(b, p, b.length - p);
            }
            case 2 -> {
                out.write(random, 0, Math.min(random.length, b.length - p));
                int rest = p + Math.min(random.length, b.length - p);
                out.write(b, rest, b.length - rest);
            }
            default -> {
                int s = from % other.length;
                out.write(other, s, Math.min(len, other.length - s));
                out.write(b, p, b.length - p);
            }
        }
        return out.toByteArray();
    }

    @Property(tries = 300, seed = "11")
    void structurallyDamagedFilesEndInEventsOrOneError(@ForAll @IntRange(max = 3) int base,
                                                       @ForAll @IntRange(max = 3) int kind,
                                                       @ForAll @IntRange(max = 1 << 20) int at,
                                                       @ForAll @IntRange(min = 1, max = 600) int len,
                                                       @ForAll @Size(min = 1, max = 64) byte[] random,
                                                       @ForAll @IntRange(max = 3) int otherBase,
                                                       @ForAll @IntRange(max = 1 << 20) int from,
                                                       @ForAll boolean recompress,
                                                       @ForAll boolean inEvents) throws IOException {
        byte[] b = PLAIN.get(base);
        int where = inEvents ? FIRST_EVENT.get(base) + at % (b.length - FIRST_EVENT.get(base)) : at;
        byte[] m = mutate(b, kind, where, len, random, PLAIN.get(otherBase), from);
        replay(recompress ? gzip(m) : m);
        replayFeed(recompress ? gzip(m) : m, kind % 2 == 0 ? 0 : 100_000_000L);
    }

    /**
     * Boundary values (0, 1, -1, the sign bits, lengths just past a block) written over 1, 2, 4 or 8
     * bytes anywhere: the counts, lengths and indexes every parser trusts.
     */
    @Property(tries = 300, seed = "11")
    void boundaryValuesInAnyFieldEndInEventsOrOneError(@ForAll @IntRange(max = 3) int base,
                                                       @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> at,
                                                       @ForAll @IntRange(max = 3) int width,
                                                       @ForAll @IntRange(max = 9) int which,
                                                       @ForAll boolean inEvents) throws IOException {
        byte[] m = PLAIN.get(base).clone();
        long[] values = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffffL, 0x80000000L};
        int n = 1 << width;
        for (int a : at) {
            int first = inEvents ? FIRST_EVENT.get(base) : 0;
            int p = first + a % (m.length - first - n + 1);
            for (int i = 0; i < n; i++) {
                m[p + i] = (byte) (values[which] >> (8 * i));
            }
        }
        replay(m);
        replayFeed(m, which % 2 == 0 ? 0 : 1_000_000_000L);
    }

    @Property(tries = 200, seed = "11")
    void recompressedFilesCutAnywhereEndInEventsOrOneError(@ForAll @IntRange(max = 3) int base,
                                                           @ForAll @Size(max = 3) List<@IntRange(max = 1 << 22) Integer> flips,
                                                           @ForAll @IntRange(max = 1 << 20) int cut,
                                                           @ForAll boolean nearTheEnd) throws IOException {
        byte[] m = PLAIN.get(base).clone();
        int events = FIRST_EVENT.get(base);
        for (int f : flips) { // in the events: the state blocks get theirs from the other properties
            m[events + (f >> 3) % (m.length - events)] ^= (byte) (1 << (f & 7));
        }
        byte[] z = gzip(m);
        // the compressed state blocks are most of the stream: half the cuts go to its last third
        byte[] cutFile = java.util.Arrays.copyOf(z, nearTheEnd ? z.length - cut % (z.length / 3 + 1) : cut % (z.length + 1));
        replay(cutFile);
        replayFeed(cutFile, 0);
    }
}
