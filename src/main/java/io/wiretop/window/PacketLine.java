// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.model.PacketRow;
import io.wiretop.trace.print.SysdigLine;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection's packets as Dig lines among its syscalls, in sysdig's columns
 * ({@code %evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args}): the
 * number is the packet's capture order marked {@code p}, the CPU is not known ({@code -}), the
 * direction is {@code out} or {@code in} (not sysdig's {@code >}/{@code <}, which are enter and exit),
 * the type {@code pkt}, and the arguments the interface, length, TCP flags and the rest of tcpdump's
 * one-line summary, as the Packets view and {@code capture} print it. For example
 * {@code p3 10:00:00.000001000 - curl (4242) out pkt if=lo len=60 127.0.0.1.40000 > 127.0.0.1.8080 flags=[S] seq 1, win 65495, length 0}.
 *
 * <p>Which packets: a selection's socket cookie when it has one (live: only that socket's, not the
 * peer's on loopback), else those whose addresses and ports are the connection's either way round,
 * of its processes when the packet names its owner (a file). Each packet once, by capture order.
 * Not thread-safe (the UI thread, or a replay's thread).
 */
public final class PacketLine {
    private final WindowSelection selection;
    private final ZoneId zone;
    private final String[] ends; // lip, lport, rip, rport of the selection's tuple, or null
    private long lastSeq = Long.MIN_VALUE;

    public PacketLine(WindowSelection selection, ZoneId zone) {
        this.selection = selection;
        this.zone = zone;
        this.ends = selection.isConnection() ? ends(selection.fdName()) : null;
    }

    /** The packets of {@code rows} (newest last) not taken before that belong to the connection, as window events. */
    public List<WindowEvent> take(List<PacketRow> rows) {
        List<WindowEvent> out = new ArrayList<>();
        for (PacketRow r : rows) {
            if (r.seq() <= lastSeq) {
                continue;
            }
            lastSeq = r.seq();
            if (belongs(r)) {
                out.add(event(r));
            }
        }
        return out;
    }

    /** Whether a packet is the selected connection's. */
    boolean belongs(PacketRow r) {
        if (ends == null) {
            return false;
        }
        if (selection.cookie() != 0) {
            return r.cookie() == selection.cookie();
        }
        if (r.pid() > 0 && !selection.pids().isEmpty() && !selection.pids().contains(r.pid())) {
            return false; // the peer's copy of a loopback packet (a file holds both)
        }
        String[] src = split(r.src(), '.'), dst = split(r.dst(), '.');
        if (src == null || dst == null) {
            return false;
        }
        return src[0].equals(ends[0]) && src[1].equals(ends[1]) && dst[0].equals(ends[2]) && dst[1].equals(ends[3])
                || src[0].equals(ends[2]) && src[1].equals(ends[3]) && dst[0].equals(ends[0]) && dst[1].equals(ends[1]);
    }

    /** The Dig line of a packet (untrusted text: the comm; the window escapes it). */
    WindowEvent event(PacketRow r) {
        long ts = r.packet().tsNanos();
        StringBuilder s = new StringBuilder(160);
        s.append('p').append(r.seq()).append(' ').append(SysdigLine.time(ts, zone)).append(" - ")
                .append(r.comm().isEmpty() ? "<NA>" : r.comm()).append(" (").append(r.tid()).append(") ")
                .append("Out".equals(r.dir()) ? "out" : "in").append(" pkt");
        if (r.ifName() != null && !r.ifName().isEmpty()) {
            s.append(" if=").append(r.ifName());
        }
        s.append(" len=").append(r.length()).append(' ').append(r.src()).append(" > ").append(r.dst());
        if (!r.flags().isEmpty()) {
            s.append(" flags=").append(r.flags());
        }
        if (!r.summary().isEmpty()) {
            s.append(' ').append(r.summary());
        }
        return new WindowEvent(null, r.seq(), r.pid(), r.comm(), -1, "", -1, s.toString(), ts);
    }

    /** "lip:lport->rip:rport" as its four parts (the port after the last ':', so IPv6 works), or null. */
    static String[] ends(String tuple) {
        int arrow = tuple.indexOf("->");
        if (arrow < 0) {
            return null;
        }
        String[] l = split(tuple.substring(0, arrow), ':'), r = split(tuple.substring(arrow + 2), ':');
        return l == null || r == null ? null : new String[] {l[0], l[1], r[0], r[1]};
    }

    private static String[] split(String endpoint, char sep) {
        int at = endpoint.lastIndexOf(sep);
        return at <= 0 ? null : new String[] {endpoint.substring(0, at), endpoint.substring(at + 1)};
    }
}
