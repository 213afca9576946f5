// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.FileRow;
import io.wiretop.model.PacketRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SyscallRow;
import io.wiretop.model.ThreadRow;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the view engine knows about field names: which fields each data source has, and the kind
 * of value a field holds (which decides the default display format and sort direction).
 */
public final class Fields {
    private Fields() {
    }

    /** Field sets per source name, as declared by the model rows. */
    public static final Map<String, Set<String>> BY_SOURCE = Map.of(
            Snapshot.PROCESSES, ProcessRow.FIELDS,
            Snapshot.CONNECTIONS, ConnectionRow.FIELDS,
            Snapshot.THREADS, ThreadRow.FIELDS,
            Snapshot.FILES, FileRow.FIELDS,
            Snapshot.SYSCALLS, SyscallRow.FIELDS,
            Snapshot.PACKETS, PacketRow.FIELDS);

    /** Every field of every source (what a filter typed by the user may use). */
    public static final Set<String> ALL;

    static {
        Set<String> all = new HashSet<>();
        BY_SOURCE.values().forEach(all::addAll);
        ALL = Set.copyOf(all);
    }

    /** Kind of the values of a field. */
    public enum Kind {
        /** free text: names, addresses, command lines */
        TEXT,
        /** identifiers shown as plain integers, right-aligned (pids, uids, cookies) */
        ID,
        /** port numbers: plain integers, left-aligned like csysdig */
        PORT,
        /** fractional numbers such as CPU percent */
        DOUBLE,
        /** counts of bytes or calls: 1024-based suffixes */
        COUNT
    }

    private static final Set<String> TEXT = Set.of("proc.name", "proc.exeline", "user.name", "container.id",
            "container.image", "container.type", "k8s.pod.name", "k8s.ns.name",
            "container.name", "fd.l4proto", "fd.lip", "fd.rip", "fd.name", "fd.type", "evt.type", "evt.res", "evt.failed",
            "thread.name", "evt.time", "evt.dir", "net.if", "pkt.src", "pkt.dst", "pkt.flags", "pkt.info");
    private static final Set<String> ID = Set.of("proc.pid", "proc.ppid", "thread.tid", "user.uid", "fd.cookie",
            "proc.start", "proc.exited", "evt.num",
            // a packet's length is shown exactly (1514, not "1K"): it is read as a size, not a volume
            "pkt.len");
    private static final Set<String> PORT = Set.of("fd.lport", "fd.rport", "fd.sport", "fd.cport");
    private static final Set<String> DOUBLE = Set.of("thread.cpu");

    /** The kind of a field (unknown fields are treated as counts). */
    public static Kind kind(String field) {
        if (TEXT.contains(field)) {
            return Kind.TEXT;
        }
        if (ID.contains(field)) {
            return Kind.ID;
        }
        if (PORT.contains(field)) {
            return Kind.PORT;
        }
        if (DOUBLE.contains(field)) {
            return Kind.DOUBLE;
        }
        return Kind.COUNT;
    }

    /** The fields of a source, or null for an unknown source. */
    public static Set<String> of(String source) {
        return BY_SOURCE.get(source);
    }

    /** Sorted source names, for messages. */
    public static Set<String> sources() {
        return new TreeSet<>(BY_SOURCE.keySet());
    }
}
