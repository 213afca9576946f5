// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

/** Packet direction relative to the host, as pcapng epb_flags bits 0-1 encode it. */
public enum Direction {
    UNKNOWN(0, "?"), IN(1, "In"), OUT(2, "Out");

    /** The epb_flags inbound/outbound value. */
    public final int epbFlags;
    /** tcpdump/ptcpdump's word ("In", "Out"). */
    public final String word;

    Direction(int epbFlags, String word) {
        this.epbFlags = epbFlags;
        this.word = word;
    }

    /** From pcapng epb_flags (only the two direction bits matter). */
    public static Direction fromEpbFlags(long flags) {
        return switch ((int) (flags & 3)) {
            case 1 -> IN;
            case 2 -> OUT;
            default -> UNKNOWN;
        };
    }
}
