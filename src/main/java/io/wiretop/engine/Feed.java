// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.Cleanup;
import io.wiretop.model.InfoSource;
import io.wiretop.model.Row;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What feeds the {@link Engine}, one interval at a time: the live kernel and /proc, a trace file,
 * or a test. The engine's thread is the only one that calls a feed, so a feed owns whatever it
 * reads from (BPF objects, a file) without locks; only {@link #close()} may come from another
 * thread, and must make a blocked {@link #next} return.
 */
public interface Feed extends AutoCloseable {
    /** Names, users and fd targets of processes the aggregator sees for the first time. */
    InfoSource info();

    /** Whether NET (socket payload) counters exist (false: a packet file; those columns are null, not zero). */
    default boolean net() {
        return true;
    }

    /** Whether FILE/syscall counters exist (false: those columns are null, not zero). */
    boolean fileIo();

    /** Whether WIRE counters exist. */
    boolean wire();

    /** "Live System (...)" or the file's description, for the header's Source line. */
    String label();

    /** Which snapshot sources this feed can fill. */
    Set<String> availableSources();

    /** Called once, on the engine thread, before the first {@link #next}: where counting starts. */
    FeedStart start() throws Exception;

    /**
     * Waits until the next interval ends (live: the refresh clock; a trace: the events of the
     * next stretch of trace time) and returns what it holds, or null when the input has ended.
     */
    Interval next(Demand demand) throws Exception;

    /** Forgets what the aggregator no longer needs (live: kernel map entries of gone processes). */
    default void apply(Cleanup cleanup) throws Exception {
    }

    /** Rows the feed adds to the snapshot just built (live: the packets a Packets view asked for). */
    default Map<String, List<? extends Row>> extraSources() {
        return Map.of();
    }

    @Override
    void close();
}
