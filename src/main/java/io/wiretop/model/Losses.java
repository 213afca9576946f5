// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/**
 * Cumulative counts of what the kernel side could not record, summed over CPUs, since start.
 * Any non-zero value is shown to the user: the numbers on screen are then lower bounds.
 */
public record Losses(long ringBufferFull, long connMapFull, long sysMapFull, long fileMapFull) {
    public static final Losses NONE = new Losses(0, 0, 0, 0);

    public long total() {
        return ringBufferFull + connMapFull + sysMapFull + fileMapFull;
    }
}
