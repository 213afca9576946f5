// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

/**
 * What one file descriptor of a replayed process refers to, as libsinsp's fd table knows it.
 * Several fds (dup) and several processes (fork) may share one {@link Socket}: it is one kernel
 * socket, so its counters keep one cookie, as the live kernel's socket cookie does.
 */
final class ReplayFd {
    /** Kinds the counters care about; the rest (pipes, unix sockets, eventfds...) is OTHER. */
    enum Kind { INET, SERVER, FILE, OTHER }

    final Kind kind;
    /** INET and SERVER only. */
    final Socket socket;
    /** FILE only: the absolute path (untrusted text from the file). */
    final String path;
    /** FILE only: the file's id ({@link ReplayFds#fileId}), 0 until first counted. */
    long fileId;
    /** FILE only: the counter of the process last counted on it ({@link ReplayCounters#file}). */
    long[] acc;
    io.wiretop.model.ProcessId accId;
    long accFileId;
    int accEpoch;

    private ReplayFd(Kind kind, Socket socket, String path) {
        this.kind = kind;
        this.socket = socket;
        this.path = path;
    }

    static ReplayFd inet(Socket s) {
        return new ReplayFd(Kind.INET, s, null);
    }

    static ReplayFd server(Socket s) {
        return new ReplayFd(Kind.SERVER, s, null);
    }

    static ReplayFd file(String path) {
        return new ReplayFd(Kind.FILE, null, path);
    }

    static final ReplayFd OTHER = new ReplayFd(Kind.OTHER, null, null);

    /**
     * An IP socket. Unnamed until a tuple names it (connect, accept, a UDP sendto or recvfrom, the
     * fd list); csysdig keys its Connections view by that name, so each new name is a new
     * {@link #cookie} and the counts before a rename stay on the old one.
     */
    static final class Socket {
        /** 2 IPv4, 10 IPv6. */
        int family;
        /** 6 TCP, 17 UDP, 0 not known. */
        int proto;
        /** This end accepted the connection. */
        boolean passive;
        byte[] laddr, raddr;
        int lport, rport;
        /** Named by a connect (not only by a UDP send or receive). */
        boolean connected;
        /** 0 while unnamed. */
        long cookie;
        /** fds (in any process) that refer to it: at zero the socket is closed. */
        int refs;
        /** The counter of the process and name last counted on it ({@link ReplayCounters#net}). */
        ReplayCounters.ConnAcc acc;
        io.wiretop.model.ProcessId accId;
        long accCookie;
        int accEpoch;

        boolean named() {
            return cookie != 0;
        }
    }
}
