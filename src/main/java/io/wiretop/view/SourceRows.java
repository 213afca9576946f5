// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a data source that a filter selects. Usually the filter is tested on each row; but a
 * filter on connection fields ({@code fd.lport = 8080}, {@code fd.rip = 10.0.0.1}) over the
 * Processes source is applied the way sysdig applies it to events, with csysdig then showing the
 * processes those events belong to:
 *
 * <ul>
 *   <li>a process's interval is split into parts: one per connection it used (that connection's
 *       fields, its NET and WIRE bytes, no FILE or syscalls) and the rest (no connection fields, its
 *       FILE and syscalls, NET/WIRE not on a listed connection); process fields (name, user, CPU...)
 *       are the process's in every part;</li>
 *   <li>the process is shown if any part matches, with the counts of the matching parts only:
 *       {@code proc.name = nginx and fd.rport = 443} shows nginx with the NET of its connections to
 *       port 443; {@code not fd.rport = 22} shows every process, without its port-22 traffic.</li>
 * </ul>
 * A filter without connection fields is tested on whole process rows, as before.
 */
public final class SourceRows {
    /** Fields only a connection has: a process-row filter that uses one needs the split. */
    static final Set<String> CONNECTION_ONLY;
    /** The fields of a {@link Part}: a process's and a connection's own. */
    private static final Set<String> PART_FIELDS;

    static {
        Set<String> s = new HashSet<>(ConnectionRow.FIELDS);
        s.removeAll(ProcessRow.FIELDS);
        CONNECTION_ONLY = Set.copyOf(s);
        s.addAll(ProcessRow.FIELDS);
        PART_FIELDS = Set.copyOf(s);
    }

    private SourceRows() {
    }

    /** The rows of {@code source} in {@code snapshot} that {@code filter} selects, in source order. */
    public static List<Row> matching(Snapshot snapshot, String source, Filter filter) {
        List<Row> out = new ArrayList<>();
        if (Snapshot.PROCESSES.equals(source) && usesConnectionFields(filter.root)) {
            byConnections(snapshot, filter, out);
            return out;
        }
        for (Row r : snapshot.rows(source)) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Whether the expression names a field only connections have. */
    static boolean usesConnectionFields(Filter.Node n) {
        if (n instanceof Filter.Node.Cmp c) {
            return CONNECTION_ONLY.contains(c.field());
        }
        if (n instanceof Filter.Node.Exists e) {
            return CONNECTION_ONLY.contains(e.field());
        }
        if (n instanceof Filter.Node.Not not) {
            return usesConnectionFields(not.inner());
        }
        List<Filter.Node> parts = n instanceof Filter.Node.And a ? a.parts()
                : n instanceof Filter.Node.Or o ? o.parts() : List.of();
        return parts.stream().anyMatch(SourceRows::usesConnectionFields);
    }

    private static void byConnections(Snapshot snapshot, Filter filter, List<Row> out) {
        Map<ProcessId, List<ConnectionRow>> conns = new HashMap<>();
        for (ConnectionRow c : snapshot.connections()) {
            conns.computeIfAbsent(new ProcessId(c.pid(), c.startTicks()), k -> new ArrayList<>()).add(c);
        }
        for (ProcessRow p : snapshot.processes()) {
            List<ConnectionRow> cs = conns.getOrDefault(new ProcessId(p.pid(), p.startTicks()), List.of());
            long[] matched = new long[Counts.SLOTS];
            long[] rest = Counts.of(p);
            boolean any = false;
            for (ConnectionRow c : cs) {
                long[] part = Counts.of(c);
                Counts.subtract(rest, part);
                if (filter.test(new Part(Counts.apply(p, part), c))) {
                    Counts.add(matched, part);
                    any = true;
                }
            }
            if (filter.test(new Part(Counts.apply(p, rest), null))) {
                Counts.add(matched, rest);
                any = true;
            }
            if (any) {
                out.add(Counts.apply(p, matched));
            }
        }
    }

    /** One part of a process's interval: the process's fields, with a connection's when there is one. */
    private record Part(ProcessRow process, ConnectionRow conn) implements Row {
        @Override
        public Object get(String field) {
            if (CONNECTION_ONLY.contains(field)) {
                return conn == null ? null : conn.get(field);
            }
            return process.get(field);
        }

        @Override
        public Set<String> fields() {
            return PART_FIELDS;
        }
    }

    /** The per-interval counts of a process row as an array, so parts can be added and subtracted. */
    private static final class Counts {
        static final int NET_IN = 0, NET_OUT = 1, FILE_IN = 2, FILE_OUT = 3, SYSCALLS = 4, WIRE_IN = 5, WIRE_OUT = 6;
        static final int SLOTS = 7;

        static long[] of(ProcessRow p) {
            return new long[]{p.netIn(), p.netOut(), p.fileIn(), p.fileOut(), p.syscalls(), p.wireIn(), p.wireOut()};
        }

        /** A connection's share: its NET and WIRE bytes; FILE and syscalls are never a socket's. */
        static long[] of(ConnectionRow c) {
            return new long[]{Math.max(0, c.bytesIn()), Math.max(0, c.bytesOut()), 0, 0, 0, Math.max(0, c.wireIn()),
                    Math.max(0, c.wireOut())};
        }

        static void subtract(long[] from, long[] part) {
            for (int i = 0; i < SLOTS; i++) {
                from[i] = Math.max(0, from[i] - part[i]);
            }
        }

        static void add(long[] to, long[] part) {
            for (int i = 0; i < SLOTS; i++) {
                to[i] += part[i];
            }
        }

        /** The process row with these counts; a count its collector does not collect stays -1 (blank). */
        static ProcessRow apply(ProcessRow p, long[] c) {
            boolean net = p.netIn() >= 0, file = p.fileIn() >= 0, wire = p.wireIn() >= 0;
            return new ProcessRow(p.pid(), p.ppid(), p.startTicks(), p.comm(), p.cmdline(), p.user(), p.uid(),
                    p.threads(), p.virtBytes(), p.resBytes(), p.cpuPercent(), net ? c[NET_IN] : -1,
                    net ? c[NET_OUT] : -1,
                    file ? c[FILE_IN] : -1, file ? c[FILE_OUT] : -1, p.syscalls() >= 0 ? c[SYSCALLS] : -1,
                    p.containerId(), p.exited(), wire ? c[WIRE_IN] : -1, wire ? c[WIRE_OUT] : -1, p.container());
        }
    }
}
