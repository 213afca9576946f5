// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.decode.Ip;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ends of a socket as a capture records them: a SOCKTUPLE or SOCKADDR event parameter, or an
 * FD-list socket entry. For outbound calls (connect, sendto) the source is the local end; for
 * inbound ones (accept, recvfrom) it is the remote peer (libs {@code fd_to_socktuple}).
 *
 * @param family      1 unix, 2 IPv4, 10 IPv6 (PPM_AF_*)
 * @param source      4 or 16 bytes in network order; null for unix sockets
 * @param sourcePort  host-order port
 * @param dest        as source; null for a lone address (SOCKADDR, server socket)
 * @param l4proto     scap_l4_proto of an FD-list entry (2 TCP, 3 UDP), -1 in events, which do not carry it
 * @param unixSource  kernel socket pointer of a unix tuple
 * @param path        unix socket path ("" otherwise); untrusted text
 */
public record ScapSocket(int family, byte[] source, int sourcePort, byte[] dest, int destPort, int l4proto,
                         long unixSource, long unixDest, String path) {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** A SOCKTUPLE parameter, or null when its bytes do not make one (sysdig shows such as NULL). */
    static ScapSocket tuple(byte[] a, int off, int len) {
        if (len < 1) {
            return null;
        }
        int family = a[off];
        if (family == AF_INET && len >= 13) {
            return new ScapSocket(family, Arrays.copyOfRange(a, off + 1, off + 5), Le.u16(a, off + 5),
                    Arrays.copyOfRange(a, off + 7, off + 11), Le.u16(a, off + 11), -1, 0, 0, "");
        }
        if (family == AF_INET6 && len >= 37) {
            return new ScapSocket(family, Arrays.copyOfRange(a, off + 1, off + 17), Le.u16(a, off + 17),
                    Arrays.copyOfRange(a, off + 19, off + 35), Le.u16(a, off + 35), -1, 0, 0, "");
        }
        if (family == AF_UNIX && len >= 17) {
            return new ScapSocket(family, null, 0, null, 0, -1, Le.i64(a, off + 1), Le.i64(a, off + 9),
                    cString(a, off + 17, len - 17));
        }
        return null;
    }

    /** A SOCKADDR parameter, or null when its bytes do not make one. */
    static ScapSocket address(byte[] a, int off, int len) {
        if (len < 1) {
            return null;
        }
        int family = a[off];
        if (family == AF_INET && len >= 7) {
            return new ScapSocket(family, Arrays.copyOfRange(a, off + 1, off + 5), Le.u16(a, off + 5), null, 0, -1,
                    0, 0, "");
        }
        if (family == AF_INET6 && len >= 19) {
            return new ScapSocket(family, Arrays.copyOfRange(a, off + 1, off + 17), Le.u16(a, off + 17), null, 0,
                    -1, 0, 0, "");
        }
        if (family == AF_UNIX) {
            return new ScapSocket(family, null, 0, null, 0, -1, 0, 0, cString(a, off + 1, len - 1));
        }
        return null;
    }

    /** Up to the first NUL, or the whole range. */
    static String cString(byte[] a, int off, int len) {
        int n = 0;
        while (n < len && a[off + n] != 0) {
            n++;
        }
        return new String(a, off, n, StandardCharsets.UTF_8);
    }

    /** As sysdig prints it: {@code 10.0.0.5:50000->10.0.0.9:80}, {@code ::1:53}, or the unix path. */
    public String text() {
        if (family == AF_UNIX) {
            return dest == null && unixSource == 0 && unixDest == 0 ? path
                    : Long.toHexString(unixSource) + "->" + Long.toHexString(unixDest) + " " + path;
        }
        String s = Ip.text(source) + ":" + sourcePort;
        return dest == null ? s : s + "->" + Ip.text(dest) + ":" + destPort;
    }
}
