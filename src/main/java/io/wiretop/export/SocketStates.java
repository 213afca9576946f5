// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import io.wiretop.host.InetSocket;
import io.wiretop.host.ProcFs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the TCP and UDP sockets of wiretop's network namespace by state, from /proc/net (through
 * {@link ProcFs}, the one /proc reader): what the connections gauge shows. In a pod with the host's
 * network, the host's sockets.
 */
final class SocketStates {
    /** The kernel's TCP states (include/net/tcp_states.h), 1-based. */
    private static final String[] TCP = {"unknown", "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2",
            "time_wait", "close", "close_wait", "last_ack", "listen", "closing", "new_syn_recv"};

    private SocketStates() {
    }

    /** "tcp established" → count; every TCP state is present (0 when none), so a state's series never vanishes. */
    static Map<String, Long> count(ProcFs proc) {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 1; i < TCP.length; i++) {
            out.put("tcp " + TCP[i], 0L);
        }
        out.put("udp connected", 0L);
        out.put("udp unconnected", 0L);
        for (InetSocket s : proc.inetSocketList()) {
            String key = s.tcp() ? "tcp " + (s.state() > 0 && s.state() < TCP.length ? TCP[s.state()] : "unknown")
                    : s.remotePort() == 0 ? "udp unconnected" : "udp connected";
            out.merge(key, 1L, Long::sum);
        }
        return out;
    }
}
