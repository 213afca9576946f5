// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfMap;
import io.wiretop.bpf.BpfObject;
import io.wiretop.bpf.MappedRingBuffer;
import io.wiretop.decode.ProcessContext;
import io.wiretop.host.CgroupV2;
import io.wiretop.host.Interfaces;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Live packets with process context from pkt.bpf.o: cgroup_skb on the cgroup v2 root, socket
 * cookie → owner maps seeded from /proc, a pid/cookie/comm filter so that only asked-for packets
 * leave the kernel, and a ring buffer with batched wake-ups drained every 10 ms. Packets are handed
 * out in place as {@link PacketRecord}s, with their owner's context looked up in a small
 * direct-mapped cache, so a capture allocates nothing per packet.
 * Created, polled and closed on one thread (the capture thread).
 */
public final class LivePacketSource implements AutoCloseable {
    /**
     * What to capture. Empty filter sets mean every packet; netns 0 means every namespace;
     * countWire keeps the per-socket WIRE counters (the TUI's), which a capture alone does not need.
     * tcInterfaces, when not empty, takes packets from tc hooks on those devices instead of from
     * cgroup_skb (which then only records flow owners): every packet they carry, attributed by
     * socket or flow. cgroups selects the packets of processes in those cgroup v2 ids (a container's).
     */
    public record Config(int snaplen, boolean capture, Collection<Long> pids, Collection<Long> cookies,
                         Collection<String> comms, Collection<Long> cgroups, long netns, long wakeupBytes,
                         boolean countWire, List<String> tcInterfaces) {
        /** Packets from cgroup_skb: every local socket's. */
        public Config(int snaplen, boolean capture, Collection<Long> pids, Collection<Long> cookies,
                      Collection<String> comms, long netns, long wakeupBytes, boolean countWire) {
            this(snaplen, capture, pids, cookies, comms, List.of(), netns, wakeupBytes, countWire, List.of());
        }
    }

    private static final int CTX_SLOTS = 1024; // a power of two

    private final BpfObject obj;
    private final MappedRingBuffer ring;
    private final ProcInfo procs = new ProcInfo();
    private String[] ifNames = new String[64];
    private final PacketRecord record = new PacketRecord();
    // direct-mapped owner cache, keyed by (tgid, tid, start time): one probe per packet
    private final long[] slotTgid = new long[CTX_SLOTS], slotTid = new long[CTX_SLOTS], slotStart = new long[CTX_SLOTS];
    private final ProcessContext[] slotCtx = new ProcessContext[CTX_SLOTS];
    @SuppressWarnings("unchecked")
    private final List<String>[] slotComments = new List[CTX_SLOTS];
    private final long monoToEpoch;
    private final long netns;
    private Consumer<PacketRecord> sink = p -> { };
    private long handed;
    private long malformed;

