// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.decode.ProcessContext;
import io.wiretop.host.CgroupContainers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@link ProcessContext}s from kernel owner records plus /proc (exe, args, parent, container),
 * cached per (pid, start time) so packets of a process that already exited keep their context.
 * Confined to the capture's consumer thread.
 */
public final class ProcInfo {
    private static final Pattern CONTAINER_ID = Pattern.compile("([0-9a-f]{64})");
    private final Map<String, ProcessContext> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ProcessContext> e) {
            return size() > 4096;
        }
    };

    /**
     * Context of a packet owner; {@code comm} is the kernel's 15-char name, used when /proc is gone;
     * {@code cgroupId} names the container even then (its cgroup outlives a short-lived process).
     */
    public ProcessContext context(long tgid, long startNs, long tid, long uid, String comm, long cgroupId) {
        if (tgid <= 0) {
            return ProcessContext.NONE;
        }
        // called per packet: one lookup of a cached instance (the same object each time, so callers
        // can cache what they derive from it, like the pcapng comments)
        ThreadKey tk = new ThreadKey(tgid, startNs, tid);
        ProcessContext ctx = threads.get(tk);
        if (ctx != null) {
            return ctx;
        }
        String key = tgid + "/" + startNs;
        ProcessContext base = cache.get(key);
        if (base == null) {
            base = fromProc(tgid, uid, comm);
            if (base.containerId() == null && cgroupId != 0) {
                String cid = containers.idOf(cgroupId);
                if (cid != null) {
                    base = base.withContainerId(cid);
                }
            }
            cache.put(key, base);
        }
        if (tid <= 0) {
            ctx = base;
        } else {
            String tname = tid == tgid ? comm : threadName(tgid, tid, comm);
            ctx = base.withThread(tid, tname);
        }
        if (threads.size() > 65536) {
            threads.clear(); // bounded: a long capture meets many short-lived threads
        }
        threads.put(tk, ctx);
        return ctx;
    }

    private record ThreadKey(long tgid, long startNs, long tid) {
    }

    private final CgroupContainers containers = new CgroupContainers();

    private final Map<ThreadKey, ProcessContext> threads = new HashMap<>();

    private String threadName(long tgid, long tid, String fallback) {
        String s = read(Path.of("/proc", String.valueOf(tgid), "task", String.valueOf(tid), "comm"));
        return s == null ? fallback : s.strip();
    }

    private static ProcessContext fromProc(long pid, long uid, String comm) {
        Path dir = Path.of("/proc", String.valueOf(pid));
        String exe = command(dir);
        String args = cmdline(dir);
        long ppid = -1;
        String status = read(dir.resolve("status"));
        if (status != null) {
            for (String l : status.split("\n")) {
                if (l.startsWith("PPid:")) {
                    ppid = Long.parseLong(l.substring(5).trim());
                }
            }
        }
        String pcmd = null, pargs = null;
        if (ppid > 0) {
            Path pdir = Path.of("/proc", String.valueOf(ppid));
            pcmd = command(pdir);
            pargs = cmdline(pdir);
        }
        String cid = null;
        String cg = read(dir.resolve("cgroup"));
        if (cg != null) {
            Matcher m = CONTAINER_ID.matcher(cg);
            if (m.find()) {
                cid = m.group(1);
            }
        }
        return new ProcessContext(pid, exe != null ? exe : comm, args != null ? args : comm, -1, null, uid,
                ppid, pcmd, pargs, null, cid, null, null);
    }

    /**
     * The command of a process directory: its exe link, else argv[0], else the kernel's comm. The exe
     * link of another process can be unreadable even to root (PID 1 in a sandbox: EACCES), and a
     * parent shown as "?" is no help; ps falls back to the name the same way.
     */
    static String command(Path dir) {
        String exe = readLink(dir.resolve("exe"));
        if (exe != null) {
            return exe;
        }
        try {
            byte[] b = Files.readAllBytes(dir.resolve("cmdline"));
            int end = 0;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            if (end > 0) {
                return new String(b, 0, end, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            // gone or unreadable: try comm
        }
        String comm = read(dir.resolve("comm"));
        return comm == null || comm.isBlank() ? null : comm.strip();
    }

    private static String cmdline(Path dir) {
        try {
            byte[] b = Files.readAllBytes(dir.resolve("cmdline"));
            if (b.length == 0) {
                return null;
            }
            String s = new String(b, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.replace('\0', ' ');
        } catch (IOException e) {
            return null;
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
