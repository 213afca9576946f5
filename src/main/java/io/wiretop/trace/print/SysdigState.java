// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import io.wiretop.decode.Ip;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFd;
import io.wiretop.trace.scap.LocalEnd;
import io.wiretop.trace.scap.ScapInterface;
import io.wiretop.trace.scap.ScapSection;
import io.wiretop.trace.scap.ScapThread;
import io.wiretop.trace.scap.ScapUser;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads and fd names sysdig shows in its lines, kept as libsinsp's parsers keep them
 * (parsers.cpp): thread names from the process list, clone and execve; per process an fd table of
 * type character ({@code f}, {@code 4}, {@code 6}, {@code u}, {@code p}...), protocol character
 * ({@code t}, {@code u}, shown once the socket has a role) and name. The replay fold
 * ({@code trace.replay.ReplayState}) keeps what csysdig's tables count, which lacks these
 * printable names (a unix socket or a pipe is just "other" there), hence this display state.
 * Not thread-safe.
 */
final class SysdigState {
    private static final int PPM_CL_CLONE_THREAD = 1 << 13;
    private static final long EINPROGRESS = 115;

    /** One fd as sysdig names it. */
    static final class Fd {
        char type;
        /** 't', 'u', 'r', 'i' or 0: from socket(); shown only once the socket has a role. */
        char proto;
        boolean role;
        String name;
        /** A named socket's remote end (kept over a later connect or send elsewhere), else null. */
        byte[] remote;
        int remotePort;
        boolean connected;

        Fd(char type, char proto, boolean role, String name) {
            this.type = type;
            this.proto = proto;
            this.role = role;
            this.name = name;
        }

        Fd copy() {
            Fd c = new Fd(type, proto, role, name);
            c.remote = remote;
            c.remotePort = remotePort;
            c.connected = connected;
            return c;
        }

        /** {@code <4t>name}, as render_fd prints it. */
        String text() {
            StringBuilder s = new StringBuilder().append('<').append(type);
            if (proto != 0 && role && (type == '4' || type == '6')) {
                s.append(proto);
            }
            return s.append('>').append(Sanitize.printable(name)).toString();
        }
    }

    /** A process: its fd table, shared by its threads. */
    static final class Proc {
        final Map<Long, Fd> fds = new HashMap<>();
    }

    /** A thread: name, process and the enter event its exit pairs with. */
    static final class Thread {
        final long tid;
        long pid;
        String comm;
        String cwd;
        Proc proc;
        ScapEvent lastEnter;
        /** The container its cgroups name (host.ContainerIds), "" for none, null when not known. */
        String container;

        Thread(long tid, long pid, String comm, String cwd, Proc proc) {
            this.tid = tid;
            this.pid = pid;
            this.comm = comm;
            this.cwd = cwd;
            this.proc = proc;
        }
    }

    private final Map<Long, Thread> threads = new HashMap<>();
    private final Map<Long, Proc> procs = new HashMap<>();
    private final List<ScapInterface> interfaces;
    private final Map<Long, String> users = new HashMap<>();
    private final Map<Long, String> groups = new HashMap<>();
    /** The fd of the event last parsed (an exit's is its enter's), -1 when none, and what it named then. */
    long eventFd = -1;
    Fd eventFdInfo;
    /** A thread whose procexit was the last event: libsinsp drops it when the next event comes. */
    private long exiting = -1;

    SysdigState(ScapSection head) {
        interfaces = head.interfaces();
        for (ScapUser u : head.users()) {
            (u.group() ? groups : users).putIfAbsent(u.group() ? u.gid() : u.uid(), u.name());
        }
        for (ScapThread t : head.threads()) {
            Proc p = procs.computeIfAbsent(t.pid(), k -> new Proc());
            Thread th = new Thread(t.tid(), t.pid(), t.comm(), t.cwd(), p);
            th.container = container(t.cgroups());
            threads.put(t.tid(), th);
        }
        head.fds().forEach((tid, list) -> {
            Thread t = threads.get(tid);
            Proc p = t != null ? t.proc : procs.computeIfAbsent(tid, k -> new Proc());
            for (ScapFd f : list) {
                p.fds.put(f.fd(), fromList(f));
            }
        });
    }

