// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import io.wiretop.decode.CapturedPacket;

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
