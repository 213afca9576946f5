// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Pointer;
import sun.misc.Unsafe;

/**
 * A BPF ring buffer read directly from its memory mapping, without a native upcall per record:
 * at hundreds of thousands of records per second the jnr-ffi callback of {@link RingBuffer}
 * (about 0.25 us each, plus copies) costs most of a core (kernel-facts.md §6.1 measured 120 M
 * records/s drained this way in Java). The data pages are mapped twice back to back by the
 * kernel, so a record that wraps is still contiguous. Records are handed out in place (address and
 * length, valid until the handler returns), not copied. Confined to one thread.
 */
public final class MappedRingBuffer {
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
    private static final long PAGE = 4096;
    private static final int BUSY = 0x80000000, DISCARD = 0x40000000;
    private static final Unsafe U = NativeMemory.U;

    private final Native nat;
    private final Pointer consMap;
    private final Pointer prodMap;
    private final long size;
    private final long mask;
    private final long consAddr;
    private final long prodAddr;
    private final long data;
    private boolean closed;

    private MappedRingBuffer(Native nat, Pointer consMap, Pointer prodMap, long size) {
        this.nat = nat;
        this.consMap = consMap;
        this.prodMap = prodMap;
        this.size = size;
        this.mask = size - 1;
        this.consAddr = consMap.address();
        this.prodAddr = prodMap.address();
        this.data = prodAddr + PAGE;
    }

    static MappedRingBuffer map(Native nat, int fd, long size) throws BpfException {
        Pointer cons = nat.libc.mmap(null, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (cons == null || cons.address() == -1L) {
            throw new BpfException("cannot map the ring buffer's consumer page (errno " + nat.errno() + ")");
        }
        Pointer prod = nat.libc.mmap(null, PAGE + 2 * size, PROT_READ, MAP_SHARED, fd, PAGE);
        if (prod == null || prod.address() == -1L) {
            nat.libc.munmap(cons, PAGE);
            throw new BpfException("cannot map the ring buffer's data pages (errno " + nat.errno() + ")");
        }
        return new MappedRingBuffer(nat, cons, prod, size);
    }

    /** Bytes of records waiting (submitted or still being written). */
    public long pendingBytes() {
        return U.getLongVolatile(null, prodAddr) - U.getLongVolatile(null, consAddr);
    }

    /** The ring's data size in bytes. */
    public long size() {
        return size;
    }

    /** Whether records are waiting. */
    public boolean hasData() {
        return U.getLongVolatile(null, consAddr) < U.getLongVolatile(null, prodAddr);
    }

    /** What receives each record, in place: {@code address} is valid only during the call. */
    @FunctionalInterface
    public interface RawHandler {
        void onRecord(long address, int length);
    }

    /** Hands every committed record to the handler, then frees its space for the producer. */
    public int drain(RawHandler handler) {
        long cons = U.getLongVolatile(null, consAddr);
        long prod = U.getLongVolatile(null, prodAddr);
        int n = 0;
        while (cons < prod) {
            long hdr = data + (cons & mask);
            int len = U.getIntVolatile(null, hdr);
            if ((len & BUSY) != 0) {
                break; // reserved, not yet submitted: the next drain takes it
            }
            int body = len & ~(BUSY | DISCARD);
            cons += (body + 8 + 7) & ~7L;
            try {
                if ((len & DISCARD) == 0) {
                    handler.onRecord(hdr + 8, body);
                    n++;
                }
            } finally {
                // frees the space for the producer, also when the handler fails (a write error
                // ends the capture: the caller sees the exception)
                U.putOrderedLong(null, consAddr, cons);
            }
            if (cons >= prod) {
                prod = U.getLongVolatile(null, prodAddr);
            }
        }
        return n;
    }

    void close() {
        if (!closed) {
            closed = true;
            nat.libc.munmap(prodMap, PAGE + 2 * size);
            nat.libc.munmap(consMap, PAGE);
        }
    }
}
