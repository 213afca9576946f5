// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

/**
 * Where a replay's intervals end, in trace time, for every trace format: intervals of a fixed
 * length from the first record, and a stretch without records is one interval, so a forged or
 * garbled timestamp (a year later, the end of time) costs one interval, not billions.
 */
public final class TraceTime {
    private TraceTime() {
    }

    /** a + b, or Long.MAX_VALUE when that overflows (b is never negative here). */
    public static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * The end of the interval after the one ending at {@code end}.
     *
     * @param first    trace time of the first record: intervals are counted from it
     * @param interval interval length, more than 0
     * @param nextTs   the timestamp of the next record not yet replayed, or null at the end
     * @return one interval later; or, when the next record lies further on, the start of the
     *         interval it falls in (the interval up to there is the stretch without records)
     */
    public static long nextEnd(long end, long first, long interval, Long nextTs) {
        long following = plus(end, interval);
        if (nextTs == null || nextTs < following) {
            return following;
        }
        try {
            long k = Math.subtractExact(nextTs, first) / interval;
            long start = Math.addExact(first, Math.multiplyExact(k, interval));
            return start > end ? start : following;
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
