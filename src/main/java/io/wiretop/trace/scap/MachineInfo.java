// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/**
 * The machine a capture was taken on (MI block). The hostname is untrusted text from the file.
 *
 * @param cpus        number of CPUs
 * @param memoryBytes total memory
 * @param maxPid      the kernel's pid_max
 * @param hostname    up to the first NUL of the 128-byte field
 */
public record MachineInfo(int cpus, long memoryBytes, long maxPid, String hostname) {
}
