// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A libbpf ring_buffer consumer. Records reach the {@link RecordHandler} on the thread that calls
 * {@link #poll(int)} or {@link #consume()}. An exception thrown by the handler is counted and never
 * unwinds through C. Confined to one thread.
 */
public final class RingBuffer {
    private final Native nat;
    private final Pointer rb;
    // held strongly for as long as libbpf may call it (jnr-ffi #231)
    private final LibBpf.RingBufferCallback callback;
    private long handlerErrors;
    private boolean freed;

    private RingBuffer(Native nat, Pointer rb, LibBpf.RingBufferCallback callback) {
        this.nat = nat;
        this.rb = rb;
        this.callback = callback;
    }

    static RingBuffer create(Native nat, BpfMap map, RecordHandler handler) throws BpfException {
        RingBuffer[] self = new RingBuffer[1];
        LibBpf.RingBufferCallback cb = (ctx, data, size) -> {
            try {
                byte[] b = new byte[(int) size];
                data.get(0, b, 0, b.length);
                handler.onRecord(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
            } catch (Throwable t) {
                if (self[0] != null) {
                    self[0].handlerErrors++;
                }
            }
            return 0;
        };
        Pointer rb = nat.bpf.ring_buffer__new(map.fd(), cb, null, null);
        if (rb == null) {
            throw new BpfException("cannot create a ring buffer consumer for " + map.name() + " (errno " + nat.errno() + ")",
                    nat.drainLog());
        }
        self[0] = new RingBuffer(nat, rb, cb);
        return self[0];
    }

    /** Waits up to timeoutMs for records and handles them; returns how many, or a negative errno. */
    public int poll(int timeoutMs) {
        return nat.bpf.ring_buffer__poll(rb, timeoutMs);
    }

    /** Handles every record available now without waiting. */
    public int consume() {
        return nat.bpf.ring_buffer__consume(rb);
    }

    /** How many records the handler threw on (each one is skipped). */
    public long handlerErrors() {
        return handlerErrors;
    }

    void free() {
        if (!freed) {
            freed = true;
            nat.bpf.ring_buffer__free(rb);
        }
        if (callback == null) {
            throw new IllegalStateException("unreachable: keeps the callback reachable until freed");
        }
    }
}
