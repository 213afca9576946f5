// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.util.List;

/**
 * One packet as captured or read from a file, with its process context. Immutable.
 *
 * @param tsNanos   capture time, nanoseconds since the Unix epoch
 * @param ifName    interface name ("lo", "eth0", or "ifindex@netns" when unknown)
 * @param linkType  {@link LinkType} of {@code data}
 * @param data      captured bytes (at most the snap length)
 * @param origLen   length on the wire
 * @param comments  the raw pcapng comments (empty when the packet had none)
 * @param cookie    the kernel's socket cookie of a live capture (0: no socket, or read from a file)
 */
public record CapturedPacket(long tsNanos, String ifName, int linkType, byte[] data, int origLen,
                             Direction direction, ProcessContext context, List<String> comments, long cookie) {

    /** A packet without a socket cookie (read from a file). */
    public CapturedPacket(long tsNanos, String ifName, int linkType, byte[] data, int origLen,
                          Direction direction, ProcessContext context, List<String> comments) {
        this(tsNanos, ifName, linkType, data, origLen, direction, context, comments, 0);
    }

    /** Decodes the packet's layers. */
    public DecodedPacket decode() {
        return PacketDecoder.decode(linkType, data, origLen);
    }
}
