// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes one event as the kernel's syscall stream hands it over (scap's v2 event encoding: a 26-byte
 * header ts u64, tid u64, len u32, type u16, nparams u32, then the parameter lengths, u16 or u32 for
 * {@code EF_LARGE_PAYLOAD} events, then the values; little-endian) into a {@link ScapEvent} that owns
 * its bytes. The same checks as {@link ScapReader}'s: an event whose lengths do not fit is refused.
 */
public final class ScapEventDecoder {
    private static final int HEADER = 26;

    private ScapEventDecoder() {
    }

    /**
     * The event from the buffer's position to its limit (the buffer is not moved), or null when the
     * bytes do not make one (too short, unknown id, lengths past the end).
     */
    public static ScapEvent decode(int cpu, ByteBuffer buf) {
        int n = buf.remaining();
        if (n < HEADER) {
            return null;
        }
        byte[] a = new byte[n];
        buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).get(a);
        long ts = Le.i64(a, 0);
        long tid = Le.i64(a, 8);
        long len = Le.u32(a, 16);
        EventInfo info = EventTable.get(Le.u16(a, 20));
        long nparams = Le.u32(a, 22);
        if (info == null || len < HEADER || len > n) {
            return null;
        }
        int lenSize = info.largePayload() ? 4 : 2;
        if (nparams > (len - HEADER) / lenSize) {
            return null;
        }
        ScapEvent e = new ScapEvent();
        e.set(a, 0, cpu, 0, ts, tid, info, (int) nparams);
        int[] starts = e.valueStarts((int) nparams);
        long v = HEADER + nparams * lenSize;
        for (int i = 0; i < nparams; i++) {
            starts[i] = (int) v;
            v += lenSize == 2 ? Le.u16(a, HEADER + 2 * i) : Le.u32(a, HEADER + 4 * i);
            if (v > len) {
                return null;
            }
        }
        starts[(int) nparams] = (int) v;
        return e;
    }
}
