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
    private static final String[] SYSCALLS = loadSyscalls();

    private EventTable() {
    }

    /** The entry of an id below {@link #SIZE}, else null. */
    public static EventInfo get(int id) {
        return id >= 0 && id < SIZE ? EVENTS[id] : null;
    }

    /**
     * The name of a {@code PPM_SC_*} syscall code (the ID parameter of a generic event, ids 0/1),
     * as sysdig prints it, or null for a code it does not know.
     */
    public static String syscallName(int code) {
        return code > 0 && code < SYSCALLS.length ? SYSCALLS[code] : null;
    }

    /** The {@code PPM_SC_*} code of a syscall name (the reverse of {@link #syscallName}), 0 when unknown. */
    public static int syscallCode(String name) {
        for (int i = 1; i < SYSCALLS.length; i++) {
            if (SYSCALLS[i].equals(name)) {
                return i;
            }
        }
        return 0;
    }

    private static String[] loadSyscalls() {
        List<String> names = new ArrayList<>();
        for (String[] f : rows("/scap/syscalls.tsv")) {
            if (Integer.parseInt(f[0]) != names.size()) {
                throw new IllegalStateException("scap/syscalls.tsv out of order at " + f[0]);
            }
            names.add(f[1]);
        }
        return names.toArray(new String[0]);
    }

    private static List<String[]> rows(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream s = EventTable.class.getResourceAsStream(resource)) {
            if (s == null) {
                throw new IllegalStateException(resource + " missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    rows.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static EventInfo[] load() {
        EventInfo[] t = new EventInfo[SIZE];
        for (String[] f : rows("/scap/events.tsv")) {
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
        for (int i = 0; i < SIZE; i++) {
            if (t[i] == null) {
                throw new IllegalStateException("scap/events.tsv lacks event " + i);
            }
        }
        return t;
    }
}
