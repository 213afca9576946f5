// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.util.List;

/** The protocol headers {@link PacketDecoder} understands, as immutable values (numbers unsigned, host order). */
public final class Headers {
    private Headers() {
    }

    /** An Ethernet II header; {@code fake} when it was made up for an L3 capture (ptcpdump's 00:..:01 → 00:..:02). */
    public record Ethernet(byte[] dst, byte[] src, int etherType) {
        public boolean fake() {
            return isMac(src, 1) && isMac(dst, 2);
        }

        private static boolean isMac(byte[] m, int last) {
            for (int i = 0; i < 5; i++) {
                if (m[i] != 0) {
                    return false;
                }
            }
            return m[5] == last;
        }
    }

    /** An ARP packet for IPv4 over Ethernet. */
    public record Arp(int op, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) {
    }

    /**
     * An IPv4 or IPv6 header. For IPv6 {@code tos} is the traffic class, {@code ttl} the hop limit,
     * {@code protocol} the upper-layer protocol after extension headers and {@code headerLength} includes them.
     */
    public record Ip(int version, int headerLength, int tos, int totalLength, int id, int flags, int fragOffset,
                     int ttl, int protocol, int checksum, byte[] src, byte[] dst, int flowLabel) {
        public boolean dontFragment() {
            return (flags & 2) != 0;
        }

        public boolean moreFragments() {
            return (flags & 1) != 0;
        }
    }

    /** One TCP option: kind and its data (without kind and length bytes). */
    public record TcpOption(int kind, byte[] data) {
    }

    /** A TCP header with its options. */
    public record Tcp(int srcPort, int dstPort, long seq, long ack, int headerLength, int flags, int window,
                      int checksum, int urgent, List<TcpOption> options) {
        public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20,
                ECE = 0x40, CWR = 0x80, AE = 0x100;

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** A UDP header. */
    public record Udp(int srcPort, int dstPort, int length, int checksum) {
    }

    /** An ICMP or ICMPv6 header; {@code rest} is the 4 bytes after the checksum (id/seq for echo). */
    public record Icmp(boolean v6, int type, int code, int checksum, long rest) {
        public int id() {
            return (int) (rest >>> 16);
        }

        public int seq() {
            return (int) (rest & 0xffff);
        }
    }
}
