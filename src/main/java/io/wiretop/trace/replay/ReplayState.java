// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.ProcEvent;
import io.wiretop.model.ProcStat;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.model.ProcessScan;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFd;
import io.wiretop.trace.scap.ScapSection;
import io.wiretop.trace.scap.ScapThread;
import io.wiretop.trace.scap.ScapUser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine as a capture describes it, event after event, kept the way libsinsp keeps it: the
 * threads and processes of the process list, changed by clone, execve and procexit events, and an
 * fd table per process, which {@link ReplayFds} changes as fds are made, named and closed. Each
 * event is also counted ({@link ReplayCounters}) on the fd the libsinsp rules give it: an enter
 * event's fd parameter, and for an exit the fd of the preceding enter of the same thread.
 * <p>Threads share their process's fd table (CLONE_FILES, the common case). Not thread-safe.
 */
final class ReplayState {
    static final int PROCINFO = 234;
    /** The scheduler switch event, which csysdig's Processes view filters out. */
    private static final int SWITCH = 152;
    private static final int PPM_CL_CLONE_THREAD = 8192;
    private static final long EINPROGRESS = 115;
    /** clock ticks of the synthetic process start times (USER_HZ). */
    private static final long TICK_NANOS = 10_000_000L;
    private static final int DEPARTED = 4096;

    /** A thread: its process and the enter event its exit pairs with. */
    private static final class Thread {
        final long tid;
        Proc proc;
        /** The id of the enter event its next exit pairs with, -1 for none. */
        int lastEnterType = -1;
        /** That enter, for the exits that read it ({@link EventKinds#exitReadsEnter}); a buffer reused per thread. */
        ScapEvent lastEnter;
        boolean enterKept;
        long lastFd = -1;
        /** CPU ticks since the thread's first procinfo: csysdig's CPU is the difference between consecutive ones. */
        long cpuTicks;
        long cpuAtFirstProcinfo = -1;

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
        /** Its container's short id as the live tables show it (from its cgroups), or "host". */
        String container = "host";
        long vmSizeKb, vmRssKb;
        /**
         * The highest VIRT and RES this process had at the events of its main thread this interval:
         * csysdig's VIRT and RES are thread.vmsize/vmrss, MAX over the events of its sample and the
         * value at the sample's end; only the main thread has them (other threads' are 0, though
         * their mmaps change the process's), and switch events are filtered out of the view.
         */
        long peakVmSizeKb, peakVmRssKb;
        int peakThreads;
        long deadCpuTicks;
        final Map<Long, Thread> threads = new LinkedHashMap<>();
        final Map<Long, ReplayFd> fds = new HashMap<>();
        final ReplayCounters.Slots sysSlots = new ReplayCounters.Slots();

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

        /** An event of this process that csysdig's Processes view sees. */
        void seen() {
            peakVmSizeKb = Math.max(peakVmSizeKb, vmSizeKb);
            peakVmRssKb = Math.max(peakVmRssKb, vmRssKb);
        }

        ProcStat stat() {
            long cpu = deadCpuTicks;
            for (Thread t : threads.values()) {
                cpu += t.cpuTicks;
            }
            return new ProcStat(pid, comm, ppid, cpu, Math.max(peakThreads, threads.size()), id.startTicks(),
                    Math.max(peakVmSizeKb, vmSizeKb) * 1024,
                    Math.max(peakVmRssKb, vmRssKb) * 1024 / ProcStat.PAGE_BYTES);
        }
    }

