// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

/**
 * How the {@link Engine} spaces the snapshots of a feed. A live feed paces itself (its
 * {@link Feed#next} waits for the refresh clock); a trace feed answers at once, so the engine
 * either hands every snapshot to the consumer before it reads on (--raw/--json: every interval
 * printed, as fast as the printer goes), or also waits a stretch of wall clock per interval (the
 * TUI replaying at real speed, where a consumer that stops asking, paused, stops the replay).
 *
 * @param handOver  wait until the consumer has taken each snapshot (asked for a newer one) before
 *                  reading the next interval
 * @param wallNanos at least this much wall clock between two snapshots (0: none)
 */
public record Pacing(boolean handOver, long wallNanos) {
    /** The feed paces itself; a snapshot the consumer did not take is replaced by the next one. */
    public static final Pacing FEED = new Pacing(false, 0);
    /** Every snapshot is handed over, none is skipped, nothing waits for the clock. */
    public static final Pacing EACH = new Pacing(true, 0);

    public Pacing {
        if (wallNanos < 0) {
            throw new IllegalArgumentException("wallNanos < 0");
        }
    }

    /** Every snapshot handed over, one per {@code millis} of wall clock at most. */
    public static Pacing every(long millis) {
        return new Pacing(true, millis * 1_000_000L);
    }
}
