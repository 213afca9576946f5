// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Copies the value of key into value and deletes the entry, atomically (what the BPF programs add
     * meanwhile is either in the copy or goes to a new entry); false when the key is absent.
     */
    public boolean lookupAndDelete(byte[] key, byte[] value) {
        return nat.bpf.bpf_map_lookup_and_delete_elem(fd, key, value) == 0;
    }

    /** Deletes a key; false when it was absent. */
    public boolean delete(byte[] key) {
        return nat.bpf.bpf_map_delete_elem(fd, key) == 0;
    }

    /**
     * Calls fn for every entry with little-endian views of key and value (valid only during the call).
     * Entries added or removed concurrently may or may not be seen, as with any BPF map walk.
     * The map is copied first ({@link #copy}) and fn called afterwards.
     *
     * @return System.nanoTime() when the copy was complete: the moment the values are from
     */
    public long forEach(int keySize, int valueSize, BiConsumer<ByteBuffer, ByteBuffer> fn) {
        Copy c = copy(keySize, valueSize);
        c.forEach(fn);
        return c.at();
    }

    /**
     * Copies every entry (bulk copies only, nothing else in between), so that the values are those
     * of one short moment: a walk interleaved with per-entry work spread over 100s of ms on a busy
     * machine, and two maps read one after the other were then far apart.
     */
    public Copy copy(int keySize, int valueSize) {
        long from = System.nanoTime();
        if (!batchUnsupported) {
            Copy c = copyBatch(keySize, valueSize, from);
            if (c != null) {
                return c;
            }
        }
        batchUnsupported = true;
        List<byte[]> keys = new ArrayList<>(), values = new ArrayList<>();
        byte[] key = null;
        byte[] next = new byte[keySize];
        while (nat.bpf.bpf_map_get_next_key(fd, key, next) == 0) {
            byte[] value = new byte[valueSize];
            if (lookup(next, value)) {
                keys.add(next.clone());
                values.add(value);
            }
            key = next.clone();
        }
        return new Copy(keys, values, keySize, valueSize, from, System.nanoTime());
    }

    /** The batched copy; null when batches are not supported (known before any entry was seen). */
    private Copy copyBatch(int keySize, int valueSize, long from) {
        if (batchKeys == null) {
            batchKeys = Memory.allocateDirect(nat.runtime, (long) BATCH * keySize);
            batchValues = Memory.allocateDirect(nat.runtime, (long) BATCH * valueSize);
            token = Memory.allocateDirect(nat.runtime, Math.max(keySize, 8));
            countPtr = Memory.allocateDirect(nat.runtime, 4);
        }
        List<byte[]> keys = new ArrayList<>(), values = new ArrayList<>();
        boolean first = true;
        while (true) {
            countPtr.putInt(0, BATCH);
            int rc = nat.bpf.bpf_map_lookup_batch(fd, first ? null : token, token, batchKeys, batchValues, countPtr, null);
            int n = countPtr.getInt(0);
            if (rc < 0 && rc != -ENOENT) {
                // EINVAL/ENOTSUPP on kernels or map types without batch ops: caller falls back (only before any entry)
                return first ? null : new Copy(keys, values, keySize, valueSize, from, System.nanoTime());
            }
            byte[] kb = new byte[n * keySize], vb = new byte[n * valueSize];
            batchKeys.get(0, kb, 0, kb.length);
            batchValues.get(0, vb, 0, vb.length);
            keys.add(kb);
            values.add(vb);
            if (rc == -ENOENT) {
                return new Copy(keys, values, keySize, valueSize, from, System.nanoTime());
            }
            first = false;
        }
    }

    /** The entries of a map as copied at one moment ({@link #at}). */
    public static final class Copy {
        private final List<byte[]> keys, values; // chunks of whole entries
        private final int keySize, valueSize;
        private final long from, at;

        Copy(List<byte[]> keys, List<byte[]> values, int keySize, int valueSize, long from, long at) {
            this.from = from;
            this.keys = keys;
            this.values = values;
            this.keySize = keySize;
            this.valueSize = valueSize;
            this.at = at;
        }

        /** System.nanoTime() when the copy was complete. */
        public long at() {
            return at;
        }

        /** System.nanoTime() when the copy started: the values are from between this and {@link #at}. */
        public long from() {
            return from;
        }

        /** Calls fn for every entry with little-endian views of key and value (valid only during the call). */
        public void forEach(BiConsumer<ByteBuffer, ByteBuffer> fn) {
            for (int b = 0; b < keys.size(); b++) {
                byte[] kb = keys.get(b), vb = values.get(b);
                for (int i = 0; i < kb.length / keySize; i++) {
                    fn.accept(ByteBuffer.wrap(kb, i * keySize, keySize).slice().order(ByteOrder.LITTLE_ENDIAN),
                            ByteBuffer.wrap(vb, i * valueSize, valueSize).slice().order(ByteOrder.LITTLE_ENDIAN));
                }
            }
        }
    }

    /** Slot {@code slot} of a per-CPU array of u64, one value per possible CPU (zeros when absent). */
    public long[] perCpuValues(int slot) {
        int ncpu = Math.max(1, nat.bpf.libbpf_num_possible_cpus());
        long[] out = new long[ncpu];
        byte[] value = new byte[8 * ncpu];
        if (lookup(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(slot).array(), value)) {
            ByteBuffer b = le(value);
            for (int c = 0; c < ncpu; c++) {
                out[c] = b.getLong(c * 8);
            }
        }
        return out;
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
