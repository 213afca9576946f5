// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import java.util.Arrays;

/**
 * A hash map from long keys, without boxing: the replay looks up the thread of every event by its
 * tid, and {@code HashMap<Long, …>} made a {@code Long} per lookup (the largest allocation of a
 * replay). Open addressing with linear probing; removal shifts the following entries back, so no
 * tombstones. Null values are not stored. Not thread-safe.
 */
final class LongMap<V> {
    private long[] keys = new long[64];
    private Object[] values = new Object[64];
    private int size;

    /** The home slot of a key in the current table (package-private for the test of runs that wrap around). */
    int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: consecutive tids spread over the table
        return (int) (h >>> 32) & (keys.length - 1);
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    /** Maps key to value (not null); the previous value or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        int mask = keys.length - 1;
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return null;
    }

    /** Removes key; its value or null. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                break;
            }
        }
        if (values[i] == null) {
            return null;
        }
        V old = (V) values[i];
        // shift back each following entry of the run whose home slot does not lie in (i, j]
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            boolean between = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        values[i] = null;
        size--;
        return old;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] k = keys;
        Object[] v = values;
        keys = new long[k.length * 2];
        values = new Object[v.length * 2];
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (v[i] != null) {
                put(k[i], (V) v[i]);
            }
        }
    }
}
