// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import java.nio.ByteBuffer;

/** Ethernet frames of IPv4/IPv6 TCP and UDP packets, as a capture holds them (checksums zero). */
final class Frames {
    static final int ETH = 14;

    private Frames() {
    }

    static byte[] tcp4(byte[] src, int sport, byte[] dst, int dport, int flags, int payload) {
        ByteBuffer b = ethernet(0x0800, 20 + 20 + payload);
        ipv4(b, 6, 20 + 20 + payload, src, dst);
        tcpHeader(b, sport, dport, flags);
        b.put(new byte[payload]);
        return b.array();
    }

    static byte[] udp4(byte[] src, int sport, byte[] dst, int dport, int payload) {
        ByteBuffer b = ethernet(0x0800, 20 + 8 + payload);
        ipv4(b, 17, 20 + 8 + payload, src, dst);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload)).putShort((short) 0);
        b.put(new byte[payload]);
        return b.array();
    }

    static byte[] udp6(byte[] src, int sport, byte[] dst, int dport, int payload) {
        ByteBuffer b = ethernet(0x86dd, 40 + 8 + payload);
        b.putInt(6 << 28).putShort((short) (8 + payload)).put((byte) 17).put((byte) 64).put(src).put(dst);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload)).putShort((short) 0);
        b.put(new byte[payload]);
        return b.array();
    }

    private static ByteBuffer ethernet(int etherType, int ipLength) {
        ByteBuffer b = ByteBuffer.allocate(ETH + ipLength);
        b.put(new byte[]{0, 0, 0, 0, 0, 2}).put(new byte[]{0, 0, 0, 0, 0, 1}).putShort((short) etherType);
        return b;
    }

    private static void ipv4(ByteBuffer b, int proto, int total, byte[] src, byte[] dst) {
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst);
    }

    private static void tcpHeader(ByteBuffer b, int sport, int dport, int flags) {
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(flags == 0x02 ? 0 : 2000)
                .put((byte) 0x50).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
    }

    static byte[] ip(int a, int b, int c, int d) {
        return new byte[]{(byte) a, (byte) b, (byte) c, (byte) d};
    }
}
