// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.engine.Demand;
import io.wiretop.engine.Feed;
import io.wiretop.engine.FeedStart;
import io.wiretop.engine.Interval;
import io.wiretop.model.Aggregator;
import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.Snapshot;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewRegistry;
import io.wiretop.view.ViewTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a feed through the aggregator the way the engine's tick loop does (start, learn, next,
 * tick), so replay tests see the snapshots the screen would.
 */
final class Replays {
    private Replays() {
    }

    static final Demand ALL = new Demand(Set.of(Snapshot.THREADS), io.wiretop.model.PacketSelection.NONE);

    /** Every snapshot of the feed, in order; the feed is closed after. */
    static List<Snapshot> run(Feed feed) throws Exception {
        try (feed) {
            Aggregator agg = new Aggregator(feed.info(), feed.fileIo(), feed.wire());
            FeedStart s = feed.start();
            if (s.known() != null) {
                agg.learn(s.known());
            }
            agg.start(s.monoNanos(), s.baseline() != null ? s.baseline()
                    : new KernelSample(List.of(), List.of(), List.of(), Losses.NONE), s.alive());
            List<Snapshot> out = new ArrayList<>();
            for (Interval iv; (iv = feed.next(ALL)) != null; ) {
                iv.events().forEach(agg::onEvent);
                iv.lateEvents().forEach(agg::onLateEvent);
                out.add(agg.tick(iv.endNanos(), iv.sample(), iv.scan(), iv.closedCookies(), feed.label()).snapshot());
            }
            return out;
        }
    }

    /** The table of a built-in view for one snapshot. */
    static ViewTable table(String view, Snapshot snap) throws Exception {
        ViewDef v = ViewRegistry.load(List.of()).get(view);
        return ViewTable.build(v, snap, null);
    }

}
