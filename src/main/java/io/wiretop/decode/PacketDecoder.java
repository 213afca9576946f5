// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits raw IP packets (cgroup_skb, LINKTYPE_RAW), Ethernet frames and Linux cooked captures into
 * {@link DecodedPacket} layers. Stateless and thread-safe; never throws on malformed or cut input.
 */
public final class PacketDecoder {
    private static final int ETH_IP = 0x0800, ETH_ARP = 0x0806, ETH_IP6 = 0x86dd, ETH_VLAN = 0x8100;

    private PacketDecoder() {
    }

    /** Decodes {@code data} captured with {@code linkType}; {@code origLen} is the length on the wire. */
    public static DecodedPacket decode(int linkType, byte[] data, int origLen) {
        Builder b = new Builder(linkType, data, origLen);
        switch (linkType) {
            case LinkType.ETHERNET -> ethernet(b);
            case LinkType.RAW -> ipAny(b, 0);
            case LinkType.LINUX_SLL -> network(b, 16, data.length >= 16 ? Bytes.u16(data, 14) : -1);
            case LinkType.LINUX_SLL2 -> network(b, 20, data.length >= 20 ? Bytes.u16(data, 0) : -1);
            default -> b.note = "unsupported link type " + linkType;
        }
        return b.build();
    }

    /** Decodes a raw IP packet (first nibble says IPv4 or IPv6). */
    public static DecodedPacket decodeRaw(byte[] data, int origLen) {
        return decode(LinkType.RAW, data, origLen);
    }

    private static void ethernet(Builder b) {
        byte[] d = b.data;
        if (d.length < 14) {
            b.note = "truncated ethernet header";
            return;
        }
        int type = Bytes.u16(d, 12), off = 14;
        while (type == ETH_VLAN && d.length >= off + 4) {
            type = Bytes.u16(d, off + 2);
            off += 4;
        }
        b.eth = new Headers.Ethernet(Bytes.slice(d, 0, 6), Bytes.slice(d, 6, 6), type);
        network(b, off, type);
    }

    private static void network(Builder b, int off, int etherType) {
        b.networkOffset = off;
        switch (etherType) {
            case ETH_IP, ETH_IP6 -> ipAny(b, off);
            case ETH_ARP -> arp(b, off);
            default -> b.note = etherType < 0 ? "truncated link header" : null;
        }
    }

    private static void arp(Builder b, int off) {
        byte[] d = b.data;
        if (d.length < off + 28 || Bytes.u16(d, off) != 1 || Bytes.u16(d, off + 2) != ETH_IP) {
            b.note = "truncated or non-IPv4 arp";
            return;
        }
        b.arp = new Headers.Arp(Bytes.u16(d, off + 6), Bytes.slice(d, off + 8, 6), Bytes.slice(d, off + 14, 4),
                Bytes.slice(d, off + 18, 6), Bytes.slice(d, off + 24, 4));
    }

    private static void ipAny(Builder b, int off) {
        b.networkOffset = off;
        if (b.data.length <= off) {
            b.note = "truncated ip header";
            return;
        }
        int v = Bytes.u8(b.data, off) >> 4;
        if (v == 4) {
            ipv4(b, off);
        } else if (v == 6) {
            ipv6(b, off);
        } else {
            b.note = "ip version " + v;
        }
    }

    private static void ipv4(Builder b, int off) {
        byte[] d = b.data;
        if (d.length < off + 20) {
            b.note = "truncated ip header";
            return;
        }
        int ihl = (Bytes.u8(d, off) & 0xf) * 4, frag = Bytes.u16(d, off + 6);
        int total = Bytes.u16(d, off + 2);
        b.ip = new Headers.Ip(4, ihl, Bytes.u8(d, off + 1), total, Bytes.u16(d, off + 4), frag >> 13,
                frag & 0x1fff, Bytes.u8(d, off + 8), Bytes.u8(d, off + 9), Bytes.u16(d, off + 10),
                Bytes.slice(d, off + 12, 4), Bytes.slice(d, off + 16, 4), 0);
        if ((frag & 0x1fff) != 0) {
            b.payloadOffset = off + ihl;
            b.payloadLength = total - ihl;
            return; // a later fragment carries no L4 header
        }
        transport(b, off + ihl, total - ihl, b.ip.protocol(), false);
    }

    private static void ipv6(Builder b, int off) {
        byte[] d = b.data;
        if (d.length < off + 40) {
            b.note = "truncated ip6 header";
            return;
        }
        long first = Bytes.u32(d, off);
        int next = Bytes.u8(d, off + 6), plen = Bytes.u16(d, off + 4), p = off + 40;
        // skip extension headers so the upper protocol is found (hop-by-hop, routing, fragment, dest opts)
        while ((next == 0 || next == 43 || next == 44 || next == 60) && d.length >= p + 8) {
            int hlen = next == 44 ? 8 : (Bytes.u8(d, p + 1) + 1) * 8;
            next = Bytes.u8(d, p);
            p += hlen;
        }
        b.ip = new Headers.Ip(6, p - off, (int) ((first >> 20) & 0xff), plen + 40, 0, 0, 0, Bytes.u8(d, off + 7),
                next, 0, Bytes.slice(d, off + 8, 16), Bytes.slice(d, off + 24, 16), (int) (first & 0xfffff));
        transport(b, p, plen - (p - off - 40), next, true);
    }

