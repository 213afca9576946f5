// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.scap.ScapEvent;

/**
 * One event of a window's selection with what the thread state said of it when it happened.
 * Immutable: the event is a {@link ScapEvent#copy()} that owns its bytes.
 *
 * @param event     the event
 * @param num       its number in the file (1-based, as sysdig's evt.num), or in the live stream
 * @param pid       its process
 * @param comm      its process's command (untrusted text)
 * @param fd        the fd it works on (for an exit, its enter's), -1 when none
 * @param fdName    that fd's name as sysdig prints it without its type tag (path, tuple), "" when not known (untrusted text)
 * @param latency   for an exit, nanoseconds since its enter event (evt.latency), else -1
 * @param line      sysdig's line for it ({@code trace.print.SysdigLine}; untrusted text: escape to show)
 */
public record WindowEvent(ScapEvent event, long num, long pid, String comm, long fd, String fdName, long latency,
        String line) {
}
