// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.DecodedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.TcpdumpFormatter;
import io.wiretop.model.PacketRow;

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
        DecodedPacket d = p.decode();
        String line = formatter.format(d);
        String summary = line;
        int colon = line.indexOf(": ");
        if (colon >= 0) {
            summary = line.substring(colon + 2);
        }
        String proto = d.tcp() != null ? "tcp" : d.udp() != null ? "udp" : d.icmp() != null ? (d.icmp().v6() ? "icmp6" : "icmp")
                : d.protocolName().toLowerCase(java.util.Locale.ROOT);
        String src = "", dst = "";
        if (d.ip() != null) {
            src = endpoint(io.wiretop.decode.Ip.text(d.ip().src()), d.srcPort());
            dst = endpoint(io.wiretop.decode.Ip.text(d.ip().dst()), d.dstPort());
        }
        String flags = d.tcp() != null ? "[" + TcpdumpFormatter.flags(d.tcp().flags()) + "]" : "";
        if (!flags.isEmpty() && summary.startsWith("Flags " + flags)) {
            summary = summary.substring(("Flags " + flags).length()).replaceFirst("^, ", "");
        }
        var ctx = p.context();
        return new PacketRow(seq, TcpdumpFormatter.timestamp(p.tsNanos(), zone),
                p.direction() == Direction.OUT ? "Out" : "In", p.ifName(), proto, src, dst, p.origLen() - 14L,
                flags, summary, ctx.known() ? ctx.pid() : 0, ctx.known() ? ctx.tid() : 0,
                ctx.known() ? ctx.comm() : "", p.cookie(), p);
    }

    private static String endpoint(String ip, int port) {
        return port < 0 ? ip : ip + "." + port;
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
