// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.DecodedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.Ip;
import io.wiretop.decode.ProcessContext;
import io.wiretop.decode.TcpdumpFormatter;
import io.wiretop.model.Losses;
import io.wiretop.model.PacketRow;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.pcap.PcapReader;
import io.wiretop.view.Aggregation;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewType;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.wiretop.ui.Fixtures.col;

/**
 * Packets for the UI tests: the real packets of the packet tests' sample-lo.pcap (HTTP over TCP,
 * DNS, UDP, ICMP port unreachable, IPv6), attributed to processes of {@link Fixtures#snapshot} the
 * way the live engine would (the IPv4 HTTP connection to curl, pid 1500, on the cookie of its
 * Connections row; DNS to systemd-resolved; the rest to nginx and python3).
 */
final class PacketFixtures {
    /** curl's connection cookie in {@link Fixtures#snapshot} (pid * 100 + local port). */
    static final long CURL_COOKIE = 1500 * 100 + 41234;

    private PacketFixtures() {
    }

    static List<CapturedPacket> sample() throws IOException {
        List<CapturedPacket> out = new ArrayList<>();
        try (InputStream in = PacketFixtures.class.getResourceAsStream("/io/wiretop/trace/pcap/sample-lo.pcap");
             PcapReader r = new PcapReader(in)) {
            for (CapturedPacket p; (p = r.next()) != null; ) {
                out.add(p);
            }
        }
        return out;
    }

    /** The sample's packets as Packets rows numbered from firstSeq, repeated until count rows. */
    static List<PacketRow> rows(long firstSeq, int count) throws IOException {
        List<CapturedPacket> sample = sample();
        List<PacketRow> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(row(firstSeq + i, sample.get(i % sample.size())));
        }
        return out;
    }

    static PacketRow row(long seq, CapturedPacket raw) {
        DecodedPacket d = raw.decode();
        int sport = d.srcPort(), dport = d.dstPort();
        long pid;
        String comm;
        long cookie;
        ProcessContext ctx;
        if (d.tcp() != null && d.ip().version() == 4) {
            pid = 1500;
            comm = "curl";
            cookie = CURL_COOKIE;
            ctx = new ProcessContext(1500, "/usr/bin/curl", "curl -s http://example.com/", 1500, "curl", 1000, 3100,
                    "/usr/bin/bash", "bash", null, null, null, null);
        } else if (sport == 53 || dport == 53) {
            pid = 2001;
            comm = "systemd-resolve";
            cookie = 2001 * 100 + 53;
            ctx = new ProcessContext(2001, "/usr/lib/systemd/systemd-resolved", "", 2001, "systemd-resolve", 991, 1,
                    "/sbin/init", "", null, null, null, null);
        } else if (d.ip().version() == 6) {
            pid = 733;
            comm = "nginx";
            cookie = 733 * 100 + 443;
            ctx = new ProcessContext(733, "/usr/sbin/nginx", "nginx: worker process", 733, "nginx", 33, 1,
                    "/sbin/init", "", "web", "4f1c2a9d3e7b", "nginx:1.25", "{}");
        } else {
            pid = 3101;
            comm = "python3";
            cookie = 3101 * 100 + 1;
            ctx = ProcessContext.NONE;
        }
        boolean out = sport != 8080 && sport != 53 && sport != 7777;
        Direction dir = out ? Direction.OUT : Direction.IN;
        CapturedPacket p = new CapturedPacket(raw.tsNanos(), "lo", raw.linkType(), raw.data(), raw.origLen(), dir, ctx,
                ctx.comments());
        String line = new TcpdumpFormatter(false, true).format(d);
        String src = Ip.text(d.ip().src()) + (sport >= 0 ? "." + sport : "");
        String dst = Ip.text(d.ip().dst()) + (dport >= 0 ? "." + dport : "");
        String flags = "", info = line.substring(line.indexOf(": ") + 2);
        if (d.tcp() != null) {
            flags = "[" + TcpdumpFormatter.flags(d.tcp().flags()) + "]";
            info = info.substring(info.indexOf("]") + 1).replaceFirst("^, ", "");
        }
        String proto = d.tcp() != null ? "tcp" : d.udp() != null ? "udp" : d.icmp() != null
                ? (d.icmp().v6() ? "icmp6" : "icmp") : Integer.toString(d.ip().protocol());
        return new PacketRow(seq, TcpdumpFormatter.timestamp(raw.tsNanos(), ZoneOffset.UTC), dir.word, "lo", proto,
                src, dst, raw.origLen(), flags, info, pid, pid, comm, cookie, p);
    }

    /** {@link Fixtures#snapshot} plus a Packets history. */
    static Snapshot snapshot(long seq, List<PacketRow> packets) {
        Snapshot base = Fixtures.snapshot(seq);
        Map<String, List<? extends Row>> sources = new HashMap<>(base.sources());
        sources.put(Snapshot.PACKETS, packets);
        return new Snapshot(seq, base.monoNanos(), base.intervalSeconds(), sources, Losses.NONE, "Live System");
    }

    /** A hand-built Packets list view like views/packets.yaml, so goldens do not follow edits of that file. */
    static ViewDef packetsView() {
        return new ViewDef("packets", "Packets", "Packets of the selection.", List.of("Enter decodes a packet."),
                ViewType.LIST, Snapshot.PACKETS, null, List.of("", "proc.pid", "fd.cookie"), null, false,
                List.of(col("NA", "evt.num", 0, Aggregation.NONE, true, false, null, null),
                        col("TIME", "evt.time", 16, Aggregation.NONE, false, false, null, "Time."),
                        col("DIR", "evt.dir", 4, Aggregation.NONE, false, false, null, "Direction."),
                        col("IF", "net.if", 6, Aggregation.NONE, false, false, null, "Interface."),
                        col("PROTO", "fd.l4proto", 6, Aggregation.NONE, false, false, null, "Protocol."),
                        col("SOURCE", "pkt.src", 21, Aggregation.NONE, false, false, null, "Source."),
                        col("DEST", "pkt.dst", 21, Aggregation.NONE, false, false, null, "Destination."),
                        col("LEN", "pkt.len", 6, Aggregation.NONE, false, false, null, "Length."),
                        col("FLAGS", "pkt.flags", 7, Aggregation.NONE, false, false, null, "TCP flags."),
                        col("PID", "proc.pid", 8, Aggregation.NONE, false, false, null, "PID."),
                        col("Command", "proc.name", 12, Aggregation.NONE, false, false, null, "Process."),
                        col("INFO", "pkt.info", 0, Aggregation.NONE, false, false, null, "Summary.")),
                List.of(), null, true);
    }
}
