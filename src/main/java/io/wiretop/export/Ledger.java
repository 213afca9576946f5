// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.text.SafeText;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds engine snapshots (per-interval byte counts) into counters that never go down, keyed by
 * label set: a process that exits leaves its bytes in its (comm, container) series, because the
 * series is a running sum of interval counts, not a sum over the processes alive (which falls when
 * one exits and reads as a counter reset in Prometheus). Each {@link #fold} returns the whole
 * exposition as immutable snapshots, so a scrape reads no state of this class.
 *
 * <p>Cardinality: one series per (comm, container) and direction, at most
 * {@link MetricsOptions#maxNames} per family; one per container; with {@link MetricsOptions#pidTop}
 * N, at most N {@code pid} series in all, the bytes of other processes in {@code pid="other"} of
 * their name. A pid series that loses its slot (its process exited, or N busier ones took the slots)
 * keeps its last value until one scrape has read it ({@code scrapedView}), then is dropped and frees
 * the slot. A pid series shows the bytes of its process since wiretop saw it, so one that comes back
 * never shows less than before. A container's series go once none of its processes was seen for
 * {@link #CONTAINER_LINGER_NANOS}. Confined to one thread.
 */
public final class Ledger {
    /** The comm of the bytes of names past {@link MetricsOptions#maxNames}. */
    public static final String OTHER_COMM = "[other]";
    /** The pid label of the processes without a series of their own. */
    public static final String OTHER_PID = "other";
    /** How long the series of a container with no process left stay (a gone container's id never returns). */
    static final long CONTAINER_LINGER_NANOS = 600_000_000_000L;
    private static final String HOST = "host";

    private final MetricsOptions opts;
    private final ContainerDirectory directory;
    private final String version;
    private final Map<Group, Bytes> groups = new HashMap<>();
    private final Map<String, Bytes> containers = new HashMap<>();
    private final Map<String, Long> containerSeen = new HashMap<>();
    private final Map<ProcessId, Pid> pids = new HashMap<>();
    /** Pid series, held or released and waiting for a scrape; never more than pidTop. */
    private final Set<ProcessId> slots = new LinkedHashSet<>();
    private Losses losses = Losses.NONE;
    private long skipped;
    private long view;

    private record Group(String comm, String container) {
    }

    /**
     * Monotonic byte counts of one label set: NET receive/transmit, WIRE receive/transmit. A series
     * is made at its first bytes and shows 0 until a scrape has read it ({@link #born}): Prometheus
     * counts no increase into a series' first sample, so a name's first bytes would otherwise be lost
     * to rate() and increase().
     */
    private static final class Bytes {
        static final Bytes ZERO = new Bytes(0);
        long rx, tx, wrx, wtx;
        /** The view in which this series was first exposed. */
        final long born;

        Bytes(long born) {
            this.born = born;
        }

        void add(long[] d) {
            rx += d[0];
            tx += d[1];
            wrx += d[2];
            wtx += d[3];
        }

        Bytes copy() {
            Bytes b = new Bytes(born);
            b.rx = rx;
            b.tx = tx;
            b.wrx = wrx;
            b.wtx = wtx;
            return b;
        }
    }

    private static final class Pid {
        final String comm;
        final String container;
        final Bytes total = new Bytes(0);
        long lastDelta;
        long seenView;
        boolean exited;
        /** The series' value once its slot was released (its last value until scraped); null while held. */
        Bytes frozen;
        long releasedView;

        Pid(String comm, String container) {
            this.comm = comm;
            this.container = container;
        }
    }

    public Ledger(MetricsOptions opts, ContainerDirectory directory, String version) {
        this.opts = opts;
        this.directory = directory;
        this.version = version;
    }

    /** The exposition before the first snapshot: build info only. */
    public Exposition empty() {
        return new Exposition(0, build(Map.of(), 0), false);
    }

    /** Counts snapshots the follower did not see (the engine replaced one before it was taken). */
    public void skipped(long n) {
        skipped += n;
    }

    /**
     * Adds one interval.
     *
     * @param s           the snapshot (its process rows hold the interval's counts)
     * @param scrapedView the newest {@link Exposition#view} a scrape has read (frees released pid slots)
     * @param sockets     sockets by "protocol state" now, or null when unknown
     */
    public Exposition fold(Snapshot s, long scrapedView, Map<String, Long> sockets) {
        view++;
        boolean net = s.collected().contains(Snapshot.NET);
        boolean wire = opts.wire() && s.collected().contains(Snapshot.WIRE);
        if (s.losses() != null) {
            losses = s.losses();
        }
        Map<ProcessId, long[]> deltas = new HashMap<>();
        List<ProcessRow> rows = s.processes();
        for (ProcessRow r : rows) {
            long[] d = {net ? Math.max(0, r.netIn()) : 0, net ? Math.max(0, r.netOut()) : 0,
                    wire ? Math.max(0, r.wireIn()) : 0, wire ? Math.max(0, r.wireOut()) : 0};
            ProcessId id = new ProcessId(r.pid(), r.startTicks());
            deltas.put(id, d);
            String container = r.containerId() == null ? HOST : r.containerId();
            boolean talked = d[0] + d[1] + d[2] + d[3] > 0;
            if (!HOST.equals(container) && (talked || containers.containsKey(container))) {
                containers.computeIfAbsent(container, k -> new Bytes(view)).add(d);
            }
            if (!HOST.equals(container)) {
                containerSeen.put(container, s.monoNanos());
            }
            if (opts.pidTop() > 0 && r.pid() != 0) {
                Pid p = pids.computeIfAbsent(id, k -> new Pid(r.comm(), container));
                p.total.add(d);
                p.lastDelta = d[0] + d[1] + d[2] + d[3];
                p.seenView = view;
                p.exited |= r.exited();
            }
        }
        if (opts.pidTop() > 0) {
            assignSlots(scrapedView);
        }
        for (ProcessRow r : rows) {
            ProcessId id = new ProcessId(r.pid(), r.startTicks());
            Pid p = pids.get(id);
            if (p != null && slots.contains(id) && (p.frozen == null || p.releasedView == view)) {
                continue; // in its own series (which shows the process's whole count)
            }
            long[] d = deltas.get(id);
            Group g = groupOf(r);
            if (d[0] + d[1] + d[2] + d[3] > 0 || groups.containsKey(g)) { // a name that never talked has no series
                groups.computeIfAbsent(g, k -> new Bytes(view)).add(d);
            }
        }
        expireContainers(s.monoNanos());
        return new Exposition(view, build(sockets, scrapedView), true);
    }

    /** Frees the slots scraped since release, releases those of exited processes, gives free slots to the busiest. */
    private void assignSlots(long scrapedView) {
        for (Iterator<ProcessId> it = slots.iterator(); it.hasNext(); ) {
            Pid p = pids.get(it.next());
            if (p.frozen != null && p.releasedView <= scrapedView) {
                it.remove();
            }
        }
        // forget processes that are gone and hold no slot
        pids.entrySet().removeIf(e -> !slots.contains(e.getKey()) && (e.getValue().exited || e.getValue().seenView != view));
        for (ProcessId id : slots) {
            Pid p = pids.get(id);
            if (p.frozen == null && (p.exited || p.seenView != view)) {
                release(p);
            }
        }
        List<Map.Entry<ProcessId, Pid>> busiest = new ArrayList<>();
        for (Map.Entry<ProcessId, Pid> e : pids.entrySet()) {
            Pid p = e.getValue();
            if (!slots.contains(e.getKey()) && !p.exited && p.lastDelta > 0) {
                busiest.add(e);
            }
        }
        busiest.sort(Comparator.comparingLong((Map.Entry<ProcessId, Pid> e) -> -e.getValue().lastDelta)
                .thenComparingLong(e -> e.getKey().pid()));
        for (Map.Entry<ProcessId, Pid> c : busiest) {
            if (slots.size() < opts.pidTop()) {
                slots.add(c.getKey());
                c.getValue().frozen = null; // a process back in the top: its series goes on from its whole count
                continue;
            }
            // all slots taken: the least busy holder gives its slot up (free after the next scrape)
            Pid weakest = null;
            for (ProcessId id : slots) {
                Pid h = pids.get(id);
                if (h.frozen == null && (weakest == null || h.lastDelta < weakest.lastDelta)) {
                    weakest = h;
                }
            }
            // more than twice as busy: two processes of about the same rate do not swap slots every interval
            if (weakest == null || weakest.lastDelta * 2 >= c.getValue().lastDelta) {
                break;
            }
            release(weakest);
        }
    }

    private void release(Pid p) {
        p.frozen = p.total.copy();
        p.releasedView = view;
    }

    private Group groupOf(ProcessRow r) {
        String container = r.containerId() == null ? HOST : r.containerId();
        Group g = new Group(r.comm(), container);
        if (!groups.containsKey(g) && groups.size() >= opts.maxNames()) {
            return new Group(OTHER_COMM, container);
        }
        return g;
    }

    private void expireContainers(long now) {
        for (Iterator<Map.Entry<String, Long>> it = containerSeen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() > CONTAINER_LINGER_NANOS) {
                it.remove();
                containers.remove(e.getKey());
                groups.keySet().removeIf(g -> g.container().equals(e.getKey()));
            }
        }
    }

    /** A series not yet read by a scrape shows 0 (see {@link Bytes}). */
    private static Bytes shown(Bytes b, long scrapedView) {
        return b.born > scrapedView ? Bytes.ZERO : b;
    }

    private MetricSnapshots build(Map<String, Long> sockets, long scrapedView) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        Map<String, Labels> containerLabels = new HashMap<>();
        Families proc = new Families("wiretop_process", opts.wire());
        for (Map.Entry<Group, Bytes> e : groups.entrySet()) {
            Labels l = processLabels(e.getKey().comm(), e.getKey().container(),
                    opts.pidTop() > 0 ? OTHER_PID : null, containerLabels);
            proc.add(l, shown(e.getValue(), scrapedView));
        }
        Set<ProcessId> shown = new HashSet<>(slots);
        for (ProcessId id : shown) {
            Pid p = pids.get(id);
            Labels l = processLabels(p.comm, p.container, Long.toString(id.pid()), containerLabels);
            proc.add(l, p.frozen != null ? p.frozen : p.total);
        }
        proc.into(out, "Payload bytes %s by the sockets of processes, by process name (comm) and container; "
                + "bytes of exited processes stay in their series");
        Families cont = new Families("wiretop_container", opts.wire());
        for (Map.Entry<String, Bytes> e : containers.entrySet()) {
            cont.add(containerLabels(e.getKey(), containerLabels).add("container_name", meta(e.getKey()).name)
                    .add("image", meta(e.getKey()).image), shown(e.getValue(), scrapedView));
        }
        cont.into(out, "Payload bytes %s by the sockets of the processes of a container");
        if (sockets != null) {
            GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("wiretop_connections")
                    .help("Sockets of wiretop's network namespace now, by protocol and state (from /proc/net)");
            for (Map.Entry<String, Long> e : sockets.entrySet()) {
                String[] ps = e.getKey().split(" ", 2);
                g.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("protocol", ps[0], "state", ps[1]))
                        .value(e.getValue()).build());
            }
            out.metricSnapshot(g.build());
        }
        CounterSnapshot.Builder lost = CounterSnapshot.builder().name("wiretop_lost_events")
                .help("Events the kernel side could not record (the byte counts are then lower bounds), by where");
        lost.dataPoint(point(Labels.of("source", "ring_buffer"), losses.ringBufferFull()));
        lost.dataPoint(point(Labels.of("source", "connection_map"), losses.connMapFull()));
        lost.dataPoint(point(Labels.of("source", "syscall_map"), losses.sysMapFull()));
        lost.dataPoint(point(Labels.of("source", "file_map"), losses.fileMapFull()));
        lost.dataPoint(point(Labels.of("source", "exporter"), skipped));
        out.metricSnapshot(lost.build());
        out.metricSnapshot(InfoSnapshot.builder().name("wiretop_build").help("wiretop's version")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build())
                .build());
        return out.build();
    }

    private Labels processLabels(String comm, String container, String pid, Map<String, Labels> cache) {
        Labels l = containerLabels(container, cache).add("comm", SafeText.escape(comm));
        return pid == null ? l : l.add("pid", pid);
    }

    /** container (the id), pod, namespace: empty for host processes (Prometheus stores no empty label). */
    private Labels containerLabels(String container, Map<String, Labels> cache) {
        return cache.computeIfAbsent(container, c -> {
            if (HOST.equals(c)) {
                return Labels.of("container", "", "pod", "", "namespace", "");
            }
            ContainerMeta m = directory.lookup(c);
            return Labels.of("container", SafeText.escape(c), "pod", text(m.pod()), "namespace", text(m.namespace()));
        });
    }

    private record Meta(String name, String image) {
    }

    private Meta meta(String c) {
        ContainerMeta m = directory.lookup(c);
        return new Meta(text(m.name()), text(m.image()));
    }

    private static String text(String s) {
        return s == null ? "" : SafeText.escape(s);
    }

    private static CounterDataPointSnapshot point(Labels l, double v) {
        return CounterDataPointSnapshot.builder().labels(l).value(v).build();
    }

    /** The receive/transmit (and wire) counter families of one prefix, filled series by series. */
    private static final class Families {
        private final String prefix;
        private final boolean wire;
        private final CounterSnapshot.Builder[] b = new CounterSnapshot.Builder[4];
        private static final String[] WHAT = {"network_receive", "network_transmit", "network_wire_receive",
                "network_wire_transmit"};
        private static final String[] VERB = {"received", "transmitted", "received on the wire (IP headers included)",
                "transmitted on the wire (IP headers included)"};

        Families(String prefix, boolean wire) {
            this.prefix = prefix;
            this.wire = wire;
            for (int i = 0; i < 4; i++) {
                b[i] = CounterSnapshot.builder().name(prefix + "_" + WHAT[i] + "_bytes").unit(Unit.BYTES);
            }
        }

        void add(Labels l, Bytes v) {
            b[0].dataPoint(point(l, v.rx));
            b[1].dataPoint(point(l, v.tx));
            if (wire) {
                b[2].dataPoint(point(l, v.wrx));
                b[3].dataPoint(point(l, v.wtx));
            }
        }

        void into(MetricSnapshots.Builder out, String help) {
            for (int i = 0; i < (wire ? 4 : 2); i++) {
                out.metricSnapshot(b[i].help(String.format(help, VERB[i])).build());
            }
        }
    }
}
