// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfObject;
import io.wiretop.bpf.KernelCheck;
import io.wiretop.bpf.RingBuffer;
import io.wiretop.engine.Demand;
import io.wiretop.engine.Feed;
import io.wiretop.engine.FeedStart;
import io.wiretop.engine.Interval;
import io.wiretop.host.ProcFs;
import io.wiretop.model.Cleanup;
import io.wiretop.model.InfoSource;
import io.wiretop.model.KernelSample;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.ProcEvent;
import io.wiretop.model.ProcessScan;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.packet.LivePacketSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live system as a {@link Feed}: loads and attaches the BPF objects; on the engine's thread,
 * each {@link #next} waits for the refresh clock, draining process events every 50 ms meanwhile
 * (the ring buffer never wakes anyone up), and packets too while a Packets view asks for them (the
 * packet hooks otherwise only count WIRE bytes in the kernel); then reads the kernel's counters
 * (batched) and scans /proc. The proc and net programs are attached for the whole run; the
 * syscall program and the packet hooks only while something on screen needs them (or an option
 * forces them on), checked every 50 ms, and for {@link Attachment#GRACE_NANOS} after: each is a
 * set of bpf links this process owns, so its end (q, a signal, SIGKILL) releases them.
 * {@link #close()} releases every BPF attachment.
 */
public final class LiveFeed implements Feed {
    private static final long DRAIN_MILLIS = 50;
    private final EngineOptions opts;
    private final List<BpfObject> objects; // proc, net: closed in reverse
    private final KernelReader reader;
    private final RingBuffer procRing;
    private BpfObject sys;                 // null while detached
    private LivePacketSource packets;      // null while detached
    private final Attachment sysState;
    private final Attachment wireState;
    private final PacketLog packetLog = new PacketLog();
    private PacketSelection appliedPackets = PacketSelection.NONE;
    private final List<ProcEvent> pending = new ArrayList<>();
    private final ProcScanner scanner = new ProcScanner(ProcFs.system());
    // no I/O until a container id is seen: its thread starts then, so no runtime costs no start-up time
    private final io.wiretop.runtime.RuntimeDirectory containers =
            io.wiretop.runtime.RuntimeDirectory.fromEnvironment(System.getenv());
    private long nextTick;
    private boolean closed;
    private java.util.function.Supplier<Demand> current = () -> Demand.NONE;

    private LiveFeed(EngineOptions opts, List<BpfObject> objects, RingBuffer procRing, BpfObject sys,
                     LivePacketSource packets, KernelReader reader) {
        this.opts = opts;
        this.objects = objects;
        this.procRing = procRing;
        this.sys = sys;
        this.packets = named(packets);
        this.reader = reader;
        this.sysState = new Attachment(opts.syscalls(), Attachment.GRACE_NANOS);
        this.wireState = new Attachment(opts.wire(), Attachment.GRACE_NANOS);
    }

    /** Checks the kernel, then loads and attaches what runs from the start; nothing is counted until {@link #start}. */
    public static LiveFeed open(EngineOptions opts) throws BpfException {
        KernelCheck.requireLiveCapture();
        List<BpfObject> objs = new ArrayList<>();
        BpfObject sys = null;
        LivePacketSource pkts = null;
        try {
            // proc first: exec/exit of processes that start doing I/O are then always seen
            BpfObject proc = loadAndAttach("proc", objs);
            LiveFeed[] self = new LiveFeed[1];
            RingBuffer ring = proc.ringBuffer("proc_events", rec -> self[0].pending.add(ProcEventDecoder.decode(rec)));
            BpfObject net = loadNetOrHashOnly(objs);
            sys = opts.syscalls() ? loadSys() : null;
            pkts = opts.wire() ? openPackets() : null;
            self[0] = new LiveFeed(opts, objs, ring, sys, pkts, new KernelReader(net, proc, sys,
                    pkts == null ? null : pkts.wireMap()));
            return self[0];
        } catch (BpfException | RuntimeException e) {
            if (pkts != null) {
                pkts.close();
            }
            if (sys != null) {
                sys.close();
            }
            closeAll(objs);
            throw e;
        }
    }

    /**
     * The NET object: the release hook first (on the cgroup v2 root, so every socket's), so that no
     * socket takes a slot in the socket table before its release would free it. {@code slots}: the
     * socket table's size, a power of two up to WT_SLOTS; 0 as built (a test shrinks it to force
     * collisions); {@link #NO_SLOTS}: no table and no release hook, every socket counted in the hash
     * (exact, at the per-event cost of before: for hosts without cgroup v2).
     */
    static BpfObject loadNet(List<BpfObject> objs, int slots) throws BpfException {
        BpfObject o = BpfObject.open("net");
        objs.add(o);
        if (slots == NO_SLOTS) {
            o.setConstant(RODATA_SLOTS_OFF, le32(1));
            // nor its program: a cgroup-sock program needs CAP_NET_ADMIN to load, which the NET
            // table alone does not (the DaemonSet grants BPF and PERFMON only)
            o.skipProgram("wt_sock_release");
        } else if (slots != 0) {
            o.setConstant(RODATA_SLOT_MASK, le32(slots - 1));
        }
        o.load();
        if (slots != NO_SLOTS) {
            try {
                o.attachCgroup("wt_sock_release", io.wiretop.host.CgroupV2.mountPoint());
            } catch (IOException e) {
                throw new BpfException("cannot find the cgroup v2 mount for the NET release hook (" + e.getMessage() + ")");
            }
        }
        for (String p : List.of("wt_sock_state", "wt_sock_send", "wt_sock_recv")) {
            o.attach(p);
        }
        return o;
    }

    /**
     * The table; where its release hook cannot load or attach (no cgroup v2, or no CAP_NET_ADMIN),
     * every socket in the hash.
     */
    private static BpfObject loadNetOrHashOnly(List<BpfObject> objs) throws BpfException {
        int before = objs.size();
        try {
            return loadNet(objs, 0);
        } catch (BpfException e) {
            while (objs.size() > before) {
                objs.remove(objs.size() - 1).close();
            }
            return loadNet(objs, NO_SLOTS);
        }
    }

    /** {@link #loadNet}'s "no socket table". */
    static final int NO_SLOTS = -1;
    /** Offsets of net.bpf.c's constants in its .rodata: slot_mask, slots_off (in that order). */
    private static final int RODATA_SLOT_MASK = 0, RODATA_SLOTS_OFF = 4;

    private static byte[] le32(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, v).array();
    }

    private static BpfObject loadSys() throws BpfException {
        List<BpfObject> one = new ArrayList<>(1);
        try {
            return loadAndAttach("sys", one);
        } catch (BpfException | RuntimeException e) {
            closeAll(one);
            throw e;
        }
    }

    /**
     * The packet source naming containers by this feed's directory, as capture's does: the Packets
     * view's interfaces (lo@NAME) and packet pages then carry names rather than ids.
     */
    private LivePacketSource named(LivePacketSource p) {
        if (p != null) {
            p.useDirectory(containers);
        }
        return p;
    }

    private static LivePacketSource openPackets() throws BpfException {
        try {
            // packets are only counted until a Packets view asks for some: select() switches capture on
            return LivePacketSource.open(new LivePacketSource.Config(512, false, List.of(), List.of(), List.of(), 0,
                    256 << 10, true));
        } catch (IOException e) {
            throw new BpfException("cannot attach the packet hooks (" + e.getMessage() + ")");
        }
    }

    private static BpfObject loadAndAttach(String name, List<BpfObject> objs) throws BpfException {
        BpfObject o = BpfObject.open(name);
        objs.add(o);
        o.load();
        o.attachAll();
        return o;
    }

    /**
     * Attaches or detaches the optional collectors for what is wanted now. An attach that fails is
     * said in the header and not retried (a kernel that refuses once refuses again); the rest runs on.
     */
    private void adjust(Demand d) {
        long now = System.nanoTime();
        Set<String> src = d.sources();
        boolean sysNeeded = src.contains(Snapshot.FILES) || src.contains(Snapshot.SYSCALLS);
        switch (sysState.decide(sysNeeded, now)) {
            case 1 -> {
                try {
                    sys = loadSys();
                    reader.sys(sys);
                    sysState.attached(false, System.currentTimeMillis());
                } catch (BpfException | RuntimeException e) {
                    sysState.failed(e.getMessage());
                }
            }
            case -1 -> {
                reader.sys(null);
                sys.close();
                sys = null;
                sysState.detached();
            }
            default -> {
            }
        }
        boolean wireNeeded = src.contains(Snapshot.PACKETS) || !d.packets().none();
        switch (wireState.decide(wireNeeded, now)) {
            case 1 -> {
                try {
                    packets = named(openPackets());
                    reader.wire(packets.wireMap());
                    wireState.attached(false, System.currentTimeMillis());
                } catch (BpfException | RuntimeException e) {
                    wireState.failed(e.getMessage());
                }
            }
            case -1 -> {
                reader.wire(null);
                packets.close();
                packets = null;
                appliedPackets = PacketSelection.NONE;
                packetLog.clear();
                wireState.detached();
            }
            default -> {
            }
        }
    }

    /** What the screen wants while next() waits: a changed packet selection applies within 50 ms. */
    @Override
    public void follow(java.util.function.Supplier<Demand> current) {
        this.current = current;
    }

    @Override
    public InfoSource info() {
        return scanner;
    }

    @Override
    public io.wiretop.host.ContainerDirectory containers() {
        return containers;
    }

    /** Whether FILE is collected from the first interval (forced on); later ones say it in {@link Interval#collectors}. */
    @Override
    public boolean fileIo() {
        return opts.syscalls();
    }

    /** Whether WIRE is collected from the first interval (forced on); likewise. */
    @Override
    public boolean wire() {
        return opts.wire();
    }

    /**
     * Reads the baseline once everything is attached: the programs count from the moment each was
     * attached, seconds apart when the verifier is busy (several wiretops starting at once), and
     * those counts must not land in the first interval, which starts now and lasts one refresh.
     * The processes alive are listed first; the engine reads their names (the slow part) during
     * the first interval, whose end stays one refresh after the baseline.
     */
    @Override
    public FeedStart start() throws BpfException {
        ProcessScan known = scanner.scan(false);
        // what open() attached (forced on) is attached: adjust() must not load it a second time
        long opened = System.currentTimeMillis();
        if (sys != null) {
            sysState.attached(true, opened);
        }
        if (packets != null) {
            wireState.attached(true, opened);
        }
        // what is wanted before the first interval (--raw -v files) attaches now, before the
        // baseline: its first interval is then a full one, as if forced on
        adjust(current.get());
        reader.read(); // once cold (class loading, native linking): the baseline read must be quick
        KernelSample baseline = reader.read();
        long now = reader.netReadNanos();
        ProcessScan alive = scanner.scan(false);
        long wall = System.currentTimeMillis();
        if (sys != null) { // forced on or wanted from the start: attached before the baseline, collected from the first interval
            sysState.attached(true, wall);
        }
        if (packets != null) {
            wireState.attached(true, wall);
        }
        nextTick = now + opts.refreshMillis() * 1_000_000L;
        return new FeedStart(known, now, baseline, alive, nextTick);
    }

    /**
     * Waits for the refresh clock, draining events and packets every 50 ms, then reads the interval:
     * events, closed sockets, counters, events drained after the read (a process that started just
     * before it may be gone from /proc by the scan: its events name it), and the /proc scan.
     */
    @Override
    public Interval next(Demand demand) throws BpfException, InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (now >= nextTick) {
                break;
            }
            procRing.consume();
            adjust(current.get());
            drainPackets(current.get().packets());
            Thread.sleep(Math.max(1, Math.min(DRAIN_MILLIS, (nextTick - now) / 1_000_000L)));
        }
        procRing.consume();
        adjust(current.get()); // attached now: this read is its baseline; detached: this interval has none
        drainPackets(current.get().packets());
        List<ProcEvent> events = drained();
        List<Long> closedCookies = reader.closedCookies();
        KernelSample k = reader.read();
        long readAt = reader.netReadNanos(); // the interval ends when the counters were read, not after the scan
        long readWall = System.currentTimeMillis();
        Interval.Collectors collectors = new Interval.Collectors(sysState.collectedThisInterval(readWall),
                wireState.collectedThisInterval(readWall));
        procRing.consume();
        List<ProcEvent> late = drained();
        // what is wanted now, not when next() was called: a view switched to threads mid-interval gets them at this tick
        ProcessScan scan = scanner.scan(current.get().sources().contains(Snapshot.THREADS));
        nextTick += opts.refreshMillis() * 1_000_000L;
        if (nextTick < System.nanoTime()) {
            nextTick = System.nanoTime() + opts.refreshMillis() * 1_000_000L; // fell behind: skip, do not burst
        }
        return new Interval(events, readAt, k, late, scan, closedCookies, collectors);
    }

    private List<ProcEvent> drained() {
        List<ProcEvent> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** Applies a changed packet selection, then hands over the captured packets. */
    private void drainPackets(PacketSelection want) throws BpfException {
        if (packets == null) {
            return;
        }
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

    @Override
    public void apply(Cleanup cleanup) throws BpfException {
        reader.apply(cleanup);
    }

    /** The packets a Packets view asked for; packets are decoded only now, at most 5000. */
    @Override
    public Map<String, List<? extends Row>> extraSources() {
        if (packets == null) {
            return Map.of();
        }
        return Map.of(Snapshot.PACKETS, appliedPackets.none() ? List.of() : packetLog.snapshot());
    }

    /**
     * What is collected now and since when: "Live System (NET; FILE since 06:12:03; WIRE off)".
     * A column of a set that is not collected is hidden, and this line says why.
     */
    @Override
    public String label() {
        return "Live System (NET; " + sysState.describe("FILE") + "; " + wireState.describe("WIRE") + ")";
    }

    /** Every source: files, syscalls and packets attach their collector when a view asks for them. */
    @Override
    public Set<String> availableSources() {
        return Set.of(Snapshot.PROCESSES, Snapshot.CONNECTIONS, Snapshot.THREADS, Snapshot.FILES, Snapshot.SYSCALLS,
                Snapshot.PACKETS);
    }

    /** Releases every BPF attachment (packet hooks, then the objects in reverse order); once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        containers.close();
        if (packets != null) {
            packets.close();
        }
        if (sys != null) {
            sys.close();
        }
        closeAll(objects);
    }

    private static void closeAll(List<BpfObject> objs) {
        for (int i = objs.size() - 1; i >= 0; i--) {
            objs.get(i).close();
        }
    }
}
