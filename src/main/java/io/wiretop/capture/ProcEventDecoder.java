// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.host.ProcFs;
import io.wiretop.model.ProcEvent;

import java.nio.ByteBuffer;

/** Decodes struct wt_proc_event records from the proc_events ring buffer. */
public final class ProcEventDecoder {
    private ProcEventDecoder() {
    }

    /** Decodes one record; throws IllegalArgumentException when it is too short. */
    public static ProcEvent decode(ByteBuffer b) {
        if (b.remaining() < WireLayout.PROC_EVENT_SIZE) {
            throw new IllegalArgumentException("proc event of " + b.remaining() + " bytes");
        }
        int base = b.position();
        int argsLen = Math.min(b.getInt(base + WireLayout.PROC_EVENT_ARGS_LEN), WireLayout.ARGS_LEN);
        return new ProcEvent(b.getInt(base), Integer.toUnsignedLong(b.getInt(base + 4)),
                Integer.toUnsignedLong(b.getInt(base + 8)), Integer.toUnsignedLong(b.getInt(base + 12)),
                b.getLong(base + WireLayout.PROC_EVENT_START_NS) / WireLayout.NANOS_PER_TICK,
                b.getLong(base + WireLayout.PROC_EVENT_TS_NS), b.getInt(base + WireLayout.PROC_EVENT_EXIT_CODE),
                io.wiretop.bpf.CString.decode(b, base + WireLayout.PROC_EVENT_COMM, WireLayout.COMM_LEN),
                argv(b, base + WireLayout.PROC_EVENT_ARGS, argsLen));
    }

    /** argv is NUL-separated in memory: join with spaces, as ps and csysdig's exeline show it. */
    static String argv(ByteBuffer b, int off, int len) {
        byte[] s = new byte[len];
        b.get(off, s);
        return ProcFs.argvText(s, len);
    }
}
