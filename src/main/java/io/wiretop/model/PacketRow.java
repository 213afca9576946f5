// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.DecodedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.Ip;
import io.wiretop.decode.TcpdumpFormatter;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * One captured packet in the Packets list, with the process that sent or received it.
 * The raw bytes stay in {@link #packet()} for the decoded view and the hex dump.
 *
 * @param seq     capture order, from 1 (the list key)
 * @param time    wall-clock time of day, "HH:MM:SS.micros"
 * @param proto   "tcp", "udp", "icmp", "icmp6" or the protocol number
 * @param src     source "ip.port" (tcpdump style) or just "ip"
 * @param dst     destination, likewise
 * @param flags   TCP flags as tcpdump prints them ("[S.]"), empty otherwise
 * @param summary the rest of tcpdump's one-line summary (seq/ack/win/length, DNS question...)
 * @param cookie  socket cookie, 0 when the packet had no local socket
 */
public record PacketRow(long seq, String time, String dir, String ifName, String proto, String src, String dst,
                        long length, String flags, String summary, long pid, long tid, String comm, long cookie,
                        CapturedPacket packet) implements Row {

    public static final Set<String> FIELDS = Set.of("evt.num", "evt.time", "evt.dir", "net.if", "fd.l4proto",
            "pkt.src", "pkt.dst", "pkt.len", "pkt.flags", "pkt.info", "proc.pid", "thread.tid", "proc.name",
            "fd.cookie");

    /**
     * The row of one packet as the Packets views list it (a live capture's and a replayed file's
     * alike): decoded once, tcpdump's summary without the parts that have their own columns.
     *
     * @param cookie the socket the packet belongs to (live: the kernel's cookie; a file: the feed's)
     */
    public static PacketRow of(long seq, CapturedPacket p, long cookie, TcpdumpFormatter formatter, ZoneId zone) {
        DecodedPacket d = p.decode();
        String line = formatter.format(d);
        String summary = line;
        int colon = line.indexOf(": ");
        if (colon >= 0) {
            summary = line.substring(colon + 2);
        }
        String proto = d.tcp() != null ? "tcp" : d.udp() != null ? "udp" : d.icmp() != null ? (d.icmp().v6() ? "icmp6" : "icmp")
                : d.protocolName().toLowerCase(Locale.ROOT);
        String src = "", dst = "";
        if (d.ip() != null) {
            src = endpoint(Ip.text(d.ip().src()), d.srcPort());
            dst = endpoint(Ip.text(d.ip().dst()), d.dstPort());
        }
        String flags = d.tcp() != null ? "[" + TcpdumpFormatter.flags(d.tcp().flags()) + "]" : "";
        if (!flags.isEmpty() && summary.startsWith("Flags " + flags)) {
            summary = summary.substring(("Flags " + flags).length()).replaceFirst("^, ", "");
        }
        var ctx = p.context();
        return new PacketRow(seq, TcpdumpFormatter.timestamp(p.tsNanos(), zone),
                p.direction() == Direction.OUT ? "Out" : "In", p.ifName(), proto, src, dst, p.origLen() - 14L,
                flags, summary, ctx.known() ? ctx.pid() : 0, ctx.known() ? ctx.tid() : 0,
                ctx.known() ? ctx.comm() : "", cookie, p);
    }

    private static String endpoint(String ip, int port) {
        return port < 0 ? ip : ip + "." + port;
    }

    @Override
    public Object get(String field) {
        return switch (field) {
            case "evt.num" -> seq;
            case "evt.time" -> time;
            case "evt.dir" -> dir;
            case "net.if" -> ifName;
            case "fd.l4proto" -> proto;
            case "pkt.src" -> src;
            case "pkt.dst" -> dst;
            case "pkt.len" -> length;
            case "pkt.flags" -> flags;
            case "pkt.info" -> summary;
            case "proc.pid" -> pid;
            case "thread.tid" -> tid;
            case "proc.name" -> comm;
            case "fd.cookie" -> cookie;
            default -> null;
        };
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }
}
