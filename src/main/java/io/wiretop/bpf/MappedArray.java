// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Pointer;

/**
 * A BPF array map created with BPF_F_MMAPABLE, read in place through its memory mapping: a table
 * of thousands of entries read once per refresh costs no system call and no copy. The kernel
 * writes it meanwhile, so a reader sees each aligned 64-bit value whole but an entry possibly
 * half-updated: the caller re-reads what must be consistent. Read-only; confined to one thread.
 */
public final class MappedArray {
    private static final int PROT_READ = 1, MAP_SHARED = 1;
    private static final long PAGE = 4096;

    private final Native nat;
    private final Pointer map;
    private final long base;
    private final long length;
    private final int valueSize;
    private final int entries;
    private boolean closed;

    private MappedArray(Native nat, Pointer map, long length, int valueSize, int entries) {
        this.nat = nat;
        this.map = map;
        this.base = map.address();
        this.length = length;
        this.valueSize = valueSize;
        this.entries = entries;
    }

    static MappedArray map(Native nat, int fd, int valueSize, int entries) throws BpfException {
        // the kernel rounds each value up to 8 bytes and the mapping up to whole pages
        long len = ((long) ((valueSize + 7) & ~7) * entries + PAGE - 1) & ~(PAGE - 1);
        Pointer p = nat.libc.mmap(null, len, PROT_READ, MAP_SHARED, fd, 0);
        if (p == null || p.address() == -1L) {
            throw new BpfException("cannot map a BPF array (errno " + nat.errno() + "; it needs BPF_F_MMAPABLE)");
        }
        return new MappedArray(nat, p, len, (valueSize + 7) & ~7, entries);
    }

    /** Number of entries. */
    public int entries() {
        return entries;
    }

    /** The 64-bit value at byte {@code offset} of entry {@code index} (offset 8-aligned: read whole). */
    public long getLong(int index, int offset) {
        check(index, offset, 8);
        return NativeMemory.U.getLongVolatile(null, base + (long) index * valueSize + offset);
    }

    /** The 32-bit value at byte {@code offset} of entry {@code index}. */
    public int getInt(int index, int offset) {
        check(index, offset, 4);
        return NativeMemory.U.getIntVolatile(null, base + (long) index * valueSize + offset);
    }

    /** The 16-bit value at byte {@code offset} of entry {@code index}. */
    public short getShort(int index, int offset) {
        check(index, offset, 2);
        return NativeMemory.U.getShort(base + (long) index * valueSize + offset);
    }

    private void check(int index, int offset, int size) {
        if (closed || index < 0 || index >= entries || offset < 0 || offset + size > valueSize) {
            throw new IndexOutOfBoundsException("entry " + index + " offset " + offset + (closed ? " (unmapped)" : ""));
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            nat.libc.munmap(map, length);
        }
    }
}
