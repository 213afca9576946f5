// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.scap.ScapEvent;

/**
 * One event of a window's selection with what the thread state said of it when it happened: a
 * syscall event, or (Dig on a connection) a packet of that connection, which has no {@link #event}.
 * Immutable: the event is a {@link ScapEvent#copy()} that owns its bytes.
 *
 * @param event     the syscall event, or null for a packet
 * @param num       its number in the file (1-based, as sysdig's evt.num), or in the live stream; a packet's capture order
 * @param pid       its process (0 for a packet whose owner is not known)
 * @param comm      its process's command (untrusted text)
 * @param fd        the fd it works on (for an exit, its enter's), -1 when none
 * @param fdName    that fd's name as sysdig prints it without its type tag (path, tuple), "" when not known (untrusted text)
 * @param latency   for an exit, nanoseconds since its enter event (evt.latency), else -1
 * @param line      sysdig's line for it ({@code trace.print.SysdigLine}), or {@link PacketLine}'s (untrusted text: escape to show)
 * @param timeNanos when it happened, nanoseconds since the epoch (the kernel's one clock: {@code bpf.MonoClock})
 */
public record WindowEvent(ScapEvent event, long num, long pid, String comm, long fd, String fdName, long latency,
        String line, long timeNanos) {

    /** A syscall event, at its own timestamp. */
    public WindowEvent(ScapEvent event, long num, long pid, String comm, long fd, String fdName, long latency,
            String line) {
        this(event, num, pid, comm, fd, fdName, latency, line, event == null ? 0 : event.timestamp());
    }

    /** Whether this is a packet (Dig's interleaved lines), not a syscall event. */
    public boolean isPacket() {
        return event == null;
    }
}
