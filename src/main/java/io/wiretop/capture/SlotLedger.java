// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.model.Cleanup;
import io.wiretop.model.ProcessId;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The owner counts of sockets that have a slot in net.bpf.c's socket table, as the aggregator
 * expects every NET counter to behave: cumulative from zero, and gone once handed back for deletion.
 *
 * <p>The kernel keeps two copies of an owner's counts, both cumulative: the slot, while the socket
 * is open, and the copy the release hook makes when its file is released. Each read sees one or both
 * (the release may fall between the two reads); the larger is the count. A slot cannot be deleted
 * from user space like a hash entry (it holds the counts of a socket still in use), so when the
 * aggregator retires a socket (closed, idle, or its process gone) the counts read last become the
 * socket's offset: what is reported afterwards is the count less the offset, and nothing while that
 * is zero. A released copy that is wholly retired is handed back for deletion ({@link #drained}).
 * An offset goes when the socket has left both the table and the released copies.
 */
final class SlotLedger {
    private final Map<Cleanup.ConnRef, long[]> offsets = new HashMap<>();
    private Map<Cleanup.ConnRef, long[]> last = new HashMap<>();
    private final Set<Cleanup.ConnRef> drained = new HashSet<>();

    /**
     * One read: the slots' counts and the released copies (each bytes in, bytes out, ops in, ops out)
     * to the counts to report, by socket; a socket with nothing to report is left out.
     */
    Map<Cleanup.ConnRef, long[]> merge(Map<Cleanup.ConnRef, long[]> slots, Map<Cleanup.ConnRef, long[]> released) {
        Map<Cleanup.ConnRef, long[]> seen = new HashMap<>(slots.size() + released.size());
        slots.forEach((r, v) -> seen.put(r, v.clone()));
        released.forEach((r, v) -> seen.merge(r, v.clone(), SlotLedger::max));
        Map<Cleanup.ConnRef, long[]> out = new HashMap<>(seen.size());
        drained.clear();
        for (Map.Entry<Cleanup.ConnRef, long[]> e : seen.entrySet()) {
            long[] off = offsets.get(e.getKey());
            long[] net = e.getValue().clone();
            boolean any = off == null;
            if (off != null) {
                for (int i = 0; i < net.length; i++) {
                    net[i] = Math.max(0, net[i] - off[i]);
                    any |= net[i] != 0;
                }
            }
            if (any) {
                out.put(e.getKey(), net);
            } else if (released.containsKey(e.getKey())) {
                drained.add(e.getKey());
            }
        }
        offsets.keySet().retainAll(seen.keySet());
        last = seen;
        return out;
    }

    /** Released copies the last {@link #merge} found wholly retired: the caller deletes them from the kernel. */
    Set<Cleanup.ConnRef> drained() {
        return Set.copyOf(drained);
    }

    /**
     * The aggregator has read these sockets for the last time (closed or idle sockets, and every
     * socket of a gone process): what the last merge saw of them becomes their offset.
     */
    void retire(Collection<ProcessId> gone, Collection<Cleanup.ConnRef> stale) {
        Set<ProcessId> g = new HashSet<>(gone);
        Set<Cleanup.ConnRef> s = new HashSet<>(stale);
        last.forEach((r, v) -> {
            if (g.contains(r.id()) || s.contains(r)) {
                offsets.put(r, v.clone());
            }
        });
    }

    /** Sockets with an offset (tests check that offsets go with their sockets). */
    int retiredCount() {
        return offsets.size();
    }

    private static long[] max(long[] a, long[] b) {
        long[] m = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            m[i] = Math.max(a[i], b[i]);
        }
        return m;
    }
}
