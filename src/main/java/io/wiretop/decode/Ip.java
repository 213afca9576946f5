// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

/** Address and protocol names as tcpdump prints them with -n. */
public final class Ip {
    private Ip() {
    }

    /** Dotted IPv4 or RFC 5952 IPv6 (IPv4-mapped IPv6 kept in IPv6 form, as tcpdump does). */
    public static String text(byte[] addr) {
        if (addr.length == 4) {
            return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= addr[i] == 0;
        }
        mapped &= (addr[10] & 0xff) == 0xff && (addr[11] & 0xff) == 0xff;
        if (mapped) {
            return "::ffff:" + text(java.util.Arrays.copyOfRange(addr, 12, 16));
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = Bytes.u16(addr, 2 * i);
        }
        // RFC 5952 (as glibc inet_ntop): the first longest run of two or more zero groups becomes "::"
        int best = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** Lower-case colon-separated MAC address. */
    public static String mac(byte[] m) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < m.length; i++) {
            s.append(i == 0 ? "" : ":").append(String.format("%02x", m[i] & 0xff));
        }
        return s.toString();
    }

    /** tcpdump's protocol name for -v ("TCP", "UDP", ...) or null. */
    public static String protoName(int p) {
        return switch (p) {
            case 1 -> "ICMP";
            case 2 -> "IGMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 41 -> "IPv6";
            case 47 -> "GRE";
            case 50 -> "ESP";
            case 58 -> "ICMPv6";
            case 132 -> "SCTP";
            default -> null;
        };
    }
}
