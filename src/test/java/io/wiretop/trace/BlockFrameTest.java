// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shared pcapng/scap block framing, byte for byte. */
class BlockFrameTest {

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void everyBodyLengthIsPaddedToFourWithTheLengthInHeaderAndTrailer() {
        for (int body = 0; body <= 9; body++) {
            ByteBuffer b = buffer();
            b.put((byte) 0x55).put((byte) 0x55); // an earlier block's bytes: padding counts from the block's start
            int start = BlockFrame.begin(b, 0x216);
            for (int i = 0; i < body; i++) {
                b.put((byte) 0xAB);
            }
            int total = BlockFrame.end(b, start);
            int expected = 12 + (body + 3) / 4 * 4;
            assertEquals(expected, total, "body " + body);
            assertEquals(expected, BlockFrame.totalLength(body), "body " + body);
            assertEquals(start + total, b.position(), "body " + body);
            assertEquals(2, start);
            assertEquals(0x216, b.getInt(start));
            assertEquals(total, b.getInt(start + 4), "header length, body " + body);
            assertEquals(total, b.getInt(start + total - 4), "trailer, body " + body);
            for (int i = start + 8 + body; i < start + total - 4; i++) {
                assertEquals(0, b.get(i), "padding byte " + i + ", body " + body);
            }
        }
    }

    @Test
    void theReferencesMinimalCloseEventBlock() {
        // scap-format.md §7.1: an EV_V2 block holding a close enter (type 4) on tid 42 with fd 3
        ByteBuffer b = buffer();
        int start = BlockFrame.begin(b, 0x216);
        b.putShort((short) 0).putLong(1_700_000_000_000_000_000L).putLong(42).putInt(36).putShort((short) 4).putInt(1)
                .putShort((short) 8).putLong(3);
        assertEquals(52, BlockFrame.end(b, start));
        byte[] expected = hex("16020000 34000000 0000 00002a36fe9c9717 2a00000000000000 24000000 0400 01000000"
                + " 0800 0300000000000000 0000 34000000");
        assertArrayEquals(expected, Arrays.copyOf(b.array(), b.position()));
    }

    @Test
    void padAlignsFromTheBlockStartNotTheBuffer() {
        ByteBuffer b = buffer();
        b.put((byte) 1);
        int start = BlockFrame.begin(b, 1);
        b.put((byte) 7);
        BlockFrame.pad(b, start);
        assertEquals(start + 12, b.position());
        BlockFrame.pad(b, start); // aligned already: nothing added
        assertEquals(start + 12, b.position());
    }

    static byte[] hex(String s) {
        String h = s.replace(" ", "");
        byte[] r = new byte[h.length() / 2];
        for (int i = 0; i < r.length; i++) {
            r[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return r;
    }
}