    /** The container of a thread from its "subsys=path" cgroup items: "" when no path names one. */
    static String container(List<String> cgroups) {
        String id = io.wiretop.host.ContainerIds.ofItems(cgroups);
        return id == null ? "" : id;
    }

    /** A clone or execve exit's cgroups, when the event has them (what the thread is in now), else null. */
    private static String containerOf(ScapEvent e) {
        int c = e.paramIndex("cgroups");
        return c >= 0 && e.has(c) ? container(e.asStrings(c)) : null;
    }

    private static Fd fromList(ScapFd f) {
        String name = f.name() == null ? "" : f.name();
        return switch (f.type()) {
            case 1, 16 -> new Fd('f', (char) 0, false, name);
            case 2 -> new Fd('d', (char) 0, false, name);
            // a TCP socket of the list shows its protocol, a UDP one does not (sysdig 0.29.3, synthetic.scap)
            case 3, 4, 5, 6 -> {
                boolean udp = f.socket() != null && f.socket().l4proto() == 3;
                yield new Fd(f.type() % 2 == 1 ? '4' : '6', udp ? 'u' : 't', !udp,
                        f.socket() != null ? f.socket().text() : name);
            }
            case 7 -> new Fd('p', (char) 0, false, name);
            case 8 -> new Fd('u', (char) 0, false, name);
            case 9 -> new Fd('e', (char) 0, false, name);
            case 11 -> new Fd('s', (char) 0, false, name);
            case 12 -> new Fd('l', (char) 0, false, name);
            case 13 -> new Fd('i', (char) 0, false, name);
            case 14 -> new Fd('t', (char) 0, false, name);
            case 15 -> new Fd('n', (char) 0, false, name);
            default -> new Fd('o', (char) 0, false, name);
        };
    }

    /** The thread of an event, made as libsinsp makes one it never saw (comm "&lt;NA&gt;"). */
    Thread thread(long tid) {
        Thread t = threads.get(tid);
        if (t == null) {
            Proc p = procs.computeIfAbsent(tid, k -> new Proc());
            t = new Thread(tid, tid, "<NA>", "", p);
            threads.put(tid, t);
        }
        return t;
    }

    /** A known thread, or null. */
    Thread find(long tid) {
        return threads.get(tid);
    }

    /** A known thread's comm, or null (PT_PID resolution does not create threads). */
    String comm(long tid) {
        Thread t = threads.get(tid);
        return t == null ? null : t.comm;
    }

    /** A user (or group) name of the capture's user list, or null. */
    String user(long id, boolean group) {
        return (group ? groups : users).get(id);
    }

    Fd fd(Thread t, long fd) {
        return t.proc.fds.get(fd);
    }

    /**
     * Events that happen inside a syscall without being one (libs' EF_SKIPPARSERESET ones, e.g. a
     * context switch while poll waits): they do not replace the thread's last enter.
     */
    private static final java.util.Set<String> INSIDE_SYSCALL = java.util.Set.of("switch", "procinfo", "page_fault",
            "signaldeliver", "drop", "notification", "infra", "sysdigevent", "tracer");

