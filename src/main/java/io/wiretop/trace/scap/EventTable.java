// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The event table of the libs version sysdig 0.29.3 uses (ids 0..335), loaded from
 * {@code scap/events.tsv} (generated from libs' {@code driver/event_table.c} by
 * {@code scripts/gen-scap-events.py}). Ids at or above {@link #SIZE} are events of newer drivers,
 * which sysdig 0.29.3 skips.
 */
public final class EventTable {
    /** {@code PPM_EVENT_MAX} of that libs version. */
    public static final int SIZE = 336;
    private static final EventInfo[] EVENTS = load();

    private EventTable() {
    }

    /** The entry of an id below {@link #SIZE}, else null. */
    public static EventInfo get(int id) {
        return id >= 0 && id < SIZE ? EVENTS[id] : null;
    }

    private static EventInfo[] load() {
        EventInfo[] t = new EventInfo[SIZE];
        try (InputStream s = EventTable.class.getResourceAsStream("/scap/events.tsv")) {
            if (s == null) {
                throw new IllegalStateException("scap/events.tsv missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                List<String> names = new ArrayList<>();
                List<ParamType> types = new ArrayList<>();
                for (int i = 4; i < f.length; i++) {
                    int c = f[i].lastIndexOf(':');
                    names.add(f[i].substring(0, c));
                    types.add(ParamType.valueOf(f[i].substring(c + 1).substring(3)));
                }
                int id = Integer.parseInt(f[0]);
                t[id] = new EventInfo(id, f[1], f[2], f[3].equals("1"), List.copyOf(names), List.copyOf(types));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < SIZE; i++) {
            if (t[i] == null) {
                throw new IllegalStateException("scap/events.tsv lacks event " + i);
            }
        }
        return t;
    }
}
