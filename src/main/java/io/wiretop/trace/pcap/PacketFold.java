// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.model.Cleanup;
import io.wiretop.model.InfoSource;
import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcStat;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.model.ProcessScan;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.DecodedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.Headers;
import io.wiretop.decode.ProcessContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the packets of a file into what the aggregator takes from the live kernel and /proc: the
 * processes named by the packets' comments (a {@link ProcessScan} of every process seen so far),
 * one connection per (process, protocol, local and remote endpoint) with a cookie of its own, and
 * cumulative WIRE bytes and packets per (process, connection) from the packets' lengths on the
 * wire, less the link header and padding (the live hooks count IP packets: {@link #wireLength}).
 * Packets without a process context (a classic pcap file, a packet ptcpdump could not attribute)
 * go to pid 0, which the aggregator shows as unattributed. A file has no socket payload counts, so the connections carry no NET
 * counts; it has no CPU (blank) or memory (zero) figures either. Confined to the feed's thread.
 */
final class PacketFold implements InfoSource {
    private static final ProcessInfo UNATTRIBUTED_INFO = new ProcessInfo("[unattributed]",
            "[packets without a known process]", 0, -1, "", "host");

    /** What the file says of one process; fields later packets tell are merged in. */
    private static final class Proc {
        ProcessInfo info;
        final Set<Long> tids = new HashSet<>();
    }

    /** One connection of one process, as the kernel's conns map would hold it. */
    private record ConnKey(long pid, int proto, String local, int lport, String remote, int rport) {
    }

    private static final class Conn {
        final long cookie;
        final ConnKey key;
        final int family;
        final boolean passive;
        final byte[] laddr, raddr;

        Conn(long cookie, ConnKey key, int family, boolean passive, byte[] laddr, byte[] raddr) {
            this.cookie = cookie;
            this.key = key;
            this.family = family;
            this.passive = passive;
            this.laddr = laddr;
            this.raddr = raddr;
        }
    }

    /** Cumulative WIRE counts of one (process, cookie); cookie 0: packets without a connection (not IP). */
    private static final class WireCount {
        long bytesIn, bytesOut, pktsIn, pktsOut;
    }

    private final Map<Long, Proc> procs = new LinkedHashMap<>();
    private final Map<ConnKey, Conn> conns = new LinkedHashMap<>();
    private final Map<Long, Conn> byCookie = new HashMap<>();
    private final Map<Cleanup.ConnRef, WireCount> wire = new LinkedHashMap<>();
    private long nextCookie = 1;

    /** Where a folded packet went: its process's pid (0: unattributed) and connection (0: none). */
    record Placed(long pid, long cookie) {
    }

    /** Counts one packet. */
    Placed add(CapturedPacket p) {
        ProcessContext ctx = p.context();
        long pid = ctx.known() ? ctx.pid() : 0;
        if (pid > 0) {
            learn(ctx);
        }
        DecodedPacket d = p.decode();
        long length = wireLength(p, d);
        boolean out;
        long cookie = 0;
        if (d.ip() != null) {
            Conn c = connection(pid, d, p.direction());
            cookie = c.cookie;
            out = switch (p.direction()) {
                case OUT -> true;
                case IN -> false;
                default -> Arrays.equals(c.laddr, d.ip().src()) && c.key.lport() == port(d.srcPort());
            };
        } else {
            out = p.direction() == Direction.OUT;
        }
        WireCount w = wire.computeIfAbsent(new Cleanup.ConnRef(new ProcessId(pid, 0), cookie), r -> new WireCount());
        if (out) {
            w.bytesOut += length;
            w.pktsOut++;
        } else {
            w.bytesIn += length;
            w.pktsIn++;
        }
        return new Placed(pid, cookie);
    }

    /**
     * The length the live hooks count for a packet: the IP packet, without the link header nor the
     * padding Ethernet adds to frames under 60 bytes (a 40-byte ACK is a 60-byte frame); the IP
     * header's length is taken only when it declares one shorter than the frame (IPv4 GSO packets
     * of over 64 KiB and IPv6 jumbograms declare 0).
     */
    static long wireLength(CapturedPacket p, DecodedPacket d) {
        long frame = Math.max(0, (long) p.origLen() - (d.ip() != null || d.arp() != null ? d.networkOffset() : 0));
        if (d.ip() != null) {
            int total = d.ip().totalLength();
            boolean declared = d.ip().version() == 4 ? total >= 20 : total > 40;
            if (declared && total < frame) {
                return total;
            }
        }
        return frame;
    }

    /**
     * The packet's connection: the local end is the source of an outgoing packet and the
     * destination of an incoming one; a packet without a direction joins the connection it
     * belongs to either way round, else starts one from its source.
     */
    private Conn connection(long pid, DecodedPacket d, Direction dir) {
        Headers.Ip ip = d.ip();
        int proto = ip.protocol();
        String src = io.wiretop.decode.Ip.text(ip.src()), dst = io.wiretop.decode.Ip.text(ip.dst());
        int sport = port(d.srcPort()), dport = port(d.dstPort());
        ConnKey fromSrc = new ConnKey(pid, proto, src, sport, dst, dport);
        ConnKey fromDst = new ConnKey(pid, proto, dst, dport, src, sport);
        ConnKey key = switch (dir) {
            case OUT -> fromSrc;
            case IN -> fromDst;
            default -> conns.containsKey(fromSrc) || !conns.containsKey(fromDst) ? fromSrc : fromDst;
        };
        Conn c = conns.get(key);
        if (c == null) {
            boolean local = key == fromSrc;
            // the end that received the first SYN, or sent the SYN-ACK, is the server
            boolean passive = d.tcp() != null && d.tcp().has(Headers.Tcp.SYN)
                    && (d.tcp().has(Headers.Tcp.ACK) == local);
            c = new Conn(nextCookie++, key, ip.version() == 6 ? 10 : 2, passive,
                    local ? ip.src() : ip.dst(), local ? ip.dst() : ip.src());
            conns.put(key, c);
            byCookie.put(c.cookie, c);
        }
        return c;
    }

    private static int port(int p) {
        return Math.max(0, p);
    }

    private void learn(ProcessContext ctx) {
        Proc p = procs.computeIfAbsent(ctx.pid(), k -> new Proc());
        ProcessInfo old = p.info;
        String comm = ctx.cmd() != null && !ctx.cmd().isEmpty() ? ctx.comm() : old != null ? old.comm() : "?";
        String cmdline = ctx.args() != null && !ctx.args().isEmpty() ? ctx.args() : old != null ? old.cmdline() : comm;
        long ppid = ctx.ppid() > 0 ? ctx.ppid() : old != null ? old.ppid() : 0;
        long uid = ctx.uid() >= 0 ? ctx.uid() : old != null ? old.uid() : -1;
        String container = ctx.containerId() != null && !ctx.containerId().isEmpty() ? ctx.containerId()
                : old != null ? old.containerId() : "host";
        ProcessInfo now = new ProcessInfo(comm, cmdline, ppid, uid, userName(uid), container);
        if (!now.equals(old)) {
            p.info = now;
        }
        if (ctx.tid() > 0) {
            p.tids.add(ctx.tid());
        }
    }

    /** The cumulative counters so far, as one read of the kernel maps. */
    KernelSample sample() {
        List<KernelSample.Conn> cs = new ArrayList<>(conns.size());
        for (Conn c : conns.values()) {
            ConnKey k = c.key;
            cs.add(new KernelSample.Conn(new ProcessId(k.pid(), 0), c.cookie, c.family, k.proto(), c.passive,
                    c.laddr, k.lport(), c.raddr, k.rport(), 0, 0, 0, 0));
        }
        List<KernelSample.Wire> ws = new ArrayList<>(wire.size());
        for (Map.Entry<Cleanup.ConnRef, WireCount> e : wire.entrySet()) {
            WireCount w = e.getValue();
            ws.add(new KernelSample.Wire(e.getKey().id(), e.getKey().cookie(), w.bytesIn, w.bytesOut, w.pktsIn, w.pktsOut));
        }
        return new KernelSample(cs, List.of(), List.of(), ws, Losses.NONE);
    }

    /**
     * Every process seen so far, as a /proc scan would list it: no CPU time (-1, shown blank) and
     * no memory (0): a packet file has neither.
     */
    ProcessScan scan() {
        Map<ProcessId, ProcStat> ps = new LinkedHashMap<>();
        for (Map.Entry<Long, Proc> e : procs.entrySet()) {
            ProcessInfo pi = e.getValue().info;
            ps.put(new ProcessId(e.getKey(), 0), new ProcStat(e.getKey(), pi.comm(), pi.ppid(), -1,
                    Math.max(1, e.getValue().tids.size()), 0, 0, 0));
        }
        return new ProcessScan(ps, null, Set.of());
    }

    /**
     * Forgets connections the aggregator handed back as idle: their counters were read, and if the
     * connection comes back it does so under a new cookie, counted from zero.
     */
    void forget(Cleanup cleanup) {
        for (Cleanup.ConnRef r : cleanup.conns()) {
            wire.remove(r);
            Conn c = byCookie.get(r.cookie());
            if (c != null && c.key.pid() == r.id().pid()) {
                byCookie.remove(r.cookie());
                conns.remove(c.key);
            }
        }
    }

    @Override
    public ProcessInfo read(ProcessId id) {
        if (id.pid() == 0) {
            return UNATTRIBUTED_INFO;
        }
        Proc p = procs.get(id.pid());
        return p == null ? null : p.info;
    }

    /** The file has uids but no user names (the machine replaying it is not the one that wrote it). */
    @Override
    public String userName(long uid) {
        return uid >= 0 ? Long.toString(uid) : "";
    }

    @Override
    public String fdTarget(long pid, int fd) {
        return null;
    }
}