    /** Applies one event, before it is printed (libsinsp parses an event, then formats it). */
    void parse(ScapEvent e) {
        if (exiting >= 0) {
            threads.remove(exiting);
            exiting = -1;
        }
        Thread t = thread(e.tid());
        eventFd = -1;
        eventFdInfo = null;
        if (e.enter() && INSIDE_SYSCALL.contains(e.info().name())) {
            return; // libsinsp's EF_SKIPPARSERESET: the syscall's enter still pairs with its exit
        }
        if (e.enter()) {
            t.lastEnter = e.copy();
            if (e.paramType(0) == io.wiretop.trace.scap.ParamType.FD && e.has(0)) {
                eventFd = e.asLong(0, -1);
                eventFdInfo = fds(t).get(eventFd);
            }
            if (e.info().name().equals("procexit")) {
                exiting = e.tid();
            } else if (e.info().name().equals("connect")) {
                Fd f = e.has(0) ? fds(t).get(e.asLong(0, -1)) : null;
                if (f != null && f.type == 'u' && e.has(1)) {
                    f.name = SockText.address(e.asBytes(1)); // a unix socket is named by connect's enter
                }
            }
            return;
        }
        ScapEvent enter = t.lastEnter != null && t.lastEnter.type() == e.type() - 1 ? t.lastEnter : null;
        t.lastEnter = null;
        long fd = enter != null && enter.paramCount() > 0 && enter.paramType(0) == io.wiretop.trace.scap.ParamType.FD
                ? enter.asLong(0, -1) : -1;
        long res = e.asLong(0, 0);
        Map<Long, Fd> fds = t.proc.fds;
        eventFd = fd;
        eventFdInfo = fd >= 0 ? fds.get(fd) : null; // before a close drops it
        switch (e.info().name()) {
            case "clone", "fork", "vfork", "clone3" -> clone(t, e, res);
            case "execve", "execveat" -> {
                if (res == 0) {
                    int c = e.paramIndex("comm");
                    String comm = c >= 0 && e.has(c) ? e.asString(c) : basename(e.asString(e.paramIndex("exe")));
                    t.comm = comm;
                    int cwd = e.paramIndex("cwd");
                    if (cwd >= 0 && e.has(cwd)) {
                        t.cwd = e.asString(cwd);
                    }
                    String container = containerOf(e);
                    if (container != null) {
                        t.container = container;
                    }
                }
            }
            case "socket" -> {
                if (res >= 0 && enter != null) {
                    fds.put(res, socket(enter));
                }
            }
            case "bind" -> {
                Fd f = fds.get(fd);
                byte[] addr = e.asBytes(1);
                if (res >= 0 && f != null && (f.type == '4' || f.type == '6') && addr.length > 0) {
                    f.name = SockText.address(addr);
                    if (SockText.port(addr) > 0) {
                        f.role = true; // a server socket: libsinsp shows its protocol
                    }
                }
            }
            case "connect" -> {
                Fd f = fds.get(fd);
                if (f != null && (res >= 0 || res == -EINPROGRESS)) {
                    name(f, e.asBytes(1), true, true);
                }
            }
            case "accept", "accept4" -> {
                if (res >= 0) {
                    byte[] tuple = e.asBytes(1);
                    Fd f = tuple.length > 0 && tuple[0] == SockText.AF_UNIX ? new Fd('u', (char) 0, false, "")
                            : new Fd(tuple.length > 0 && tuple[0] == SockText.AF_INET6 ? '6' : '4', 't', false, "");
                    name(f, tuple, true, false); // as the tuple reads: client->server
                    fds.put(res, f);
                }
            }
            case "sendto", "sendmsg" -> {
                Fd f = fds.get(fd);
                if (res >= 0 && f != null && f.proto == 'u' && enter != null) {
                    name(f, enter.asBytes(2), true, false);
                }
            }
            case "recvfrom", "recvmsg" -> {
                Fd f = fds.get(fd);
                int i = e.info().name().equals("recvfrom") ? 2 : 3;
                if (res >= 0 && f != null && f.proto == 'u') {
                    name(f, e.asBytes(i), false, false);
                }
            }
            case "open", "openat", "openat2", "creat" -> open(t, e, enter, res);
            case "dup", "dup2", "dup3" -> {
                Fd f = fds.get(fd);
                if (res >= 0 && f != null) {
                    fds.put(res, f.copy());
                }
            }
            case "pipe", "pipe2" -> {
                if (res >= 0) {
                    fds.put(e.asLong(1, -1), new Fd('p', (char) 0, false, ""));
                    fds.put(e.asLong(2, -1), new Fd('p', (char) 0, false, ""));
                }
            }
            case "socketpair" -> {
                if (res >= 0) {
                    fds.put(e.asLong(1, -1), new Fd('u', (char) 0, false, ""));
                    fds.put(e.asLong(2, -1), new Fd('u', (char) 0, false, ""));
                }
            }
            case "eventfd", "eventfd2" -> put(fds, res, 'e');
            case "signalfd", "signalfd4" -> put(fds, res, 's');
            case "timerfd_create" -> put(fds, res, 't');
            case "inotify_init", "inotify_init1" -> put(fds, res, 'i');
            case "epoll_create", "epoll_create1" -> put(fds, res, 'l');
            case "close" -> {
                if (res >= 0 && fd >= 0) {
                    fds.remove(fd);
                }
            }
            default -> {
            }
        }
    }

