// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.util.Arrays;

/**
 * One packet split into its layers by {@link PacketDecoder}. Absent layers are null. Immutable;
 * {@code data} is the captured bytes (possibly cut at the snap length), {@code origLen} the length on the wire.
 *
 * @param networkOffset where the IP (or ARP) header starts in {@code data}; 0 for raw IP
 * @param payloadOffset where the L4 payload starts in {@code data} (may equal data.length when cut off)
 * @param payloadLength the payload length the headers declare (may exceed what was captured)
 * @param inner         the packet quoted inside an ICMP error, decoded as raw IP
 * @param http          the first line of an HTTP/1 request or response, else null
 * @param note          why decoding stopped early ("truncated tcp header", ...), else null
 */
public record DecodedPacket(int linkType, byte[] data, int origLen, Headers.Ethernet eth, Headers.Arp arp,
                            Headers.Ip ip, Headers.Tcp tcp, Headers.Udp udp, Headers.Icmp icmp,
                            int networkOffset, int payloadOffset, int payloadLength, DecodedPacket inner,
                            Dns dns, String http, String note) {

    /** Captured payload bytes (at most payloadLength). */
    public byte[] payload() {
        int end = Math.min(data.length, payloadOffset + Math.max(0, payloadLength));
        return payloadOffset >= end ? new byte[0] : Arrays.copyOfRange(data, payloadOffset, end);
    }

    /** "TCP", "UDP", "ICMP", "ICMP6", "ARP", "IP", "IP6" or the ethertype in hex. */
    public String protocolName() {
        if (tcp != null) {
            return "TCP";
        }
        if (udp != null) {
            return dns != null ? "DNS" : "UDP";
        }
        if (icmp != null) {
            return icmp.v6() ? "ICMP6" : "ICMP";
        }
        if (arp != null) {
            return "ARP";
        }
        if (ip != null) {
            return ip.version() == 6 ? "IP6" : "IP";
        }
        return eth != null ? String.format("0x%04x", eth.etherType()) : "?";
    }

    /** Source port, or -1 for protocols without ports. */
    public int srcPort() {
        return tcp != null ? tcp.srcPort() : udp != null ? udp.srcPort() : -1;
    }

    /** Destination port, or -1 for protocols without ports. */
    public int dstPort() {
        return tcp != null ? tcp.dstPort() : udp != null ? udp.dstPort() : -1;
    }
}
