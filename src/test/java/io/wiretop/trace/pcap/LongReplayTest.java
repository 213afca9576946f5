// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.engine.Demand;
import io.wiretop.model.ConnectionRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.decode.Direction;
import io.wiretop.trace.FeedRun;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays longer than the aggregator's idle limit (60 s): a connection busy on the wire keeps
 * its row and cookie however long it lasts (it has no NET counts to keep it fresh), and one idle
 * for longer comes back counted from zero, never twice.
 */
class LongReplayTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final List<String> CTX = List.of("PID: 77\nCmd: /usr/bin/ssh\nArgs: ssh host");

    private static Path file(Path dir, long... secondsAt) throws Exception {
        Path f = dir.resolve("long.pcapng");
        try (OutputStream os = Files.newOutputStream(f); PcapNgWriter w = new PcapNgWriter(os, "wiretop test")) {
            int eth = w.addInterface("eth0", 1, 262144, null, null);
            for (long s : secondsAt) {
                byte[] frame = Frames.tcp4(Frames.ip(10, 0, 0, 1), 40000, Frames.ip(10, 0, 0, 2), 22, 0x18, 100);
                w.write(eth, T0 + s * 1_000_000_000L, frame, 0, frame.length, frame.length, Direction.OUT, CTX);
            }
        }
        return f;
    }

    @Test
    void aConnectionBusyOnTheWireKeepsItsCookieForMinutes(@TempDir Path dir) throws Exception {
        long[] every10s = new long[19];
        for (int i = 0; i < every10s.length; i++) {
            every10s[i] = i * 10L;
        }
        try (PcapNgFeed feed = PcapNgFeed.open(file(dir, every10s), 10_000_000_000L)) {
            FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
            Set<Long> cookies = new HashSet<>();
            long wire = 0;
            for (Snapshot s : r.snapshots()) {
                List<ConnectionRow> conns = PtcpdumpReplayTest.rows(s, Snapshot.CONNECTIONS, ConnectionRow.class);
                assertEquals(1, conns.size(), "one row per interval, " + s.monoNanos());
                cookies.add(conns.get(0).cookie());
                wire += conns.get(0).wireOut();
            }
            assertEquals(19, r.snapshots().size());
            assertEquals(1, cookies.size(), "the same connection throughout: " + cookies);
            assertEquals(19 * 140, wire);
        }
    }

    @Test
    void aLongStretchWithoutPacketsIsOneIntervalBetweenWholeOnes(@TempDir Path dir) throws Exception {
        try (PcapNgFeed feed = PcapNgFeed.open(file(dir, 0, 10, 11), 1_000_000_000L)) {
            FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
            assertEquals(List.of(1.0, 9.0, 1.0, 1.0), r.snapshots().stream().map(Snapshot::intervalSeconds).toList(),
                    "[0,1) [1,10) [10,11) [11,12)");
            assertEquals(List.of(140L, 0L, 140L, 140L), r.snapshots().stream()
                    .map(s -> PtcpdumpReplayTest.process(s, 77).wireOut()).toList());
        }
    }

    @Test
    void aTimestampNearTheEndOfTimeEndsTheReplayAtOnce(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("forged.pcapng");
        try (OutputStream os = Files.newOutputStream(f); PcapNgWriter w = new PcapNgWriter(os, "wiretop test")) {
            int eth = w.addInterface("eth0", 1, 262144, null, null);
            byte[] frame = Frames.tcp4(Frames.ip(10, 0, 0, 1), 40000, Frames.ip(10, 0, 0, 2), 22, 0x18, 100);
            for (long ts : new long[]{T0, Long.MAX_VALUE - 3, Long.MAX_VALUE - 2, Long.MAX_VALUE}) {
                w.write(eth, ts, frame, 0, frame.length, frame.length, Direction.OUT, CTX);
            }
        }
        for (long interval : new long[]{1_000_000_000L, Long.MAX_VALUE / 2, Long.MAX_VALUE}) {
            try (PcapNgFeed feed = PcapNgFeed.open(f, interval)) {
                FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
                assertTrue(r.snapshots().size() <= 3, r.snapshots().size() + " intervals of " + interval);
                assertEquals(4 * 140, r.snapshots().stream().mapToLong(s -> PtcpdumpReplayTest.process(s, 77).wireOut())
                        .sum(), "every packet once, interval " + interval);
            }
        }
    }

    @Test
    void aConnectionIdleForMinutesComesBackCountedOnce(@TempDir Path dir) throws Exception {
        try (PcapNgFeed feed = PcapNgFeed.open(file(dir, 0, 1, 200, 201, 202), 1_000_000_000L)) {
            FeedRun.Result r = FeedRun.run(feed, Demand.NONE);
            long wire = 0;
            for (Snapshot s : r.snapshots()) {
                wire += PtcpdumpReplayTest.process(s, 77).wireOut();
            }
            assertEquals(5 * 140, wire, "every packet once");
            ProcessRow last = PtcpdumpReplayTest.process(r.last(), 77);
            assertEquals(140, last.wireOut(), "the last interval holds the last packet only");
        }
    }
}
