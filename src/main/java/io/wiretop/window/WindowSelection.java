// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import java.util.Set;

/**
 * What an event window shows: the events of these processes (by pid, every thread), narrowed to one
 * fd when the selection is a connection or a file, named by its number or by its name (a
 * connection's {@code lip:lport->rip:rport}, either way round; a file's path).
 *
 * @param pids   processes whose events are shown (never empty)
 * @param fd     the one fd shown, or -1
 * @param fdName the one fd shown by name, or null
 * @param text   how the window's header names the selection, e.g. {@code proc.pid=17497} (untrusted
 *               values in it are escaped by the renderer)
 */
public record WindowSelection(Set<Long> pids, long fd, String fdName, String text) {
    public WindowSelection {
        pids = Set.copyOf(pids);
        if (fdName != null && fdName.contains("->")) {
            // the tables bracket IPv6 addresses ([::1]:80), sysdig's fd names do not (::1:80)
            fdName = fdName.replace("[", "").replace("]", "");
        }
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("an event window needs at least one pid");
        }
    }

    /** Every event of these processes. */
    public static WindowSelection processes(Set<Long> pids, String text) {
        return new WindowSelection(pids, -1, null, text);
    }

    /** Whether an event of this process on this fd (-1: none) of this name belongs to the selection. */
    public boolean matches(long pid, long eventFd, String eventFdName) {
        if (!pids.contains(pid) || (fd >= 0 && eventFd != fd)) {
            return false;
        }
        return fdName == null || eventFd >= 0 && (fdName.equals(eventFdName) || fdName.equals(reversed(eventFdName)));
    }

    private static String reversed(String name) {
        int arrow = name.indexOf("->");
        return arrow < 0 ? name : name.substring(arrow + 2) + "->" + name.substring(0, arrow);
    }
}
