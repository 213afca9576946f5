// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.DecodedPacket;
import io.wiretop.decode.Dns;
import io.wiretop.decode.Headers;
import io.wiretop.decode.HexDump;
import io.wiretop.decode.Ip;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.decode.TcpdumpFormatter;
import io.wiretop.model.PacketRow;
import io.wiretop.text.SafeText;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of the decoded-packet page (Enter on a row of the Packets list): tcpdump's summary,
 * the process context, every header field layer by layer (Ethernet, IPv4/IPv6, TCP/UDP/ICMP/ICMPv6),
 * DNS and the HTTP/1 first line when present, then a hex + ASCII dump of the captured bytes.
 * Stateless.
 */
final class PacketDetail {
    private static final String IND = "  ";
    /** Long lines (the summary, command lines) are wrapped to fit an 80-column terminal. */
    static final int WIDTH = 79;

    private PacketDetail() {
    }

    static Page page(PacketRow row) {
        return new Page(SafeText.escape("Packet " + row.seq() + "  " + row.time() + "  " + row.dir() + " "
                + row.ifName() + "  " + row.src() + " > " + row.dst()), lines(row), Page.BACK_HINT);
    }

    static List<String> lines(PacketRow row) {
        List<String> l = new ArrayList<>();
        CapturedPacket cp = row.packet();
        if (cp == null) {
            l.add(row.time() + " " + row.dir() + " " + row.proto() + " " + row.src() + " > " + row.dst() + " "
                    + row.flags() + " " + row.summary());
            l.add("");
            l.add("The bytes of this packet were not kept.");
            return escaped(l);
        }
        DecodedPacket d = cp.decode();
        // absolute sequence numbers: one packet alone has no conversation to be relative to
        l.add(new TcpdumpFormatter(false, true).format(d));
        l.add("");
        l.add("Frame");
        l.add(IND + "Captured " + row.time() + " on " + cp.ifName() + ", direction " + row.dir()
                + ", link type " + LinkType.describe(cp.linkType()));
        // an IP-level capture carries a made-up Ethernet header: lengths and the dump leave it out
        int skip = d.eth() != null && d.eth().fake() ? Math.min(d.networkOffset(), cp.data().length) : 0;
        int wire = cp.origLen() - skip, captured = cp.data().length - skip;
        l.add(IND + "Length on the wire " + wire + " bytes, captured " + captured + " bytes"
                + (captured < wire ? " (cut at the snap length)" : ""));
        process(l, row, cp.context());
        layers(l, d, skip);
        l = wrap(escaped(l));
        l.add("");
        l.add("Hex dump (" + captured + " captured bytes" + (skip > 0 ? ", from the IP header" : "") + ")");
        for (String line : HexDump.hexAscii(cp.data(), skip, captured).split("\n")) {
            if (!line.isEmpty()) {
                l.add(IND + line.replace("\t", ""));
            }
        }
        return l;
    }

