// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.print.SysdigLine;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapSection;

import java.time.ZoneId;

/**
 * A window's selection over the events of a capture (or the live stream): every event goes through
 * one {@link SysdigLine} (the one thread and fd state, numbering and line text sysdig's), and those
 * of the selection come out as {@link WindowEvent}s with their Dig line. Events it drops are only
 * {@link SysdigLine#skip}ped, so their lines are never built. Not thread-safe: the source's thread owns it.
 */
public final class SelectionFilter {
    private final WindowSelection selection;
    private final ZoneId zone;
    private SysdigLine printer;
    /** Events of the sections before this one: a new section's printer numbers from 1 again. */
    private long before;

    /** Where the container of a process the capture never introduced comes from (live: /proc), or null. */
    private final java.util.function.LongFunction<String> containerOfPid;
    private final java.util.Map<Long, String> looked = new java.util.HashMap<>();

    /** Starting with the section's (or the live system's, {@code ScapHeadBlocks.section}) threads and fds. */
    public SelectionFilter(WindowSelection selection, ScapSection head, ZoneId zone) {
        this(selection, head, zone, null);
    }

    /**
     * Likewise; a container selection asks {@code containerOfPid} for the container of a thread the
     * state does not know (live: a process that joined the container's cgroup without a clone the
     * stream saw, as {@code docker exec} does), once per process.
     */
    public SelectionFilter(WindowSelection selection, ScapSection head, ZoneId zone,
            java.util.function.LongFunction<String> containerOfPid) {
        this.selection = selection;
        this.zone = zone;
        this.printer = new SysdigLine(head, zone, SysdigLine.Buffers.DOTTED);
        this.containerOfPid = containerOfPid;
    }

    /** A new section (concatenated captures) replaces the state, as in libsinsp; the numbering goes on. */
    public void section(ScapSection head) {
        before += printer.number();
        printer = new SysdigLine(head, zone, SysdigLine.Buffers.DOTTED);
    }

    /**
     * Applies one event (every event, selected or not, in order: the state needs them all) and
     * returns it when it belongs to the selection and sysdig prints it, else null.
     */
    public WindowEvent apply(ScapEvent e) {
        if (!printer.skip(e)) {
            return null; // an internal event (procinfo...): sysdig shows it nowhere
        }
        long pid = printer.pid(e.tid());
        long fd = printer.eventFd();
        String name = printer.eventFdName();
        String container = null;
        if (selection.containerId() != null) {
            container = printer.container(e.tid());
            if (container == null && containerOfPid != null) {
                container = looked.computeIfAbsent(pid, p -> {
                    String c = containerOfPid.apply(p);
                    return c == null ? "" : c;
                });
            }
        }
        if (!selection.matches(pid, e.tid(), container, fd, name)) {
            return null;
        }
        return new WindowEvent(e.copy(), before + printer.number(), pid, printer.comm(e.tid()), fd, name,
                printer.latency(), printer.line(e));
    }
}
