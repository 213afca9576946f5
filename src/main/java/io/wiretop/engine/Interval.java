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
 * @param endNanos when the counters were read, in the feed's clock
 */
public record Interval(List<ProcEvent> events, long endNanos, KernelSample sample, List<ProcEvent> lateEvents,
                       ProcessScan scan, List<Long> closedCookies) {
}
