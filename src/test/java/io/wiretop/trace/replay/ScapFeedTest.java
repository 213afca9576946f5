// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.engine.FeedStart;
import io.wiretop.engine.Interval;
import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.trace.CaptureFileException;
import io.wiretop.trace.TraceFeeds;
import io.wiretop.trace.scap.ScapFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feed's contract: trace time, intervals, the end, damage, and answers from the trace's state. */
class ScapFeedTest {
    private static final long CURL_FIRST = 1534527342999999999L, CURL_LAST = 1534527350999999999L;

    @TempDir
    Path dir;

    @Test
    void fileModeIsOneIntervalFromFirstToLastEvent() throws Exception {
        try (ScapFeed feed = ScapFeed.open(ScapFixtures.path("curl_google"), 0)) {
            FeedStart s = feed.start();
            assertEquals(CURL_FIRST, s.monoNanos());
            assertEquals(CURL_LAST, s.firstEnd());
            assertNull(s.baseline());
            assertEquals(s.alive().processes().keySet(), s.known().processes().keySet());
            Interval iv = feed.next(Replays.ALL);
            assertEquals(CURL_LAST, iv.endNanos());
            assertNull(feed.next(Replays.ALL));
            assertNull(feed.next(Replays.ALL), "the end stays the end");
        }
    }

    /**
     * A plain file's range comes from its first and last blocks, its count from the replay: the same
     * start, intervals, results and final label as the gzip file, which is read ahead for them.
     */
    @Test
    void aPlainFileIsNotReadAheadAndReplaysAsTheGzipOne() throws Exception {
        Path plain = dir.resolve("curl_google.scap");
        Files.write(plain, ScapFixtures.plain("curl_google"));
        for (long interval : new long[]{0, 3_000_000_000L}) {
            try (ScapFeed gz = ScapFeed.open(ScapFixtures.path("curl_google"), interval);
                 ScapFeed pl = ScapFeed.open(plain, interval)) {
                assertEquals("curl_google.scap (1536 evts, 8.00s)", gz.label());
                assertEquals("curl_google.scap (reading...)", pl.label());
                FeedStart a = gz.start(), b = pl.start();
                assertEquals(a.monoNanos(), b.monoNanos());
                assertEquals(a.firstEnd(), b.firstEnd());
                for (Interval x, y; ; ) {
                    x = gz.next(Replays.ALL);
                    y = pl.next(Replays.ALL);
                    if (x == null || y == null) {
                        assertEquals(x, y, "both end together");
                        break;
                    }
                    assertEquals(x.endNanos(), y.endNanos());
                    assertEquals(x.events(), y.events());
                    assertEquals(x.scan(), y.scan());
                    assertEquals(x.closedCookies(), y.closedCookies());
                    assertEquals(x.sample().syscalls(), y.sample().syscalls());
                    assertEquals(x.sample().files(), y.sample().files());
                    assertEquals(x.sample().conns().size(), y.sample().conns().size());
                }
                assertEquals(gz.label(), pl.label());
                assertEquals(1536, pl.eventCount());
            }
        }
    }

    @Test
    void intervalsCutTraceTime() throws Exception {
        try (ScapFeed feed = ScapFeed.open(ScapFixtures.path("curl_google"), 3_000_000_000L)) {
            assertEquals(CURL_FIRST + 3_000_000_000L, feed.start().firstEnd());
            List<Long> ends = new ArrayList<>();
            for (Interval iv; (iv = feed.next(Replays.ALL)) != null; ) {
                ends.add(iv.endNanos());
            }
            assertEquals(List.of(CURL_FIRST + 3_000_000_000L, CURL_FIRST + 6_000_000_000L, CURL_LAST), ends);
        }
    }