    private LivePacketSource(BpfObject obj, Config cfg) throws BpfException, IOException {
        this.obj = obj;
        this.netns = cfg.netns();
        if (cfg.tcInterfaces().isEmpty()) {
            obj.skipProgram("wt_tc_ingress"); // not verified nor loaded unless -i asks for them
            obj.skipProgram("wt_tc_egress");
        }
        obj.load();
        ByteBuffer c = le(PktLayout.CFG_SIZE);
        c.putInt(PktLayout.CFG_SNAPLEN, Math.max(1, Math.min(cfg.snaplen(), PktLayout.MAX_SNAP)));
        c.putInt(PktLayout.CFG_CAPTURE, cfg.capture() ? 1 : 0);
        int filter = (cfg.pids().isEmpty() ? 0 : PktLayout.FILTER_PIDS)
                | (cfg.cookies().isEmpty() ? 0 : PktLayout.FILTER_COOKIES)
                | (cfg.comms().isEmpty() ? 0 : PktLayout.FILTER_COMMS)
                | (cfg.cgroups().isEmpty() ? 0 : PktLayout.FILTER_CGROUPS);
        c.putInt(PktLayout.CFG_FILTER, filter);
        c.putInt(PktLayout.CFG_NO_WIRE, cfg.countWire() ? 0 : 1);
        c.putInt(PktLayout.CFG_TC, cfg.tcInterfaces().isEmpty() ? 0 : 1);
        Map<Integer, Integer> tcDevices = new java.util.LinkedHashMap<>();
        for (String dev : cfg.tcInterfaces()) {
            tcDevices.put(Interfaces.index(dev), Interfaces.linkHeaderLength(dev));
        }
        for (Map.Entry<Integer, Integer> d : tcDevices.entrySet()) {
            obj.map("pkt_tc_ifs").update(le(4).putInt(0, d.getKey()).array(), le(4).putInt(0, d.getValue()).array(), 0);
        }
        c.putLong(PktLayout.CFG_WAKEUP_BYTES, cfg.wakeupBytes());
        obj.map("pkt_cfg").update(new byte[4], c.array(), 0);
        byte[] one = {1};
        for (long pid : cfg.pids()) {
            obj.map("pkt_filter_pids").update(le(4).putInt(0, (int) pid).array(), one, 0);
        }
        for (long cookie : cfg.cookies()) {
            obj.map("pkt_filter_cookies").update(le(8).putLong(0, cookie).array(), one, 0);
        }
        for (long cg : cfg.cgroups()) {
            obj.map("pkt_filter_cgroups").update(le(8).putLong(0, cg).array(), one, 0);
        }
        for (String comm : cfg.comms()) {
            byte[] k = new byte[PktLayout.COMM_LEN];
            byte[] s = comm.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(s, 0, k, 0, Math.min(s.length, PktLayout.COMM_LEN - 1));
            obj.map("pkt_filter_comms").update(k, one, 0);
        }
        seed(obj.map("pkt_owners"), obj.map("pkt_ports"));
        String root = CgroupV2.mountPoint();
        for (String prog : List.of("wt_sock_create", "wt_post_bind4", "wt_post_bind6", "wt_pkt_egress", "wt_pkt_ingress")) {
            obj.attachCgroup(prog, root);
        }
        for (int ifindex : tcDevices.keySet()) {
            obj.attachTcx("wt_tc_ingress", ifindex, true);
            obj.attachTcx("wt_tc_egress", ifindex, false);
        }
        ring = obj.mappedRingBuffer("pkt_events");
        // the packet hooks and the syscall stream share one offset: their events interleave (Dig)
        monoToEpoch = io.wiretop.bpf.MonoClock.MONO_TO_EPOCH;
    }

