// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.decode.ProcessContext;
import io.wiretop.host.CgroupContainers;
import io.wiretop.host.ProcFs;
import io.wiretop.model.ProcStat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link ProcessContext}s from kernel owner records plus /proc (exe, args, parent, container),
 * cached per (pid, start time) so packets of a process that already exited keep their context.
 * Confined to the capture's consumer thread.
 */
public final class ProcInfo {
    private final ProcFs fs;
    private final Map<String, ProcessContext> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ProcessContext> e) {
            return size() > 4096;
        }
    };

    /** Contexts from the system's /proc. */
    public ProcInfo() {
        this(ProcFs.system());
    }

    /** Contexts from this /proc reader (a fake tree in tests). */
    ProcInfo(ProcFs fs) {
        this.fs = fs;
    }

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
        String s = fs.threadName(tgid, tid);
        return s == null ? fallback : s;
    }

    private ProcessContext fromProc(long pid, long uid, String comm) {
        String exe = fs.command(pid);
        String args = args(pid);
        ProcStat st = fs.stat(pid);
        long ppid = st == null ? -1 : st.ppid();
        String pcmd = null, pargs = null;
        if (ppid > 0) {
            pcmd = fs.command(ppid);
            pargs = args(ppid);
        }
        return new ProcessContext(pid, exe != null ? exe : comm, args != null ? args : comm, -1, null, uid,
                ppid, pcmd, pargs, null, fs.fullContainerId(pid), null, null);
    }

    /** argv joined with spaces; null when gone or empty (a kernel thread: its name stands for the args). */
    private String args(long pid) {
        String a = fs.cmdline(pid);
        return a == null || a.isEmpty() ? null : a;
    }
}
