// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.List;

/**
 * Kernel map entries the capture side may delete after a tick, their final counts having been read:
 * every entry of processes that are gone, and the socket entries of closed or long-idle sockets.
 */
public record Cleanup(List<ProcessId> goneProcesses, List<ConnRef> conns, List<Long> closedCookies) {
    /** One (process, socket) entry of the conns map. */
    public record ConnRef(ProcessId id, long cookie) {
    }
}
