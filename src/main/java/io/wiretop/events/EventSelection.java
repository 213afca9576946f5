// SPDX-License-Identifier: Apache-2.0
package io.wiretop.events;

import java.util.Set;

/**
 * Which threads' syscalls leave the kernel, decided in the kernel: every process, or the processes
 * whose tgid is in {@code pids}, or whose cgroup (any level) is in {@code cgroupIds} (a
 * container's). Everything else costs one early exit.
 *
 * @param snapLen   bytes of each I/O buffer captured (sysdig's -s; 80 by default)
 * @param exitsOnly only the sys_exit hook is attached, and it sends each enter event itself (with
 *                  the exit's time): enough for a consumer that shows exits and the fds they name
 *                  (Echo), at about half the cost to every unselected thread's syscall; a
 *                  consumer of enter times (Dig's lines, Spectrogram's latencies, a recording) wants
 *                  both hooks
 */
public record EventSelection(boolean all, Set<Integer> pids, Set<Long> cgroupIds, int snapLen, boolean exitsOnly) {
    /** sysdig's default snap length. */
    public static final int DEFAULT_SNAP = 80;

    public EventSelection {
        pids = Set.copyOf(pids);
        cgroupIds = Set.copyOf(cgroupIds);
    }

    /** Both hooks: the enter events with their own times. */
    public EventSelection(boolean all, Set<Integer> pids, Set<Long> cgroupIds, int snapLen) {
        this(all, pids, cgroupIds, snapLen, false);
    }

    /** The same threads, with only the exit hook ({@code true}) or both. */
    public EventSelection exitsOnly(boolean exits) {
        return new EventSelection(all, pids, cgroupIds, snapLen, exits);
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
