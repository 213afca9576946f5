// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.engine.Demand;
import io.wiretop.engine.Feed;
import io.wiretop.engine.FeedStart;
import io.wiretop.engine.Interval;
import io.wiretop.model.Aggregator;
import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcEvent;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a {@link Feed} through an {@link Aggregator} the way the engine's tick loop does (start,
 * then per interval: events, late events, tick, cleanup, the feed's extra rows), to the end of
 * the input: the snapshots a replay shows, and the error that ended it, if one did.
 */
public final class FeedRun {
    /** Bounds a run: a feed that never ends fails the test instead of hanging it. */
    static final int MAX_INTERVALS = 100_000;

    private FeedRun() {
    }

    /** What a replay showed and how it ended (error null: the input ended cleanly). */
    public record Result(List<Snapshot> snapshots, CaptureFileException error) {
        public Snapshot last() {
            return snapshots.get(snapshots.size() - 1);
        }
    }

    /** Runs a feed to its end with one demand throughout; any exception but a CaptureFileException propagates. */
    public static Result run(Feed feed, Demand demand) throws Exception {
        Aggregator agg = new Aggregator(feed.info(), feed.net(), feed.fileIo(), feed.wire());
        FeedStart s = feed.start();
        if (s.known() != null) {
            agg.learn(s.known());
        }
        agg.start(s.monoNanos(), s.baseline() != null ? s.baseline()
                : new KernelSample(List.of(), List.of(), List.of(), Losses.NONE), s.alive());
        List<Snapshot> out = new ArrayList<>();
        for (int n = 0; n < MAX_INTERVALS; n++) {
            Interval i;
            try {
                i = feed.next(demand);
            } catch (CaptureFileException e) {
                return new Result(out, e);
            }
            if (i == null) {
                return new Result(out, null);
            }
            i.events().forEach(agg::onEvent);
            for (ProcEvent e : i.lateEvents()) {
                agg.onLateEvent(e);
            }
            Aggregator.Result r = agg.tick(i.endNanos(), i.sample(), i.scan(), i.closedCookies(), feed.label());
            feed.apply(r.cleanup());
            Snapshot snap = r.snapshot();
            Map<String, List<? extends Row>> extra = feed.extraSources();
            if (!extra.isEmpty()) {
                Map<String, List<? extends Row>> sources = new HashMap<>(snap.sources());
                sources.putAll(extra);
                snap = new Snapshot(snap.seq(), snap.monoNanos(), snap.intervalSeconds(), Map.copyOf(sources),
                        snap.losses(), snap.sourceLabel());
            }
            out.add(snap);
        }
        assertTrue(false, "the feed did not end within " + MAX_INTERVALS + " intervals");
        return null;
    }
}