    private static Map<Long, Fd> fds(Thread t) {
        return t.proc.fds;
    }

    private static void put(Map<Long, Fd> fds, long res, char type) {
        if (res >= 0) {
            fds.put(res, new Fd(type, (char) 0, false, ""));
        }
    }

    /** socket(): the family gives the type; the protocol (or the socket type for protocol 0) the l4 character. */
    private static Fd socket(ScapEvent enter) {
        long domain = enter.asLong(0, 0), type = enter.asLong(1, 0) & 0xf, proto = enter.asLong(2, 0);
        if (domain == SockText.AF_UNIX) {
            return new Fd('u', (char) 0, false, "");
        }
        if (domain == SockText.AF_INET || domain == SockText.AF_INET6) {
            char l4 = 0;
            if (proto == 6) {
                l4 = type == 3 ? 'r' : 't';
            } else if (proto == 17) {
                l4 = type == 3 ? 'r' : 'u';
            } else if (proto == 0) {
                l4 = type == 1 ? 't' : type == 2 ? 'u' : 0;
            } else if (proto == 1) {
                l4 = 'i';
            } else if (type == 3) {
                l4 = 'r';
            }
            return new Fd(domain == SockText.AF_INET ? '4' : '6', l4, false, "");
        }
        return new Fd(domain == 16 ? 'n' : 'o', (char) 0, false, "");
    }

    /**
     * A connect/accept/UDP tuple names the socket {@code local->remote} and gives it a role, as
     * libsinsp does and as the replay fold's {@code ReplayFds.renameFromTuple} does for its
     * counters: a local address of all zeros (a UDP send before the kernel chose a source) becomes
     * the address libsinsp would pick (the remote one when loopback, else the capture's first
     * non-loopback interface address of that family, else it stays zero); a UDP socket named by a connect keeps its
     * remote end when connected or sent to elsewhere (test_ipv6_client.scap); IPv4-mapped ends
     * make the socket IPv4.
     */
    private void name(Fd f, byte[] tuple, boolean outbound, boolean connect) {
        if (tuple.length == 0) {
            return;
        }
        if (tuple[0] == SockText.AF_UNIX) {
            f.name = SockText.unixPath(tuple);
            return;
        }
        int alen = tuple[0] == SockText.AF_INET && tuple.length == 13 ? 4
                : tuple[0] == SockText.AF_INET6 && tuple.length == 37 ? 16 : 0;
        if (alen == 0) {
            return;
        }
        boolean mapped = SockText.mappedTuple(tuple);
        if (mapped) {
            f.type = '4';
        }
        int src = 1, dst = 1 + alen + 2;
        byte[] l = Arrays.copyOfRange(tuple, outbound ? src : dst, (outbound ? src : dst) + alen);
        byte[] r = Arrays.copyOfRange(tuple, outbound ? dst : src, (outbound ? dst : src) + alen);
        int lp = SockText.u16(tuple, (outbound ? src : dst) + alen), rp = SockText.u16(tuple, (outbound ? dst : src) + alen);
        if (mapped) {
            l = Arrays.copyOfRange(l, 12, 16);
            r = Arrays.copyOfRange(r, 12, 16);
        }
        if (LocalEnd.isZero(l)) {
            l = LocalEnd.forRemote(r, interfaces);
            l = l != null ? l : new byte[r.length]; // no address of that family: sysdig keeps the zeros
        }
        boolean keepRemote = f.remote != null && !LocalEnd.isZero(f.remote) && f.remotePort != 0 && (!connect || f.connected);
        if (keepRemote) {
            r = f.remote;
            rp = f.remotePort;
        }
        f.remote = r;
        f.remotePort = rp;
        f.connected |= connect;
        f.name = Ip.text(l) + ":" + lp + "->" + Ip.text(r) + ":" + rp;
        f.role = true;
    }

