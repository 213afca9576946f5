// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.decode.Dns;
import io.wiretop.decode.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * Field-by-field text of the TCP, ICMP/ICMPv6 and DNS layers for {@link PacketDetail}: the values
 * tcpdump's one-line summary leaves out or abbreviates (flag names, option list, checksums, DNS records).
 * Stateless.
 */
final class PacketLayers {
    private static final String IND = "  ";
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};

    private PacketLayers() {
    }

    static void tcp(List<String> l, Headers.Tcp t, int payload) {
        l.add("");
        l.add("TCP");
        l.add(IND + "Source port " + t.srcPort() + ", destination port " + t.dstPort());
        l.add(IND + "Sequence number " + t.seq() + (payload > 0 ? ", next " + ((t.seq() + payload) & 0xffffffffL) : ""));
        l.add(IND + "Acknowledgment number " + t.ack() + (t.has(Headers.Tcp.ACK) ? "" : " (ACK not set)"));
        l.add(IND + "Header length " + t.headerLength() + String.format(", flags 0x%03x", t.flags()) + " ("
                + flagNames(t.flags()) + ")");
        l.add(IND + "Window " + t.window() + String.format(", checksum 0x%04x", t.checksum()) + ", urgent pointer "
                + t.urgent());
        if (!t.options().isEmpty()) {
            l.add(IND + "Options " + options(t.options()));
        }
    }

    static String flagNames(int flags) {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                n.add(FLAG_NAMES[i]);
            }
        }
        return n.isEmpty() ? "none" : String.join(" ", n);
    }

    /** TCP options with absolute values (the page shows one packet, so nothing is relative). */
    static String options(List<Headers.TcpOption> opts) {
        List<String> s = new ArrayList<>();
        for (Headers.TcpOption o : opts) {
            byte[] d = o.data();
            s.add(switch (o.kind()) {
                case 0 -> "eol";
                case 1 -> "nop";
                case 2 -> d.length == 2 ? "mss " + u16(d, 0) : "mss [bad]";
                case 3 -> d.length == 1 ? "wscale " + (d[0] & 0xff) : "wscale [bad]";
                case 4 -> "sackOK";
                case 5 -> {
                    StringBuilder b = new StringBuilder("sack");
                    for (int i = 0; i + 8 <= d.length; i += 8) {
                        b.append(" {").append(u32(d, i)).append(':').append(u32(d, i + 4)).append('}');
                    }
                    yield b.toString();
                }
                case 8 -> d.length == 8 ? "TS val " + u32(d, 0) + " ecr " + u32(d, 4) : "TS [bad]";
                case 30 -> "mptcp";
                case 34 -> "tfo";
                default -> "kind " + o.kind() + " (" + d.length + " bytes)";
            });
        }
        return String.join(", ", s);
    }

    static void icmp(List<String> l, Headers.Icmp i) {
        l.add("");
        l.add(i.v6() ? "ICMPv6" : "ICMP");
        l.add(IND + "Type " + i.type() + " (" + icmpType(i.v6(), i.type()) + "), code " + i.code()
                + String.format(", checksum 0x%04x", i.checksum()));
        boolean echo = i.v6() ? i.type() == 128 || i.type() == 129 : i.type() == 0 || i.type() == 8;
        if (echo) {
            l.add(IND + "Identifier " + i.id() + ", sequence " + i.seq());
        } else if (i.v6() && i.type() == 2) {
            l.add(IND + "MTU " + i.rest());
        } else {
            l.add(IND + String.format("Rest of header 0x%08x", i.rest()));
        }
    }

    static String icmpType(boolean v6, int type) {
        if (v6) {
            return switch (type) {
                case 1 -> "destination unreachable";
                case 2 -> "packet too big";
                case 3 -> "time exceeded";
                case 4 -> "parameter problem";
                case 128 -> "echo request";
                case 129 -> "echo reply";
                case 133 -> "router solicitation";
                case 134 -> "router advertisement";
                case 135 -> "neighbor solicitation";
                case 136 -> "neighbor advertisement";
                case 143 -> "multicast listener report v2";
                default -> "unknown";
            };
        }
        return switch (type) {
            case 0 -> "echo reply";
            case 3 -> "destination unreachable";
            case 4 -> "source quench";
            case 5 -> "redirect";
            case 8 -> "echo request";
            case 9 -> "router advertisement";
            case 10 -> "router solicitation";
            case 11 -> "time exceeded";
            case 12 -> "parameter problem";
            case 13 -> "timestamp request";
            case 14 -> "timestamp reply";
            default -> "unknown";
        };
    }

    static void dns(List<String> l, Dns d) {
        l.add("");
        l.add("DNS " + (d.response() ? "response" : "query"));
        List<String> f = new ArrayList<>();
        int flags = d.flags();
        if ((flags & 0x400) != 0) {
            f.add("AA");
        }
        if ((flags & 0x200) != 0) {
            f.add("TC");
        }
        if ((flags & 0x100) != 0) {
            f.add("RD");
        }
        if ((flags & 0x80) != 0) {
            f.add("RA");
        }
        l.add(IND + "ID " + d.id() + String.format(", flags 0x%04x", flags) + (f.isEmpty() ? "" : " (" + String.join(" ", f) + ")")
                + ", opcode " + d.opcode() + ", rcode " + d.rcode() + rcodeName(d.rcode()));
        l.add(IND + "Questions " + d.qdCount() + ", answers " + d.anCount() + ", authority " + d.nsCount()
                + ", additional " + d.arCount());
        for (Dns.Question q : d.questions()) {
            l.add(IND + "Question " + q.name() + " " + Dns.typeName(q.type()) + (q.klass() == 1 ? "" : " class " + q.klass()));
        }
        for (Dns.Record r : d.answers()) {
            l.add(IND + "Answer " + r.name() + " " + Dns.typeName(r.type()) + " ttl " + r.ttl()
                    + (r.data() == null ? "" : " " + r.data()));
        }
        if (d.truncated()) {
            l.add(IND + "(message cut short)");
        }
    }

    private static String rcodeName(int rcode) {
        return switch (rcode) {
            case 0 -> " (NoError)";
            case 1 -> " (FormErr)";
            case 2 -> " (ServFail)";
            case 3 -> " (NXDomain)";
            case 4 -> " (NotImp)";
            case 5 -> " (Refused)";
            default -> "";
        };
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }
}
