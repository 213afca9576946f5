// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.engine.Demand;
import io.wiretop.engine.Feed;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.FeedRun;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewRegistry;
import io.wiretop.view.ViewTable;

import java.util.List;
import java.util.Set;

/**
 * Replay tests' shorthands: a feed run to its end through {@link FeedRun} (the engine's loop), and
 * a view's table of one snapshot.
 */
final class Replays {
    private Replays() {
    }

    static final Demand ALL = new Demand(Set.of(Snapshot.THREADS), io.wiretop.model.PacketSelection.NONE);

    /** Every snapshot of the feed, in order, as the engine's loop makes them (FeedRun); the feed is closed after. */
    static List<Snapshot> run(Feed feed) throws Exception {
        try (feed) {
            FeedRun.Result r = FeedRun.run(feed, ALL);
            if (r.error() != null) {
                throw r.error();
            }
            return r.snapshots();
        }
    }

    /** The table of a built-in view for one snapshot. */
    static ViewTable table(String view, Snapshot snap) throws Exception {
        ViewDef v = ViewRegistry.load(List.of()).get(view);
        return ViewTable.build(v, snap, null);
    }

}
