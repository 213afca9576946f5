// SPDX-License-Identifier: Apache-2.0
package io.wiretop.engine;

import io.wiretop.model.PacketSelection;

import java.util.Set;

/**
 * What the consumers want at this moment, merged: the snapshot sources on screen (threads are
 * scanned only while shown) and the packets a Packets view lists.
 */
public record Demand(Set<String> sources, PacketSelection packets) {
    /** Nothing beyond the always-on tables. */
    public static final Demand NONE = new Demand(Set.of(), PacketSelection.NONE);
}
