// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFd;
import io.wiretop.trace.scap.LocalEnd;
import io.wiretop.trace.scap.ScapInterface;
import io.wiretop.trace.scap.ScapSocket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What fd-creating and socket-naming events do to a process's fd table, as libsinsp does it:
 * sockets from socket/accept, named by connect, accept and the tuples of UDP sends and receives
 * (each new name a new cookie, as csysdig keys Connections by name), server sockets from bind,
 * files from open/openat/openat2/creat (relative paths resolved), dup, pipes, and the fd lists of
 * the capture's head. A socket whose last fd closes is final ({@link ReplayCounters#closed}).
 */
final class ReplayFds {
    private static final int PPM_O_DIRECTORY = 1024;
    private static final long AT_FDCWD = -100;

    private final ReplayCounters counters;
    private List<ScapInterface> interfaces;
    private final Map<String, Long> fileIds = new HashMap<>();
    private final List<String> filePaths = new ArrayList<>(List.of(""));
    private long cookies;

    ReplayFds(ReplayCounters counters, List<ScapInterface> interfaces) {
        this.counters = counters;
        this.interfaces = interfaces;
    }

    /** The interface addresses of a new section. */
    void interfaces(List<ScapInterface> list) {
        interfaces = list;
    }

    ReplayFd fromList(ScapFd f) {
        ScapSocket s = f.socket();
        switch (f.type()) {
            case 1, 16:
                return f.name().startsWith("/") ? ReplayFd.file(f.name()) : ReplayFd.OTHER;
            case 3, 4:
                if (s == null || s.source() == null || s.dest() == null) {
                    return ReplayFd.OTHER;
                }
                ReplayFd.Socket sock = socket(s.family(), s.l4proto() == 3 ? 17 : s.l4proto() == 2 ? 6 : 0);
                sock.refs = 1;
                name(sock, s.source(), s.sourcePort(), s.dest(), s.destPort(), true);
                return ReplayFd.inet(sock);
            case 5, 6:
                if (s == null || s.source() == null) {
                    return ReplayFd.OTHER;
                }
                ReplayFd.Socket srv = socket(s.family(), s.l4proto() == 3 ? 17 : s.l4proto() == 2 ? 6 : 0);
                srv.refs = 1;
                srv.laddr = s.source();
                srv.lport = s.sourcePort();
                return ReplayFd.server(srv);
            default:
                return ReplayFd.OTHER;
        }
    }

    private static ReplayFd.Socket socket(int family, int proto) {
        ReplayFd.Socket s = new ReplayFd.Socket();
        s.family = family;
        s.proto = proto;
        return s;
    }

    ReplayFd newSocket(ScapEvent enter) {
        long domain = enter.asLong(0, 0), type = enter.asLong(1, 0), proto = enter.asLong(2, 0);
        if (domain != ScapSocket.AF_INET && domain != ScapSocket.AF_INET6) {
            return ReplayFd.OTHER;
        }
        int l4 = proto == 6 || proto == 17 ? (int) proto
                : proto == 0 && (type & 0xf) == 1 ? 6 : proto == 0 && (type & 0xf) == 2 ? 17 : (int) proto;
        ReplayFd.Socket s = socket((int) domain, l4);
        s.refs = 1;
        return ReplayFd.inet(s);
    }

    void bind(Map<Long, ReplayFd> fds, long fd, ScapEvent e, long res) {
        ReplayFd f = fds.get(fd);
        ScapSocket a = e.asAddress(1);
        if (res < 0 || f == null || f.socket == null || a == null || a.source() == null) {
            return;
        }
        // libsinsp makes a bound socket a server socket, out of the Connections view until connected
        f.socket.laddr = a.source();
        f.socket.lport = a.sourcePort();
        if (f.kind == ReplayFd.Kind.INET && !f.socket.named()) {
            fds.put(fd, ReplayFd.server(f.socket));
        }
    }

    void accept(Map<Long, ReplayFd> fds, long fd, ScapSocket tuple) {
        if (tuple == null || tuple.source() == null || tuple.dest() == null) {
            put(fds, fd, ReplayFd.OTHER);
            return;
        }
        ReplayFd.Socket s = socket(tuple.family(), 6);
        s.passive = true;
        s.refs = 1;
        // an accepted socket's tuple starts with the peer
        name(s, tuple.dest(), tuple.destPort(), tuple.source(), tuple.sourcePort(), true);
        put(fds, fd, ReplayFd.inet(s));
    }

