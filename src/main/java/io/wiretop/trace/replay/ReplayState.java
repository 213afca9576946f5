// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.ProcEvent;
import io.wiretop.model.ProcStat;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.model.ProcessScan;
import io.wiretop.model.SyscallNames;
import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFd;
import io.wiretop.trace.scap.ScapInterface;
import io.wiretop.trace.scap.ScapSection;
import io.wiretop.trace.scap.ScapSocket;
import io.wiretop.trace.scap.ScapThread;
import io.wiretop.trace.scap.ScapUser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine as a capture describes it, event after event, kept the way libsinsp keeps it: the
 * threads and processes of the process list, changed by clone, execve and procexit events; an fd
 * table per process from the fd lists, changed by socket, bind, connect, accept, open, dup, pipe and
 * close events and by the tuples of UDP sends and receives. Each event is also counted
 * ({@link ReplayCounters}) on the fd the libsinsp rules give it: an enter event's fd parameter, and
 * for an exit the fd of the preceding enter of the same thread.
 * <p>Threads share their process's fd table (CLONE_FILES, the common case). Not thread-safe.
 */
final class ReplayState {
    static final int PROCINFO = 234;
    private static final int PPM_CL_CLONE_THREAD = 8192;
    private static final int PPM_O_DIRECTORY = 1024;
    private static final long EINPROGRESS = 115;
    private static final long AT_FDCWD = -100;
    /** clock ticks of the synthetic process start times (USER_HZ). */
    private static final long TICK_NANOS = 10_000_000L;
    private static final int DEPARTED = 4096;

    /** A thread: its process and the enter event its exit pairs with. */
    private static final class Thread {
        final long tid;
        Proc proc;
        ScapEvent lastEnter;
        long lastFd = -1;
        long cpuTicks;

        Thread(long tid, Proc proc) {
            this.tid = tid;
            this.proc = proc;
        }
    }

    /** A process (thread group): what its main thread says, and the peaks of this interval. */
    private static final class Proc {
        final long pid;
        final ProcessId id;
        long ppid;
        String comm, exe, cwd;
        List<String> args;
        long uid;
        long vmSizeKb, vmRssKb;
        int peakThreads;
        long deadCpuTicks;
        final Map<Long, Thread> threads = new LinkedHashMap<>();
        final Map<Long, ReplayFd> fds = new HashMap<>();

        Proc(long pid, long startTicks) {
            this.pid = pid;
            this.id = new ProcessId(pid, startTicks);
        }

        /** csysdig's proc.exeline: the exe, a space, the args joined by spaces. */
        String exeline() {
            return exe + " " + String.join(" ", args);
        }

        void vm(long sizeKb, long rssKb) {
            vmSizeKb = sizeKb;
            vmRssKb = rssKb;
        }

        ProcStat stat() {
            long cpu = deadCpuTicks;
            for (Thread t : threads.values()) {
                cpu += t.cpuTicks;
            }
            return new ProcStat(pid, comm, ppid, cpu, Math.max(peakThreads, threads.size()), id.startTicks(),
                    vmSizeKb * 1024, vmRssKb * 1024 / ProcStat.PAGE_BYTES);
        }
    }

