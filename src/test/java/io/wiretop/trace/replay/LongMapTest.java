// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongMapTest {
    /** Random puts and removes over a small key range (long probe runs, wrap-around) agree with HashMap. */
    @Test
    void behavesAsAHashMap() {
        Random r = new Random(42);
        for (long range : new long[]{8, 100, 5000, Long.MAX_VALUE}) {
            LongMap<String> m = new LongMap<>();
            Map<Long, String> ref = new HashMap<>();
            for (int n = 0; n < 200_000; n++) {
                long k = range == Long.MAX_VALUE ? r.nextLong() : r.nextLong(range) - range / 2;
                int op = r.nextInt(3);
                if (op == 0) {
                    assertEquals(ref.remove(k), m.remove(k), "remove " + k);
                } else if (op == 1) {
                    String v = "v" + n;
                    assertEquals(ref.put(k, v), m.put(k, v), "put " + k);
                } else {
                    assertEquals(ref.get(k), m.get(k), "get " + k);
                    assertEquals(ref.containsKey(k), m.containsKey(k));
                }
                assertEquals(ref.size(), m.size());
            }
            for (Map.Entry<Long, String> e : ref.entrySet()) {
                assertEquals(e.getValue(), m.get(e.getKey()));
            }
        }
    }

    /** A run wrapping from the table's end to its start: a removal keeps every entry findable. */
    @Test
    void removalInARunThatWrapsAround() {
        LongMap<String> m = new LongMap<>();
        long x = keyWithSlot(m, 62, 0), y = keyWithSlot(m, 63, 0), z = keyWithSlot(m, 0, 0);
        m.put(x, "x");
        m.put(y, "y");
        m.put(z, "z");
        assertEquals("x", m.remove(x));
        assertEquals("y", m.get(y));
        assertEquals("z", m.get(z), "z stays at its home slot 0, not shifted back behind it to 62");
        long w = keyWithSlot(m, 63, y + 1);
        m.put(w, "w"); // home 63 taken by y: wraps to 1
        assertEquals("y", m.remove(y));
        assertEquals("w", m.get(w));
        assertEquals("z", m.get(z));
    }

    private static long keyWithSlot(LongMap<?> m, int slot, long from) {
        for (long k = from; ; k++) {
            if (m.slot(k) == slot) {
                return k;
            }
        }
    }

    @Test
    void clearEmptiesIt() {
        LongMap<Integer> m = new LongMap<>();
        for (int i = 0; i < 1000; i++) {
            m.put(i * 64L, i);
        }
        assertTrue(m.containsKey(640));
        m.clear();
        assertEquals(0, m.size());
        assertFalse(m.containsKey(640));
        assertNull(m.get(0));
        m.put(0, 7);
        assertEquals(7, m.get(0));
    }
}
