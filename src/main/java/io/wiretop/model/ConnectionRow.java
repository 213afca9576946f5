// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import io.wiretop.host.ContainerMeta;

import java.util.Set;

/**
 * One socket of one process during one interval (payload bytes of its I/O syscalls).
 * A socket shared by two processes (a parent and a forked child) gives two rows, one per process.
 *
 * @param cookie  the kernel's socket cookie, unique for the life of the socket
 * @param proto   "tcp", "udp" or the protocol number
 * @param lip     local address, IPv4 dotted or IPv6 text; IPv4-mapped IPv6 shown as IPv4
 * @param server  true when this end accepted the connection or its local port is listening
 * @param wireIn  bytes on the wire received on this socket (IP headers and retransmissions included);
 *                -1 when the packet hooks are not attached (the field is then null)
 * @param container what the container's runtime said of it, or null (see {@link ProcessRow})
 */
public record ConnectionRow(long pid, long startTicks, String comm, String cmdline, long cookie, String proto,
                            String lip, int lport, String rip, int rport, boolean server,
                            long bytesIn, long bytesOut, long opsIn, long opsOut, String containerId,
                            long wireIn, long wireOut, ContainerMeta container) implements Row {

    /** A row without runtime metadata for its container. */
    public ConnectionRow(long pid, long startTicks, String comm, String cmdline, long cookie, String proto,
                         String lip, int lport, String rip, int rport, boolean server,
                         long bytesIn, long bytesOut, long opsIn, long opsOut, String containerId,
                         long wireIn, long wireOut) {
        this(pid, startTicks, comm, cmdline, cookie, proto, lip, lport, rip, rport, server, bytesIn, bytesOut, opsIn,
                opsOut, containerId, wireIn, wireOut, null);
    }

    /** A row without WIRE counts (packet hooks not attached). */
    public ConnectionRow(long pid, long startTicks, String comm, String cmdline, long cookie, String proto,
                         String lip, int lport, String rip, int rport, boolean server,
                         long bytesIn, long bytesOut, long opsIn, long opsOut, String containerId) {
        this(pid, startTicks, comm, cmdline, cookie, proto, lip, lport, rip, rport, server, bytesIn, bytesOut, opsIn,
                opsOut, containerId, 0, 0);
    }

    public static final Set<String> FIELDS = ProcessRow.withContainer("proc.pid", "proc.name", "proc.exeline", "fd.cookie",
            "fd.l4proto", "fd.lip", "fd.lport", "fd.rip", "fd.rport", "fd.sport", "fd.cport", "fd.name",
            "evt.buflen.net", "evt.buflen.net.in", "evt.buflen.net.out", "evt.count", "evt.count.in",
            "evt.count.out", "evt.wirelen", "evt.wirelen.in", "evt.wirelen.out");

    /** sysdig's fd.name for a socket: {@code lip:lport->rip:rport}, IPv6 in brackets. */
    public String name() {
        return Addresses.endpoint(lip, lport) + "->" + Addresses.endpoint(rip, rport);
    }

    @Override
    public Object get(String field) {
        return switch (field) {
            case "proc.pid" -> pid;
            case "proc.name" -> comm;
            case "proc.exeline" -> cmdline;
            case "fd.cookie" -> cookie;
            case "fd.l4proto" -> proto;
            case "fd.lip" -> lip;
            case "fd.lport" -> (long) lport;
            case "fd.rip" -> rip;
            case "fd.rport" -> (long) rport;
            case "fd.sport" -> (long) (server ? lport : rport);
            case "fd.cport" -> (long) (server ? rport : lport);
            case "fd.name" -> name();
            case "evt.buflen.net" -> bytesIn < 0 ? null : bytesIn + bytesOut;
            case "evt.buflen.net.in" -> bytesIn < 0 ? null : bytesIn;
            case "evt.buflen.net.out" -> bytesOut < 0 ? null : bytesOut;
            case "evt.count" -> opsIn < 0 ? null : opsIn + opsOut;
            case "evt.count.in" -> opsIn < 0 ? null : opsIn;
            case "evt.count.out" -> opsOut < 0 ? null : opsOut;
            case "evt.wirelen" -> wireIn < 0 ? null : wireIn + wireOut;
            case "evt.wirelen.in" -> wireIn < 0 ? null : wireIn;
            case "evt.wirelen.out" -> wireOut < 0 ? null : wireOut;
            default -> ContainerFields.get(field, containerId, container);
        };
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }
}