    /**
     * The lines with process and packet text escaped (SafeText), before wrapping so that widths are
     * counted on what is shown. Our own words hold no control or backslash, so escaping whole lines
     * escapes exactly the values in them.
     */
    private static List<String> escaped(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(SafeText.escape(line));
        }
        return out;
    }

    /** Wraps lines longer than {@link #WIDTH} at spaces, continuation lines indented 4 more. */
    static List<String> wrap(List<String> in) {
        List<String> out = new ArrayList<>();
        for (String line : in) {
            if (line.length() <= WIDTH) {
                out.add(line);
                continue;
            }
            int lead = 0;
            while (lead < line.length() && line.charAt(lead) == ' ') {
                lead++;
            }
            String first = line.substring(0, lead);
            String cont = first + "    ";
            List<String> parts = Pages.wrapLines(line.substring(lead), WIDTH - cont.length());
            for (int i = 0; i < parts.size(); i++) {
                String part = (i == 0 ? first : cont) + parts.get(i);
                // a single word longer than the width (a long argv token) is cut into pieces
                while (part.length() > WIDTH) {
                    out.add(part.substring(0, WIDTH));
                    part = cont + part.substring(WIDTH);
                }
                out.add(part);
            }
        }
        return out;
    }

    private static void process(List<String> l, PacketRow row, ProcessContext c) {
        l.add("");
        l.add("Process");
        if (c == null || !c.known()) {
            if (row.pid() > 0) {
                l.add(IND + "PID " + row.pid() + ", command " + row.comm() + (row.tid() > 0 ? ", thread " + row.tid() : ""));
            } else {
                l.add(IND + "unknown (no local socket, or the socket's owner was not seen)");
            }
        } else {
            l.add(IND + "PID " + c.pid() + ", command " + nz(c.cmd()));
            if (c.args() != null && !c.args().isEmpty()) {
                l.add(IND + "Args " + c.args());
            }
            if (c.tid() > 0) {
                l.add(IND + "Thread " + c.tid() + (c.threadName() == null ? "" : " (" + c.threadName() + ")"));
            }
            if (c.uid() >= 0) {
                l.add(IND + "User " + c.uid());
            }
            if (c.ppid() > 0) {
                String cmd = nz(c.parentCmd()), args = nz(c.parentArgs());
                l.add(IND + "Parent " + c.ppid() + (cmd.isEmpty() ? "" : " " + cmd)
                        + (args.isEmpty() || args.equals(cmd) ? "" : " (" + args + ")"));
            }
            if (c.containerId() != null && !c.containerId().isEmpty()) {
                l.add(IND + "Container " + nz(c.containerName()) + " id " + c.containerId()
                        + (c.containerImage() == null ? "" : " image " + c.containerImage()));
            }
        }
        if (row.cookie() != 0) {
            l.add(IND + "Socket cookie " + row.cookie());
        }
    }

    /** @param skip bytes of made-up link header before the dump starts (offsets are relative to the dump) */
    private static void layers(List<String> l, DecodedPacket d, int skip) {
        if (d.eth() != null) {
            Headers.Ethernet e = d.eth();
            l.add("");
            l.add("Ethernet" + (e.fake() ? " (made up: the packet was captured at the IP level)" : ""));
            l.add(IND + "Source " + Ip.mac(e.src()) + ", destination " + Ip.mac(e.dst()));
            l.add(IND + String.format("EtherType 0x%04x", e.etherType()));
        }
        if (d.arp() != null) {
            Headers.Arp a = d.arp();
            l.add("");
            l.add("ARP");
            l.add(IND + "Operation " + a.op() + (a.op() == 1 ? " (request)" : a.op() == 2 ? " (reply)" : ""));
            l.add(IND + "Sender " + Ip.mac(a.senderMac()) + " " + Ip.text(a.senderIp()));
            l.add(IND + "Target " + Ip.mac(a.targetMac()) + " " + Ip.text(a.targetIp()));
        }
        if (d.ip() != null) {
            ip(l, d.ip());
        }
        if (d.tcp() != null) {
            PacketLayers.tcp(l, d.tcp(), d.payloadLength());
        }
        if (d.udp() != null) {
            Headers.Udp u = d.udp();
            l.add("");
            l.add("UDP");
            l.add(IND + "Source port " + u.srcPort() + ", destination port " + u.dstPort());
            l.add(IND + "Length " + u.length() + String.format(", checksum 0x%04x", u.checksum()));
        }
        if (d.icmp() != null) {
            PacketLayers.icmp(l, d.icmp());
        }
        if (d.dns() != null) {
            PacketLayers.dns(l, d.dns());
        }
        String http = httpFirstLine(d);
        if (http != null) {
            l.add("");
            l.add("HTTP");
            l.add(IND + http);
        }
        if (d.inner() != null) {
            l.add("");
            l.add("Quoted packet");
            l.add(IND + new TcpdumpFormatter(false, true).format(d.inner()));
        }
        if (d.tcp() != null || d.udp() != null || d.icmp() != null) {
            byte[] pay = d.payload();
            l.add("");
            l.add("Payload " + Math.max(0, d.payloadLength()) + " bytes" + (pay.length < d.payloadLength()
                    ? " (" + pay.length + " captured)" : "") + ", at offset " + (d.payloadOffset() - skip) + " of the dump");
        }
        if (d.note() != null) {
            l.add("");
            l.add("Decoding stopped: " + d.note());
        }
    }

    private static final java.util.regex.Pattern HTTP_LINE = java.util.regex.Pattern.compile(
            "(?:(?:GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) \\S+ HTTP/1\\.[01]|HTTP/1\\.[01] \\d{3}(?: .*)?)");

    /**
     * The HTTP/1 request or status line: the decoder's (tcpdump decodes HTTP on its well-known
     * ports only), else the first line of any TCP payload shaped like one (a server on port 18080).
     */
    static String httpFirstLine(DecodedPacket d) {
        if (d.http() != null && !d.http().isEmpty()) {
            return d.http();
        }
        if (d.tcp() == null) {
            return null;
        }
        byte[] pay = d.payload();
        int end = 0;
        while (end < pay.length && end < 2048 && pay[end] != '\r' && pay[end] != '\n') {
            end++;
        }
        if (end == 0 || end == pay.length) {
            return null; // no line end in what was captured: not a complete first line
        }
        String line = new String(pay, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        return HTTP_LINE.matcher(line).matches() ? line : null;
    }

    private static void ip(List<String> l, Headers.Ip ip) {
        String proto = ip.protocol() + (Ip.protoName(ip.protocol()) == null ? "" : " (" + Ip.protoName(ip.protocol()) + ")");
        l.add("");
        if (ip.version() == 6) {
            l.add("IPv6");
            l.add(IND + "Source " + Ip.text(ip.src()));
            l.add(IND + "Destination " + Ip.text(ip.dst()));
            l.add(IND + String.format("Traffic class 0x%02x, flow label 0x%05x", ip.tos(), ip.flowLabel()));
            l.add(IND + "Payload length " + (ip.totalLength() - 40) + ", next header " + proto + ", hop limit " + ip.ttl());
            if (ip.headerLength() > 40) {
                l.add(IND + "Extension headers " + (ip.headerLength() - 40) + " bytes");
            }
            return;
        }
        l.add("IPv4");
        l.add(IND + "Source " + Ip.text(ip.src()));
        l.add(IND + "Destination " + Ip.text(ip.dst()));
        l.add(IND + "Header length " + ip.headerLength() + ", total length " + ip.totalLength()
                + String.format(", TOS 0x%02x (DSCP %d, ECN %d)", ip.tos(), ip.tos() >> 2, ip.tos() & 3));
        String flags = ip.dontFragment() ? (ip.moreFragments() ? "DF MF" : "DF") : ip.moreFragments() ? "MF" : "none";
        l.add(IND + String.format("ID %d (0x%04x), flags [%s], fragment offset %d", ip.id(), ip.id(), flags,
                ip.fragOffset() * 8));
        l.add(IND + "TTL " + ip.ttl() + ", protocol " + proto + String.format(", header checksum 0x%04x", ip.checksum()));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
