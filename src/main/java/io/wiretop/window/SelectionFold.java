// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.decode.Ip;
import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFd;
import io.wiretop.trace.scap.ScapSection;
import io.wiretop.trace.scap.ScapSocket;
import io.wiretop.trace.scap.ScapThread;

import java.util.HashMap;
import java.util.Map;

/**
 * The little thread and fd state an event window needs, folded over the events of a capture: which
 * process each thread belongs to, its command, what each fd is called, and each thread's last enter
 * (its fd and time, which its exit pairs with). Kept apart from the replay's full fold
 * ({@code trace.replay.ReplayState}, which counts for the tables and is package-private there): a
 * window reads the file again on its own thread and must not share that fold's state.
 * <p>Names follow libsinsp's rules for the common cases (the fd lists of the capture, open/openat/
 * creat, socket, connect, accept, sendto/recvfrom tuples, dup, close); paths are taken as the event
 * gives them. Not thread-safe.
 */
public final class SelectionFold {
    private static final class Thread {
        long pid;
        String comm;
        long enterTs = -1;
        long enterFd = -1;
    }

    /** Events that happen inside a syscall without being one (libs' EF_SKIPPARSERESET ones). */
    private static final java.util.Set<String> NOT_SYSCALLS = java.util.Set.of("switch", "procinfo", "page_fault",
            "signaldeliver", "drop", "notification", "infra", "sysdigevent", "tracer");

    private final WindowSelection selection;
    private final Map<Long, Thread> threads = new HashMap<>();
    private final Map<Long, Map<Long, String>> fds = new HashMap<>();
    private long num;

    /** The state a section's process and fd lists describe. */
    public SelectionFold(WindowSelection selection, ScapSection head) {
        this.selection = selection;
        section(head);
    }

    private SelectionFold(WindowSelection selection) {
        this.selection = selection;
    }

    /**
     * The state of the live machine as a recording's head describes it (its process list and open
     * fds, {@code trace.scap.HostSnapshot}), for the live stream's events.
     */
    public static SelectionFold of(WindowSelection selection, ScapHead head) {
        SelectionFold f = new SelectionFold(selection);
        for (ScapHead.Thread t : head.threads()) {
            Thread th = new Thread();
            th.pid = t.pid();
            th.comm = t.comm();
            f.threads.put(t.tid(), th);
        }
        for (Map.Entry<Long, java.util.List<ScapHead.Fd>> e : head.fds().entrySet()) {
            Map<Long, String> table = f.table(e.getKey());
            for (ScapHead.Fd d : e.getValue()) {
                table.put(d.fd(), name(d));
            }
        }
        return f;
    }

    /** An fd-list entry's name as sysdig prints it: the path, or the socket's ends. */
    private static String name(ScapHead.Fd d) {
        if (d.sip() == null) {
            return d.name() == null ? "" : d.name();
        }
        String local = Ip.text(d.sip()) + ":" + d.sport();
        return d.dip() == null ? local : local + "->" + Ip.text(d.dip()) + ":" + d.dport();
    }

    /** A new section (concatenated captures) replaces the state, as in libsinsp. */
    public void section(ScapSection head) {
        threads.clear();
        fds.clear();
        for (ScapThread t : head.threads()) {
            Thread th = new Thread();
            th.pid = t.pid();
            th.comm = t.comm();
            threads.put(t.tid(), th);
        }
        for (Map.Entry<Long, java.util.List<ScapFd>> e : head.fds().entrySet()) {
            Map<Long, String> table = table(e.getKey());
            for (ScapFd f : e.getValue()) {
                table.put(f.fd(), f.socket() != null ? f.socket().text() : f.name());
            }
        }
    }

