// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

/** tcpdump's ICMP and ICMPv6 summaries ("ICMP echo request, id 1, seq 1, length 64", "ICMP6, ..."). */
final class IcmpFormat {
    private IcmpFormat() {
    }

    static String summary(DecodedPacket p) {
        Headers.Icmp i = p.icmp();
        int length = p.payloadLength() + 8;
        return i.v6() ? "ICMP6, " + v6(i, p) + ", length " + length : "ICMP " + v4(i, p.inner()) + ", length " + length;
    }

    private static String quotedPort(DecodedPacket in) {
        if (in == null || in.ip() == null) {
            return null;
        }
        String dst = Ip.text(in.ip().dst());
        if (in.udp() != null) {
            return dst + " udp port " + in.udp().dstPort();
        }
        if (in.tcp() != null) {
            return dst + " tcp port " + in.tcp().dstPort();
        }
        return null;
    }

    private static String v4(Headers.Icmp i, DecodedPacket in) {
        String dst = in != null && in.ip() != null ? Ip.text(in.ip().dst()) : "?";
        return switch (i.type()) {
            case 0 -> "echo reply, id " + i.id() + ", seq " + i.seq();
            case 8 -> "echo request, id " + i.id() + ", seq " + i.seq();
            case 3 -> switch (i.code()) {
                case 0 -> "net " + dst + " unreachable";
                case 1 -> "host " + dst + " unreachable";
                case 2 -> dst + " protocol " + (in != null && in.ip() != null ? in.ip().protocol() : 0) + " unreachable";
                case 3 -> {
                    String q = quotedPort(in);
                    yield q == null ? dst + " port unreachable" : q + " unreachable";
                }
                case 4 -> dst + " unreachable - need to frag";
                default -> dst + " unreachable - code " + i.code();
            };
            case 11 -> i.code() == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded";
            case 4 -> "source quench";
            case 5 -> "redirect";
            case 9 -> "router advertisement";
            case 10 -> "router solicitation";
            case 12 -> "parameter problem";
            case 13 -> "time stamp request";
            case 14 -> "time stamp reply";
            default -> "type-#" + i.type();
        };
    }

    private static String v6(Headers.Icmp i, DecodedPacket p) {
        DecodedPacket in = p.inner();
        return switch (i.type()) {
            case 1 -> {
                String code = switch (i.code()) {
                    case 0 -> "unreachable route";
                    case 1 -> "unreachable prohibited";
                    case 2 -> "beyond scope";
                    case 3 -> "unreachable address";
                    case 4 -> "unreachable port";
                    default -> "unknown unreach code (" + i.code() + ")";
                };
                String q = i.code() == 4 ? quotedPort(in) : in != null && in.ip() != null ? Ip.text(in.ip().dst()) : null;
                yield "destination unreachable, " + code + (q == null ? "" : ", " + q);
            }
            case 2 -> "packet too big, mtu " + i.rest();
            case 3 -> "time exceeded in-transit";
            case 4 -> "parameter problem";
            case 128 -> "echo request, id " + i.id() + ", seq " + i.seq();
            case 129 -> "echo reply, id " + i.id() + ", seq " + i.seq();
            case 133 -> "router solicitation";
            case 134 -> "router advertisement";
            case 135 -> "neighbor solicitation" + target(p, ", who has ");
            case 136 -> "neighbor advertisement" + target(p, ", tgt is ");
            case 143 -> "multicast listener report v2";
            default -> "unknown icmp6 type (" + i.type() + ")";
        };
    }

    /** The neighbor discovery target address, which follows the 8-byte ICMPv6 header. */
    private static String target(DecodedPacket p, String label) {
        byte[] pay = p.payload();
        return pay.length >= 16 ? label + Ip.text(java.util.Arrays.copyOf(pay, 16)) : "";
    }
}
