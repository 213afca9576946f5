// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

/**
 * When one optional collector (the syscall program, the packet hooks) should be attached: while
 * forced on by an option, or while something on screen needs it, and for a grace period after it
 * stopped being needed (flipping between views must not reload and re-verify a program each time).
 * Also tracks what the header says of it: attached in the current interval (its counts are a
 * baseline: not collected yet) or collected since a wall-clock time. Pure state, clock passed in.
 */
final class Attachment {
    /** How long a collector stays attached after its last consumer left. */
    static final long GRACE_NANOS = 10_000_000_000L;
    private final boolean forced;
    private final long graceNanos;
    private boolean attached;
    private boolean fresh;       // attached during the interval being read: its sample is a baseline
    private long lastNeeded = Long.MIN_VALUE;
    private long sinceMillis;    // wall clock of the baseline read: collected from then on
    private String failure;      // why attaching failed (not retried: the header says it)
    private long lastReadMillis = Long.MIN_VALUE;
    private static final java.time.format.DateTimeFormatter HMS = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    Attachment(boolean forced, long graceNanos) {
        this.forced = forced;
        this.graceNanos = graceNanos;
    }

    /** What to do now: +1 attach, -1 detach, 0 nothing. needed: something on screen uses it. */
    int decide(boolean needed, long nowNanos) {
        if (needed || forced) {
            lastNeeded = nowNanos;
        }
        if (!attached) {
            return (needed || forced) && failure == null ? 1 : 0;
        }
        return !forced && nowNanos - lastNeeded > graceNanos ? -1 : 0;
    }

    /** It was attached during this interval (or before the first one, when forced: then collected from the start). */
    void attached(boolean fromStart, long wallMillis) {
        attached = true;
        fresh = !fromStart;
        sinceMillis = wallMillis;
    }

    void detached() {
        attached = false;
        fresh = false;
    }

    void failed(String why) {
        failure = why;
    }

    boolean isAttached() {
        return attached;
    }

    /**
     * Whether the interval just read is covered; ends the baseline interval of a fresh attachment
     * (the next one is its first full interval, collected since readWallMillis).
     */
    boolean collectedThisInterval(long readWallMillis) {
        lastReadMillis = readWallMillis;
        if (!attached) {
            return false;
        }
        if (fresh) {
            fresh = false;
            sinceMillis = readWallMillis;
            return false;
        }
        return true;
    }

    /** For the header: "FILE since 06:12:03", "FILE attaching", "FILE off", "FILE failed: ...". */
    String describe(String name) {
        if (failure != null) {
            return name + " failed: " + failure.lines().findFirst().orElse("");
        }
        if (!attached) {
            return name + " off";
        }
        if (fresh || sinceMillis >= lastReadMillis) { // its counts so far are a baseline
            return name + " attaching";
        }
        return name + " since " + HMS.format(java.time.LocalTime.ofInstant(java.time.Instant.ofEpochMilli(sinceMillis),
                java.time.ZoneId.systemDefault()));
    }

    String failure() {
        return failure;
    }
}
