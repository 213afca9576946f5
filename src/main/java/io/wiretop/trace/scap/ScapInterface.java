// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

/**
 * One address of one network interface of the capturing machine (IL block): libsinsp uses these to
 * tell the local end of a socket from the remote one.
 *
 * @param name      interface name (untrusted text)
 * @param address   4 or 16 bytes, network order
 * @param netmask   same size
 * @param broadcast same size
 * @param linkSpeed bits/s, 0 when the entry type has none
 */
public record ScapInterface(String name, byte[] address, byte[] netmask, byte[] broadcast, long linkSpeed) {
}
