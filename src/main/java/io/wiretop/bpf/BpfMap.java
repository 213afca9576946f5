// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;

/**
 * A loaded BPF map, read and written through its fd. Whole-map reads use BPF_MAP_LOOKUP_BATCH:
 * a few syscalls per refresh tick instead of two per entry. Confined to the capture thread.
 */
public final class BpfMap {
    private static final int ENOENT = 2;
    private static final int BATCH = 4096;
    private final Native nat;
    private final String name;
    private final int fd;
    private Pointer batchKeys;
    private Pointer batchValues;
    private Pointer token;
    private Pointer countPtr;
    private boolean batchUnsupported;

    BpfMap(Native nat, String name, int fd) {
        this.nat = nat;
        this.name = name;
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    public String name() {
        return name;
    }

    /** Copies the value of key into value; false when the key is absent. */
    public boolean lookup(byte[] key, byte[] value) {
        return nat.bpf.bpf_map_lookup_elem(fd, key, value) == 0;
    }

    public void update(byte[] key, byte[] value, long flags) throws BpfException {
        int rc = nat.bpf.bpf_map_update_elem(fd, key, value, flags);
        if (rc < 0) {
            throw new BpfException("cannot update map " + name + " (error " + -rc + ")");
        }
    }

    /** Deletes a key; false when it was absent. */
    public boolean delete(byte[] key) {
        return nat.bpf.bpf_map_delete_elem(fd, key) == 0;
    }

    /**
     * Calls fn for every entry with little-endian views of key and value (valid only during the call).
     * Entries added or removed concurrently may or may not be seen, as with any BPF map walk.
     */
    public void forEach(int keySize, int valueSize, BiConsumer<ByteBuffer, ByteBuffer> fn) {
        if (!batchUnsupported && forEachBatch(keySize, valueSize, fn)) {
            return;
        }
        batchUnsupported = true;
        byte[] key = null;
        byte[] next = new byte[keySize];
        byte[] value = new byte[valueSize];
        while (nat.bpf.bpf_map_get_next_key(fd, key, next) == 0) {
            if (lookup(next, value)) {
                fn.accept(le(next), le(value));
            }
            key = next.clone();
        }
    }

    private boolean forEachBatch(int keySize, int valueSize, BiConsumer<ByteBuffer, ByteBuffer> fn) {
        if (batchKeys == null) {
            batchKeys = Memory.allocateDirect(nat.runtime, (long) BATCH * keySize);
            batchValues = Memory.allocateDirect(nat.runtime, (long) BATCH * valueSize);
            token = Memory.allocateDirect(nat.runtime, Math.max(keySize, 8));
            countPtr = Memory.allocateDirect(nat.runtime, 4);
        }
        byte[] k = new byte[keySize];
        byte[] v = new byte[valueSize];
        boolean first = true;
        while (true) {
            countPtr.putInt(0, BATCH);
            int rc = nat.bpf.bpf_map_lookup_batch(fd, first ? null : token, token, batchKeys, batchValues, countPtr, null);
            int n = countPtr.getInt(0);
            if (rc < 0 && rc != -ENOENT) {
                // EINVAL/ENOTSUPP on kernels or map types without batch ops: caller falls back (only before any entry)
                return !first;
            }
            for (int i = 0; i < n; i++) {
                batchKeys.get((long) i * keySize, k, 0, keySize);
                batchValues.get((long) i * valueSize, v, 0, valueSize);
                fn.accept(le(k), le(v));
            }
            if (rc == -ENOENT) {
                return true;
            }
            first = false;
        }
    }

    /** Sums each slot of a per-CPU array of u64 over all possible CPUs. */
    public long[] perCpuSums(int slots) {
        int ncpu = nat.bpf.libbpf_num_possible_cpus();
        long[] sums = new long[slots];
        byte[] value = new byte[8 * Math.max(1, ncpu)];
        for (int i = 0; i < slots; i++) {
            byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array();
            if (lookup(key, value)) {
                ByteBuffer b = le(value);
                for (int c = 0; c < ncpu; c++) {
                    sums[i] += b.getLong(c * 8);
                }
            }
        }
        return sums;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