    private void open(Thread t, ScapEvent e, ScapEvent enter, long res) {
        if (res < 0) {
            return;
        }
        // libsinsp takes the name from the enter event when there is one (the exit's may differ)
        int en = enter != null ? enter.paramIndex("name") : -1;
        int n = e.paramIndex("name");
        String name = en >= 0 && enter.has(en) ? enter.asString(en) : n >= 0 && e.has(n) ? e.asString(n) : "";
        String base = t.cwd;
        int dirfd = e.paramIndex("dirfd");
        if (dirfd >= 0 && e.has(dirfd)) {
            long d = e.asLong(dirfd, -100);
            Fd df = t.proc.fds.get(d);
            if (d != -100 && df != null) {
                base = df.name;
            }
        }
        int fl = e.paramIndex("flags");
        long flags = fl >= 0 ? e.asLong(fl, 0) : 0;
        t.proc.fds.put(res, new Fd((flags & 1024) != 0 ? 'd' : 'f', (char) 0, false, Paths.join(base, name)));
    }

    /**
     * libsinsp 0.29.3 makes a new process's thread at the child's own clone exit (returning 0), not
     * at the parent's (a parent's {@code res=102} shows no name, synthetic.scap): its pid, comm and parent
     * come from the event, its fds are the parent process's (shared by a thread, copied by a new
     * process).
     */
    /** {@code t} is the event's thread: the parent when res > 0, the child when res is 0. */
    private void clone(Thread t, ScapEvent e, long res) {
        int fl0 = e.paramIndex("flags");
        if (res > 0 && fl0 >= 0 && (e.asLong(fl0, 0) & PPM_CL_CLONE_THREAD) != 0 && !threads.containsKey(res)) {
            // a new thread, though, is made at the parent's exit (curl_google.scap: res=17498(curl))
            Thread parent = t;
            int c = e.paramIndex("comm");
            Thread child = new Thread(res, parent.pid, c >= 0 && e.has(c) ? e.asString(c) : parent.comm,
                    parent.cwd, parent.proc);
            child.container = parent.container;
            threads.put(res, child);
            return;
        }
        if (res != 0) {
            return;
        }
        int c = e.paramIndex("comm"), pid = e.paramIndex("pid"), ptid = e.paramIndex("ptid"), fl = e.paramIndex("flags");
        boolean thread = fl >= 0 && (e.asLong(fl, 0) & PPM_CL_CLONE_THREAD) != 0;
        Thread parent = ptid >= 0 ? threads.get(e.asLong(ptid, -1)) : null;
        if (c >= 0 && e.has(c)) {
            t.comm = e.asString(c);
        } else if (parent != null) {
            t.comm = parent.comm;
        }
        if (pid >= 0 && e.has(pid)) {
            t.pid = e.asLong(pid, t.tid);
        }
        int cwd = e.paramIndex("cwd");
        if (cwd >= 0 && e.has(cwd)) {
            t.cwd = e.asString(cwd);
        }
        String container = containerOf(e);
        t.container = container != null ? container : parent != null ? parent.container : t.container;
        if (thread && parent != null) {
            t.proc = parent.proc;
        } else if (parent != null && t.proc.fds.isEmpty()) {
            parent.proc.fds.forEach((k, v) -> t.proc.fds.put(k, v.copy()));
        }
    }

    private static String basename(String exe) {
        int s = exe.lastIndexOf('/');
        return s >= 0 ? exe.substring(s + 1) : exe;
    }
}