    /**
     * Applies one event (every event of the file, selected or not, in order: the state needs them all)
     * and returns it as a window event when it belongs to the selection, else null. State-only events
     * (dump flag 1) change the state and are never returned, as sysdig does not print them.
     */
    public WindowEvent apply(ScapEvent e) {
        num++;
        Thread t = thread(e.tid());
        long fd;
        long latency = -1;
        String before = "";
        if (e.enter() && NOT_SYSCALLS.contains(e.info().name())) {
            fd = -1; // a context switch inside a syscall: the syscall's enter still pairs with its exit
        } else if (e.enter()) {
            fd = e.paramType(0) == ParamType.FD && e.has(0) ? e.asLong(0, -1) : -1;
            t.enterTs = e.timestamp();
            t.enterFd = fd;
        } else {
            fd = t.enterFd;
            if (t.enterTs >= 0) {
                latency = e.timestamp() - t.enterTs;
            }
            before = fd >= 0 ? table(t.pid).getOrDefault(fd, "") : "";
            exit(t, e, fd);
            t.enterTs = -1;
            t.enterFd = -1;
            // an exit whose result is the fd it made (open, socket, accept) works on that fd
            if (fd < 0 && e.paramType(0) == ParamType.FD) {
                fd = e.asLong(0, -1);
            }
        }
        // a close's exit still names the fd it closed
        String name = fd >= 0 ? table(t.pid).getOrDefault(fd, before) : "";
        if ((e.dumpFlags() & 1) != 0 || !selection.matches(t.pid, fd, name)) {
            return null;
        }
        return new WindowEvent(e.copy(), num, t.pid, t.comm == null ? "" : t.comm, fd, name, latency);
    }

    private Thread thread(long tid) {
        Thread t = threads.get(tid);
        if (t == null) {
            t = new Thread();
            t.pid = tid; // not in the process list and no clone seen: a process of its own, as sysdig shows it
            t.comm = "<NA>";
            threads.put(tid, t);
        }
        return t;
    }

    private Map<Long, String> table(long pid) {
        return fds.computeIfAbsent(pid, k -> new HashMap<>());
    }

    /** What an exit changes: threads (clone, execve) and fd names. */
    private void exit(Thread t, ScapEvent e, long enterFd) {
        String type = e.info().name();
        long res = e.asLong(0, -1);
        switch (type) {
            case "clone", "fork", "vfork", "clone3" -> {
                if (res == 0) {
                    long pid = e.asLong(e.paramIndex("pid"), t.pid);
                    if (pid != t.pid) {
                        // a new process: its fd table starts as a copy of its parent's
                        long ptid = e.asLong(e.paramIndex("ptid"), -1);
                        Thread parent = threads.get(ptid);
                        if (parent != null && !fds.containsKey(pid)) {
                            fds.put(pid, new HashMap<>(table(parent.pid)));
                        }
                        t.pid = pid;
                    }
                    String comm = e.asString(e.paramIndex("comm"));
                    if (!comm.isEmpty()) {
                        t.comm = comm;
                    }
                }
            }
            case "execve", "execveat" -> {
                String comm = e.asString(e.paramIndex("comm"));
                if (res == 0 && !comm.isEmpty()) {
                    for (Thread o : threads.values()) {
                        if (o.pid == t.pid) {
                            o.comm = comm;
                        }
                    }
                }
            }
            case "open", "openat", "openat2", "creat", "open_by_handle_at" -> {
                if (res >= 0) {
                    table(t.pid).put(res, e.asString(e.paramIndex("name")));
                }
            }
            case "socket" -> {
                if (res >= 0) {
                    table(t.pid).put(res, "");
                }
            }
            case "accept", "accept4" -> {
                ScapSocket s = e.asTuple(e.paramIndex("tuple"));
                if (res >= 0) {
                    table(t.pid).put(res, s == null ? "" : s.text());
                }
            }
            case "connect" -> name(t, enterFd, e.asTuple(e.paramIndex("tuple")), true);
            case "recvfrom", "recvmsg", "sendto", "sendmsg" -> name(t, enterFd, e.asTuple(e.paramIndex("tuple")), false);
            case "dup", "dup2", "dup3" -> {
                if (res >= 0 && enterFd >= 0) {
                    table(t.pid).put(res, table(t.pid).getOrDefault(enterFd, ""));
                }
            }
            case "close" -> {
                if (res == 0 && enterFd >= 0) {
                    table(t.pid).remove(enterFd);
                }
            }
            default -> {
            }
        }
    }

    /** A tuple names its fd: connect always, a datagram send or receive only while the fd is unnamed. */
    private void name(Thread t, long fd, ScapSocket tuple, boolean always) {
        if (fd < 0 || tuple == null) {
            return;
        }
        Map<Long, String> table = table(t.pid);
        if (always || table.getOrDefault(fd, "").isEmpty()) {
            table.put(fd, tuple.text());
        }
    }
}
