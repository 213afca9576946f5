// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds one event block (EV_V2, 0x216) in the writer's buffer: {@code u16 cpu}, the 26-byte event
 * header ({@code u64 ts, u64 tid, u32 len, u16 type, u32 nparams}), one u16 length per parameter,
 * then the parameter values. The parameter count is given up front so the length slots can be
 * reserved; each parameter fills its slot. One instance per writer, reused: no allocation per event.
 *
 * <pre>{@code w.event().begin(ts, tid, 0, ScapEventWriter.CLOSE_E, 1).i64(fd).end();}</pre>
 */
public final class ScapEventWriter {
    /** Event ids of driver/ppm_events_public.h used so far. */
    public static final int CLOSE_E = 4, PROCINFO_E = 234;
    /** The largest body of a non-LARGE event block that sysdig 0.29.3 reads. */
    static final int MAX_BLOCK_BODY = 65536;

    private final ScapWriter w;
    private int block = -1, event, nparams, filled;

    ScapEventWriter(ScapWriter w) {
        this.w = w;
    }

    /** Starts an event; exactly {@code nparams} parameter calls and {@link #end()} must follow. */
    public ScapEventWriter begin(long tsNanos, long tid, int cpu, int type, int nparams) throws IOException {
        if (type < 0 || type >= 336) {
            throw new IllegalArgumentException("event id " + type + " is unknown to sysdig 0.29.3");
        }
        block = w.begin(BlockType.EV_V2);
        ByteBuffer b = w.room(2 + 26 + 2 * nparams);
        b.putShort((short) cpu);
        event = b.position();
        b.putLong(tsNanos).putLong(tid).putInt(0).putShort((short) type).putInt(nparams);
        for (int i = 0; i < nparams; i++) {
            b.putShort((short) 0);
        }
        this.nparams = nparams;
        filled = 0;
        return this;
    }

    private ByteBuffer param(int len) {
        if (block < 0 || filled >= nparams) {
            throw new IllegalStateException("parameter " + (filled + 1) + " of an event with " + nparams);
        }
        ByteBuffer b = w.room(len);
        b.putShort(event + 26 + 2 * filled++, (short) len);
        return b;
    }

    public ScapEventWriter u8(int v) {
        param(1).put((byte) v);
        return this;
    }

    public ScapEventWriter u16(int v) {
        param(2).putShort((short) v);
        return this;
    }

    public ScapEventWriter u32(long v) {
        param(4).putInt((int) v);
        return this;
    }

    /** u64, or any i64 type (FD, PID, ERRNO, RELTIME...). */
    public ScapEventWriter u64(long v) {
        param(8).putLong(v);
        return this;
    }

    public ScapEventWriter i64(long v) {
        return u64(v);
    }

    /** A CHARBUF/FSPATH: UTF-8 and a NUL, the NUL counted in the length. */
    public ScapEventWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, 4095);
        param(n + 1).put(b, 0, n).put((byte) 0);
        return this;
    }

    /** A BYTEBUF, SOCKADDR or SOCKTUPLE: the bytes as given. */
    public ScapEventWriter bytes(byte[] v, int off, int len) {
        param(len).put(v, off, len);
        return this;
    }

    /** An absent parameter (length 0; sysdig prints NULL). */
    public ScapEventWriter empty() {
        param(0);
        return this;
    }

    /** Closes the event: patches its length and frames the block. */
    public void end() throws IOException {
        if (filled != nparams) {
            w.abandon(block);
            block = -1;
            throw new IllegalStateException("event ended with " + filled + " of " + nparams + " parameters");
        }
        ByteBuffer b = w.room(0);
        if (io.wiretop.trace.BlockFrame.totalLength(b.position() - block - 8) - 8 > MAX_BLOCK_BODY) {
            int size = b.position() - event;
            w.abandon(block);
            block = -1;
            throw new IllegalArgumentException("event of " + size + " bytes is too large for a block");
        }
        b.putInt(event + 16, b.position() - event);
        w.end(block);
        block = -1;
    }
}
