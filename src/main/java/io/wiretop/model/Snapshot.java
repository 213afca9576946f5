// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the screen or the printer shows for one refresh interval. Immutable: the capture
 * thread builds it and publishes it; the UI thread only reads it.
 *
 * @param seq             1 for the first interval, then +1 per tick
 * @param monoNanos       end of the interval on the monotonic clock
 * @param intervalSeconds length of the interval; rates are counts divided by it
 * @param sources         rows per data source name: "processes", "connections", "threads", "files",
 *                        "syscalls" (a source that is not collected is absent or empty)
 * @param sourceLabel     "Live System" or the file name and its event count/duration
 * @param collected       which counter sets ({@link #NET}, {@link #FILE_IO}, {@link #WIRE}) cover this
 *                        interval: a column that needs one that is missing is hidden, not blank
 */
public record Snapshot(long seq, long monoNanos, double intervalSeconds, Map<String, List<? extends Row>> sources,
                       Losses losses, String sourceLabel, Set<String> collected) {

    /** Counter set: payload bytes and calls on sockets (NET columns). */
    public static final String NET = "net";
    /** Counter set: file bytes and syscall counts (FILE columns; files and syscalls sources). */
    public static final String FILE_IO = "file";
    /** Counter set: bytes on the wire, from the packet hooks (WIRE columns). */
    public static final String WIRE = "wire";
    /** Not a counter set: some process runs in a container (columns naming containers are shown then). */
    public static final String CONTAINERS = "containers";
    /** Likewise: some container is known to be in a pod (the Pods view is offered then). */
    public static final String PODS = "pods";
    /** Every counter set. */
    public static final Set<String> ALL_COUNTERS = Set.of(NET, FILE_IO, WIRE);

    public Snapshot {
        collected = collected == null ? ALL_COUNTERS : Set.copyOf(collected);
    }

    /** A snapshot with every counter set collected (tests, feeds without optional collectors). */
    public Snapshot(long seq, long monoNanos, double intervalSeconds, Map<String, List<? extends Row>> sources,
                    Losses losses, String sourceLabel) {
        this(seq, monoNanos, intervalSeconds, sources, losses, sourceLabel, ALL_COUNTERS);
    }

    public static final String PROCESSES = "processes";
    public static final String CONNECTIONS = "connections";
    public static final String THREADS = "threads";
    public static final String FILES = "files";
    public static final String SYSCALLS = "syscalls";
    /** The newest captured packets (bounded history), oldest first; only while a Packets view asks. */
    public static final String PACKETS = "packets";

    /** The wiretop option that turns on collecting a source, or null for the sources always collected. */
    public static String collectorOption(String source) {
        return switch (source) {
            case FILES, SYSCALLS -> "-F (--file-io)";
            case PACKETS -> "-W (--wire)";
            default -> null;
        };
    }

    /** The rows of one source; empty when the source is not collected. */
    public List<? extends Row> rows(String source) {
        return sources.getOrDefault(source, List.of());
    }

    @SuppressWarnings("unchecked")
    public List<ProcessRow> processes() {
        return (List<ProcessRow>) rows(PROCESSES);
    }

    @SuppressWarnings("unchecked")
    public List<ConnectionRow> connections() {
        return (List<ConnectionRow>) rows(CONNECTIONS);
    }
}
