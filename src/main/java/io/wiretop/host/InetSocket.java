// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

/**
 * One line of /proc/net/{tcp,tcp6,udp,udp6}. Addresses are in network byte order (4 or 16 bytes).
 *
 * @param tcp   true for TCP, false for UDP
 * @param state the kernel's socket state (TCP_LISTEN is 10; an unconnected UDP socket is 7)
 */
public record InetSocket(long inode, boolean tcp, byte[] localAddr, int localPort, byte[] remoteAddr, int remotePort,
                         int state) {
    public static final int TCP_LISTEN = 0x0A;

    /** A listening TCP socket, or a UDP socket with no peer: it has a local end only. */
    public boolean isServer() {
        return tcp ? state == TCP_LISTEN : remotePort == 0;
    }

    public boolean isIpv6() {
        return localAddr.length == 16;
    }
}
