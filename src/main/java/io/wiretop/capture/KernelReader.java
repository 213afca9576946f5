// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfMap;
import io.wiretop.bpf.BpfObject;
import io.wiretop.model.Cleanup;
import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the kernel's counter maps once per tick (batched) into a {@link KernelSample}, and deletes
 * the entries the aggregator has read for the last time. Confined to the capture thread.
 */
final class KernelReader {
    /** A copy of the NET and WIRE maps that took less is taken to be from one moment (its middle). */
    private static final long SURE_COPY_NANOS = 3_000_000;
    private final BpfObject net;
    private final NetTable netTable;
    private final BpfObject proc;
    private BpfObject sys; // null while the syscall program is detached
    private BpfMap wire;   // the packet hook's WIRE counters; null while the packet hooks are detached
    private final List<byte[]> wireKeys = new ArrayList<>();
    private final List<byte[]> sysKeys = new ArrayList<>();
    private final List<byte[]> fileKeys = new ArrayList<>();
    private final List<long[]> wireRead = new ArrayList<>(); // the values read, by wireKeys index
    private final List<KernelSample.Wire> wireLate = new ArrayList<>();
    private long netReadNanos;

    KernelReader(BpfObject net, BpfObject proc, BpfObject sys, BpfMap wire) throws BpfException {
        this.net = net;
        this.netTable = new NetTable(net);
        this.proc = proc;
        this.sys = sys;
        this.wire = wire;
    }

    /**
     * The syscall program attached (its maps are read from the next {@link #read} on) or detached
     * (null). Between a read and its {@link #apply}, never: the keys read are those of these maps.
     */
    void sys(BpfObject attached) {
        sys = attached;
        sysKeys.clear();
        fileKeys.clear();
    }

    /** The packet hooks' WIRE map attached, or null when detached; like {@link #sys}. */
    void wire(BpfMap attached) {
        wire = attached;
        wireKeys.clear();
        wireRead.clear();
    }

    /** Cookies of TCP sockets closed so far; read before the counters, so their counts are final. */
    List<Long> closedCookies() throws BpfException {
        List<Long> out = new ArrayList<>();
        net.map("closed").forEach(8, 8, (k, v) -> out.add(k.getLong(0)));
        return out;
    }

