// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfMap;
import io.wiretop.bpf.BpfObject;
import io.wiretop.bpf.MappedArray;
import io.wiretop.model.Cleanup;
import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcessId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * net.bpf.c's NET counters read as one cumulative counter per (process, socket): the socket table
 * (slots, read in place through its mapping), the released copies of slots, and the hash of what has
 * no slot, summed by socket (a process may have counts in both: it counts in the hash while its slot
 * is being claimed). {@link SlotLedger} keeps slot counts behaving as hash entries do when the
 * aggregator retires a socket. Confined to the capture thread.
 */
final class NetTable {
    private static final int SLOT_SIZE = WireLayout.SLOT_SIZE;
    private final BpfMap conns;
    private final BpfMap released;
    private final BpfMap tuples;
    private final MappedArray slots;
    private final SlotLedger ledger = new SlotLedger();
    /** Each slot's socket tuple (a wt_conn_val whose counters are unused), by cookie; read once per socket. */
    private final Map<Long, byte[]> tupleOf = new HashMap<>();
    private final Map<Long, Integer> tupleRport = new HashMap<>();
    private final Map<Long, byte[]> tupleSeen = new HashMap<>();
    private final List<byte[]> connKeys = new ArrayList<>();
    private final List<long[]> connRead = new ArrayList<>(); // the values read, by connKeys index
    /** What a deleted hash entry gained between its last read and its deletion: reported by the next read. */
    private final Map<Cleanup.ConnRef, long[]> late = new HashMap<>();
    private final Map<Cleanup.ConnRef, byte[]> lateTuple = new HashMap<>();
    private final List<byte[]> releasedKeys = new ArrayList<>();
    private long from;
    private long at;

    NetTable(BpfObject net) throws BpfException {
        conns = net.map("conns");
        released = net.map("released");
        tuples = net.map("slot_tuples");
        slots = net.mappedArray("slots", SLOT_SIZE);
    }

    /** When the last {@link #read} started and ended (System.nanoTime). */
    long from() {
        return from;
    }

    long at() {
        return at;
    }

    /** Every (process, socket) with counts, cumulative. */
    List<KernelSample.Conn> read() throws BpfException {
        from = System.nanoTime();
        BpfMap.Copy hashed = conns.copy(WireLayout.CONN_KEY_SIZE, WireLayout.CONN_VAL_SIZE);
        Map<Cleanup.ConnRef, long[]> slotCounts = new HashMap<>();
        Map<Cleanup.ConnRef, byte[]> tupleByRef = new HashMap<>();
        readSlots(slotCounts, tupleByRef);
        // after the slots: a slot freed meanwhile has left its final counts here
        BpfMap.Copy rel = released.copy(WireLayout.CONN_KEY_SIZE, WireLayout.CONN_VAL_SIZE);
        at = System.nanoTime();

        Map<Cleanup.ConnRef, long[]> releasedCounts = new HashMap<>();
        releasedKeys.clear();
        rel.forEach((k, v) -> {
            releasedKeys.add(bytes(k));
            Cleanup.ConnRef r = ref(k);
            releasedCounts.put(r, counts(v));
            tupleByRef.putIfAbsent(r, bytes(v));
        });
        Map<Cleanup.ConnRef, long[]> owned = ledger.merge(slotCounts, releasedCounts);

        Map<Cleanup.ConnRef, long[]> total = new LinkedHashMap<>(owned);
        connKeys.clear();
        connRead.clear();
        hashed.forEach((k, v) -> {
            connKeys.add(bytes(k));
            connRead.add(counts(v));
            Cleanup.ConnRef r = ref(k);
            tupleByRef.putIfAbsent(r, bytes(v));
            total.merge(r, counts(v), NetTable::sum);
        });
        late.forEach((r, c) -> {
            tupleByRef.putIfAbsent(r, lateTuple.get(r));
            total.merge(r, c, NetTable::sum);
        });
        late.clear();
        lateTuple.clear();
        List<KernelSample.Conn> out = new ArrayList<>(total.size());
        total.forEach((r, c) -> {
            ByteBuffer v = le(tupleByRef.get(r));
            out.add(new KernelSample.Conn(r.id(), r.cookie(),
                    Short.toUnsignedInt(v.getShort(WireLayout.CONN_VAL_FAMILY)),
                    Byte.toUnsignedInt(v.get(WireLayout.CONN_VAL_PROTO)),
                    (v.get(WireLayout.CONN_VAL_FLAGS) & WireLayout.CONN_PASSIVE) != 0, slice(v, WireLayout.CONN_VAL_LADDR, 16),
                    Short.toUnsignedInt(v.getShort(WireLayout.CONN_VAL_LPORT)), slice(v, WireLayout.CONN_VAL_RADDR, 16),
                    Short.toUnsignedInt(v.getShort(WireLayout.CONN_VAL_RPORT)), c[0], c[1], c[2], c[3]));
        });
        return out;
    }

