// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.TcpdumpFormatter;

import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packets a replayed file's Packets views list: like the live log, the newest
 * {@link #CAPACITY} packets of what the screen selects (a process, a connection, everything),
 * but a selection made later still finds the packets read before it, from the newest
 * {@link #CAPACITY} of the file so far. A row is formatted once, when first listed.
 * Confined to the feed's thread.
 */
final class PacketHistory {
    static final int CAPACITY = 5000;
    /**
     * Bytes kept of each packet: what the live Packets view captures (LiveEngine's snap length), so
     * 5000 packets of a file captured with a 256 KiB snap length (ptcpdump's default; loopback
     * GRO makes 64 KiB packets) cost a few MiB, not gigabytes. The row's lengths are the original ones.
     */
    static final int SNAP = 512;

    /** One packet, with the process and connection the fold gave it. */
    private static final class Entry {
        final long seq, pid, cookie;
        final CapturedPacket packet;
        PacketRow row;

        Entry(long seq, long pid, long cookie, CapturedPacket packet) {
            this.seq = seq;
            this.pid = pid;
            this.cookie = cookie;
            this.packet = packet;
        }
    }

    private final ArrayDeque<Entry> recent = new ArrayDeque<>();
    private final ArrayDeque<Entry> selected = new ArrayDeque<>();
    private PacketSelection selection = PacketSelection.NONE;
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(false, false);
    private final ZoneId zone = ZoneId.systemDefault();
    private long seq;

    /** What the screen lists from now on; the packets already read that match it are kept. */
    void select(PacketSelection want) {
        PacketSelection w = want == null ? PacketSelection.NONE : want;
        if (w.equals(selection)) {
            return;
        }
        selection = w;
        selected.clear();
        for (Entry e : recent) {
            if (matches(e)) {
                selected.addLast(e);
            }
        }
    }

    void add(CapturedPacket p, long pid, long cookie) {
        CapturedPacket kept = p.data().length <= SNAP ? p : new CapturedPacket(p.tsNanos(), p.ifName(), p.linkType(),
                Arrays.copyOf(p.data(), SNAP), p.origLen(), p.direction(), p.context(), p.comments(), p.cookie());
        Entry e = new Entry(++seq, pid, cookie, kept);
        bounded(recent, e);
        if (matches(e)) {
            bounded(selected, e);
        }
    }

    private static void bounded(ArrayDeque<Entry> q, Entry e) {
        q.addLast(e);
        if (q.size() > CAPACITY) {
            q.removeFirst();
        }
    }

    private boolean matches(Entry e) {
        return selection.all() || selection.pids().contains(e.pid) || selection.cookies().contains(e.cookie);
    }

    /** The rows of the selected packets, oldest first (none while nothing is selected). */
    List<PacketRow> rows() {
        List<PacketRow> out = new ArrayList<>(selected.size());
        for (Entry e : selected) {
            if (e.row == null) {
                e.row = PacketRow.of(e.seq, e.packet, e.cookie, formatter, zone);
            }
            out.add(e.row);
        }
        return out;
    }
}