    private final Map<Long, Thread> threads = new HashMap<>();
    private final Map<Long, Proc> live = new LinkedHashMap<>();
    private final Map<ProcessId, Proc> departed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ProcessId, Proc> eldest) {
            return size() > DEPARTED;
        }
    };
    private final Map<Long, Long> lastStart = new HashMap<>();
    private final Map<Long, String> users = new HashMap<>();
    private final List<ScapInterface> interfaces;
    private final Map<String, Long> fileIds = new HashMap<>();
    private final List<String> filePaths = new ArrayList<>(List.of(""));
    private final ReplayCounters counters;
    private final long firstTs;
    private final List<ProcEvent> events = new ArrayList<>();
    private final List<Proc> exitedNow = new ArrayList<>();
    private long cookies;

    /** The state before the first event: the section's process list, fd lists and users. */
    ReplayState(ScapSection head, long firstTs, ReplayCounters counters) {
        this.firstTs = firstTs;
        this.counters = counters;
        this.interfaces = head.interfaces();
        for (ScapUser u : head.users()) {
            if (!u.group()) {
                users.putIfAbsent(u.uid(), u.name());
            }
        }
        // main threads first, so that a process takes its names from its main thread
        List<ScapThread> list = new ArrayList<>(head.threads());
        list.sort((a, b) -> Boolean.compare(a.tid() != a.pid(), b.tid() != b.pid()));
        for (ScapThread t : list) {
            Proc p = live.get(t.pid());
            if (p == null) {
                p = new Proc(t.pid(), 0); // alive before the capture: start time 0, before any event-born process
                p.ppid = t.ptid();
                p.comm = t.comm();
                p.exe = t.exe();
                p.args = t.args();
                p.cwd = t.cwd();
                p.uid = t.uid();
                p.vm(t.vmSizeKb(), t.vmRssKb());
                live.put(p.pid, p);
                lastStart.put(p.pid, 0L);
                List<ScapFd> fds = head.fds().get(t.pid());
                if (fds != null) {
                    for (ScapFd f : fds) {
                        p.fds.put(f.fd(), fromList(f));
                    }
                }
            }
            p.threads.put(t.tid(), new Thread(t.tid(), p));
            p.peakThreads = p.threads.size();
            threads.put(t.tid(), p.threads.get(t.tid()));
        }
    }

    private ReplayFd fromList(ScapFd f) {
        ScapSocket s = f.socket();
        switch (f.type()) {
            case 1, 16:
                return f.name().startsWith("/") ? ReplayFd.file(f.name()) : ReplayFd.OTHER;
            case 3, 4:
                if (s == null || s.source() == null || s.dest() == null) {
                    return ReplayFd.OTHER;
                }
                ReplayFd.Socket sock = socket(s.family(), s.l4proto() == 3 ? 17 : s.l4proto() == 2 ? 6 : 0);
                name(sock, s.source(), s.sourcePort(), s.dest(), s.destPort(), true);
                return ReplayFd.inet(sock);
            case 5, 6:
                if (s == null || s.source() == null) {
                    return ReplayFd.OTHER;
                }
                ReplayFd.Socket srv = socket(s.family(), s.l4proto() == 3 ? 17 : s.l4proto() == 2 ? 6 : 0);
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

    // ---------------------------------------------------------------- folding

    /** Applies one event to the tables and counts it. */
    void fold(ScapEvent e) {
        if (e.type() == PROCINFO) {
            Thread t = threads.get(e.tid());
            if (t != null) {
                t.cpuTicks = e.asLong(0, 0) + e.asLong(1, 0);
            }
            return;
        }
        String name = e.info().name();
        if (!e.enter() && isClone(name)) {
            clone(e);
            return;
        }
        Thread t = thread(e.tid(), e.timestamp());
        vm(t.proc, e); // brk, mmap, munmap, switch... carry the memory of their process
        if (e.enter()) {
            t.lastEnter = e.copy();
            t.lastFd = e.paramType(0) == ParamType.FD && e.has(0) ? e.asLong(0, -1) : -1;
            if (name.equals("procexit")) {
                exitThread(t, e.timestamp());
            } else if (t.lastFd >= 0) {
                count(t.proc, t.lastFd, e, false, 0);
            }
            return;
        }
        ScapEvent enter = t.lastEnter != null && t.lastEnter.type() == e.type() - 1 ? t.lastEnter : null;
        long fd = enter != null ? t.lastFd : -1;
        t.lastEnter = null;
        t.lastFd = -1;
        long res = e.asLong(0, 0);
        Proc p = t.proc;
        switch (name) {
            case "execve", "execveat" -> exec(t, e, res);
            case "socket" -> {
                if (res >= 0 && enter != null) {
                    p.fds.put(res, newSocket(enter));
                }
            }
            case "bind" -> bind(p, fd, e, res);
            case "connect" -> {
                if (res >= 0 || res == -EINPROGRESS) {
                    renameFromTuple(p, fd, e.asTuple(1), true, true);
                }
            }
            case "accept" -> {
                fd = res;
                if (res >= 0) {
                    accept(p, res, e.asTuple(1));
                }
            }
            case "sendto", "sendmsg" -> {
                if (res >= 0 && enter != null) {
                    renameFromTuple(p, fd, enter.asTuple(2), true, false);
                }
            }
            case "recvfrom" -> {
                if (res >= 0) {
                    renameFromTuple(p, fd, e.asTuple(2), false, false);
                }
            }
            case "recvmsg" -> {
                if (res >= 0) {
                    renameFromTuple(p, fd, e.asTuple(3), false, false);
                }
            }
            case "open", "creat", "openat", "openat2" -> open(t, e, enter, res);
            case "dup" -> {
                if (res >= 0 && fd >= 0) {
                    dup(p, fd, res);
                }
            }
            case "pipe", "socketpair" -> {
                if (res >= 0) {
                    put(p, e.asLong(1, -1), ReplayFd.OTHER);
                    put(p, e.asLong(2, -1), ReplayFd.OTHER);
                }
            }
            case "eventfd", "signalfd", "timerfd_create", "inotify_init" -> {
                if (res >= 0) {
                    put(p, res, ReplayFd.OTHER);
                }
            }
            default -> {
            }
        }
        if (fd >= 0) {
            count(p, fd, e, true, res);
        }
        if (name.equals("close") && res >= 0 && fd >= 0) {
            remove(p, fd);
        }
        syscall(p, e, res);
    }

    private static boolean isClone(String name) {
        return name.equals("clone") || name.equals("fork") || name.equals("vfork") || name.equals("clone3");
    }

    /**
     * csysdig's counting rules (csysdig-behaviour.md §6): every event on a named IP socket is one of
     * its events (IOPS); an exit of the read or write category returning n ≥ 0 moved n bytes (NET,
     * BPS IN/OUT). Files likewise (FILE). The value of other I/O-category exits (close, fcntl,
     * ioctl) is not a byte count and is not counted as one (csysdig does, §11.4).
     */
    private void count(Proc p, long fd, ScapEvent e, boolean exit, long res) {
        ReplayFd f = p.fds.get(fd);
        if (f == null || f.kind == ReplayFd.Kind.OTHER || f.kind == ReplayFd.Kind.SERVER) {
            return;
        }
        String cat = e.info().category();
        boolean read = cat.equals("EC_IO_READ");
        boolean moved = exit && res >= 0 && (read || cat.equals("EC_IO_WRITE"));
        long in = moved && read ? res : 0, out = moved && !read ? res : 0;
        if (f.kind == ReplayFd.Kind.INET) {
            if (f.socket.named()) {
                counters.net(p.id, f.socket, in, out, read ? 1 : 0, read ? 0 : 1);
            }
        } else {
            counters.file(p.id, fileId(f.path), in, out, 1);
        }
    }

    /** One syscall per exit event, by the syscall's name (a generic event names it in its ID). */
    private void syscall(Proc p, ScapEvent e, long res) {
        int nr = SyscallNames.number(e.name());
        if (nr < 0) {
            return;
        }
        ParamType t = e.paramType(0);
        boolean signed = t == ParamType.ERRNO || t == ParamType.FD || t == ParamType.PID;
        long err = signed && res < 0 && res > -4096 ? -res : 0;
        counters.syscall(p.id, nr, (int) err);
    }

    // ---------------------------------------------------------------- threads and processes

    /** The thread, or a new process for a thread the capture never introduced (sinsp's "<NA>"). */
    private Thread thread(long tid, long ts) {
        Thread t = threads.get(tid);
        if (t == null) {
            Proc p = newProc(tid, ts);
            p.ppid = -1;
            p.comm = "<NA>";
            p.exe = "<NA>";
            p.args = List.of();
            p.cwd = "";
            p.uid = -1;
            t = addThread(p, tid);
        }
        return t;
    }

    private Proc newProc(long pid, long ts) {
        long ticks = Math.max(1, (ts - firstTs) / TICK_NANOS + 1);
        Long prev = lastStart.get(pid);
        if (prev != null && ticks <= prev) {
            ticks = prev + 1; // a pid reused within one tick: still a new ProcessId
        }
        lastStart.put(pid, ticks);
        Proc p = new Proc(pid, ticks);
        Proc old = live.put(pid, p);
        if (old != null) {
            retire(old, ts); // its exit was not captured: the pid now names the new process
        }
        return p;
    }

    private Thread addThread(Proc p, long tid) {
        Thread t = new Thread(tid, p);
        p.threads.put(tid, t);
        p.peakThreads = Math.max(p.peakThreads, p.threads.size());
        threads.put(tid, t);
        return t;
    }

    /**
     * A clone/fork/vfork exit. The parent's (res = child tid) and the child's (res 0) come in either
     * order; the first one seen creates the child. The parent's describes the parent, so a child
     * made from it takes the parent's names; the child's describes the child.
     */
    private void clone(ScapEvent e) {
        long res = e.asLong(0, -1);
        if (res < 0) {
            thread(e.tid(), e.timestamp());
            return;
        }
        long flags = e.asLong(e.paramIndex("flags"), 0);
        boolean isThread = (flags & PPM_CL_CLONE_THREAD) != 0;
        if (res > 0) {
            Thread parent = thread(e.tid(), e.timestamp());
            parent.lastEnter = null;
            syscall(parent.proc, e, res);
            if (threads.containsKey(res)) {
                return;
            }
            Proc pp = parent.proc;
            if (isThread) {
                addThread(pp, res);
            } else {
                Proc c = newProc(res, e.timestamp());
                c.ppid = pp.pid;
                c.comm = pp.comm;
                c.exe = pp.exe;
                c.args = pp.args;
                c.cwd = pp.cwd;
                c.uid = pp.uid;
                c.vm(pp.vmSizeKb, pp.vmRssKb);
                inherit(pp, c);
                addThread(c, res);
                fork(c, e.timestamp());
            }
            return;
        }
        long tid = e.tid();
        if (threads.containsKey(tid)) {
            Thread t = threads.get(tid);
            t.lastEnter = null;
            syscall(t.proc, e, res);
            return;
        }
        long pid = e.asLong(e.paramIndex("pid"), tid);
        long ptid = e.asLong(e.paramIndex("ptid"), -1);
        Thread parent = threads.get(ptid);
        Proc c = isThread ? live.get(pid) : null;
        if (c == null) {
            c = newProc(pid, e.timestamp());
            c.ppid = parent != null ? parent.proc.pid : ptid;
            c.exe = e.asString(e.paramIndex("exe"));
            c.args = e.asStrings(e.paramIndex("args"));
            int ci = e.paramIndex("comm");
            c.comm = ci >= 0 && e.has(ci) ? e.asString(ci) : basename(c.exe);
            c.cwd = e.asString(e.paramIndex("cwd"));
            c.uid = e.asLong(e.paramIndex("uid"), -1);
            c.vm(e.asLong(e.paramIndex("vm_size"), 0), e.asLong(e.paramIndex("vm_rss"), 0));
            if (parent != null) {
                inherit(parent.proc, c);
            }
            addThread(c, tid);
            fork(c, e.timestamp());
        } else {
            addThread(c, tid);
        }
        syscall(c, e, res);
    }

    /** A forked child starts with its parent's fds (the same sockets: one cookie, counted per process). */
    private static void inherit(Proc parent, Proc child) {
        parent.fds.forEach((fd, f) -> {
            if (f.socket != null) {
                f.socket.refs++;
            }
            child.fds.put(fd, f);
        });
    }

    private void fork(Proc c, long ts) {
        events.add(new ProcEvent(ProcEvent.FORK, c.pid, c.ppid, c.uid, c.id.startTicks(), ts, 0, c.comm,
                c.exeline()));
    }

    private void exec(Thread t, ScapEvent e, long res) {
        if (res < 0) {
            return;
        }
        Proc p = t.proc;
        p.exe = e.asString(1);
        p.args = e.asStrings(2);
        int ci = e.paramIndex("comm");
        p.comm = ci >= 0 && e.has(ci) ? e.asString(ci) : basename(p.exe);
        int cwd = e.paramIndex("cwd");
        if (e.has(cwd)) {
            p.cwd = e.asString(cwd);
        }
        long ptid = e.asLong(e.paramIndex("ptid"), -1);
        if (p.ppid < 0 && ptid >= 0) {
            Thread parent = threads.get(ptid);
            p.ppid = parent != null ? parent.proc.pid : ptid;
        }
        events.add(new ProcEvent(ProcEvent.EXEC, p.pid, p.ppid, p.uid, p.id.startTicks(), e.timestamp(), 0, p.comm,
                p.exeline()));
    }

    private static void vm(Proc p, ScapEvent e) {
        int size = e.paramIndex("vm_size"), rss = e.paramIndex("vm_rss");
        if (e.has(size) && e.has(rss)) {
            p.vm(e.asLong(size, 0), e.asLong(rss, 0));
        }
    }

    private void exitThread(Thread t, long ts) {
        Proc p = t.proc;
        threads.remove(t.tid);
        p.threads.remove(t.tid);
        p.deadCpuTicks += t.cpuTicks;
        if (p.threads.isEmpty() && live.get(p.pid) == p) {
            live.remove(p.pid);
            retire(p, ts);
        }
    }

    /** The process is gone: its fds close, its last row is shown at the end of this interval. */
    private void retire(Proc p, long ts) {
        for (Thread t : p.threads.values()) {
            threads.remove(t.tid);
        }
        for (ReplayFd f : p.fds.values()) {
            release(f);
        }
        p.fds.clear();
        departed.put(p.id, p);
        exitedNow.add(p);
        events.add(new ProcEvent(ProcEvent.EXIT, p.pid, p.ppid, p.uid, p.id.startTicks(), ts, 0, p.comm, ""));
    }

    // ---------------------------------------------------------------- fds

    private ReplayFd newSocket(ScapEvent enter) {
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

    private void bind(Proc p, long fd, ScapEvent e, long res) {
        ReplayFd f = p.fds.get(fd);
        ScapSocket a = e.asAddress(1);
        if (res < 0 || f == null || f.socket == null || a == null || a.source() == null) {
            return;
        }
        // libsinsp makes a bound socket a server socket, out of the Connections view until connected
        f.socket.laddr = a.source();
        f.socket.lport = a.sourcePort();
        if (f.kind == ReplayFd.Kind.INET && !f.socket.named()) {
            p.fds.put(fd, ReplayFd.server(f.socket));
        }
    }

    private void accept(Proc p, long fd, ScapSocket tuple) {
        if (tuple == null || tuple.source() == null || tuple.dest() == null) {
            put(p, fd, ReplayFd.OTHER);
            return;
        }
        ReplayFd.Socket s = socket(tuple.family(), 6);
        s.passive = true;
        s.refs = 1;
        // an accepted socket's tuple starts with the peer
        name(s, tuple.dest(), tuple.destPort(), tuple.source(), tuple.sourcePort(), true);
        put(p, fd, ReplayFd.inet(s));
    }

    /**
     * Names a socket from an event's tuple as libsinsp does: the local end is always taken, the
     * remote one only while unknown or on connect (a UDP socket connected again elsewhere keeps
     * its name in 0.29.3, test_ipv6_client.scap). A local address of all zeros (a UDP send before
     * the kernel chose a source) becomes the interface address libsinsp would pick.
     */
    private void renameFromTuple(Proc p, long fd, ScapSocket tuple, boolean outbound, boolean connect) {
        ReplayFd f = p.fds.get(fd);
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
            p.fds.put(fd, ReplayFd.inet(s));
        }
        s.family = tuple.family();
        boolean keepRemote = s.named() && s.raddr != null && !zero(s.raddr) && s.rport != 0 && !connect;
        // 0.29.3 keeps the remote end of a socket already connected by connect (see the javadoc)
        if (s.named() && s.connected && connect) {
            keepRemote = true;
        }
        name(s, zero(l) ? localFor(r) : l, lp, keepRemote ? s.raddr : r, keepRemote ? s.rport : rp, false);
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

    private byte[] localFor(byte[] remote) {
        if (isLoopback(remote)) {
            return remote;
        }
        for (ScapInterface i : interfaces) {
            if (i.address() != null && i.address().length == remote.length && !isLoopback(i.address())) {
                return i.address();
            }
        }
        return remote.clone();
    }

    private static boolean isLoopback(byte[] a) {
        if (a.length == 4) {
            return a[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }

    private static boolean zero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private void open(Thread t, ScapEvent e, ScapEvent enter, long res) {
        if (res < 0) {
            return;
        }
        int ni = e.paramIndex("name");
        String path = ni >= 0 && e.has(ni) ? e.asString(ni) : "";
        long flags = e.asLong(e.paramIndex("flags"), 0);
        long dirfd = e.asLong(e.paramIndex("dirfd"), AT_FDCWD);
        if (path.isEmpty() && enter != null) { // openat exit of old drivers carries only the fd
            int ei = enter.paramIndex("name");
            path = ei >= 0 ? enter.asString(ei) : "";
            flags = enter.asLong(enter.paramIndex("flags"), 0);
            dirfd = enter.asLong(enter.paramIndex("dirfd"), AT_FDCWD);
        }
        if (e.info().name().equals("creat")) {
            flags = 0;
        }
        if ((flags & PPM_O_DIRECTORY) != 0 || path.isEmpty()) {
            put(t.proc, res, ReplayFd.OTHER);
            return;
        }
        if (!path.startsWith("/")) {
            ReplayFd dir = dirfd == AT_FDCWD ? null : t.proc.fds.get(dirfd);
            String base = dir != null && dir.path != null ? dir.path : t.proc.cwd;
            path = base == null || base.isEmpty() ? path : (base.endsWith("/") ? base : base + "/") + path;
        }
        put(t.proc, res, path.startsWith("/") ? ReplayFd.file(path) : ReplayFd.OTHER);
    }

    private void dup(Proc p, long from, long to) {
        ReplayFd f = p.fds.get(from);
        if (f == null) {
            remove(p, to);
            return;
        }
        if (f.socket != null) {
            f.socket.refs++;
        }
        ReplayFd old = p.fds.put(to, f);
        if (old != null) {
            release(old);
        }
    }

    private void put(Proc p, long fd, ReplayFd f) {
        if (fd < 0) {
            return;
        }
        ReplayFd old = p.fds.put(fd, f);
        if (old != null && old != f) {
            release(old);
        }
    }

    private void remove(Proc p, long fd) {
        ReplayFd old = p.fds.remove(fd);
        if (old != null) {
            release(old);
        }
    }

    private void release(ReplayFd f) {
        if (f.socket != null && --f.socket.refs <= 0 && f.socket.named()) {
            counters.closed(f.socket.cookie);
        }
    }

    private long fileId(String path) {
        return fileIds.computeIfAbsent(path, k -> {
            filePaths.add(k);
            return (long) filePaths.size() - 1;
        });
    }

    /** The path of a file id of {@link ReplayCounters#sample()}, or null. */
    String filePath(long id) {
        return id > 0 && id < filePaths.size() ? filePaths.get((int) id) : null;
    }

    private static String basename(String exe) {
        int slash = exe.lastIndexOf('/');
        return slash >= 0 ? exe.substring(slash + 1) : exe;
    }

    // ---------------------------------------------------------------- what the aggregator reads

    /** Process events since the last call. */
    List<ProcEvent> drainEvents() {
        List<ProcEvent> l = List.copyOf(events);
        events.clear();
        return l;
    }

    /**
     * The processes now, like a /proc scan, plus those that exited since the last scan (as zombies
     * are, so their last row shows what they were). VIRT and RES are the last values an event gave
     * (a transient peak, such as a thread's stack reservation, is not shown: csysdig shows the value
     * at the sample too); threads are this interval's peak, as csysdig's TH, MAX over its sample,
     * still counts a thread that exited. Starts the next interval's peak.
     */
    ProcessScan scan(boolean withThreads) {
        Map<ProcessId, ProcStat> procs = new LinkedHashMap<>();
        Map<ProcessId, List<ProcStat>> ths = withThreads ? new LinkedHashMap<>() : null;
        Set<Integer> listening = new HashSet<>();
        List<Proc> all = new ArrayList<>(live.values());
        all.addAll(exitedNow);
        for (Proc p : all) {
            procs.put(p.id, p.stat());
            if (ths != null) {
                List<ProcStat> l = new ArrayList<>();
                for (Thread t : p.threads.values()) {
                    l.add(new ProcStat(t.tid, p.comm, p.ppid, t.cpuTicks, 1, p.id.startTicks(), 0, 0));
                }
                ths.put(p.id, l);
            }
            for (ReplayFd f : p.fds.values()) {
                if (f.kind == ReplayFd.Kind.SERVER && f.socket.proto == 6) {
                    listening.add(f.socket.lport);
                }
            }
            p.peakThreads = p.threads.size();
        }
        exitedNow.clear();
        return new ProcessScan(procs, ths, listening);
    }

    /** The ids of the processes that exited since the last {@link #scan}. */
    Set<ProcessId> exitedIds() {
        Set<ProcessId> s = new HashSet<>();
        exitedNow.forEach(p -> s.add(p.id));
        return s;
    }

    /** Names and owner of a process alive or recently gone, or null. */
    ProcessInfo info(ProcessId id) {
        Proc p = live.get(id.pid());
        if (p == null || !p.id.equals(id)) {
            p = departed.get(id);
        }
        if (p == null) {
            return null;
        }
        return new ProcessInfo(p.comm, p.exeline(), p.ppid, p.uid, userName(p.uid), "host");
    }

    /** The user list's name of a uid, "" when the capture does not name it (csysdig shows it blank). */
    String userName(long uid) {
        return users.getOrDefault(uid, "");
    }
}