    private final LongMap<Thread> threads = new LongMap<>();
    private final Map<Long, Proc> live = new LinkedHashMap<>();
    private final Map<ProcessId, Proc> departed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ProcessId, Proc> eldest) {
            return size() > DEPARTED;
        }
    };
    private final Map<Long, Long> lastStart = new HashMap<>();
    private final Map<Long, String> users = new HashMap<>();
    private final ReplayFds fds;
    private final ReplayCounters counters;
    private final long firstTs;
    private final List<ProcEvent> events = new ArrayList<>();
    private final List<Proc> exitedNow = new ArrayList<>();

    /** The state before the first event: the section's process list, fd lists and users. */
    ReplayState(ScapSection head, long firstTs, ReplayCounters counters) {
        this.firstTs = firstTs;
        this.counters = counters;
        this.fds = new ReplayFds(counters, head.interfaces());
        load(head, firstTs, true);
    }

    /**
     * A new section (captures concatenated with cat): as in libsinsp its process list and fd lists
     * replace the old ones, so every process of the old section exits now and the new section's
     * processes are new ones (a pid in both is two processes).
     */
    void newSection(ScapSection head, long ts) {
        for (Proc p : new ArrayList<>(live.values())) {
            live.remove(p.pid);
            retire(p, ts);
        }
        threads.clear();
        users.clear();
        fds.interfaces(head.interfaces());
        load(head, ts, false);
    }

    private void load(ScapSection head, long ts, boolean first) {
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
                if (first) {
                    p = new Proc(t.pid(), 0); // alive before the capture: start time 0, before any event-born process
                    live.put(p.pid, p);
                    lastStart.put(p.pid, 0L);
                } else {
                    p = newProc(t.pid(), ts);
                }
                p.ppid = t.ptid();
                p.comm = t.comm();
                p.exe = t.exe();
                p.args = t.args();
                p.cwd = t.cwd();
                p.uid = t.uid();
                p.container = container(t.cgroups(), "host");
                p.vm(t.vmSizeKb(), t.vmRssKb());
                List<ScapFd> held = head.fds().get(t.pid());
                if (held != null) {
                    for (ScapFd f : held) {
                        p.fds.put(f.fd(), fds.fromList(f));
                    }
                }
            }
            p.threads.put(t.tid(), new Thread(t.tid(), p));
            p.peakThreads = p.threads.size();
            threads.put(t.tid(), p.threads.get(t.tid()));
        }
    }

    // ---------------------------------------------------------------- folding

    /** Applies one event to the tables and counts it. */
    void fold(ScapEvent e) {
        if (e.type() == PROCINFO) {
            Thread t = threads.get(e.tid());
            if (t != null) {
                long total = e.asLong(0, 0) + e.asLong(1, 0); // since the thread started, not since the capture
                if (t.cpuAtFirstProcinfo < 0) {
                    t.cpuAtFirstProcinfo = total;
                }
                t.cpuTicks = total - t.cpuAtFirstProcinfo;
            }
            return;
        }
        int type = e.type();
        int kind = EventKinds.KIND[type];
        boolean isEnter = e.enter();
        if (!isEnter && kind == EventKinds.CLONE) {
            clone(e);
            Thread ct = threads.get(e.tid());
            if (ct != null && ct.tid == ct.proc.pid) {
                ct.proc.seen();
            }
            return;
        }
        Thread t = thread(e.tid(), e.timestamp());
        vm(t.proc, e); // brk, mmap, munmap, switch... carry the memory of their process
        if (type != SWITCH && t.tid == t.proc.pid) {
            t.proc.seen();
        }
        if (isEnter) {
            t.lastEnterType = type;
            t.enterKept = EventKinds.exitReadsEnter(type);
            if (t.enterKept) {
                t.lastEnter = e.copy(t.lastEnter);
            }
            t.lastFd = EventKinds.FD_FIRST[type] && e.has(0) ? e.asLong(0, -1) : -1;
            if (kind == EventKinds.PROCEXIT) {
                exitThread(t, e.timestamp());
            } else if (t.lastFd >= 0) {
                count(t.proc, t.lastFd, e, false, 0);
            }
            return;
        }
        boolean paired = t.lastEnterType >= 0 && t.lastEnterType == type - 1;
        ScapEvent enter = paired && t.enterKept ? t.lastEnter : null;
        long fd = paired ? t.lastFd : -1;
        t.lastEnterType = -1;
        t.lastFd = -1;
        long res = e.asLong(0, 0);
        Proc p = t.proc;
        switch (kind) {
            case EventKinds.EXEC -> exec(t, e, res);
            case EventKinds.SOCKET -> {
                if (res >= 0 && enter != null) {
                    fds.put(p.fds, res, fds.newSocket(enter));
                }
            }
            case EventKinds.BIND -> fds.bind(p.fds, fd, e, res);
            case EventKinds.CONNECT -> {
                if (res >= 0 || res == -EINPROGRESS) {
                    fds.renameFromTuple(p.fds, fd, e.asTuple(1), true, true);
                }
            }
            case EventKinds.ACCEPT -> {
                fd = res;
                if (res >= 0) {
                    fds.accept(p.fds, res, e.asTuple(1));
                }
            }
            case EventKinds.SEND -> {
                if (res >= 0 && enter != null) {
                    fds.renameFromTuple(p.fds, fd, enter.asTuple(2), true, false);
                }
            }
            case EventKinds.RECVFROM -> {
                if (res >= 0) {
                    fds.renameFromTuple(p.fds, fd, e.asTuple(2), false, false);
                }
            }
            case EventKinds.RECVMSG -> {
                if (res >= 0) {
                    fds.renameFromTuple(p.fds, fd, e.asTuple(3), false, false);
                }
            }
            case EventKinds.OPEN -> fds.open(p.fds, p.cwd, e, enter, res);
            case EventKinds.DUP -> {
                if (res >= 0 && fd >= 0) {
                    fds.dup(p.fds, fd, res);
                }
            }
            case EventKinds.PIPE -> {
                if (res >= 0) {
                    fds.put(p.fds, e.asLong(1, -1), ReplayFd.OTHER);
                    fds.put(p.fds, e.asLong(2, -1), ReplayFd.OTHER);
                }
            }
            case EventKinds.NEWFD -> {
                if (res >= 0) {
                    fds.put(p.fds, res, ReplayFd.OTHER);
                }
            }
            default -> {
            }
        }
        if (fd >= 0) {
            count(p, fd, e, true, res);
        }
        if (kind == EventKinds.CLOSE && res >= 0 && fd >= 0) {
            fds.remove(p.fds, fd);
        }
        syscall(p, e, res);
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
        int io = EventKinds.IO[e.type()];
        boolean read = io == EventKinds.IO_READ;
        boolean moved = exit && res >= 0 && io != EventKinds.IO_OTHER;
        long in = moved && read ? res : 0, out = moved && !read ? res : 0;
        if (f.kind == ReplayFd.Kind.INET) {
            if (f.socket.named()) {
                counters.net(p.id, f.socket, in, out, read ? 1 : 0, read ? 0 : 1);
            }
        } else {
            counters.file(p.id, f, fds.fileId(f), in, out, 1);
        }
    }

    /** One syscall per exit event, by the syscall's name (a generic event names it in its ID). */
    private void syscall(Proc p, ScapEvent e, long res) {
        int nr = EventKinds.syscallNumber(e);
        if (nr < 0) {
            return;
        }
        boolean signed = EventKinds.ERRNO_FIRST[e.type()];
        long err = signed && res < 0 && res > -4096 ? -res : 0;
        counters.syscall(p.id, p.sysSlots, nr, (int) err);
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
        int type = e.type();
        long flags = e.asLong(EventKinds.FLAGS[type], 0);
        boolean isThread = (flags & PPM_CL_CLONE_THREAD) != 0;
        if (res > 0) {
            Thread parent = thread(e.tid(), e.timestamp());
            parent.lastEnterType = -1;
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
                c.container = pp.container;
                // libsinsp gives the child the memory this exit carries (the caller's after the
                // clone), not the parent's last figure; the parent's own figure is left as it was
                c.vm(pp.vmSizeKb, pp.vmRssKb);
                vm(c, e);
                inherit(pp, c);
                addThread(c, res);
                fork(c, e.timestamp());
            }
            return;
        }
        long tid = e.tid();
        if (threads.containsKey(tid)) {
            Thread t = threads.get(tid);
            t.lastEnterType = -1;
            syscall(t.proc, e, res);
            return;
        }
        long pid = e.asLong(EventKinds.PID[type], tid);
        long ptid = e.asLong(EventKinds.PTID[type], -1);
        Thread parent = threads.get(ptid);
        Proc c = isThread ? live.get(pid) : null;
        if (c == null) {
            c = newProc(pid, e.timestamp());
            c.ppid = parent != null ? parent.proc.pid : ptid;
            c.exe = e.asString(EventKinds.EXE[type]);
            c.args = e.asStrings(EventKinds.ARGS[type]);
            int ci = EventKinds.COMM[type];
            c.comm = ci >= 0 && e.has(ci) ? e.asString(ci) : basename(c.exe);
            c.cwd = e.asString(EventKinds.CWD[type]);
            c.uid = e.asLong(EventKinds.UID[type], -1);
            c.container = container(e, parent != null ? parent.proc.container : "host");
            c.vm(e.asLong(EventKinds.VM_SIZE[type], 0), e.asLong(EventKinds.VM_RSS[type], 0));
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

    /** A container's short id from a capture's cgroup items (host.ContainerIds), else {@code otherwise}. */
    private static String container(List<String> cgroups, String otherwise) {
        String id = io.wiretop.host.ContainerIds.ofItems(cgroups);
        return id == null ? otherwise : io.wiretop.host.ContainerIds.shortId(id);
    }

    /** The container a clone or execve exit's cgroups name, else {@code otherwise} (no cgroups param). */
    private static String container(ScapEvent e, String otherwise) {
        int c = e.paramIndex("cgroups");
        return c >= 0 && e.has(c) ? container(e.asStrings(c), "host") : otherwise;
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
        int type = e.type();
        int ci = EventKinds.COMM[type];
        p.comm = ci >= 0 && e.has(ci) ? e.asString(ci) : basename(p.exe);
        int cwd = EventKinds.CWD[type];
        if (e.has(cwd)) {
            p.cwd = e.asString(cwd);
        }
        p.container = container(e, p.container);
        long ptid = e.asLong(EventKinds.PTID[type], -1);
        if (p.ppid < 0 && ptid >= 0) {
            Thread parent = threads.get(ptid);
            p.ppid = parent != null ? parent.proc.pid : ptid;
        }
        events.add(new ProcEvent(ProcEvent.EXEC, p.pid, p.ppid, p.uid, p.id.startTicks(), e.timestamp(), 0, p.comm,
                p.exeline()));
    }

    private static void vm(Proc p, ScapEvent e) {
        int size = EventKinds.VM_SIZE[e.type()], rss = EventKinds.VM_RSS[e.type()];
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
            fds.release(f);
        }
        p.fds.clear();
        departed.put(p.id, p);
        exitedNow.add(p);
        events.add(new ProcEvent(ProcEvent.EXIT, p.pid, p.ppid, p.uid, p.id.startTicks(), ts, 0, p.comm, ""));
    }

    /** The path of a file id of {@link ReplayCounters#sample()}, or null. */
    String filePath(long id) {
        return fds.filePath(id);
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
     * are, so their last row shows what they were). VIRT and RES are the highest values at the main
     * thread's events and at the end (csysdig's MAX of thread.vmsize/vmrss; a peak another thread's
     * mmap made and undid is not shown); threads are this interval's peak, as csysdig's TH, MAX over its sample,
     * still counts a thread that exited. Starts the next interval's peaks.
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
            p.peakVmSizeKb = 0;
            p.peakVmRssKb = 0;
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
        return new ProcessInfo(p.comm, p.exeline(), p.ppid, p.uid, userName(p.uid), p.container);
    }

    /** The user list's name of a uid, "" when the capture does not name it (csysdig shows it blank). */
    String userName(long uid) {
        return users.getOrDefault(uid, "");
    }
}