    /**
     * Names a socket from an event's tuple as libsinsp does: the local end is always taken, the
     * remote one only while unknown or on connect (a UDP socket connected again elsewhere keeps
     * its name in 0.29.3, test_ipv6_client.scap). A local address of all zeros (a UDP send before
     * the kernel chose a source) becomes the interface address libsinsp would pick, or, without
     * one, stays zero with the ends shown the way csysdig shows them.
     */
    void renameFromTuple(Map<Long, ReplayFd> fds, long fd, ScapSocket tuple, boolean outbound, boolean connect) {
        ReplayFd f = fds.get(fd);
        if (f == null || f.socket == null || tuple == null || tuple.source() == null || tuple.dest() == null) {
            return;
        }
        ReplayFd.Socket s = f.socket;
        if (!connect && s.proto != 17) {
            return; // only UDP sockets are named by their sends and receives
        }
        byte[] l = outbound ? tuple.source() : tuple.dest(), r = outbound ? tuple.dest() : tuple.source();
        int lp = outbound ? tuple.sourcePort() : tuple.destPort(), rp = outbound ? tuple.destPort() : tuple.sourcePort();
        if (f.kind == ReplayFd.Kind.SERVER) {
            fds.put(fd, ReplayFd.inet(s));
        }
        s.family = tuple.family();
        // the remote end is taken while unknown and by a first connect; a socket connect()ed again
        // keeps its name in 0.29.3 (see the javadoc)
        boolean known = s.named() && s.raddr != null && !LocalEnd.isZero(s.raddr) && s.rport != 0;
        boolean keepRemote = known && (!connect || s.connected);
        byte[] local = LocalEnd.isZero(l) ? LocalEnd.forRemote(r, interfaces) : l;
        if (local == null) {
            // no address for the zeros: libsinsp keeps them, and csysdig's fd.lip, seeing that the
            // source is no local address, takes the destination as the local end (Connections
            // shows 2001:db8::9 53 :: 0 for :::0->2001:db8::9:53)
            name(s, keepRemote ? s.raddr : r, keepRemote ? s.rport : rp, l, lp, false);
        } else {
            name(s, local, lp, keepRemote ? s.raddr : r, keepRemote ? s.rport : rp, false);
        }
        if (connect) {
            s.connected = true;
        }
    }

    /** Sets a socket's ends; a changed name is a new cookie (the old one is final). */
    private void name(ReplayFd.Socket s, byte[] l, int lp, byte[] r, int rp, boolean fresh) {
        if (!fresh && s.named() && Arrays.equals(s.laddr, l) && s.lport == lp && Arrays.equals(s.raddr, r)
                && s.rport == rp) {
            return;
        }
        if (s.named()) {
            counters.closed(s.cookie);
        }
        s.laddr = l;
        s.lport = lp;
        s.raddr = r;
        s.rport = rp;
        s.cookie = ++cookies;
    }

    void open(Map<Long, ReplayFd> fds, String cwd, ScapEvent e, ScapEvent enter, long res) {
        if (res < 0) {
            return;
        }
        int type = e.type();
        int ni = EventKinds.NAME[type];
        String path = ni >= 0 && e.has(ni) ? e.asString(ni) : "";
        long flags = e.asLong(EventKinds.FLAGS[type], 0);
        long dirfd = e.asLong(EventKinds.DIRFD[type], AT_FDCWD);
        if (path.isEmpty() && enter != null) { // openat exit of old drivers carries only the fd
            int et = enter.type();
            int ei = EventKinds.NAME[et];
            path = ei >= 0 ? enter.asString(ei) : "";
            flags = enter.asLong(EventKinds.FLAGS[et], 0);
            dirfd = enter.asLong(EventKinds.DIRFD[et], AT_FDCWD);
        }
        if (e.info().name().equals("creat")) {
            flags = 0;
        }
        if ((flags & PPM_O_DIRECTORY) != 0 || path.isEmpty()) {
            put(fds, res, ReplayFd.OTHER);
            return;
        }
        if (!path.startsWith("/")) {
            ReplayFd dir = dirfd == AT_FDCWD ? null : fds.get(dirfd);
            String base = dir != null && dir.path != null ? dir.path : cwd;
            path = base == null || base.isEmpty() ? path : (base.endsWith("/") ? base : base + "/") + path;
        }
        put(fds, res, path.startsWith("/") ? ReplayFd.file(path) : ReplayFd.OTHER);
    }

    void dup(Map<Long, ReplayFd> fds, long from, long to) {
        ReplayFd f = fds.get(from);
        if (f == null) {
            remove(fds, to);
            return;
        }
        if (f.socket != null) {
            f.socket.refs++;
        }
        ReplayFd old = fds.put(to, f);
        if (old != null) {
            release(old);
        }
    }

    void put(Map<Long, ReplayFd> fds, long fd, ReplayFd f) {
        if (fd < 0) {
            return;
        }
        ReplayFd old = fds.put(fd, f);
        if (old != null && old != f) {
            release(old);
        }
    }

    void remove(Map<Long, ReplayFd> fds, long fd) {
        ReplayFd old = fds.remove(fd);
        if (old != null) {
            release(old);
        }
    }

    void release(ReplayFd f) {
        if (f.socket != null && --f.socket.refs <= 0 && f.socket.named()) {
            counters.closed(f.socket.cookie);
        }
    }

    /** The id of an open file's path (ids in order of first use), kept on the fd. */
    long fileId(ReplayFd f) {
        if (f.fileId == 0) {
            f.fileId = fileId(f.path);
        }
        return f.fileId;
    }

    long fileId(String path) {
        Long id = fileIds.get(path); // not computeIfAbsent: its capturing lambda is an allocation per call under C1
        if (id == null) {
            filePaths.add(path);
            id = (long) filePaths.size() - 1;
            fileIds.put(path, id);
        }
        return id;
    }

    /** The path of a file id of {@link ReplayCounters#sample()}, or null. */
    String filePath(long id) {
        return id > 0 && id < filePaths.size() ? filePaths.get((int) id) : null;
    }
}
