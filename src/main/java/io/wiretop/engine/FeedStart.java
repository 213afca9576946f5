// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcessScan;

/**
 * Where the first interval starts.
 *
 * @param known     processes to learn names for (the slow part), or null: the engine reads them
 *                  before the first {@link Feed#next}, while the first interval runs (it ends on
 *                  the feed's clock, so the reading does not stretch it)
 * @param monoNanos when the first interval starts, in the feed's clock (live: CLOCK_MONOTONIC,
 *                  a trace: event timestamps)
 * @param baseline  the cumulative counters at that moment (null: they start at zero)
 * @param alive     the processes alive at that moment
 * @param firstEnd  when the first interval ends, in the same clock
 */
public record FeedStart(ProcessScan known, long monoNanos, KernelSample baseline, ProcessScan alive, long firstEnd) {
}
