// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address formatting shared by every view: one canonical text per address, IPv4-mapped IPv6 as IPv4. */
public final class Addresses {
    private Addresses() {
    }

    /** Text of a raw address: 4 bytes IPv4, or 16 bytes IPv6 (an IPv4-mapped one is shown as IPv4). */
    public static String format(byte[] raw, boolean ipv6) {
        try {
            if (!ipv6) {
                return InetAddress.getByAddress(java.util.Arrays.copyOf(raw, 4)).getHostAddress();
            }
            byte[] a = java.util.Arrays.copyOf(raw, 16);
            // Java turns ::ffff:a.b.c.d into an Inet4Address itself; do the same explicitly for clarity
            InetAddress addr = InetAddress.getByAddress(a);
            String s = addr.getHostAddress();
            return addr instanceof java.net.Inet6Address ? compressIpv6(s) : s;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }

    /** RFC 5952 text for an IPv6 address that Java printed in full form (1:0:0:0:0:0:0:1 → 1::1). */
    static String compressIpv6(String full) {
        String s = full.contains("%") ? full.substring(0, full.indexOf('%')) : full;
        String[] parts = s.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return s;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }

    /** host:port, with brackets around IPv6 hosts. */
    public static String endpoint(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