    KernelSample read() throws BpfException {
        List<KernelSample.Conn> conns = null;
        // NET and WIRE copied back to back, before any other work: both end the interval at one moment.
        // A copy that took long (the thread lost its CPU) is taken again: when its values are from is
        // unsure. The last copy is the one used: the NET table's bookkeeping (what a retired socket had)
        // is that of its latest read, and an earlier, smaller count would lose the difference.
        BpfMap.Copy wireCopy = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            conns = netTable.read();
            wireCopy = wire == null ? null : wire.copy(WireLayout.CONN_KEY_SIZE, WireLayout.WIRE_VAL_SIZE);
            netReadNanos = netTable.from() + (netTable.at() - netTable.from()) / 2;
            if ((wireCopy == null ? netTable.at() : wireCopy.at()) - netTable.from() < SURE_COPY_NANOS) {
                break;
            }
        }
        List<KernelSample.Wire> wires = new ArrayList<>();
        wireKeys.clear();
        wireRead.clear();
        if (wire != null) {
            // The packet hook learns a socket's owner either in process context (exact start time)
            // or from /proc for sockets older than wiretop (start time in clock ticks): two kernel
            // keys, one process. Summed here, so each (process, socket) has one cumulative counter.
            java.util.Map<Cleanup.ConnRef, long[]> merged = new java.util.LinkedHashMap<>();
            wireCopy.forEach((k, v) -> {
                wireKeys.add(bytes(k));
                wireRead.add(new long[]{v.getLong(0), v.getLong(8), v.getLong(16), v.getLong(24)});
                long[] acc = merged.computeIfAbsent(new Cleanup.ConnRef(id(k.getInt(0), k.getLong(8)), k.getLong(16)),
                        r -> new long[4]);
                for (int i = 0; i < 4; i++) {
                    acc[i] += v.getLong(i * 8);
                }
            });
            merged.forEach((r, a) -> wires.add(new KernelSample.Wire(r.id(), r.cookie(), a[0], a[1], a[2], a[3])));
        }
        List<KernelSample.Sys> calls = new ArrayList<>();
        List<KernelSample.FileIo> files = new ArrayList<>();
        sysKeys.clear();
        fileKeys.clear();
        long[] sysLost = new long[WireLayout.LOST_SLOTS];
        if (sys != null) {
            sys.map("sys_calls").forEach(WireLayout.SYS_KEY_SIZE, 8, (k, v) -> {
                sysKeys.add(bytes(k));
                calls.add(new KernelSample.Sys(id(k.getInt(0), k.getLong(8)), Short.toUnsignedInt(k.getShort(4)),
                        Short.toUnsignedInt(k.getShort(6)), v.getLong(0)));
            });
            sys.map("file_io").forEach(WireLayout.FILE_KEY_SIZE, WireLayout.FILE_VAL_SIZE, (k, v) -> {
                fileKeys.add(bytes(k));
                files.add(new KernelSample.FileIo(id(k.getInt(0), k.getLong(8)), Integer.toUnsignedLong(k.getInt(4)),
                        k.getLong(16), v.getInt(WireLayout.FILE_VAL_LAST_FD), v.getLong(0), v.getLong(8), v.getLong(16)));
            });
            sysLost = sys.perCpuSums("lost", WireLayout.LOST_SLOTS);
        }
        long[] netLost = net.perCpuSums("lost", WireLayout.LOST_SLOTS);
        long[] procLost = proc.perCpuSums("lost", WireLayout.LOST_SLOTS);
        Losses losses = new Losses(procLost[0], netLost[1], sysLost[2], sysLost[3]);
        KernelSample s = new KernelSample(conns, calls, files, wires, losses, List.copyOf(wireLate));
        wireLate.clear();
        return s;
    }

    /**
     * When the last {@link #read} had copied the NET counters (System.nanoTime): where an interval
     * ends. Taken right after the copy, not before it: a thread that waits for a CPU before it reads
     * would otherwise shift its counts against its clock.
     */
    long netReadNanos() {
        return netReadNanos;
    }

    /** Deletes what the aggregator read for the last time. */
    void apply(Cleanup c) throws BpfException {
        Set<ProcessId> gone = new HashSet<>(c.goneProcesses());
        Set<Long> closed = new HashSet<>(c.closedCookies());
        Set<Cleanup.ConnRef> stale = new HashSet<>(c.conns());
        netTable.apply(gone, stale);
        if (wire != null) {
            deleteWire(stale);
        }
        BpfMap closedMap = net.map("closed");
        for (long cookie : closed) {
            closedMap.delete(le(new byte[8]).putLong(0, cookie).array());
        }
        if (sys != null && !gone.isEmpty()) {
            deleteGone(sys.map("sys_calls"), sysKeys, gone);
            deleteGone(sys.map("file_io"), fileKeys, gone);
        }
    }

    /**
     * WIRE entries are deleted only when stale (not by process: packets outlive it), and atomically
     * with a last look: what packets added since the read is handed to the next sample.
     */
    private void deleteWire(Set<Cleanup.ConnRef> stale) {
        byte[] v = new byte[WireLayout.WIRE_VAL_SIZE];
        for (int i = 0; i < wireKeys.size(); i++) {
            ByteBuffer b = le(wireKeys.get(i));
            Cleanup.ConnRef ref = new Cleanup.ConnRef(id(b.getInt(0), b.getLong(8)), b.getLong(16));
            if (!stale.contains(ref) || !wire.lookupAndDelete(wireKeys.get(i), v)) {
                continue;
            }
            ByteBuffer val = le(v);
            long[] read = wireRead.get(i);
            long[] late = new long[4];
            for (int s = 0; s < 4; s++) {
                late[s] = Math.max(0, val.getLong(s * 8) - read[s]);
            }
            if (late[0] + late[1] > 0) {
                wireLate.add(new KernelSample.Wire(ref.id(), ref.cookie(), late[0], late[1], late[2], late[3]));
            }
        }
    }

    private static void deleteGone(BpfMap map, List<byte[]> keys, Set<ProcessId> gone) {
        for (byte[] k : keys) {
            ByteBuffer b = le(k);
            if (gone.contains(id(b.getInt(0), b.getLong(8)))) {
                map.delete(k);
            }
        }
    }

    private static ProcessId id(int tgid, long startNs) {
        return new ProcessId(Integer.toUnsignedLong(tgid), startNs / WireLayout.NANOS_PER_TICK);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.capacity()];
        b.get(0, out);
        return out;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
