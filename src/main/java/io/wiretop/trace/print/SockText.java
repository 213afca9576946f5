// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import io.wiretop.decode.Ip;

import java.util.Arrays;

/**
 * Socket addresses and tuples from their raw parameter bytes as libsinsp prints them
 * ({@code sinsp_evt::get_param_as_str}, PT_SOCKADDR / PT_SOCKTUPLE): {@code ip:port},
 * {@code sip:sport->dip:dport}, an IPv6 tuple whose two ends are IPv4-mapped as IPv4, a unix
 * tuple as {@code hex->hex path}; "NULL" when empty, "family N" for other families.
 */
final class SockText {
    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;

    private SockText() {
    }

    static String address(byte[] p) {
        if (p.length == 0) {
            return "NULL";
        }
        return switch (p[0]) {
            case AF_UNIX -> Sanitize.printable(cString(p, 1));
            case AF_INET -> p.length == 7 ? Ip.text(Arrays.copyOfRange(p, 1, 5)) + ":" + u16(p, 5) : "INVALID IPv4";
            case AF_INET6 -> p.length == 19 ? Ip.text(Arrays.copyOfRange(p, 1, 17)) + ":" + u16(p, 17)
                    : "INVALID IPv6";
            default -> "family " + p[0];
        };
    }

    static String tuple(byte[] p) {
        if (p.length == 0) {
            return "NULL";
        }
        switch (p[0]) {
            case AF_INET:
                return p.length == 13 ? Ip.text(Arrays.copyOfRange(p, 1, 5)) + ":" + u16(p, 5) + "->"
                        + Ip.text(Arrays.copyOfRange(p, 7, 11)) + ":" + u16(p, 11) : "INVALID IPv4";
            case AF_INET6:
                if (p.length != 37) {
                    return "INVALID IPv6";
                }
                if (mapped(p, 1) && mapped(p, 19)) {
                    return Ip.text(Arrays.copyOfRange(p, 13, 17)) + ":" + u16(p, 17) + "->"
                            + Ip.text(Arrays.copyOfRange(p, 31, 35)) + ":" + u16(p, 35);
                }
                return Ip.text(Arrays.copyOfRange(p, 1, 17)) + ":" + u16(p, 17) + "->"
                        + Ip.text(Arrays.copyOfRange(p, 19, 35)) + ":" + u16(p, 35);
            case AF_UNIX:
                if (p.length < 17) {
                    return "family 1";
                }
                return Long.toHexString(i64(p, 1)) + "->" + Long.toHexString(i64(p, 9)) + " "
                        + Sanitize.printable(cString(p, 17));
            default:
                return "family " + p[0];
        }
    }

    /** Whether an IPv6 tuple's two ends are IPv4-mapped (libsinsp then treats the socket as IPv4). */
    static boolean mappedTuple(byte[] p) {
        return p.length == 37 && p[0] == AF_INET6 && mapped(p, 1) && mapped(p, 19);
    }

    /** sinsp_utils::is_ipv4_mapped_ipv6: ::ffff:a.b.c.d, and also all zeros (an unset address). */
    static boolean mapped(byte[] p, int at) {
        for (int i = 0; i < 10; i++) {
            if (p[at + i] != 0) {
                return false;
            }
        }
        int a = p[at + 10] & 0xff, b = p[at + 11] & 0xff;
        if (a == 0xff && b == 0xff) {
            return true;
        }
        for (int i = 10; i < 16; i++) {
            if (p[at + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The port of a SOCKADDR, or -1. */
    static int port(byte[] p) {
        if (p.length == 7 && p[0] == AF_INET) {
            return u16(p, 5);
        }
        if (p.length == 19 && p[0] == AF_INET6) {
            return u16(p, 17);
        }
        return -1;
    }

    static String unixPath(byte[] p) {
        return p.length >= 17 && p[0] == AF_UNIX ? Sanitize.printable(cString(p, 17)) : "";
    }

    static int u16(byte[] p, int at) {
        return (p[at] & 0xff) | (p[at + 1] & 0xff) << 8;
    }

    static long i64(byte[] p, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (p[at + i] & 0xff);
        }
        return v;
    }

    static byte[] cString(byte[] p, int from) {
        int end = from;
        while (end < p.length && p[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(p, from, end);
    }
}