    /** Loads and attaches the packet hooks; a one-sentence BpfException or IOException when that is impossible. */
    public static LivePacketSource open(Config cfg) throws BpfException, IOException {
        BpfObject obj = BpfObject.open("pkt");
        try {
            return new LivePacketSource(obj, cfg);
        } catch (BpfException | IOException | RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    private static void seed(BpfMap owners, BpfMap ports) {
        for (SocketSeeder.Seed s : SocketSeeder.scan()) {
            try {
                owners.update(le(8).putLong(0, s.cookie()).array(), s.owner(), 1 /* BPF_NOEXIST */);
            } catch (BpfException e) {
                // already owned (a process created it since start): the kernel's entry is newer
            }
            if (s.listening()) {
                ByteBuffer k = le(PktLayout.PORT_KEY_SIZE);
                k.putShort(0, (short) s.family()).putShort(2, (short) s.proto()).putShort(4, (short) s.localPort());
                // the namespace of the listener's owner: ss lists the sockets of wiretop's namespace
                k.putInt(PktLayout.PORT_KEY_NETNS, ByteBuffer.wrap(s.owner()).order(ByteOrder.LITTLE_ENDIAN)
                        .getInt(PktLayout.OWNER_NETNS));
                try {
                    ports.update(k.array(), s.owner(), 1);
                } catch (BpfException e) {
                    // a bind since start already recorded this port
                }
            }
        }
    }

    /**
     * Changes, while running, which packets leave the kernel: none (WIRE counting only), all, or
     * those of some pids and socket cookies. The filter maps are refilled before capture is switched on.
     */
    public void select(boolean capture, Collection<Long> pids, Collection<Long> cookies) throws BpfException {
        setCfg(PktLayout.CFG_CAPTURE, 0);
        refill(obj.map("pkt_filter_pids"), 4, pids.stream().map(p -> le(4).putInt(0, p.intValue()).array()).toList());
        refill(obj.map("pkt_filter_cookies"), 8, cookies.stream().map(k -> le(8).putLong(0, k).array()).toList());
        setCfg(PktLayout.CFG_FILTER, (pids.isEmpty() ? 0 : PktLayout.FILTER_PIDS)
                | (cookies.isEmpty() ? 0 : PktLayout.FILTER_COOKIES));
        setCfg(PktLayout.CFG_CAPTURE, capture ? 1 : 0);
    }

    /** Changes one 32-bit field of pkt_cfg, which the programs read for every packet. */
    private void setCfg(int offset, int value) throws BpfException {
        BpfMap cfgMap = obj.map("pkt_cfg");
        byte[] cfg = new byte[PktLayout.CFG_SIZE];
        cfgMap.lookup(new byte[4], cfg);
        ByteBuffer.wrap(cfg).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        cfgMap.update(new byte[4], cfg, 0);
    }

    private static void refill(BpfMap map, int keySize, List<byte[]> keys) throws BpfException {
        List<byte[]> old = new java.util.ArrayList<>();
        map.forEach(keySize, 1, (k, v) -> {
            byte[] b = new byte[keySize];
            k.get(0, b);
            old.add(b);
        });
        old.forEach(map::delete);
        for (byte[] k : keys) {
            map.update(k, new byte[]{1}, 0);
        }
    }

    /**
     * Runs a pcap-filter program (libpcap's classic BPF for an Ethernet frame, {@link PcapFilter#instructions()})
     * in the kernel, so packets it rejects never reach the ring; false when the program is too long
     * for the kernel's interpreter (then user space alone filters).
     */
    public boolean filterInKernel(long[] instructions) throws BpfException {
        if (instructions.length == 0 || instructions.length > PktLayout.CBPF_MAX) {
            return false;
        }
        ByteBuffer prog = le(PktLayout.CBPF_PROG_SIZE);
        prog.putInt(0, instructions.length);
        for (int i = 0; i < instructions.length; i++) {
            prog.putLong(8 + i * PktLayout.CBPF_INSN_SIZE, instructions[i]);
        }
        obj.map("pkt_cbpf").update(new byte[4], prog.array(), 0);
        setCfg(PktLayout.CFG_CBPF, 1);
        return true;
    }

    /** Switches capture on (after {@link #filterInKernel}, for a source opened with capture off). */
    public void startCapture() throws BpfException {
        setCfg(PktLayout.CFG_CAPTURE, 1);
    }

    /** Packets the kernel's filter rejected, and those it left to user space (summed over CPUs). */
    public long[] kernelFilterCounts() throws BpfException {
        long[] s = obj.perCpuSums("pkt_stats", PktLayout.STAT_DEFERRED + 1);
        return new long[]{s[PktLayout.STAT_FILTERED], s[PktLayout.STAT_DEFERRED]};
    }

    /**
     * Waits up to timeoutMs, then drains every pending record into the sink; returns how many.
     * The record is a reused view, valid only during the call ({@link PacketRecord#toPacket()} keeps one).
     */
    public int poll(int timeoutMs, Consumer<PacketRecord> sink) {
        this.sink = sink;
        long before = handed;
        // Records are submitted without wake-ups (batched in the kernel). Wait out the timeout even
        // when records are already waiting, unless a quarter of the ring is filled: draining in
        // 10 ms batches instead of spinning on a few records at a time is what keeps the consumer
        // cheap at hundreds of thousands of packets per second.
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        long enough = ring.size() / 4;
        while (System.nanoTime() < deadline && ring.pendingBytes() < enough) {
            try {
                Thread.sleep(Math.min(2, Math.max(1, timeoutMs)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ring.drain(this::onRecord);
        return (int) (handed - before);
    }

    /**
     * Packets not handed over: ring buffer full or busy on that CPU (per-CPU counters, summed),
     * plus records that could not be decoded.
     */
    public long lost() throws BpfException {
        return obj.perCpuSums("lost", 4)[0] + malformed;
    }

    /** The WIRE counter map (key wt_conn_key, value wt_wire_val), for per-tick reads. */
    public BpfMap wireMap() throws BpfException {
        return obj.map("wire");
    }

    private void onRecord(long address, int length) {
        if (length < PktLayout.HDR_SIZE) {
            malformed++; // cannot happen with the committed objects (PktLayoutTest); counted, never fatal
            return;
        }
        PacketRecord r = record;
        r.set(address, length, monoToEpoch);
        if (netns != 0 && r.netns() != netns) {
            return; // --netns: the owner lives in another network namespace
        }
        long tgid = r.tgid(), tid = r.tid(), start = r.startNs();
        if (tgid == 0 && r.skCgroup() != 0) {
            // no owner yet (a container server's handshake): the container of the socket's cgroup
            ProcessContext sc = procs.socketContext(r.skCgroup());
            r.setOwner(ifName(r.ifindex(), r.ifNetns(), sc), sc, comments(sc));
            handed++;
            sink.accept(r);
            return;
        }
        int slot = (int) ((tid * 0x9E3779B97F4A7C15L + start) >>> 54) & (CTX_SLOTS - 1);
        ProcessContext ctx = slotCtx[slot];
        if (ctx == null || slotTgid[slot] != tgid || slotTid[slot] != tid || slotStart[slot] != start) {
            ctx = procs.context(tgid, start, tid, r.uid(), r.comm(), r.cgroupId());
            slotTgid[slot] = tgid;
            slotTid[slot] = tid;
            slotStart[slot] = start;
            slotCtx[slot] = ctx;
            slotComments[slot] = comments(ctx);
        }
        r.setOwner(ifName(r.ifindex(), r.ifNetns(), ctx), ctx, slotComments[slot]);
        handed++;
        sink.accept(r);
    }

    // contexts are cached instances (ProcInfo), so their comments are built once, not per packet
    private final java.util.IdentityHashMap<ProcessContext, List<String>> comments = new java.util.IdentityHashMap<>();

    private List<String> comments(ProcessContext ctx) {
        if (comments.size() > 65536) {
            comments.clear();
        }
        return comments.computeIfAbsent(ctx, c -> List.copyOf(c.comments()));
    }

    /** Names containers in packet contexts and interface names from now on. */
    public void useDirectory(io.wiretop.host.ContainerDirectory d) {
        procs.useDirectory(d);
    }

    private final io.wiretop.host.NetnsDevices devices = new io.wiretop.host.NetnsDevices(io.wiretop.host.ProcFs.system());
    private final long ownNetns = io.wiretop.host.ProcFs.namespaceInode(java.nio.file.Path.of("/proc/self/ns/net"));
    // the last foreign interface named: packets come in bursts of one flow, so this spares the maps
    private long lastNetns = -1;
    private int lastIfindex = -1;
    private ProcessContext lastCtx;
    private String lastName;

    /**
     * The interface of a packet: a device of wiretop's namespace by name; a device of another
     * namespace as "name@container" (the packet's container's name, else its short id), or
     * "name@netns-inode" outside containers, as ptcpdump does; never a bare index that would
     * name another device here.
     */
    String ifName(int ifindex, long netns, ProcessContext ctx) {
        if (netns == 0 || netns == ownNetns) {
            return ifName(ifindex);
        }
        if (netns == lastNetns && ifindex == lastIfindex && ctx == lastCtx) {
            return lastName;
        }
        String dev = devices.name(netns, ifindex, ctx.pid());
        String where;
        if (ctx.containerId() != null && !ctx.containerId().isEmpty()) {
            where = ctx.containerName() != null && !ctx.containerName().isEmpty()
                    ? ctx.containerName() // real text, as in contexts: printers and files escape it
                    : io.wiretop.host.ContainerIds.shortId(ctx.containerId());
        } else {
            where = Long.toString(netns);
        }
        lastNetns = netns;
        lastIfindex = ifindex;
        lastCtx = ctx;
        lastName = (dev != null ? dev : Integer.toString(ifindex)) + "@" + where;
        return lastName;
    }

    /** Interface name of an ifindex in wiretop's netns, else "ifindex" as ptcpdump prints unknown ones. */
    public String ifName(int ifindex) {
        if (ifindex >= 0 && ifindex < ifNames.length && ifNames[ifindex] != null) {
            return ifNames[ifindex];
        }
        String name;
        try {
            NetworkInterface ni = NetworkInterface.getByIndex(ifindex);
            name = ni != null ? ni.getName() : String.valueOf(ifindex);
        } catch (SocketException e) {
            name = String.valueOf(ifindex);
        }
        if (ifindex >= 0 && ifindex < 1 << 16) {
            if (ifindex >= ifNames.length) {
                ifNames = java.util.Arrays.copyOf(ifNames, Integer.highestOneBit(ifindex) << 1);
            }
            ifNames[ifindex] = name;
        }
        return name;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        obj.close();
    }
}
