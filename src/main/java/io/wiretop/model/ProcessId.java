// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/** A process identity that survives pid reuse: pid plus start time in clock ticks since boot. */
public record ProcessId(long pid, long startTicks) {
}