    @Test
    void namesComeFromTheTrace() throws Exception {
        try (ScapFeed feed = ScapFeed.open(ScapFixtures.path("curl_google"), 0)) {
            FeedStart s = feed.start();
            ProcessId acpid = s.alive().processes().keySet().stream().filter(id -> id.pid() == 1383).findFirst()
                    .orElseThrow();
            ProcessInfo pi = feed.info().read(acpid);
            assertEquals("acpid", pi.comm());
            assertEquals("/usr/sbin/acpid ", pi.cmdline(), "csysdig's proc.exeline: exe, a space, the args");
            assertEquals("root", pi.user());
            assertEquals("messagebus", feed.info().userName(feed.info().read(s.alive().processes().keySet().stream()
                    .filter(id -> id.pid() == 1350).findFirst().orElseThrow()).uid()));
            assertNull(feed.info().read(new ProcessId(1383, 12345)), "another process with that pid");
        }
    }

    @Test
    void aServerSocketsPortIsListening() throws Exception {
        try (ScapFeed feed = ScapFeed.open(ScapFixtures.path("single_ipv6_conn"), 0)) {
            feed.start();
            Interval iv = feed.next(Replays.ALL);
            assertTrue(iv.scan().listeningPorts().contains(1234), iv.scan().listeningPorts().toString());
        }
    }

    /**
     * Two captures concatenated (cat): the second section's process list replaces the first's, as
     * in libsinsp, so the first's processes exit when the second begins; both sections' traffic counts.
     */
    @Test
    void aSecondSectionReplacesTheProcesses() throws Exception {
        byte[] a = ScapFixtures.plain("curl_google"), b = ScapFixtures.plain("test_ipv6_client");
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Path f = dir.resolve("both.scap");
        Files.write(f, both);
        List<io.wiretop.model.Snapshot> snaps = Replays.run(ScapFeed.open(f, 0));
        assertEquals(1, snaps.size());
        var s = snaps.get(0);
        var sysdig1 = s.processes().stream().filter(p -> p.pid() == 17496).findFirst().orElseThrow();
        var sysdig2 = s.processes().stream().filter(p -> p.pid() == 19746).findFirst().orElseThrow();
        assertTrue(sysdig1.exited(), "the first section's processes end with it");
        assertTrue(!sysdig2.exited());
        var client = s.processes().stream().filter(p -> p.pid() == 19747).findFirst().orElseThrow();
        assertEquals("./test_ipv6_client ", client.cmdline());
        assertEquals(18, client.netOut());
        assertEquals(4, s.connections().size(), s.connections().toString());
        assertEquals(11502, s.connections().stream().filter(c -> c.rport() == 80).findFirst().orElseThrow().bytesIn());
    }

    /** Damage mid-file: the good events' interval first, then the error, then the end. */
    @Test
    void damageComesAfterTheGoodEvents() throws Exception {
        byte[] plain = ScapFixtures.plain("curl_google");
        List<Integer> blocks = ScapFixtures.blockOffsets(plain);
        int cut = blocks.get(blocks.size() * 3 / 4) + 12; // inside an event block
        Path f = dir.resolve("cut.scap");
        Files.write(f, Arrays.copyOf(plain, cut));
        try (var feed = TraceFeeds.open(f, 0)) {
            feed.start();
            Interval iv = feed.next(Replays.ALL);
            assertNotNull(iv);
            assertTrue(iv.endNanos() > CURL_FIRST && iv.endNanos() < CURL_LAST, "ends at the last good event");
            KernelSample k = iv.sample();
            assertTrue(k.syscalls().stream().mapToLong(KernelSample.Sys::calls).sum() > 100, "the good events counted");
            CaptureFileException e = assertThrows(CaptureFileException.class, () -> feed.next(Replays.ALL));
            assertEquals(cut - 12, e.offset());
            assertNull(feed.next(Replays.ALL));
        }
    }

    @Test
    void damageWithIntervalsStillGivesEveryGoodInterval() throws Exception {
        byte[] plain = ScapFixtures.plain("curl_google");
        List<Integer> blocks = ScapFixtures.blockOffsets(plain);
        Path f = dir.resolve("cut.scap");
        Files.write(f, Arrays.copyOf(plain, blocks.get(blocks.size() - 5) + 3));
        try (ScapFeed feed = ScapFeed.open(f, 1_000_000_000L)) {
            feed.start();
            int n = 0;
            try {
                while (feed.next(Replays.ALL) != null) {
                    n++;
                }
                throw new AssertionError("no error");
            } catch (CaptureFileException e) {
                assertEquals(8, n, "8 s of good events");
            }
        }
    }
}
