// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import java.time.Instant;

/**
 * The one conversion of the kernel's event clock to wall time. Every program stamps its events with
 * bpf_ktime_get_ns(), CLOCK_MONOTONIC (not boot time: it stops during suspend), the clock of
 * System.nanoTime() on Linux. The offset to the Unix epoch is read once per process and shared, so
 * that a syscall and a packet stamped a microsecond apart by different programs stay a microsecond
 * apart (two offsets read at different moments differ by the jitter of the reads, and by any step
 * of the wall clock in between), which is what lets Dig put them on one timeline.
 */
public final class MonoClock {
    /** Add to a bpf_ktime_get_ns() value to get nanoseconds since the Unix epoch. */
    public static final long MONO_TO_EPOCH;

    static {
        Instant now = Instant.now();
        MONO_TO_EPOCH = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    private MonoClock() {
    }
}