    private static void transport(Builder b, int off, int len, int proto, boolean v6) {
        byte[] d = b.data;
        b.payloadOffset = Math.min(off, d.length);
        b.payloadLength = len;
        switch (proto) {
            case 6 -> tcp(b, off, len);
            case 17 -> udp(b, off, len);
            case 1, 58 -> {
                if (d.length < off + 8) {
                    b.note = "truncated icmp header";
                    return;
                }
                b.icmp = new Headers.Icmp(proto == 58, Bytes.u8(d, off), Bytes.u8(d, off + 1), Bytes.u16(d, off + 2),
                        Bytes.u32(d, off + 4));
                b.payloadOffset = off + 8;
                b.payloadLength = len - 8;
                if (isIcmpError(b.icmp) && d.length > off + 8) {
                    byte[] quoted = Bytes.slice(d, off + 8, d.length - off - 8);
                    b.inner = decodeRaw(quoted, Math.max(quoted.length, len - 8));
                }
            }
            default -> {
            }
        }
    }

    private static boolean isIcmpError(Headers.Icmp i) {
        return i.v6() ? i.type() < 128 : i.type() == 3 || i.type() == 11 || i.type() == 12 || i.type() == 5;
    }

    private static void tcp(Builder b, int off, int len) {
        byte[] d = b.data;
        if (d.length < off + 20) {
            b.note = "truncated tcp header";
            return;
        }
        int hl = (Bytes.u8(d, off + 12) >> 4) * 4;
        int flags = Bytes.u8(d, off + 13) | ((Bytes.u8(d, off + 12) & 1) << 8);
        List<Headers.TcpOption> opts = new ArrayList<>();
        for (int p = off + 20; p < Math.min(off + hl, d.length); ) {
            int kind = Bytes.u8(d, p);
            if (kind == 0 || kind == 1) {
                opts.add(new Headers.TcpOption(kind, new byte[0]));
                p++;
                if (kind == 0) {
                    break;
                }
                continue;
            }
            if (p + 1 >= d.length) {
                break;
            }
            int olen = Bytes.u8(d, p + 1);
            if (olen < 2 || p + olen > Math.min(off + hl, d.length)) {
                break;
            }
            opts.add(new Headers.TcpOption(kind, Bytes.slice(d, p + 2, olen - 2)));
            p += olen;
        }
        b.tcp = new Headers.Tcp(Bytes.u16(d, off), Bytes.u16(d, off + 2), Bytes.u32(d, off + 4), Bytes.u32(d, off + 8),
                hl, flags, Bytes.u16(d, off + 14), Bytes.u16(d, off + 16), Bytes.u16(d, off + 18), List.copyOf(opts));
        b.payloadOffset = Math.min(off + hl, d.length);
        b.payloadLength = len - hl;
        if (b.payloadLength > 0 && (isHttpPort(b.tcp.srcPort()) || isHttpPort(b.tcp.dstPort()))) {
            b.http = httpFirstLine(d, b.payloadOffset, Math.min(b.payloadLength, d.length - b.payloadOffset));
        }
    }

    static boolean isHttpPort(int port) {
        return port == 80 || port == 8080 || port == 3128;
    }

    private static void udp(Builder b, int off, int len) {
        byte[] d = b.data;
        if (d.length < off + 8) {
            b.note = "truncated udp header";
            return;
        }
        b.udp = new Headers.Udp(Bytes.u16(d, off), Bytes.u16(d, off + 2), Bytes.u16(d, off + 4), Bytes.u16(d, off + 6));
        b.payloadOffset = off + 8;
        b.payloadLength = len - 8;
        if (b.udp.srcPort() == 53 || b.udp.dstPort() == 53) {
            b.dns = Dns.parse(d, off + 8, Math.max(0, Math.min(len - 8, d.length - off - 8)));
        }
    }

    private static final String[] HTTP_STARTS = {"GET ", "PUT ", "POST ", "HEAD ", "DELETE ", "OPTIONS ",
        "TRACE ", "CONNECT ", "PATCH ", "HTTP/1."};

    /** The first line of an HTTP/1 message starting at off, or "" when the payload is not one. */
    static String httpFirstLine(byte[] d, int off, int len) {
        String head = new String(d, off, Math.min(len, 8), StandardCharsets.ISO_8859_1);
        for (String s : HTTP_STARTS) {
            if (head.startsWith(s) || (s.startsWith(head) && len < s.length())) {
                int end = off;
                while (end < off + len && d[end] != '\r' && d[end] != '\n') {
                    end++;
                }
                return new String(d, off, end - off, StandardCharsets.ISO_8859_1);
            }
        }
        return "";
    }

    private static final class Builder {
        final int linkType;
        final byte[] data;
        final int origLen;
        Headers.Ethernet eth;
        Headers.Arp arp;
        Headers.Ip ip;
        Headers.Tcp tcp;
        Headers.Udp udp;
        Headers.Icmp icmp;
        int networkOffset, payloadOffset, payloadLength;
        DecodedPacket inner;
        Dns dns;
        String http, note;

        Builder(int linkType, byte[] data, int origLen) {
            this.linkType = linkType;
            this.data = data;
            this.origLen = origLen;
            this.payloadOffset = data.length;
        }

        DecodedPacket build() {
            return new DecodedPacket(linkType, data, origLen, eth, arp, ip, tcp, udp, icmp, networkOffset,
                    payloadOffset, payloadLength, inner, dns, http, note);
        }
    }
}
