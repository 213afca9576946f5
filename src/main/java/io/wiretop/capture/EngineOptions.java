// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

/**
 * How the live engine runs.
 *
 * @param refreshMillis length of one interval (csysdig's -d)
 * @param syscalls      attach the optional syscall/FILE program (costs every syscall the slow path)
 * @param wire          attach the packet hooks: WIRE counters, and packets for the Packets views
 */
public record EngineOptions(long refreshMillis, boolean syscalls, boolean wire) {
}
