// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcEvent;
import io.wiretop.model.ProcessScan;

import java.util.List;

/**
 * One interval's input to the aggregator, in the order it is applied: process events, the
 * cumulative counters read at the interval's end, events that name processes started before that
 * read, the process scan, and the sockets closed since the previous interval.
 *
 * @param endNanos   when the counters were read, in the feed's clock
 * @param collectors which optional counters cover this whole interval (live: collectors attach and
 *                   detach at run time, and the interval in which one attached only gives its
 *                   baseline); null: those the feed named before it started ({@link Feed#fileIo},
 *                   {@link Feed#wire}), for every interval
 */
public record Interval(List<ProcEvent> events, long endNanos, KernelSample sample, List<ProcEvent> lateEvents,
                       ProcessScan scan, List<Long> closedCookies, Collectors collectors) {

    /** An interval of a feed whose collectors never change. */
    public Interval(List<ProcEvent> events, long endNanos, KernelSample sample, List<ProcEvent> lateEvents,
                    ProcessScan scan, List<Long> closedCookies) {
        this(events, endNanos, sample, lateEvents, scan, closedCookies, null);
    }

    /**
     * Whether the FILE/syscall and the WIRE counters of the sample cover the whole interval. A
     * collector that is not collected (off, or attached during this interval: its counts are a
     * baseline, not a delta) gives null columns, not zero.
     */
    public record Collectors(boolean fileIo, boolean wire) {
    }
}
