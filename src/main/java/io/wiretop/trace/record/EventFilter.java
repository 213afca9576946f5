// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import io.wiretop.host.ProcFs;
import io.wiretop.host.TaskStatus;
import io.wiretop.model.Row;
import io.wiretop.model.SyscallNames;
import io.wiretop.trace.scap.EventInfo;
import io.wiretop.trace.scap.EventTable;
import io.wiretop.view.Filter;
import io.wiretop.view.FilterSyntaxException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A recording's filter expression (sysdig-like, parsed by {@link Filter}, the table rows' filter)
 * evaluated in user space on each scap-encoded event. Fields, each computed only when the
 * expression asks for it: {@code evt.type} (syscall name), {@code evt.dir} ({@code >} enter,
 * {@code <} exit), {@code evt.res} (exit: SUCCESS or the errno name), {@code evt.rawres} (exit: the
 * number), {@code thread.tid}, {@code proc.pid}, {@code proc.name} (the thread's comm, from /proc),
 * {@code fd.num} (the enter event's fd, also for its exit), {@code fd.name} and {@code fd.type}
 * (file, socket, pipe, anon or other, from /proc/PID/fd when the event is read). Processes and fds
 * that are gone when the event is read have no name: a comparison on it does not match.
 * Used by the recording thread only.
 */
public final class EventFilter implements EventPredicate {
    /** The fields an expression may use. */
    public static final Set<String> FIELDS = Set.of("evt.type", "evt.dir", "evt.res", "evt.rawres", "thread.tid",
            "proc.pid", "proc.name", "fd.num", "fd.name", "fd.type");
    private static final int MAX_CACHED = 65536;

    private final Filter filter;
    private final ProcFs proc;
    private final EventRow row = new EventRow();
    private final Map<Long, long[]> pidOfTid = new HashMap<>();
    private final Map<Long, String> commOfTid = bounded();
    private final Map<Long, Long> enterFd = bounded();
    private final Map<String, String> fdTargets = bounded();

    private EventFilter(Filter filter, ProcFs proc) {
        this.filter = filter;
        this.proc = proc;
    }

    /** Parses the expression; a syntax error names its position. */
    public static EventFilter parse(String expression, ProcFs proc) throws FilterSyntaxException {
        return new EventFilter(Filter.parse(expression, FIELDS), proc);
    }

    @Override
    public boolean test(ByteBuffer event) {
        row.set(event);
        row.before();
        boolean keep = filter.test(row);
        row.after();
        return keep;
    }

    private static <K, V> Map<K, V> bounded() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_CACHED;
            }
        };
    }

    /** The event being tested, read through field names; parameters decoded only when asked. */
    private final class EventRow implements Row {
        private ByteBuffer e;
        private int start;
        private long tid;
        private EventInfo info;
        private int nparams;

        void set(ByteBuffer event) {
            e = event.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            start = e.position();
            tid = e.getLong(start + 8);
            int type = e.getShort(start + 20) & 0xffff;
            info = EventTable.get(type);
            nparams = e.getInt(start + 22);
        }

        /**
         * A new program or a new process names itself in its exit event (execve's, and clone's in
         * the child, carry the comm): read from the event, not from /proc, where a short-lived
         * process is often gone by the time its events are read.
         */
        void before() {
            if (info == null || info.enter()) {
                return;
            }
            String name = info.name();
            boolean exec = name.equals("execve") || name.equals("execveat");
            boolean fork = name.equals("clone") || name.equals("clone3") || name.equals("fork") || name.equals("vfork");
            if (!exec && !fork) {
                return;
            }
            long res = param("res", -1);
            String comm = string("comm");
            if (comm == null || (exec && res != 0)) {
                return;
            }
            if (res == 0) {
                commOfTid.put(tid, comm); // the new program, or the child (which starts with its parent's name)
                long pid = param("pid", -1);
                if (pid > 0) {
                    pidOfTid.put(tid, new long[]{pid});
                }
            } else if (fork && res > 0) {
                commOfTid.putIfAbsent(res, comm); // the parent's exit may come first: the child has its name
            }
        }

        /** Bookkeeping every event needs whatever the expression asked: fds by enter, names forgotten when stale. */
        void after() {
            if (info == null) {
                return;
            }
            if (info.enter()) {
                long fd = param("fd", -1);
                if (fd >= 0) {
                    enterFd.put(tid, fd);
                    if (info.name().equals("close")) {
                        fdTargets.remove(pid() + ":" + fd);
                    }
                } else {
                    enterFd.remove(tid);
                }
            }
        }

        @Override
        public Object get(String field) {
            return switch (field) {
                case "evt.type" -> info == null ? null : info.name().equals("syscall") ? syscallName() : info.name();
                case "evt.dir" -> info == null ? null : info.enter() ? ">" : "<";
                case "evt.rawres" -> info == null || info.enter() ? null : paramOrNull("res");
                case "evt.res" -> {
                    Long res = info == null || info.enter() ? null : paramOrNull("res");
                    yield res == null ? null : SyscallNames.result(res < 0 ? (int) -res : 0);
                }
                case "thread.tid" -> tid;
                case "proc.pid" -> pid();
                case "proc.name" -> comm();
                case "fd.num" -> fd();
                case "fd.name" -> fdTarget();
                case "fd.type" -> fdType(fdTarget());
                default -> null;
            };
        }

        @Override
        public Set<String> fields() {
            return FIELDS;
        }

        private String syscallName() {
            long id = param("ID", -1);
            return id < 0 ? "syscall" : EventTable.syscallName((int) id);
        }

        private long pid() {
            long[] p = pidOfTid.get(tid);
            if (p == null) {
                TaskStatus st = proc.taskStatus(tid, tid);
                p = new long[]{st == null ? -1 : st.tgid()};
                if (pidOfTid.size() > MAX_CACHED) {
                    pidOfTid.clear();
                }
                pidOfTid.put(tid, p);
            }
            return p[0] < 0 ? tid : p[0];
        }

        private String comm() {
            String c = commOfTid.get(tid);
            if (c == null) {
                c = proc.taskComm(tid, tid);
                if (c == null) {
                    return null;
                }
                // the kernel's bytes, decoded as sysdig prints them
                c = new String(c.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                commOfTid.put(tid, c);
            }
            return c;
        }

        private Long fd() {
            if (info == null) {
                return null;
            }
            if (info.enter()) {
                Long fd = paramOrNull("fd");
                return fd == null || fd < 0 ? null : fd;
            }
            return enterFd.get(tid);
        }

        private String fdTarget() {
            Long fd = fd();
            if (fd == null) {
                return null;
            }
            long pid = pid();
            String key = pid + ":" + fd;
            String t = fdTargets.get(key);
            if (t == null) {
                t = proc.fdTarget(pid, fd.intValue());
                if (t == null) {
                    return null;
                }
                fdTargets.put(key, t);
            }
            return t;
        }

        private Long paramOrNull(String name) {
            long v = param(name, Long.MIN_VALUE);
            return v == Long.MIN_VALUE ? null : v;
        }

        /** Where parameter {@code name}'s value starts, or -1 when the event has none that fits. */
        private int at(String name) {
            if (info == null) {
                return -1;
            }
            int index = info.paramNames().indexOf(name);
            if (index < 0 || index >= nparams || start + 26 + 2 * nparams > e.limit()) {
                return -1;
            }
            int at = start + 26 + 2 * nparams;
            for (int i = 0; i < index; i++) {
                at += e.getShort(start + 26 + 2 * i) & 0xffff;
            }
            return at + length(name) > e.limit() ? -1 : at;
        }

        private int length(String name) {
            return e.getShort(start + 26 + 2 * info.paramNames().indexOf(name)) & 0xffff;
        }

        /** A text parameter by name up to its NUL, or null. */
        private String string(String name) {
            int at = at(name);
            if (at < 0) {
                return null;
            }
            int len = length(name);
            int n = 0;
            while (n < len && e.get(at + n) != 0) {
                n++;
            }
            byte[] b = new byte[n];
            e.get(at, b);
            return new String(b, StandardCharsets.UTF_8);
        }

        /** An integer parameter by name (1 to 8 bytes, signed as the kernel wrote it), or orElse. */
        private long param(String name, long orElse) {
            int at = at(name);
            if (at < 0) {
                return orElse;
            }
            int len = length(name);
            return switch (len) {
                case 1 -> e.get(at);
                case 2 -> e.getShort(at);
                case 4 -> e.getInt(at);
                case 8 -> e.getLong(at);
                default -> orElse;
            };
        }
    }

    /** sysdig's fd.type names for what /proc/PID/fd links to. */
    static String fdType(String target) {
        if (target == null) {
            return null;
        }
        if (target.startsWith("/")) {
            return "file";
        }
        if (target.startsWith("socket:")) {
            return "socket";
        }
        if (target.startsWith("pipe:")) {
            return "pipe";
        }
        if (target.startsWith("anon_inode:")) {
            return "anon";
        }
        return "other";
    }
}
