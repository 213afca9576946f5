// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.CaptureFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.wiretop.engine.FakeFeed.exec;
import static io.wiretop.engine.FakeFeed.exit;
import static io.wiretop.engine.FakeFeed.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's loop on a scripted feed: order, hand-over, end, failure, close, demand. */
@Timeout(20)
class EngineTest {
    private static final ProcessId A = new ProcessId(20, 500);
    private static final ProcessId B = new ProcessId(21, 600);

    private static Snapshot next(Engine e, long after) throws InterruptedException {
        Snapshot s = e.awaitAfter(after, 5000);
        assertNotNull(s, "no snapshot after " + after + " (failure " + e.failure() + ")");
        return s;
    }

    private static ProcessRow proc(Snapshot s, ProcessId id) {
        return s.processes().stream().filter(r -> r.pid() == id.pid()).findFirst().orElse(null);
    }

    @Test
    void everyIntervalIsHandedOverInOrderThenTheSourceEndsAndTheFeedIsClosed() throws Exception {
        FakeFeed feed = new FakeFeed().label("trace.scap (3 evts, 3.000s)").interval().interval().interval();
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            long seq = 0;
            for (int i = 1; i <= 3; i++) {
                Snapshot s = next(e, seq);
                assertEquals(seq + 1, s.seq(), "no interval skipped, seq grows by one");
                assertEquals(i * FakeFeed.SEC, s.monoNanos());
                assertEquals("trace.scap (3 evts, 3.000s)", s.sourceLabel());
                seq = s.seq();
            }
            long t0 = System.nanoTime();
            assertNull(e.awaitAfter(seq, 5000), "nothing after the end");
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "the end is said at once, not after the timeout");
            assertTrue(e.ended());
            assertNull(e.failure());
            assertEquals(3, e.latest().seq(), "the last snapshot stays");
            assertTrue(feed.closed.await(5, TimeUnit.SECONDS), "the feed is closed once its input ended");
        }
        assertEquals(1, feed.closes(), "closed once, also after close()");
        assertEquals(Set.of("wiretop-engine"), feed.callers, "only the engine's thread calls the feed");
    }

    @Test
    void eventsComeBeforeLateEventsSoTheLateNameWins() throws Exception {
        FakeFeed feed = new FakeFeed().interval(List.of(exec(A, "early")), List.of(exec(A, "late")), scan(A));
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            assertEquals("late", proc(next(e, 0), A).cmdline());
        }
    }

    @Test
    void aLateExitIsFinalOnlyAtTheNextInterval() throws Exception {
        // an exit drained after the counters were read: the process may have done I/O after the read
        FakeFeed feed = new FakeFeed().interval(List.of(exec(A, "a"), exec(B, "b")), List.of(), scan(A, B))
                .interval(List.of(exit(A, "a")), List.of(exit(B, "b")), scan(B)) // B still in /proc: not reaped yet
                .interval();
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            next(e, 0);
            next(e, 1);
            next(e, 2);
        }
        assertEquals(List.of(A), feed.cleanups.get(1).goneProcesses(), "an exit before the read: gone at once");
        assertEquals(List.of(B), feed.cleanups.get(2).goneProcesses(), "a late exit: gone one interval later");
    }

    @Test
    void whatEachIntervalCollectsReachesItsSnapshotAndItsRows() throws Exception {
        FakeFeed feed = new FakeFeed().interval(List.of(exec(A, "a")), List.of(), scan(A))
                .interval(new Interval.Collectors(false, true), A)
                .interval(new Interval.Collectors(true, false), A);
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            Snapshot s1 = next(e, 0);
            assertEquals(Snapshot.ALL_COUNTERS, s1.collected(), "no collectors said: the feed's (all on)");
            Snapshot s2 = next(e, s1.seq());
            assertEquals(java.util.Set.of(Snapshot.NET, Snapshot.WIRE), s2.collected());
            assertEquals(-1, proc(s2, A).fileIn(), "FILE not collected: null, not 0");
            assertEquals(0, proc(s2, A).wireIn());
            assertFalse(s2.sources().containsKey(Snapshot.FILES));
            Snapshot s3 = next(e, s2.seq());
            assertEquals(java.util.Set.of(Snapshot.NET, Snapshot.FILE_IO), s3.collected());
            assertEquals(0, proc(s3, A).fileIn());
            assertEquals(-1, proc(s3, A).wireIn());
        }
    }

    @Test
    void eachTicksCleanupReachesTheFeedAndItsExtraSourcesTheSnapshot() throws Exception {
        FakeFeed feed = new FakeFeed().interval().interval()
                .extra(Map.of(Snapshot.PACKETS, List.of()));
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            Snapshot s = next(e, 0);
            assertTrue(s.sources().containsKey(Snapshot.PACKETS), "the feed's rows are in the snapshot");
            assertTrue(s.sources().containsKey(Snapshot.PROCESSES), "next to the aggregator's");
            next(e, 1);
        }
        assertEquals(2, feed.cleanups.size(), "one cleanup per interval");
    }

    @Test
    void theConsumersDemandReachesTheFeedAndHandOverWaitsForTheConsumer() throws Exception {
        FakeFeed feed = new FakeFeed().interval().interval().interval();
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            assertEquals(Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS), e.availableSources());
            Snapshot s1 = next(e, 0);
            Thread.sleep(300);
            assertEquals(1, feed.demands.size(), "the engine waits until the consumer has the snapshot");
            e.want(Set.of(Snapshot.THREADS));
            e.wantPackets(PacketSelection.ALL);
            next(e, s1.seq());
            assertEquals(new Demand(Set.of(Snapshot.THREADS), PacketSelection.ALL), feed.demands.get(1));
            assertEquals(Demand.NONE, feed.demands.get(0));
        }
    }

    @Test
    void aFeedWaitingInsideNextSeesTheDemandChangeAtOnce() throws Exception {
        FakeFeed feed = new FakeFeed().interval().blockAtEnd();
        try (Engine e = Engine.start(feed)) {
            next(e, 0); // the engine now waits in the second next()
            assertEquals(Demand.NONE, feed.followed.get());
            e.wantPackets(PacketSelection.ALL);
            e.want(Set.of(Snapshot.THREADS));
            assertEquals(new Demand(Set.of(Snapshot.THREADS), PacketSelection.ALL), feed.followed.get(),
                    "a Packets view opened mid-interval: the live feed lets its packets through now");
        }
    }

    @Test
    void withoutHandOverALiveFeedRunsAhead() throws Exception {
        FakeFeed feed = new FakeFeed().interval().interval().interval();
        try (Engine e = Engine.start(feed)) {
            assertTrue(feed.closed.await(5, TimeUnit.SECONDS));
            assertEquals(3, e.latest().seq(), "nobody asked: the newest replaces the others");
            assertTrue(e.ended());
        }
    }

    @Test
    void wallPacingSpacesTheSnapshots() throws Exception {
        FakeFeed feed = new FakeFeed().interval().interval();
        try (Engine e = Engine.start(feed, Pacing.every(400))) {
            Snapshot s1 = next(e, 0);
            long t1 = System.nanoTime();
            next(e, s1.seq());
            assertTrue(System.nanoTime() - t1 >= 300_000_000L, "one interval per 400 ms of wall clock");
        }
    }

    @Test
    void aFailingFeedStopsTheSourceAfterWhatCameBefore() throws Exception {
        CaptureFileException bad = new CaptureFileException(4096, "block length 3 is shorter than its header");
        FakeFeed feed = new FakeFeed().interval().failWith(bad);
        try (Engine e = Engine.start(feed, Pacing.EACH)) {
            Snapshot s1 = next(e, 0);
            assertNull(e.awaitAfter(s1.seq(), 5000));
            assertSame(bad, e.failure());
            assertFalse(e.ended(), "a failure is not the end of the input");
            assertSame(s1, e.latest(), "what came before stays");
            assertTrue(feed.closed.await(5, TimeUnit.SECONDS), "the feed is closed on the failure path too");
        }
    }

    @Test
    void closeStopsAWaitingFeedOnTheEngineThreadAndIsNoFailure() throws Exception {
        FakeFeed feed = new FakeFeed().interval().blockAtEnd();
        Engine e = Engine.start(feed);
        next(e, 0);
        Thread.sleep(100); // the engine waits in next
        assertEquals(1, feed.closed.getCount(), "not closed while running");
        e.close();
        assertEquals(0, feed.closed.getCount(), "close() returns once the feed is closed");
        assertNull(e.failure(), "being closed is not a failure");
        assertFalse(e.ended());
        e.close();
        assertEquals(1, feed.closes());
        assertEquals(Set.of("wiretop-engine"), feed.callers);
    }
}
