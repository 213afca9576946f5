// SPDX-License-Identifier: Apache-2.0
package io.wiretop.events;

import java.util.Set;

/**
 * Which threads' syscalls leave the kernel, decided in the kernel: every process, or the processes
 * whose tgid is in {@code pids}, or whose cgroup (any level) is in {@code cgroupIds} (a
 * container's). Everything else costs one early exit.
 *
 * @param snapLen bytes of each I/O buffer captured (sysdig's -s; 80 by default)
 */
public record EventSelection(boolean all, Set<Integer> pids, Set<Long> cgroupIds, int snapLen) {
    /** sysdig's default snap length. */
    public static final int DEFAULT_SNAP = 80;

    public EventSelection {
        pids = Set.copyOf(pids);
        cgroupIds = Set.copyOf(cgroupIds);
    }

    /** Every process on the machine. */
    public static EventSelection everything(int snapLen) {
        return new EventSelection(true, Set.of(), Set.of(), snapLen);
    }

    /** The given processes (and the threads and children they start while selected). */
    public static EventSelection processes(Set<Integer> pids, int snapLen) {
        return new EventSelection(false, pids, Set.of(), snapLen);
    }
}
