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
 * or a test. Once the engine has started, its thread is the only one that calls a feed (the
 * constructor reads {@link #info}, {@link #fileIo}, {@link #wire}, {@link #label} and
 * {@link #availableSources} before), so a feed owns whatever it reads from (BPF objects, a file)
 * without locks. To stop, the engine interrupts its thread: a {@link #next} that waits must
 * return or throw then; the same thread then calls {@link #close()}, whatever ended the loop.
 */
public interface Feed extends AutoCloseable {
    /** Names, users and fd targets of processes the aggregator sees for the first time. */
    InfoSource info();

    /** Whether NET (socket payload) counters exist (false: a packet file; those columns are null, not zero). */
    default boolean net() {
        return true;
    }

    /**
     * Whether FILE/syscall counters exist from the first interval (false: those columns are null,
     * not zero); an interval whose {@link Interval#collectors} is set says it for itself (live
     * collectors attach on demand).
     */
    boolean fileIo();

    /** Whether WIRE counters exist from the first interval; likewise. */
    boolean wire();

    /**
     * "Live System (...)" or the file's description, for the header's Source line; asked again at
     * every interval (a trace's count of events grows as it is read). Raw: the screen escapes it.
     */
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

    /**
     * Hands a feed that waits inside {@link #next} (live: for the refresh clock) what the consumers
     * want at any moment, so that a Packets view opened mid-interval has its packets let through
     * within 50 ms rather than from the next interval on. Called once, before {@link #start}; the
     * supplier may be read from the engine's thread only.
     */
    default void follow(java.util.function.Supplier<Demand> current) {
    }

    /**
     * Where container names, images and pods come from: the live system's runtime sockets; a trace
     * file's feed knows ids only. Asked once, before {@link #start}; the feed closes it.
     */
    default io.wiretop.host.ContainerDirectory containers() {
        return io.wiretop.host.ContainerDirectory.idsOnly();
    }

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
