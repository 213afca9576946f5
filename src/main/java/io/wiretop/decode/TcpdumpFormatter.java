// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * Formats decoded packets the way {@code tcpdump -n} prints them (the part after the timestamp).
 * Keeps tcpdump's per-conversation base sequence numbers so relative seq/ack match; therefore one
 * instance per packet stream, confined to one thread.
 */
public final class TcpdumpFormatter {
    private final boolean verbose;
    private final boolean absoluteSeq;
    private final Map<String, long[]> seqBases = new HashMap<>();

    /** @param verbose tcpdump -v; @param absoluteSeq tcpdump -S */
    public TcpdumpFormatter(boolean verbose, boolean absoluteSeq) {
        this.verbose = verbose;
        this.absoluteSeq = absoluteSeq;
    }

    /** tcpdump's default time stamp: HH:MM:SS.uuuuuu in the given zone. */
    public static String timestamp(long epochNanos, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L).atZone(zone);
        return String.format("%02d:%02d:%02d.%06d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    }

    /** The decode text of one packet, e.g. {@code IP 10.0.0.1.5 > 10.0.0.2.80: Flags [S], ...}. */
    public String format(DecodedPacket p) {
        return String.join("\n    ", lines(p));
    }

    /**
     * The same text as its lines: one, or two with -v on IPv4 (tcpdump puts the IP header on a line
     * of its own). Unescaped: DNS names and HTTP lines come from the wire, so a printer escapes each
     * line (io.wiretop.text.SafeText) and then joins them.
     */
    public java.util.List<String> lines(DecodedPacket p) {
        if (p.arp() != null) {
            return java.util.List.of(arp(p));
        }
        if (p.ip() == null) {
            if (p.eth() != null && p.note() == null) {
                return java.util.List.of(String.format("ethertype Unknown (0x%04x), length %d", p.eth().etherType(),
                        p.origLen()));
            }
            return java.util.List.of("[|" + (p.note() == null ? "unknown" : p.note()) + "]");
        }
        Headers.Ip ip = p.ip();
        String head = ip.version() == 6 ? "IP6 " : "IP ";
        if (!verbose) {
            return java.util.List.of(head + body(p));
        }
        if (ip.version() == 4) {
            return java.util.List.of(head + ipVerbose(ip), body(p));
        }
        return java.util.List.of(head + ipVerbose(ip) + " " + body(p));
    }

    private String body(DecodedPacket p) {
        Headers.Ip ip = p.ip();
        String src = Ip.text(ip.src()), dst = Ip.text(ip.dst());
        if (p.tcp() != null) {
            Headers.Tcp t = p.tcp();
            return src + "." + t.srcPort() + " > " + dst + "." + t.dstPort() + ": " + tcp(p);
        }
        if (p.udp() != null) {
            Headers.Udp u = p.udp();
            String head = src + "." + u.srcPort() + " > " + dst + "." + u.dstPort() + ": ";
            if (p.dns() != null) {
                return head + DnsFormat.summary(p.dns(), p.payloadLength());
            }
            return head + (verbose ? "[udp sum ok] " : "") + "UDP, length " + p.payloadLength();
        }
        if (p.icmp() != null) {
            return src + " > " + dst + ": " + IcmpFormat.summary(p);
        }
        if (p.note() != null) {
            return src + " > " + dst + ": [|" + p.note() + "]";
        }
        if (ip.version() == 4 && ip.fragOffset() != 0) {
            String name = Ip.protoName(ip.protocol());
            return src + " > " + dst + ": " + (name == null ? "ip-proto-" + ip.protocol() : name.toLowerCase());
        }
        return src + " > " + dst + ": ip-proto-" + ip.protocol() + " " + p.payloadLength();
    }

    private static String ipVerbose(Headers.Ip ip) {
        String name = Ip.protoName(ip.protocol());
        String proto = (name == null ? "unknown" : name) + " (" + ip.protocol() + ")";
        if (ip.version() == 6) {
            return "(" + (ip.tos() != 0 ? String.format("class 0x%x, ", ip.tos()) : "")
                    + (ip.flowLabel() != 0 ? String.format("flowlabel 0x%05x, ", ip.flowLabel()) : "")
                    + "hlim " + ip.ttl() + ", next-header " + proto + " payload length: " + (ip.totalLength() - 40) + ")";
        }
        String flags = ip.dontFragment() ? (ip.moreFragments() ? "DF+" : "DF") : ip.moreFragments() ? "+" : "none";
        return String.format("(tos 0x%x, ttl %d, id %d, offset %d, flags [%s], proto %s, length %d)", ip.tos(),
                ip.ttl(), ip.id(), ip.fragOffset() * 8, flags, proto, ip.totalLength());
    }

    private String tcp(DecodedPacket p) {
        Headers.Tcp t = p.tcp();
        long seq = t.seq(), ack = t.ack();
        long[] base = null;
        if (!absoluteSeq && t.has(Headers.Tcp.ACK)) {
            // tcpdump: one entry per conversation in a canonical order; reset by SYN
            String a = Ip.text(p.ip().src()) + "." + t.srcPort(), b = Ip.text(p.ip().dst()) + "." + t.dstPort();
            boolean rev = compare(p.ip().src(), p.ip().dst(), t.srcPort(), t.dstPort()) > 0;
            String key = rev ? b + ">" + a : a + ">" + b;
            long[] th = seqBases.get(key);
            if (th == null || t.has(Headers.Tcp.SYN)) {
                th = rev ? new long[]{(ack - 1) & 0xffffffffL, seq} : new long[]{seq, (ack - 1) & 0xffffffffL};
                seqBases.put(key, th);
            } else {
                seq = (seq - (rev ? th[1] : th[0])) & 0xffffffffL;
                ack = (ack - (rev ? th[0] : th[1])) & 0xffffffffL;
            }
            base = rev ? new long[]{th[1], th[0]} : th;
        }
        int len = p.payloadLength();
        StringBuilder s = new StringBuilder("Flags [").append(flags(t.flags())).append(']');
        if (verbose) {
            s.append(String.format(", cksum 0x%04x", t.checksum()));
        }
        if (len > 0 || t.has(Headers.Tcp.SYN | Headers.Tcp.FIN | Headers.Tcp.RST)) {
            s.append(", seq ").append(seq);
            if (len > 0) {
                s.append(':').append((seq + len) & 0xffffffffL);
            }
        }
        if (t.has(Headers.Tcp.ACK)) {
            s.append(", ack ").append(ack);
        }
        s.append(", win ").append(t.window());
        if (t.has(Headers.Tcp.URG)) {
            s.append(", urg ").append(t.urgent());
        }
        if (!t.options().isEmpty()) {
            s.append(", options [").append(TcpOptions.format(t.options(), base == null ? 0 : base[1])).append(']');
        }
        s.append(", length ").append(len);
        if (p.http() != null && len > 0) {
            s.append(p.http().isEmpty() ? ": HTTP" : verbose ? ": HTTP, length: " + len : ": HTTP: " + p.http());
        }
        return s.toString();
    }

    private static int compare(byte[] src, byte[] dst, int sport, int dport) {
        int c = java.util.Arrays.compareUnsigned(src, dst);
        return c != 0 ? c : Integer.compare(sport, dport);
    }

    /** tcpdump's flag letters: F S R P . U E W e, "none" when no flag is set. */
    public static String flags(int f) {
        String letters = "FSRP.UEWe";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < letters.length(); i++) {
            if ((f & (1 << i)) != 0) {
                s.append(letters.charAt(i));
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    private static String arp(DecodedPacket p) {
        Headers.Arp a = p.arp();
        String tell = Ip.text(a.senderIp()), target = Ip.text(a.targetIp());
        String what = switch (a.op()) {
            case 1 -> "Request who-has " + target + " tell " + tell;
            case 2 -> "Reply " + tell + " is-at " + Ip.mac(a.senderMac());
            default -> "op " + a.op();
        };
        return "ARP, " + what + ", length " + (p.origLen() - p.networkOffset());
    }
}
