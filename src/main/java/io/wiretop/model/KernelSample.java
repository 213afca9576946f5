// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.List;

/**
 * One read of the kernel's cumulative counters at a tick. Counters only grow while their entry
 * exists; user space derives per-interval deltas.
 *
 * @param wireLate WIRE counts added to entries between their last read and their deletion: not
 *                 cumulative, they belong to the interval of this sample once
 */
public record KernelSample(List<Conn> conns, List<Sys> syscalls, List<FileIo> files, List<Wire> wire, Losses losses,
                           List<Wire> wireLate) {

    /** A sample without packet hooks. */
    public KernelSample(List<Conn> conns, List<Sys> syscalls, List<FileIo> files, Losses losses) {
        this(conns, syscalls, files, List.of(), losses);
    }

    /** A sample without late WIRE counts. */
    public KernelSample(List<Conn> conns, List<Sys> syscalls, List<FileIo> files, List<Wire> wire, Losses losses) {
        this(conns, syscalls, files, wire, losses, List.of());
    }

    /**
     * Cumulative payload bytes and calls of one process on one socket (struct wt_conn_key/val).
     *
     * @param passive the socket was accepted: this end is the server
     */
    public record Conn(ProcessId id, long cookie, int family, int proto, boolean passive, byte[] laddr, int lport, byte[] raddr,
                       int rport, long bytesIn, long bytesOut, long opsIn, long opsOut) {
    }

    /**
     * Cumulative bytes and packets on the wire of one socket, attributed to a process by the packet
     * hook (id pid 0 when no owner is known).
     */
    public record Wire(ProcessId id, long cookie, long bytesIn, long bytesOut, long pktsIn, long pktsOut) {
    }

    /** Cumulative calls of syscall nr by one process ending with errno err (0 = success). */
    public record Sys(ProcessId id, int nr, int err, long calls) {
    }

    /** Cumulative I/O of one process on one regular file. */
    public record FileIo(ProcessId id, long dev, long ino, int lastFd, long bytesIn, long bytesOut, long ops) {
    }
}
