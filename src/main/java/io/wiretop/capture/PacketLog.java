// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.model.PacketRow;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.TcpdumpFormatter;

import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The bounded history of captured packets the Packets views show: the newest {@link #CAPACITY}
 * packets. A packet is decoded and formatted into a {@link PacketRow} only when a snapshot needs
 * it, and once: at hundreds of thousands of packets per second most never are. Confined to the
 * capture thread.
 */
final class PacketLog {
    static final int CAPACITY = 5000;
    private final ArrayDeque<CapturedPacket> raw = new ArrayDeque<>();
    private final ArrayDeque<PacketRow> rows = new ArrayDeque<>();
    private long rawSeq; // seq of the newest raw packet
    private final TcpdumpFormatter formatter = new TcpdumpFormatter(false, false);
    private final ZoneId zone = ZoneId.systemDefault();

    void add(CapturedPacket p) {
        raw.addLast(p);
        rawSeq++;
        if (raw.size() > CAPACITY) {
            raw.removeFirst();
        }
    }

    /** Formats the packets that arrived since the last snapshot (at most CAPACITY of them). */
    private void format() {
        long firstSeq = rawSeq - raw.size() + 1;
        for (CapturedPacket p : raw) {
            rows.addLast(row(firstSeq++, p));
        }
        raw.clear();
        while (rows.size() > CAPACITY) {
            rows.removeFirst();
        }
    }

    private PacketRow row(long seq, CapturedPacket p) {
        return PacketRow.of(seq, p, p.cookie(), formatter, zone);
    }

    void clear() {
        raw.clear();
        rows.clear();
    }

    List<PacketRow> snapshot() {
        format();
        return List.copyOf(rows);
    }
}
