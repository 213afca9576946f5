// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import java.nio.ByteBuffer;

/**
 * The block framing pcapng and scap share: {@code u32 type, u32 total length, body, zero padding
 * to a multiple of 4, u32 total length}, the length counting all of it. Works in place on the
 * caller's (little-endian) buffer and allocates nothing: the capture frames hundreds of thousands
 * of packet blocks per second. A block is opened with {@link #begin}, its body written with the
 * buffer's own put methods, and closed with {@link #end}, which pads, writes the trailer and
 * patches the length reserved at the start.
 */
public final class BlockFrame {
    /** Bytes of framing around a body: type and length before it, the length again after it. */
    public static final int OVERHEAD = 12;

    private BlockFrame() {
    }

    /** The total length of a block whose body is {@code bodyLength} bytes (padding included). */
    public static int totalLength(int bodyLength) {
        return (OVERHEAD + bodyLength + 3) & ~3;
    }

    /** Writes the block header with a length to be patched; returns where the block starts. */
    public static int begin(ByteBuffer b, int type) {
        int start = b.position();
        b.putInt(type).putInt(0);
        return start;
    }

    /** Zero bytes up to the next multiple of 4 counted from the block's start. */
    public static void pad(ByteBuffer b, int start) {
        for (int n = (4 - ((b.position() - start) & 3)) & 3; n > 0; n--) {
            b.put((byte) 0);
        }
    }

    /** Pads the body, writes the trailer, patches the header's length; returns the total length. */
    public static int end(ByteBuffer b, int start) {
        pad(b, start);
        int total = b.position() - start + 4;
        b.putInt(total);
        b.putInt(start + 4, total);
        return total;
    }
}