    /**
     * Each owned slot, read twice around its counters: a slot that changed hands meanwhile is
     * skipped (its former socket's final counts are in the released copies, read after).
     */
    private void readSlots(Map<Cleanup.ConnRef, long[]> counts, Map<Cleanup.ConnRef, byte[]> tupleByRef) {
        tupleSeen.clear();
        for (int i = 0; i < slots.entries(); i++) {
            long cookie = slots.getLong(i, 0);
            if (cookie == 0) {
                continue;
            }
            int tgid = slots.getInt(i, WireLayout.SLOT_TGID);
            if (tgid == 0) {
                continue; // being claimed: its first count is read next time
            }
            long start = slots.getLong(i, WireLayout.SLOT_START_NS);
            int rport = Short.toUnsignedInt(slots.getShort(i, WireLayout.SLOT_RPORT));
            long[] c = new long[4];
            for (int j = 0; j < 4; j++) {
                c[j] = slots.getLong(i, WireLayout.SLOT_BYTES_IN + 8 * j);
            }
            byte[] tuple = tuple(i, cookie, rport);
            if (tuple == null || slots.getLong(i, 0) != cookie || slots.getInt(i, WireLayout.SLOT_TGID) != tgid) {
                continue;
            }
            Cleanup.ConnRef r = new Cleanup.ConnRef(id(tgid, start), cookie);
            counts.put(r, c);
            tupleByRef.put(r, tuple);
            tupleSeen.put(cookie, tuple);
        }
        tupleOf.keySet().retainAll(tupleSeen.keySet());
        tupleRport.keySet().retainAll(tupleSeen.keySet());
    }

    /** The slot's tuple: cached per socket, read again when the socket connected since (UDP). */
    private byte[] tuple(int index, long cookie, int rport) {
        Integer known = tupleRport.get(cookie);
        if (known != null && known == rport) {
            return tupleOf.get(cookie);
        }
        byte[] v = new byte[WireLayout.CONN_VAL_SIZE];
        if (!tuples.lookup(le(new byte[4]).putInt(0, index).array(), v)) {
            return null;
        }
        tupleOf.put(cookie, v);
        tupleRport.put(cookie, rport);
        return v;
    }

    /** Deletes what the aggregator read for the last time; slot-held counts are offset instead. */
    void apply(Set<ProcessId> gone, Set<Cleanup.ConnRef> stale) {
        deleteHashed(gone, stale);
        deleteIf(released, releasedKeys, gone, stale, ledger.drained());
        ledger.retire(gone, stale);
    }

    /**
     * Hash entries are deleted with a last look (atomically): what a retired socket's entry gained
     * since it was read is handed to the next read, as a new entry would count it.
     */
    private void deleteHashed(Set<ProcessId> gone, Set<Cleanup.ConnRef> stale) {
        byte[] v = new byte[WireLayout.CONN_VAL_SIZE];
        for (int i = 0; i < connKeys.size(); i++) {
            byte[] k = connKeys.get(i);
            Cleanup.ConnRef r = ref(le(k));
            boolean isGone = gone.contains(r.id());
            if (!(isGone || stale.contains(r)) || !conns.lookupAndDelete(k, v)) {
                continue;
            }
            long[] now = counts(le(v));
            long[] read = connRead.get(i);
            long[] d = new long[4];
            boolean any = false;
            for (int j = 0; j < 4; j++) {
                d[j] = Math.max(0, now[j] - read[j]);
                any |= d[j] != 0;
            }
            if (any && !isGone) {
                late.merge(r, d, NetTable::sum);
                lateTuple.put(r, v.clone());
            }
        }
    }

    private static void deleteIf(BpfMap map, List<byte[]> keys, Set<ProcessId> gone, Set<Cleanup.ConnRef> stale,
                                 Set<Cleanup.ConnRef> also) {
        for (byte[] k : keys) {
            Cleanup.ConnRef r = ref(le(k));
            if (gone.contains(r.id()) || stale.contains(r) || also.contains(r)) {
                map.delete(k);
            }
        }
    }

    private static Cleanup.ConnRef ref(ByteBuffer k) {
        return new Cleanup.ConnRef(id(k.getInt(0), k.getLong(8)), k.getLong(16));
    }

    private static long[] counts(ByteBuffer v) {
        return new long[]{v.getLong(0), v.getLong(8), v.getLong(16), v.getLong(24)};
    }

    private static long[] sum(long[] a, long[] b) {
        return new long[]{a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
    }

    static ProcessId id(int tgid, long startNs) {
        return new ProcessId(Integer.toUnsignedLong(tgid), startNs / WireLayout.NANOS_PER_TICK);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.capacity()];
        b.get(0, out);
        return out;
    }

    private static byte[] slice(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out);
        return out;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
