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

    /** The stream selected the container in the kernel: every event that comes is the container's. */
    private final boolean containerInKernel;

    /** Starting with the section's (or the live system's, {@code ScapHeadBlocks.section}) threads and fds. */
    public SelectionFilter(WindowSelection selection, ScapSection head, ZoneId zone) {
        this(selection, head, zone, false);
    }

    /**
     * Likewise; {@code containerInKernel}: the live stream selects the container's cgroups (and those
     * below) in the kernel, which sees every move between cgroups; the capture's state sees a
     * thread's cgroups only at clone and execve, so a shell that joins the container by writing
     * cgroup.procs (as a runtime's exec does before it execs) would still look like the host's.
     */
    public SelectionFilter(WindowSelection selection, ScapSection head, ZoneId zone, boolean containerInKernel) {
        this.selection = selection;
        this.zone = zone;
        this.printer = new SysdigLine(head, zone, SysdigLine.Buffers.DOTTED);
        this.containerInKernel = containerInKernel;
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
            container = containerInKernel ? selection.containerId() : printer.container(e.tid());
        }
        if (!selection.matches(pid, e.tid(), container, fd, name)) {
            return null;
        }
        return new WindowEvent(e.copy(), before + printer.number(), pid, printer.comm(e.tid()), fd, name,
                printer.latency(), printer.line(e));
    }
}
