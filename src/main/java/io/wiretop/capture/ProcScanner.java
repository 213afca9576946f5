// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.host.ProcFs;
import io.wiretop.model.InfoSource;
import io.wiretop.model.ProcStat;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;
import io.wiretop.model.ProcessScan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans /proc once per tick (stat of every process, threads only when a view needs them) and
 * answers the aggregator's first-sight questions (cmdline, uid, container) from /proc.
 * Confined to the capture thread.
 */
public final class ProcScanner implements InfoSource {
    private final ProcFs fs;
    // only sockets accepted before wiretop started need it: later ones are flagged in the kernel
    private java.util.Set<Integer> listening = java.util.Set.of();
    private int scans;

    public ProcScanner(ProcFs fs) {
        this.fs = fs;
    }

    public ProcessScan scan(boolean withThreads) {
        Map<ProcessId, ProcStat> procs = new HashMap<>();
        Map<ProcessId, List<ProcStat>> threads = withThreads ? new HashMap<>() : null;
        for (long pid : fs.pids()) {
            ProcStat st = fs.stat(pid);
            if (st == null) {
                continue;
            }
            ProcessId id = new ProcessId(pid, st.startTicks());
            procs.put(id, st);
            if (withThreads) {
                List<ProcStat> ts = new ArrayList<>();
                for (long tid : fs.tids(pid)) {
                    ProcStat t = fs.threadStat(pid, tid);
                    if (t != null) {
                        ts.add(t);
                    }
                }
                threads.put(id, ts);
            }
        }
        if (scans++ % 10 == 0) {
            listening = fs.listeningTcpPorts();
        }
        return new ProcessScan(procs, threads, listening);
    }

    @Override
    public ProcessInfo read(ProcessId id) {
        ProcStat st = fs.stat(id.pid());
        if (st == null || st.startTicks() != id.startTicks()) {
            return null; // gone, or the pid now belongs to another process
        }
        String cmd = fs.cmdline(id.pid());
        long uid = fs.uid(id.pid());
        String shown = cmd == null || cmd.isEmpty() ? "[" + st.comm() + "]" : cmd;
        return new ProcessInfo(st.comm(), shown, st.ppid(), uid, fs.userName(uid), fs.containerId(id.pid()));
    }

    @Override
    public String containerNow(ProcessId id) {
        ProcStat st = fs.stat(id.pid());
        if (st == null || st.startTicks() != id.startTicks()) {
            return null;
        }
        String cgroup = fs.processFile(id.pid(), "cgroup");
        if (cgroup == null) {
            return null;
        }
        String full = io.wiretop.host.ContainerIds.ofProcCgroup(cgroup);
        return full == null ? "host" : io.wiretop.host.ContainerIds.shortId(full);
    }

    @Override
    public String userName(long uid) {
        return fs.userName(uid);
    }

    @Override
    public String fdTarget(long pid, int fd) {
        return fs.fdTarget(pid, fd);
    }
}
