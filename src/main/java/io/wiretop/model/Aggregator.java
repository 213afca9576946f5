// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns cumulative kernel counters, /proc scans and process events into one immutable
 * {@link Snapshot} per tick: per-interval deltas, CPU percentages, process names for short-lived
 * processes, and the list of kernel entries that can be deleted.
 *
 * <p>Every interval is measured between two reads of the counters: the first one from the baseline
 * read when counting started ({@link #start}), so counts from before it (the kernel counts from the
 * moment a program is attached, while the other objects are still loading) never inflate the first
 * interval. Rates come only from a valid previous sample: a process not in the previous /proc scan
 * has no CPU figure yet, and a kernel entry not in the previous read counts from zero (entries appear
 * at first I/O). Processes are keyed by {@link ProcessId}, so a reused pid never merges two
 * processes. Confined to the capture thread; does no I/O itself (what it must read comes through
 * {@link InfoSource}).
 */
public final class Aggregator {
    /** Socket entries unchanged this long are dropped from the kernel map (their counts were read). */
    static final long IDLE_NANOS = 60_000_000_000L;
    /** Per-process interval counts: NET in/out, FILE in/out, syscalls, WIRE in/out. */
    private static final int IO_SLOTS = 7;
    /** Wire bytes of packets whose socket has no known process. */
    static final ProcessId UNATTRIBUTED = new ProcessId(0, 0);
    /**
     * How many gone processes keep their names: packets can reach a socket after its process
     * exited (the peer's FIN, data still queued when it exited), and their WIRE bytes are still
     * that process's.
     */
    static final int DEPARTED_NAMES = 4096;

    private final InfoSource info;
    private final Map<ProcessId, ProcessInfo> infos = new HashMap<>();
    private final Map<ProcessId, ProcessInfo> departed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ProcessId, ProcessInfo> eldest) {
            return size() > DEPARTED_NAMES;
        }
    };
    /** Gone processes whose WIRE entries still changed at the last read: deleted once idle. */
    private final Set<ProcessId> lingering = new HashSet<>();
    /** Exits drained after this tick's counters were read (before its tick): final only after the next read. */
    private final List<ProcessId> laterExits = new ArrayList<>();
    private final Map<ProcessId, Long> prevCpu = new HashMap<>();
    private final Map<ProcessId, Long> prevThreadCpu = new HashMap<>();
    private final Map<Cleanup.ConnRef, ConnPrev> prevConn = new HashMap<>();
    private final Map<Cleanup.ConnRef, ConnPrev> prevWire = new HashMap<>();
    private final Map<KernelSample.Sys, Long> prevSys = new HashMap<>();
    private final Map<FileKey, long[]> prevFile = new HashMap<>();
    private final Map<FileKey, String> filePaths = new HashMap<>();
    private final Set<ProcessId> exited = new HashSet<>();
    private final Set<ProcessId> vanished = new HashSet<>();
    /**
     * Processes whose final row was sent while /proc still lists them: zombies their parent has not
     * reaped yet. They are not shown again (they used to come back as a live row named "[comm]"
     * until reaped); an entry is dropped once its pid leaves /proc, so the set stays small.
     */
    private final Set<ProcessId> finished = new HashSet<>();
    private long lastMono = -1;
    private long seq;

    private static final class ConnPrev {
        long in, out, opsIn, opsOut, changedMono;
    }

    private record FileKey(ProcessId id, long dev, long ino) {
    }

    private final boolean netOn;
    /** Whether the FILE/WIRE counters cover the interval being closed: per tick (live collectors attach on demand). */
    private boolean fileIo;
    private boolean wireOn;

    /** An aggregator with every collector on (tests, replay). */
    /** Names containers from their runtime (never blocks); ids only until {@link #useContainers} says otherwise. */
    private ContainerDirectory containers = ContainerDirectory.idsOnly();

    /** Where container names, images and pods come from (the live feed's runtime sockets). */
    public void useContainers(ContainerDirectory directory) {
        this.containers = directory;
    }

    /** What is known of a row's container: null for host processes (and rows of no process). */
    private ContainerMeta metaOf(String containerId) {
        return containerId == null || containerId.isEmpty() || containerId.equals("host") ? null
                : containers.lookup(containerId);
    }

    public Aggregator(InfoSource info) {
        this(info, true, true);
    }

    /**
     * @param fileIo whether FILE bytes and syscalls are collected; if not, rows carry -1 (shown blank)
     * @param wire   whether WIRE bytes are collected; likewise
     */
    public Aggregator(InfoSource info, boolean fileIo, boolean wire) {
        this(info, true, fileIo, wire);
    }

    /**
     * @param net whether NET (socket payload) counts exist; not in a packet file, whose connections
     *            come with WIRE counts only: rows then carry -1 for NET bytes and calls (shown blank)
     */
    public Aggregator(InfoSource info, boolean net, boolean fileIo, boolean wire) {
        this.info = info;
        this.netOn = net;
        this.fileIo = fileIo;
        this.wireOn = wire;
    }

    /** {@link #start(long, KernelSample, ProcessScan)} without a baseline (every counter starts at zero). */
    public void start(long monoNanos, ProcessScan alive) {
        start(monoNanos, new KernelSample(List.of(), List.of(), List.of(), Losses.NONE), alive);
    }

    /**
     * Reads the names of the processes alive now (slow: several /proc files each), so that one that
     * exits before the first tick is still named. Called before the baseline is read, so that this
     * work does not stretch the first interval.
     */
    public void learn(ProcessScan alive) {
        for (ProcessId id : alive.processes().keySet()) {
            if (!infos.containsKey(id)) {
                ProcessInfo pi = info.read(id);
                if (pi != null) {
                    infos.put(id, pi);
                }
            }
        }
    }

    /**
     * Marks when counting starts: the first interval runs from monoNanos, the instant the baseline
     * was read, and every count in the baseline belongs to the time before it. The /proc scan taken
     * right after is the first CPU sample, so the first interval has CPU figures too. Names the
     * processes {@link #learn} has not seen.
     */
    public void start(long monoNanos, KernelSample baseline, ProcessScan alive) {
        lastMono = monoNanos;
        for (KernelSample.Conn c : baseline.conns()) {
            ConnPrev p = fresh(monoNanos);
            p.in = c.bytesIn();
            p.out = c.bytesOut();
            p.opsIn = c.opsIn();
            p.opsOut = c.opsOut();
            prevConn.put(new Cleanup.ConnRef(c.id(), c.cookie()), p);
        }
        for (KernelSample.Wire w : baseline.wire()) {
            ConnPrev p = fresh(monoNanos);
            p.in = w.bytesIn();
            p.out = w.bytesOut();
            prevWire.put(new Cleanup.ConnRef(w.id(), w.cookie()), p);
        }
        for (KernelSample.Sys c : baseline.syscalls()) {
            prevSys.put(new KernelSample.Sys(c.id(), c.nr(), c.err(), 0), c.calls());
        }
        for (KernelSample.FileIo f : baseline.files()) {
            prevFile.put(new FileKey(f.id(), f.dev(), f.ino()), new long[]{f.bytesIn(), f.bytesOut(), f.ops()});
        }
        for (Map.Entry<ProcessId, ProcStat> e : alive.processes().entrySet()) {
            prevCpu.put(e.getKey(), e.getValue().cpuTicks());
        }
        learn(alive);
    }

    /** Takes a process event (in ring-buffer order) drained before the counters of the next tick were read. */
    public void onEvent(ProcEvent e) {
        ProcessId id = e.id();
        switch (e.type()) {
            case ProcEvent.EXEC -> {
                // exec keeps the cgroup, but a container's first process is forked on the host and moved
                // into the container's cgroup before it execs: /proc now, else what was known, else the parent's
                ProcessInfo before = infos.get(id);
                String now = info.containerNow(id);
                now = now != null ? now : before != null ? before.containerId() : null;
                infos.put(id, new ProcessInfo(e.comm(), e.args().isEmpty() ? e.comm() : e.args(),
                        e.ppid(), e.uid(), info.userName(e.uid()), now != null ? now : containerOf(parentOf(e.ppid()))));
            }
            case ProcEvent.FORK -> infos.computeIfAbsent(id, k -> forkedInfo(e));
            case ProcEvent.EXIT -> {
                exited.add(id);
                nameIfUnknown(e);
            }
            default -> {
            }
        }
    }

    /**
     * Takes an event drained after the tick's counters were read, before its /proc scan: a process
     * that started just before the read and already exited has counters but no /proc entry, and only
     * these events name it. Its exit counts from the next tick on: it may have done I/O after the read.
     */
    public void onLateEvent(ProcEvent e) {
        if (e.type() == ProcEvent.EXIT) {
            laterExits.add(e.id());
            nameIfUnknown(e);
        } else {
            onEvent(e);
        }
    }

    /** Fork and exec come first in the ring; an exit names a process only if they were lost. */
    private void nameIfUnknown(ProcEvent e) {
        if (known(e.id()) == null) {
            infos.put(e.id(), forkedInfo(e));
        }
    }

    private ProcessInfo forkedInfo(ProcEvent e) {
        // a forked child runs its parent's program with its parent's argv until it execs; a fork
        // that names the child's command line (a replayed clone exit: its exe and args, which
        // csysdig shows even when the parent is unknown) is taken as it is
        ProcessInfo parent = parentOf(e.ppid());
        String cmd = !e.args().isEmpty() ? e.args() : parent != null ? parent.cmdline() : e.comm();
        return new ProcessInfo(e.comm(), cmd, e.ppid(), e.uid(), info.userName(e.uid()), containerOf(parent));
    }

    /** What is known of the live process with this pid, or null. */
    private ProcessInfo parentOf(long ppid) {
        for (Map.Entry<ProcessId, ProcessInfo> p : infos.entrySet()) {
            if (p.getKey().pid() == ppid) {
                return p.getValue();
            }
        }
        return null;
    }

    private static String containerOf(ProcessInfo parent) {
        return parent != null ? parent.containerId() : "host";
    }

    /**
     * Closes the interval that ends at monoNanos. The kernel sample must be read before the /proc
     * scan, so that a process missing from the scan has really exited and its counts are final.
     */
    public Result tick(long monoNanos, KernelSample k, ProcessScan scan, List<Long> closedCookies, String label) {
        return tick(monoNanos, k, scan, closedCookies, label, fileIo, wireOn);
    }

    /**
     * {@link #tick(long, KernelSample, ProcessScan, List, String)} for an interval whose FILE and
     * WIRE counters are collected as said here. A set that is not collected gives null columns and
     * no files/syscalls rows; whatever counts the sample holds for it are its baseline (the
     * collector attached during this interval: its first delta is the next, full, interval).
     */
    public Result tick(long monoNanos, KernelSample k, ProcessScan scan, List<Long> closedCookies, String label,
                       boolean fileNow, boolean wireNow) {
        this.fileIo = fileNow;
        this.wireOn = wireNow;
        if (!fileNow) { // what a detached program counted is gone; a re-attached one counts from zero
            prevSys.clear();
            prevFile.clear();
        }
        if (!wireNow) {
            prevWire.clear();
        }
        double seconds = lastMono < 0 ? 0 : (monoNanos - lastMono) / 1e9;
        boolean rates = lastMono >= 0;
        Map<ProcessId, long[]> io = new HashMap<>(); // IO_SLOTS per process
        Map<ProcessId, long[]> baseline = new HashMap<>(); // counts of a set not collected: read, not shown
        Map<Cleanup.ConnRef, long[]> wire = wire(monoNanos, k, wireNow ? io : baseline);
        List<ConnectionRow> conns = connections(monoNanos, k, scan, io, wireNow ? wire : Map.of());
        List<SyscallRow> sys = syscalls(k, fileNow ? io : baseline);
        List<FileRow> files = files(k, fileNow ? io : baseline);

        Set<ProcessId> gone = new HashSet<>();
        Map<ProcessId, ProcessRow> rows = new LinkedHashMap<>();
        finished.retainAll(scan.processes().keySet());
        for (Map.Entry<ProcessId, ProcStat> e : scan.processes().entrySet()) {
            ProcessId id = e.getKey();
            if (finished.contains(id)) {
                continue;
            }
            ProcStat st = e.getValue();
            ProcessInfo pi = infos.get(id);
            if (pi == null || !pi.comm().equals(st.comm())) {
                // first sight, or it exec'd (or renamed itself) since its fork event: /proc knows better
                ProcessInfo r = info.read(id);
                pi = r != null ? r : new ProcessInfo(st.comm(), st.comm(), st.ppid(), -1, "", "host");
                infos.put(id, pi);
            }
            Long prev = prevCpu.put(id, st.cpuTicks());
            // cpuTicks -1: the scan knows no CPU time (a packet file): blank, not 0%
            double cpu = rates && prev != null && prev >= 0 && st.cpuTicks() >= 0 && seconds > 0
                    ? (st.cpuTicks() - prev) / (seconds * 100) * 100 : -1;
            rows.put(id, row(id, pi, st.ppid(), st.threads(), st.vsizeBytes(), st.rssBytes(), cpu,
                    io.getOrDefault(id, new long[IO_SLOTS]), exited.contains(id)));
        }
        // processes with kernel entries that are no longer in /proc, and exits seen as events: one last row
        Set<ProcessId> finals = kernelIds(k);
        finals.addAll(io.keySet());
        finals.addAll(exited);
        Set<ProcessId> missing = new HashSet<>();
        finals.remove(UNATTRIBUTED);
        if (io.containsKey(UNATTRIBUTED)) {
            rows.put(UNATTRIBUTED, row(UNATTRIBUTED, new ProcessInfo("[unattributed]", "[packets without a known process]",
                    0, -1, "", "host"), 0, 0, 0, 0, -1, io.get(UNATTRIBUTED), false));
        }
        for (ProcessId id : finals) {
            boolean alive = scan.processes().containsKey(id);
            if (exited.contains(id)) {
                // its exit event was drained before the counters were read: they are final
                gone.add(id);
            } else if (!alive) {
                missing.add(id);
            }
            if (alive || (vanished.contains(id) && !io.containsKey(id))) {
                continue;
            }
            ProcessInfo pi = infos.get(id);
            if (pi == null && !io.containsKey(id)) {
                continue; // exited before we knew anything of it, or already had its last row; and did no I/O
            }
            if (pi == null) {
                pi = departed.getOrDefault(id, new ProcessInfo("<unknown>", "<unknown>", 0, -1, "", "host"));
            }
            rows.put(id, row(id, pi, pi.ppid(), 0, 0, 0, -1, io.getOrDefault(id, new long[IO_SLOTS]), true));
        }
        // a process gone from /proc without an exit event may have done I/O after the counters were
        // read: its entries are read once more at the next tick, and only then deleted
        for (ProcessId id : missing) {
            if (vanished.contains(id)) {
                gone.add(id);
            }
        }
        vanished.clear();
        missing.removeAll(gone);
        vanished.addAll(missing);
        // processes that left /proc without a trace in the kernel maps: only forget them
        for (ProcessId id : prevCpu.keySet()) {
            if (!scan.processes().containsKey(id) && !finals.contains(id)) {
                gone.add(id);
            }
        }
        for (ProcessId id : gone) {
            if (exited.contains(id) && scan.processes().containsKey(id)) {
                finished.add(id);
            }
        }
        List<ThreadRow> threads = threads(scan, seconds, rates);
        List<Cleanup.ConnRef> staleConns = forget(gone, monoNanos, closedCookies);
        exited.addAll(laterExits); // final from the next read on
        laterExits.clear();
        lastMono = monoNanos;
        seq++;
        Map<String, List<? extends Row>> sources = new HashMap<>();
        sources.put(Snapshot.PROCESSES, List.copyOf(rows.values()));
        sources.put(Snapshot.CONNECTIONS, List.copyOf(conns));
        if (fileIo) { // an absent source is one that is not collected, not one that is idle
            sources.put(Snapshot.SYSCALLS, List.copyOf(sys));
            sources.put(Snapshot.FILES, List.copyOf(files));
        }
        // threads are scanned only while a view shows them: until then the source is empty, not absent
        sources.put(Snapshot.THREADS, threads == null ? List.of() : List.copyOf(threads));
        Set<String> collected = new HashSet<>();
        for (ProcessRow r : rows.values()) {
            if (r.container() != null) {
                collected.add(Snapshot.CONTAINERS);
                if (r.container().pod() != null) {
                    collected.add(Snapshot.PODS);
                }
            }
        }
        if (netOn) {
            collected.add(Snapshot.NET);
        }
        if (fileNow) {
            collected.add(Snapshot.FILE_IO);
        }
        if (wireNow) {
            collected.add(Snapshot.WIRE);
        }
        Snapshot snap = new Snapshot(seq, monoNanos, seconds, Map.copyOf(sources), k.losses(), label, collected);
        return new Result(snap, new Cleanup(List.copyOf(gone), staleConns, closedCookies));
    }

    private static Set<ProcessId> kernelIds(KernelSample k) {
        Set<ProcessId> ids = new HashSet<>();
        k.conns().forEach(c -> ids.add(c.id()));
        k.syscalls().forEach(c -> ids.add(c.id()));
        k.files().forEach(c -> ids.add(c.id()));
        k.wire().forEach(c -> ids.add(c.id()));
        return ids;
    }

    /** A snapshot and what the capture side may now delete from the kernel maps. */
    public record Result(Snapshot snapshot, Cleanup cleanup) {
    }

    private ProcessRow row(ProcessId id, ProcessInfo pi, long ppid, long threads, long virt, long res, double cpu,
                           long[] io, boolean isExited) {
        long n = netOn ? 0 : -1, f = fileIo ? 0 : -1, w = wireOn ? 0 : -1; // -1: not collected
        return new ProcessRow(id.pid(), ppid, id.startTicks(), pi.comm(), pi.cmdline(), pi.user(), pi.uid(), threads,
                virt, res, cpu, io[0] + n, io[1] + n, io[2] + f, io[3] + f, io[4] + f, pi.containerId(), isExited,
                io[5] + w, io[6] + w, metaOf(pi.containerId()));
    }

    /** WIRE deltas per (process, socket); adds them to the processes' counts. */
    private Map<Cleanup.ConnRef, long[]> wire(long mono, KernelSample k, Map<ProcessId, long[]> io) {
        Map<Cleanup.ConnRef, long[]> out = new HashMap<>();
        for (KernelSample.Wire w : k.wire()) {
            Cleanup.ConnRef ref = new Cleanup.ConnRef(w.id(), w.cookie());
            ConnPrev p = prevWire.computeIfAbsent(ref, r -> fresh(mono));
            long dIn = delta(w.bytesIn(), p.in), dOut = delta(w.bytesOut(), p.out);
            p.in = w.bytesIn();
            p.out = w.bytesOut();
            if (dIn == 0 && dOut == 0) {
                continue;
            }
            p.changedMono = mono;
            out.put(ref, new long[]{dIn, dOut});
            long[] acc = io.computeIfAbsent(w.id(), x -> new long[IO_SLOTS]);
            acc[5] += dIn;
            acc[6] += dOut;
        }
        for (KernelSample.Wire w : k.wireLate()) { // counted after the entry's last read, before its deletion
            long[] acc = io.computeIfAbsent(w.id(), x -> new long[IO_SLOTS]);
            acc[5] += w.bytesIn();
            acc[6] += w.bytesOut();
            long[] c = out.computeIfAbsent(new Cleanup.ConnRef(w.id(), w.cookie()), r -> new long[2]);
            c[0] += w.bytesIn();
            c[1] += w.bytesOut();
        }
        return out;
    }

    private static ConnPrev fresh(long mono) {
        ConnPrev p = new ConnPrev();
        p.changedMono = mono;
        return p;
    }

    private List<ConnectionRow> connections(long mono, KernelSample k, ProcessScan scan, Map<ProcessId, long[]> io,
                                            Map<Cleanup.ConnRef, long[]> wire) {
        List<ConnectionRow> out = new ArrayList<>();
        for (KernelSample.Conn c : k.conns()) {
            Cleanup.ConnRef ref = new Cleanup.ConnRef(c.id(), c.cookie());
            ConnPrev p = prevConn.computeIfAbsent(ref, r -> fresh(mono));
            long dIn = delta(c.bytesIn(), p.in), dOut = delta(c.bytesOut(), p.out);
            long dOpsIn = delta(c.opsIn(), p.opsIn), dOpsOut = delta(c.opsOut(), p.opsOut);
            p.in = c.bytesIn();
            p.out = c.bytesOut();
            p.opsIn = c.opsIn();
            p.opsOut = c.opsOut();
            long[] w = wire.getOrDefault(ref, new long[2]);
            boolean netActive = dIn != 0 || dOut != 0 || dOpsIn != 0 || dOpsOut != 0;
            if (!netActive && w[0] == 0 && w[1] == 0) {
                continue;
            }
            // WIRE activity keeps the entry too: with NET and WIRE idle at the same moment the
            // two sweeps agree, so a feed with WIRE alone (a packet file) never sees its
            // socket handed back as idle while its WIRE entry is still counted
            p.changedMono = mono;
            long[] acc = io.computeIfAbsent(c.id(), x -> new long[IO_SLOTS]);
            acc[0] += dIn;
            acc[1] += dOut;
            ProcessInfo pi = infoFor(c.id());
            boolean v6 = c.family() == 10;
            String lip = Addresses.format(c.laddr(), v6), rip = Addresses.format(c.raddr(), v6);
            // accepted sockets are flagged in the kernel; a listening port catches sockets accepted before we started
            boolean server = c.passive() || (c.proto() == 6 ? scan.listeningPorts().contains(c.lport()) : c.rport() == 0);
            out.add(new ConnectionRow(c.id().pid(), c.id().startTicks(), pi.comm(), pi.cmdline(), c.cookie(),
                    protoName(c.proto()), lip, c.lport(), rip, c.rport(), server, netOn ? dIn : -1, netOn ? dOut : -1,
                    netOn ? dOpsIn : -1, netOn ? dOpsOut : -1,
                    pi.containerId(), wireOn ? w[0] : -1, wireOn ? w[1] : -1, metaOf(pi.containerId())));
        }
        return out;
    }

    private List<SyscallRow> syscalls(KernelSample k, Map<ProcessId, long[]> io) {
        List<SyscallRow> out = new ArrayList<>();
        for (KernelSample.Sys s : k.syscalls()) {
            KernelSample.Sys key = new KernelSample.Sys(s.id(), s.nr(), s.err(), 0);
            Long prev = prevSys.put(key, s.calls());
            long d = delta(s.calls(), prev == null ? 0 : prev);
            if (d == 0) {
                continue;
            }
            io.computeIfAbsent(s.id(), x -> new long[IO_SLOTS])[4] += d;
            out.add(new SyscallRow(s.id().pid(), infoFor(s.id()).comm(), SyscallNames.syscall(s.nr()),
                    SyscallNames.result(s.err()), d));
        }
        return out;
    }

    private List<FileRow> files(KernelSample k, Map<ProcessId, long[]> io) {
        List<FileRow> out = new ArrayList<>();
        for (KernelSample.FileIo f : k.files()) {
            FileKey key = new FileKey(f.id(), f.dev(), f.ino());
            long[] prev = prevFile.put(key, new long[]{f.bytesIn(), f.bytesOut(), f.ops()});
            if (prev == null) {
                prev = new long[3];
            }
            long dIn = delta(f.bytesIn(), prev[0]), dOut = delta(f.bytesOut(), prev[1]), dOps = delta(f.ops(), prev[2]);
            if (dIn == 0 && dOut == 0 && dOps == 0) {
                continue;
            }
            long[] acc = io.computeIfAbsent(f.id(), x -> new long[IO_SLOTS]);
            acc[2] += dIn;
            acc[3] += dOut;
            String path = filePaths.computeIfAbsent(key, x -> {
                String t = info.fdTarget(f.id().pid(), f.lastFd());
                return t != null && t.startsWith("/") ? t : "<dev " + (f.dev() >> 20) + ":" + (f.dev() & 0xfffff) + " ino " + f.ino() + ">";
            });
            out.add(new FileRow(f.id().pid(), infoFor(f.id()).comm(), path, dIn, dOut, dOps));
        }
        return out;
    }

    private List<ThreadRow> threads(ProcessScan scan, double seconds, boolean rates) {
        if (scan.threads() == null) {
            prevThreadCpu.clear();
            return null;
        }
        List<ThreadRow> out = new ArrayList<>();
        Map<ProcessId, Long> seen = new HashMap<>();
        for (Map.Entry<ProcessId, List<ProcStat>> e : scan.threads().entrySet()) {
            ProcessInfo pi = infoFor(e.getKey());
            for (ProcStat t : e.getValue()) {
                ProcessId tid = new ProcessId(t.pid(), t.startTicks());
                Long prev = prevThreadCpu.get(tid);
                seen.put(tid, t.cpuTicks());
                double cpu = rates && prev != null && seconds > 0 ? (t.cpuTicks() - prev) / seconds : -1;
                out.add(new ThreadRow(e.getKey().pid(), t.pid(), t.comm(), pi.cmdline(), cpu));
            }
        }
        prevThreadCpu.clear();
        prevThreadCpu.putAll(seen);
        return out;
    }

    /** Drops the state of gone processes, closed and idle sockets; returns the socket entries to delete. */
    private List<Cleanup.ConnRef> forget(Set<ProcessId> gone, long mono, List<Long> closedCookies) {
        Set<Long> closed = new HashSet<>(closedCookies);
        List<Cleanup.ConnRef> stale = new ArrayList<>();
        sweep(prevConn, gone, closed, mono, stale);
        sweepWire(gone, closed, mono, stale);
        prevSys.keySet().removeIf(s -> gone.contains(s.id()));
        prevFile.keySet().removeIf(f -> gone.contains(f.id()));
        filePaths.keySet().removeIf(f -> gone.contains(f.id()));
        for (ProcessId id : gone) {
            ProcessInfo pi = infos.remove(id);
            if (pi != null) {
                departed.put(id, pi);
            }
            prevCpu.remove(id);
            exited.remove(id);
        }
        return stale;
    }

    /**
     * WIRE entries outlive their process: packets still reach its sockets (the peer's FIN, data it
     * left queued), and an entry deleted right after it was read would lose what came in between.
     * So a gone process's entries are deleted only once a whole interval added nothing to them.
     */
    private void sweepWire(Set<ProcessId> gone, Set<Long> closed, long mono, List<Cleanup.ConnRef> stale) {
        Set<ProcessId> still = new HashSet<>();
        prevWire.entrySet().removeIf(e -> {
            Cleanup.ConnRef r = e.getKey();
            if (gone.contains(r.id()) || lingering.contains(r.id())) {
                if (e.getValue().changedMono == mono && !closed.contains(r.cookie())) {
                    still.add(r.id());
                    return false;
                }
                stale.add(r);
                return true;
            }
            if (closed.contains(r.cookie()) || mono - e.getValue().changedMono > IDLE_NANOS) {
                stale.add(r);
                return true;
            }
            return false;
        });
        lingering.clear();
        lingering.addAll(still);
    }

    /** Forgets sockets of gone processes; closed and idle ones are also handed back for deletion. */
    private static void sweep(Map<Cleanup.ConnRef, ConnPrev> prev, Set<ProcessId> gone, Set<Long> closed, long mono,
                              List<Cleanup.ConnRef> stale) {
        prev.entrySet().removeIf(e -> {
            Cleanup.ConnRef r = e.getKey();
            if (gone.contains(r.id())) {
                return true;
            }
            if (closed.contains(r.cookie()) || mono - e.getValue().changedMono > IDLE_NANOS) {
                stale.add(r);
                return true;
            }
            return false;
        });
    }

    /** What is known of a process, alive or recently gone; null if nothing. */
    private ProcessInfo known(ProcessId id) {
        ProcessInfo pi = infos.get(id);
        return pi != null ? pi : departed.get(id);
    }

    private ProcessInfo infoFor(ProcessId id) {
        ProcessInfo pi = known(id);
        if (pi == null) {
            pi = info.read(id);
            if (pi == null) {
                return new ProcessInfo("<unknown>", "<unknown>", 0, -1, "", "host");
            }
            infos.put(id, pi);
        }
        return pi;
    }

    /** A counter that went down belongs to a recreated entry: count it from zero. */
    private static long delta(long now, long prev) {
        return now >= prev ? now - prev : now;
    }

    static String protoName(int proto) {
        return switch (proto) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            case 136 -> "udplite";
            case 1 -> "icmp";
            case 58 -> "icmp6";
            default -> Integer.toString(proto);
        };
    }
}
