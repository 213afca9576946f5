// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wiretop.decode.ProcessContext;
import io.wiretop.host.CgroupContainers;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;
import io.wiretop.host.ProcFs;
import io.wiretop.model.ProcStat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@link ProcessContext}s from kernel owner records plus /proc (exe, args, parent, container),
 * cached per (pid, start time) so packets of a process that already exited keep their context.
 * A container's name, image and pod come from a {@link ContainerDirectory}, which answers off the
 * capture's thread: a context built before the runtimes named its container takes their answer at
 * its next packet (the first packets of a capture, and a server's handshakes, carry the id alone
 * until then).
 * Confined to the capture's consumer thread.
 */
public final class ProcInfo {
    private final ProcFs fs;
    private ContainerDirectory directory = ContainerDirectory.idsOnly();
    private final Map<Long, ProcessContext> bySocketCgroup = new HashMap<>();
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

    /** Names containers from now on (contexts already built keep what they had). */
    public void useDirectory(ContainerDirectory d) {
        directory = d;
    }

    /**
     * Context of a packet no process owns yet (a server's SYN, before any process accepted the
     * connection): only the container of its socket's cgroup, or {@link ProcessContext#NONE}.
     */
    public ProcessContext socketContext(long skCgroup) {
        if (skCgroup == 0) {
            return ProcessContext.NONE;
        }
        ProcessContext ctx = bySocketCgroup.get(skCgroup);
        if (ctx != null && ctx != (ctx = renamed(ctx))) {
            bySocketCgroup.put(skCgroup, ctx);
        }
        if (ctx == null) {
            String cid = containers.idOf(skCgroup);
            ctx = cid == null ? ProcessContext.NONE : named(ProcessContext.NONE.withContainerId(cid));
            if (bySocketCgroup.size() > 4096) {
                bySocketCgroup.clear();
            }
            bySocketCgroup.put(skCgroup, ctx);
        }
        return ctx;
    }

    /** The context with what the directory knows of its container (unchanged outside containers). */
    private ProcessContext named(ProcessContext c) {
        return c.containerId() == null ? c : withMeta(c, directory.lookup(c.containerId()));
    }

    /** A context whose container had no name yet, with the runtimes' answer once there is one; else itself. */
    private ProcessContext renamed(ProcessContext c) {
        if (c.containerId() == null || c.containerName() != null) {
            return c;
        }
        ContainerMeta m = directory.lookup(c.containerId());
        return m.name() == null ? c : withMeta(c, m);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A context's container fields from a runtime's answer: name, image, labels as a JSON object, pod. */
    public static ProcessContext withMeta(ProcessContext c, ContainerMeta m) {
        String labels;
        try {
            labels = JSON.writeValueAsString(new TreeMap<>(m.labels()));
        } catch (JsonProcessingException e) {
            labels = "{}";
        }
        return c.withContainer(m.name(), m.image(), labels, m.pod(), m.namespace());
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
            if (ctx != (ctx = renamed(ctx))) {
                threads.put(tk, ctx);
            }
            return ctx;
        }
        String key = tgid + "/" + startNs;
        ProcessContext base = cache.get(key);
        if (base != null && base != (base = renamed(base))) {
            cache.put(key, base);
        }
        if (base == null) {
            base = fromProc(tgid, uid, comm);
            if (base.containerId() == null && cgroupId != 0) {
                String cid = containers.idOf(cgroupId);
                if (cid != null) {
                    base = base.withContainerId(cid);
                }
            }
            base = named(base);
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
