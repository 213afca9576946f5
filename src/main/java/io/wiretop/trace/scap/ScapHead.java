// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.util.List;
import java.util.Map;

/**
 * What a .scap file says about the machine before its first event: machine facts, interface
 * addresses, users and groups, every thread, and the open fds of every process.
 *
 * @param fds open fds by thread group id (the main thread's tid); other threads share them
 */
public record ScapHead(Machine machine, List<Interface> interfaces, List<User> users, List<Group> groups,
                       List<Thread> threads, Map<Long, List<Fd>> fds) {

    /** The machine-info block. */
    public record Machine(int cpus, long memoryBytes, long maxPid, String hostname, long bootTimeNanos) {
    }

    /** One address of an interface; address, netmask and broadcast are 4 or 16 bytes in network order. */
    public record Interface(String name, byte[] address, byte[] netmask, byte[] broadcast) {
    }

    /** A user-list entry. */
    public record User(long uid, long gid, String name, String home, String shell) {
    }

    /** A group-list entry. */
    public record Group(long gid, String name) {
    }

    /**
     * A process-list entry (one per thread), as sysdig's PL V9.
     *
     * @param args   argv[1..], each followed by NUL
     * @param env    NUL-terminated K=V items (empty: see HostSnapshot)
     * @param cgroups NUL-terminated "subsys=path" items
     * @param flags  PPM_CL_* bits: 0 for a main thread, CLONE_FILES|CLONE_THREAD for others
     */
    public record Thread(long tid, long pid, long ptid, long sid, long vpgid, String comm, String exe, String exePath,
                         byte[] args, String cwd, long fdLimit, int flags, long uid, long gid, long vmSizeKb,
                         long vmRssKb, long vmSwapKb, long pageFaultsMajor, long pageFaultsMinor, byte[] env,
                         long vtid, long vpid, byte[] cgroups, String root, int loginUid,
                         long userTicks, long systemTicks) {
        public static final int PPM_CL_CLONE_FILES = 1, PPM_CL_CLONE_THREAD = 8192;
    }

    /**
     * An fd-list entry. {@code type} is libscap's scap_fd_type; which other fields count depends on it
     * (see the factories).
     */
    public record Fd(long fd, long ino, int type, String name, int openFlags, long dev, byte[] sip, byte[] dip,
                     int sport, int dport, int l4proto, long source, long dest) {
        public static final int FILE = 1, DIRECTORY = 2, IPV4_SOCK = 3, IPV6_SOCK = 4, IPV4_SERVSOCK = 5,
                IPV6_SERVSOCK = 6, FIFO = 7, UNIX_SOCK = 8, EVENT = 9, UNSUPPORTED = 10, SIGNALFD = 11,
                EVENTPOLL = 12, INOTIFY = 13, TIMERFD = 14, NETLINK = 15, FILE_V2 = 16;
        public static final int L4_TCP = 2, L4_UDP = 3;

        /** A regular file (FILE_V2) with its PPM_O_* open flags and device. */
        public static Fd file(long fd, long ino, String path, int ppmOpenFlags, long dev) {
            return new Fd(fd, ino, FILE_V2, path, ppmOpenFlags, dev, null, null, 0, 0, 0, 0, 0);
        }

        /** Any kind whose payload is just a name: DIRECTORY, FIFO, EVENT, EVENTPOLL, INOTIFY, TIMERFD... */
        public static Fd named(long fd, long ino, int type, String name) {
            return new Fd(fd, ino, type, name, 0, 0, null, null, 0, 0, 0, 0, 0);
        }

        /** A connected socket: source is the local end, destination the peer (as sysdig's /proc scan). */
        public static Fd inet(long fd, long ino, byte[] sip, int sport, byte[] dip, int dport, int l4proto) {
            return new Fd(fd, ino, sip.length == 16 ? IPV6_SOCK : IPV4_SOCK, null, 0, 0, sip, dip, sport, dport,
                    l4proto, 0, 0);
        }

        /** A listening (or unconnected) socket: its local address and port. */
        public static Fd server(long fd, long ino, byte[] ip, int port, int l4proto) {
            return new Fd(fd, ino, ip.length == 16 ? IPV6_SERVSOCK : IPV4_SERVSOCK, null, 0, 0, ip, null, port, 0,
                    l4proto, 0, 0);
        }

        /** A unix socket with its bound path ("" when unnamed). */
        public static Fd unix(long fd, long ino, long source, long dest, String path) {
            return new Fd(fd, ino, UNIX_SOCK, path, 0, 0, null, null, 0, 0, 0, source, dest);
        }
    }
}
