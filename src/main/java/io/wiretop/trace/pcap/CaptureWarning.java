// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

/**
 * Something in a capture file that wiretop reads but that deserves a word: a link type it does
 * not decode, or interfaces that differ in a way tcpdump refuses. Shown as
 * {@code wiretop: FILE: offset N: warning: reason}.
 *
 * @param offset byte offset of the block or header concerned
 */
public record CaptureWarning(long offset, String reason) {
    @Override
    public String toString() {
        return "offset " + offset + ": warning: " + reason;
    }
}
