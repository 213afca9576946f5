// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import io.wiretop.host.ContainerMeta;

import java.util.HashSet;
import java.util.Set;

/**
 * One process during one interval: identity and state from /proc, I/O counters from the kernel.
 *
 * @param pid        process id (tgid)
 * @param startTicks start time in clock ticks since boot (/proc/pid/stat field 22); with the pid it
 *                   identifies the process across pid reuse
 * @param cpuPercent CPU used during the interval, 100 = one core; -1 before a second sample
 * @param exited     the process exited during this interval (its row is shown one last time)
 * @param wireIn     bytes on the wire received for its sockets (IP headers and retransmissions included)
 *                   <p>NET, FILE, syscall and WIRE counts are -1 when their collector is not attached
 *                   (NET: a packet file has none): the
 *                   fields are then absent (null), shown blank rather than as a misleading zero.
 * @param container  what the container's runtime said of it (name, image, pod), or null (host
 *                   process, no runtime answer yet, a replay)
 */
public record ProcessRow(long pid, long ppid, long startTicks, String comm, String cmdline, String user,
                         long uid, long threads, long virtBytes, long resBytes, double cpuPercent,
                         long netIn, long netOut, long fileIn, long fileOut, long syscalls,
                         String containerId, boolean exited, long wireIn, long wireOut,
                         ContainerMeta container) implements Row {

    /** A row without runtime metadata for its container. */
    public ProcessRow(long pid, long ppid, long startTicks, String comm, String cmdline, String user,
                      long uid, long threads, long virtBytes, long resBytes, double cpuPercent,
                      long netIn, long netOut, long fileIn, long fileOut, long syscalls,
                      String containerId, boolean exited, long wireIn, long wireOut) {
        this(pid, ppid, startTicks, comm, cmdline, user, uid, threads, virtBytes, resBytes, cpuPercent, netIn, netOut,
                fileIn, fileOut, syscalls, containerId, exited, wireIn, wireOut, null);
    }

    /** A row without WIRE counts (packet hooks not attached). */
    public ProcessRow(long pid, long ppid, long startTicks, String comm, String cmdline, String user,
                      long uid, long threads, long virtBytes, long resBytes, double cpuPercent,
                      long netIn, long netOut, long fileIn, long fileOut, long syscalls,
                      String containerId, boolean exited) {
        this(pid, ppid, startTicks, comm, cmdline, user, uid, threads, virtBytes, resBytes, cpuPercent, netIn, netOut,
                fileIn, fileOut, syscalls, containerId, exited, 0, 0);
    }

    public static final Set<String> FIELDS = withContainer("proc.pid", "proc.ppid", "proc.name", "proc.exeline",
            "proc.start", "user.name", "user.uid", "proc.nthreads", "thread.vmsize.b", "thread.vmrss.b", "thread.cpu",
            "evt.buflen.net", "evt.buflen.net.in", "evt.buflen.net.out", "evt.buflen.file", "evt.buflen.file.in",
            "evt.buflen.file.out", "evt.count.syscalls", "proc.exited", "evt.count.procinfo",
            "evt.wirelen", "evt.wirelen.in", "evt.wirelen.out");

    @Override
    public Object get(String field) {
        return switch (field) {
            case "proc.pid" -> pid;
            case "proc.ppid" -> ppid;
            case "proc.name" -> comm;
            case "proc.exeline" -> cmdline;
            case "proc.start" -> startTicks;
            case "user.name" -> user;
            case "user.uid" -> uid;
            case "proc.nthreads" -> threads;
            case "thread.vmsize.b" -> virtBytes;
            case "thread.vmrss.b" -> resBytes;
            case "thread.cpu" -> cpuPercent < 0 ? null : cpuPercent;
            case "evt.buflen.net" -> netIn < 0 ? null : netIn + netOut;
            case "evt.buflen.net.in" -> netIn < 0 ? null : netIn;
            case "evt.buflen.net.out" -> netOut < 0 ? null : netOut;
            case "evt.buflen.file" -> fileIn < 0 ? null : fileIn + fileOut;
            case "evt.buflen.file.in" -> fileIn < 0 ? null : fileIn;
            case "evt.buflen.file.out" -> fileOut < 0 ? null : fileOut;
            case "evt.count.syscalls" -> syscalls < 0 ? null : syscalls;
            case "proc.exited" -> exited ? 1L : 0L;
            case "evt.count.procinfo" -> 1L; // csysdig's: one per process, summed to PROCS per container
            case "evt.wirelen" -> wireIn < 0 ? null : wireIn + wireOut;
            case "evt.wirelen.in" -> wireIn < 0 ? null : wireIn;
            case "evt.wirelen.out" -> wireOut < 0 ? null : wireOut;
            default -> ContainerFields.get(field, containerId, container);
        };
    }

    static Set<String> withContainer(String... own) {
        Set<String> s = new HashSet<>(Set.of(own));
        s.addAll(ContainerFields.FIELDS);
        return Set.copyOf(s);
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }
}
