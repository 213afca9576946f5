// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.Set;

/**
 * Which packets the screen wants the kernel to hand over: none (the default: packets are only
 * counted for WIRE), every packet, or those of some processes or sockets. Only what is asked for
 * leaves the kernel.
 */
public record PacketSelection(boolean all, Set<Long> pids, Set<Long> cookies) {
    public static final PacketSelection NONE = new PacketSelection(false, Set.of(), Set.of());
    public static final PacketSelection ALL = new PacketSelection(true, Set.of(), Set.of());

    public PacketSelection {
        pids = Set.copyOf(pids);
        cookies = Set.copyOf(cookies);
    }

    public boolean none() {
        return !all && pids.isEmpty() && cookies.isEmpty();
    }
}
