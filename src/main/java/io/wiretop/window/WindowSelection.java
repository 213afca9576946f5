// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.util.Set;

/**
 * What an event window shows: the events of these processes (by pid, every thread), or of one
 * thread, or of one container's processes; narrowed to one fd when the selection is a connection
 * or a file, named by its number or by its name (a connection's {@code lip:lport->rip:rport},
 * either way round; a file's path). A connection's packets are those of its socket cookie when it
 * is known (live), else those whose addresses and ports are the connection's (a file).
 *
 * @param pids        processes whose events are shown (empty only for a container)
 * @param fd          the one fd shown, or -1
 * @param fdName      the one fd shown by name, or null
 * @param text        how the window's header names the selection, e.g. {@code proc.pid=17497} (untrusted
 *                    values in it are escaped by the renderer)
 * @param cookie      the connection's socket cookie (live), or 0
 * @param tid         the one thread shown, or -1
 * @param containerId the container (its id or the start of it) whose processes are shown, or null
 */
public record WindowSelection(Set<Long> pids, long fd, String fdName, String text, long cookie, long tid,
        String containerId) {
    public WindowSelection {
        pids = Set.copyOf(pids);
        if (fdName != null && fdName.contains("->")) {
            // the tables bracket IPv6 addresses ([::1]:80), sysdig's fd names do not (::1:80)
            fdName = fdName.replace("[", "").replace("]", "");
        }
        if (pids.isEmpty() && containerId == null) {
            throw new IllegalArgumentException("an event window needs at least one pid");
        }
    }

    /** A process selection narrowed to an fd (by number or name). */
    public WindowSelection(Set<Long> pids, long fd, String fdName, String text) {
        this(pids, fd, fdName, text, 0, -1, null);
    }

    /** Every event of these processes. */
    public static WindowSelection processes(Set<Long> pids, String text) {
        return new WindowSelection(pids, -1, null, text);
    }

    /** One connection of a process: its syscalls on the socket, and its packets. */
    public static WindowSelection connection(long pid, String tuple, long cookie, String text) {
        return new WindowSelection(Set.of(pid), -1, tuple, text, cookie, -1, null);
    }

    /** One thread (the kernel selects its process: the thread is picked out in user space). */
    public static WindowSelection thread(long pid, long tid, String text) {
        return new WindowSelection(Set.of(pid), -1, null, text, 0, tid, null);
    }

    /** The processes of a container, by its id (or a prefix: the tables show 12 digits); pids: those known now. */
    public static WindowSelection container(String containerId, Set<Long> pids, String text) {
        return new WindowSelection(pids, -1, null, text, 0, -1, containerId);
    }

    /** Whether this is a connection: Dig shows its packets among its syscalls. */
    public boolean isConnection() {
        return fdName != null && fdName.contains("->");
    }

    /** Whether an event of this process on this fd (-1: none) of this name belongs to the selection. */
    public boolean matches(long pid, long eventFd, String eventFdName) {
        return matches(pid, -1, null, eventFd, eventFdName);
    }

    /**
     * Whether an event of this thread of this process, in this container (its id, "" or null for
     * none known), on this fd of this name belongs to the selection.
     */
    public boolean matches(long pid, long eventTid, String container, long eventFd, String eventFdName) {
        if (containerId != null) {
            boolean inside = container != null && !container.isEmpty() && container.startsWith(containerId);
            if (!inside) {
                return false;
            }
        } else if (!pids.contains(pid)) {
            return false;
        }
        if (tid >= 0 && eventTid != tid) {
            return false;
        }
        if (fd >= 0 && eventFd != fd) {
            return false;
        }
        return fdName == null || eventFd >= 0 && (fdName.equals(eventFdName) || fdName.equals(reversed(eventFdName)));
    }

    static String reversed(String name) {
        int arrow = name.indexOf("->");
        return arrow < 0 ? name : name.substring(arrow + 2) + "->" + name.substring(0, arrow);
    }
}
