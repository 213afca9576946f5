// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.util.List;

/**
 * Puts a window's events on one timeline: syscalls and packets come from different sources at
 * different moments (a live connection's packets with the engine's interval, its syscalls every
 * 100 ms), each already stamped by the kernel's one clock, so a packet goes after the last event
 * at or before its time, and a syscall after the last syscall (their order is the stream's, as
 * sysdig prints it) and before the packets later than it. Events of equal time keep their arrival
 * order; events that arrive in time order (the usual case) cost one comparison each. Stateless.
 */
public final class Timeline {
    private Timeline() {
    }

    /**
     * Inserts every event of {@code batch} into {@code into} (kept ordered by
     * {@link WindowEvent#timeNanos()}); returns the lowest index that changed ({@code into.size()}
     * before the call when everything was appended), so a window redraws only what moved.
     */
    public static int insert(List<WindowEvent> into, List<WindowEvent> batch) {
        int lowest = into.size();
        for (WindowEvent w : batch) {
            int at = into.size();
            // a syscall keeps its place among syscalls (sysdig's order, which the reference tests
            // hold the window to) and only passes the later packets; a packet passes anything later
            while (at > 0 && (w.isPacket() || into.get(at - 1).isPacket()) && into.get(at - 1).timeNanos() > w.timeNanos()) {
                at--;
            }
            into.add(at, w);
            lowest = Math.min(lowest, at);
        }
        return lowest;
    }
}
