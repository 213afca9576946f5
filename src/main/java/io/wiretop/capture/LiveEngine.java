// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfObject;
import io.wiretop.bpf.KernelCheck;
import io.wiretop.bpf.RingBuffer;
import io.wiretop.host.ProcFs;
import io.wiretop.model.Aggregator;
import io.wiretop.model.KernelSample;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcEvent;
import io.wiretop.model.ProcessScan;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;
import io.wiretop.packet.LivePacketSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live system as a {@link SnapshotSource}: loads and attaches the BPF objects, then a single
 * capture thread owns them and the {@link Aggregator}; once per refresh interval it reads the
 * kernel's counters (batched), scans /proc and publishes an immutable {@link Snapshot}.
 * Process events are drained every 50 ms in between (the ring buffer never wakes anyone up), and
 * so are packets while a Packets view asks for them ({@link #wantPackets}); the packet hooks
 * otherwise only count WIRE bytes in the kernel.
 * {@link #close()} stops the thread, which releases every BPF attachment.
 */
public final class LiveEngine implements SnapshotSource {
    private static final long DRAIN_MILLIS = 50;
    private final EngineOptions opts;
    private final List<BpfObject> objects; // proc, net, [sys]: closed in reverse
    private final KernelReader reader;
    private final RingBuffer procRing;
    private final LivePacketSource packets; // null without --wire
    private final PacketLog packetLog = new PacketLog();
    private volatile PacketSelection wantedPackets = PacketSelection.NONE;
    private PacketSelection appliedPackets = PacketSelection.NONE;
    private final List<ProcEvent> pending = new ArrayList<>();
    private final Aggregator aggregator;
    private final ProcScanner scanner;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final Object published = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Set<String> wanted = Set.of();
    private volatile Throwable failure;
    private boolean closed;
    private long firstTickNanos;

    private LiveEngine(EngineOptions opts, List<BpfObject> objects, RingBuffer procRing, LivePacketSource packets,
                       KernelReader reader) {
        this.opts = opts;
        this.objects = objects;
        this.procRing = procRing;
        this.packets = packets;
        this.reader = reader;
        this.scanner = new ProcScanner(ProcFs.system());
        this.aggregator = new Aggregator(scanner, opts.syscalls(), opts.wire());
        this.thread = new Thread(this::run, "wiretop-capture");
        this.thread.setDaemon(true);
    }

    /** Checks the kernel, loads and attaches everything, and starts the capture thread. */
    public static LiveEngine start(EngineOptions opts) throws BpfException {
        KernelCheck.requireLiveCapture();
        List<BpfObject> objs = new ArrayList<>();
        try {
            // proc first: exec/exit of processes that start doing I/O are then always seen
            BpfObject proc = loadAndAttach("proc", objs);
            LiveEngine[] self = new LiveEngine[1];
            RingBuffer ring = proc.ringBuffer("proc_events", rec -> self[0].pending.add(ProcEventDecoder.decode(rec)));
            BpfObject net = loadAndAttach("net", objs);
            BpfObject sys = opts.syscalls() ? loadAndAttach("sys", objs) : null;
            LivePacketSource pkts = opts.wire() ? openPackets() : null;
            try {
                self[0] = new LiveEngine(opts, objs, ring, pkts, new KernelReader(net, proc, sys,
                        pkts == null ? null : pkts.wireMap()));
            } catch (BpfException | RuntimeException e) {
                if (pkts != null) {
                    pkts.close();
                }
                throw e;
            }
            self[0].startCounting();
            self[0].thread.start();
            return self[0];
        } catch (BpfException | RuntimeException e) {
            closeAll(objs);
            throw e;
        }
    }

    /**
     * Reads the baseline once everything is attached: the programs count from the moment each was
     * attached, seconds apart when the verifier is busy (several wiretops starting at once), and
     * those counts must not land in the first interval, which starts now and lasts one refresh.
     */
    private void startCounting() throws BpfException {
        aggregator.learn(scanner.scan(false)); // the slow part, before the clock starts
        reader.read(); // once cold (class loading, native linking): the baseline read must be quick
        KernelSample baseline = reader.read();
        long now = reader.netReadNanos();
        aggregator.start(now, baseline, scanner.scan(false));
        firstTickNanos = now + opts.refreshMillis() * 1_000_000L;
    }

    private static LivePacketSource openPackets() throws BpfException {
        try {
            // packets are only counted until a Packets view asks for some: select() switches capture on
            return LivePacketSource.open(new LivePacketSource.Config(512, false, List.of(), List.of(), List.of(), 0,
                    256 << 10, true));
        } catch (IOException e) {
            throw new BpfException("cannot attach the packet hooks (" + e.getMessage() + "): run without --wire");
        }
    }

    private static BpfObject loadAndAttach(String name, List<BpfObject> objs) throws BpfException {
        BpfObject o = BpfObject.open(name);
        objs.add(o);
        o.load();
        o.attachAll();
        return o;
    }

    private void run() {
        try {
            long next = firstTickNanos;
            while (running) {
                long now = System.nanoTime();
                if (now < next) {
                    procRing.consume();
                    drainPackets();
                    Thread.sleep(Math.max(1, Math.min(DRAIN_MILLIS, (next - now) / 1_000_000L)));
                    continue;
                }
                tick();
                next += opts.refreshMillis() * 1_000_000L;
                if (next < System.nanoTime()) {
                    next = System.nanoTime() + opts.refreshMillis() * 1_000_000L; // fell behind: skip, do not burst
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            synchronized (published) {
                published.notifyAll();
            }
        } finally {
            if (packets != null) {
                packets.close();
            }
            closeAll(objects);
        }
    }

    /** Applies a changed packet selection, then hands over the captured packets. */
    private void drainPackets() throws BpfException {
        if (packets == null) {
            return;
        }
        PacketSelection want = wantedPackets;
        if (!want.equals(appliedPackets)) {
            packets.select(!want.none(), want.pids(), want.cookies());
            if (!want.all() && !(appliedPackets.all() || appliedPackets.pids().containsAll(want.pids())
                    && appliedPackets.cookies().containsAll(want.cookies()))) {
                packetLog.clear(); // packets of other processes are not what this view lists
            }
            appliedPackets = want;
        }
        if (!appliedPackets.none()) {
            packets.poll(0, r -> packetLog.add(r.toPacket()));
        }
    }

    private void tick() throws BpfException {
        procRing.consume();
        drainPackets();
        for (ProcEvent e : pending) {
            aggregator.onEvent(e);
        }
        pending.clear();
        List<Long> closedCookies = reader.closedCookies();
        KernelSample k = reader.read();
        long readAt = reader.netReadNanos(); // the interval ends when the counters were read, not after the scan
        // a process that started just before the read may be gone from /proc by the scan: its events name it
        procRing.consume();
        for (ProcEvent e : pending) {
            aggregator.onLateEvent(e);
        }
        pending.clear();
        ProcessScan scan = scanner.scan(wanted.contains(Snapshot.THREADS));
        Aggregator.Result r = aggregator.tick(readAt, k, scan, closedCookies, label());
        reader.apply(r.cleanup());
        Snapshot snap = r.snapshot();
        if (packets != null) {
            Map<String, List<? extends io.wiretop.model.Row>> sources = new HashMap<>(snap.sources());
            sources.put(Snapshot.PACKETS, appliedPackets.none() ? List.of() : packetLog.snapshot());
            snap = new Snapshot(snap.seq(), snap.monoNanos(), snap.intervalSeconds(), Map.copyOf(sources), snap.losses(),
                    snap.sourceLabel());
        }
        latest.set(snap);
        synchronized (published) {
            published.notifyAll();
        }
    }

    @Override
    public Snapshot latest() {
        return latest.get();
    }

    @Override
    public Snapshot awaitAfter(long afterSeq, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (published) {
            while (true) {
                Snapshot s = latest.get();
                if (s != null && s.seq() > afterSeq) {
                    return s;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || failure != null || !running) {
                    return null;
                }
                published.wait(left);
            }
        }
    }

    @Override
    public String label() {
        if (opts.syscalls() && opts.wire()) {
            return "Live System";
        }
        // say what is off and how to turn it on: blank FILE/WIRE columns must not look like zero
        return "Live System (" + (opts.syscalls() ? "" : "FILE off: -F") + (opts.syscalls() || opts.wire() ? "" : ", ")
                + (opts.wire() ? "" : "WIRE off: -W") + ")";
    }

    @Override
    public Set<String> availableSources() {
        java.util.Set<String> s = new java.util.HashSet<>(Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS, Snapshot.THREADS));
        if (opts.syscalls()) {
            s.addAll(Set.of(Snapshot.FILES, Snapshot.SYSCALLS));
        }
        if (opts.wire()) {
            s.add(Snapshot.PACKETS);
        }
        return Set.copyOf(s);
    }

    @Override
    public void wantPackets(PacketSelection selection) {
        wantedPackets = selection == null ? PacketSelection.NONE : selection;
    }

    @Override
    public void want(Set<String> sources) {
        wanted = Set.copyOf(sources);
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Stops the capture thread and waits until it has released every BPF attachment. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<BpfObject> objs) {
        for (int i = objs.size() - 1; i >= 0; i--) {
            objs.get(i).close();
        }
    }
}
