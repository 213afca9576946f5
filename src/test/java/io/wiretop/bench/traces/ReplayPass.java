// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bench.traces;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapFd;
import io.wiretop.trace.scap.ScapReader;
import io.wiretop.trace.scap.ScapThread;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replay benchmark's stand-in for {@code wiretop -r FILE --raw} while the trace feed is not on
 * main: one pass of {@link ScapReader} over a file, decoding the parameters a per-process fold
 * needs (the fd of each I/O enter, the byte count of its exit, clone's and execve's pid, ptid and
 * comm, openat's fd and name, close's fd), and summing NET and FILE bytes per process from the head's
 * fd tables and the opens. It prints the events read and the per-process sums, so its work cannot
 * be optimised away and can be checked against {@code sysdig -r FILE -c topprocs_net}.
 *
 * <p>Usage: {@code ReplayPass [--read-only] [--repeat N] FILE}: {@code --read-only} skips the fold
 * (the reader's own cost), {@code --repeat} makes N passes in one JVM (steady state after the JIT).
 */
public final class ReplayPass {
    private static final int NET = 1, FILE = 2;

    /** Thread id → process id (head, then clones). */
    private final Map<Long, Long> pidOf = new HashMap<>();
    /** Process id → (fd → NET or FILE). */
    private final Map<Long, Map<Long, Integer>> kinds = new HashMap<>();
    /** Thread id → fd of its pending I/O enter. */
    private final Map<Long, Long> pendingFd = new HashMap<>();
    private final Map<Long, long[]> bytes = new TreeMap<>();
    private final Map<Long, String> comm = new HashMap<>();
    private long events;

    private void head(ScapReader r) {
        for (ScapThread t : r.section().threads()) {
            pidOf.put(t.tid(), t.pid());
            comm.put(t.pid(), t.comm());
        }
        for (Map.Entry<Long, java.util.List<ScapFd>> e : r.section().fds().entrySet()) {
            Map<Long, Integer> m = kinds.computeIfAbsent(pidOf.getOrDefault(e.getKey(), e.getKey()), k -> new HashMap<>());
            for (ScapFd f : e.getValue()) {
                int k = f.type() >= 3 && f.type() <= 6 ? NET : f.type() == 1 || f.type() == 16 ? FILE : 0;
                m.put(f.fd(), k);
            }
        }
    }

    private void fold(ScapEvent e) {
        events++;
        long tid = e.tid();
        switch (e.type()) {
            case GenerateScap.READ_E, GenerateScap.WRITE_E, GenerateScap.SENDTO_E, GenerateScap.RECVFROM_E,
                    GenerateScap.CLOSE_E -> {
                long fd = e.asLong(0, -1);
                pendingFd.put(tid, fd);
                if (e.type() == GenerateScap.CLOSE_E) {
                    Map<Long, Integer> m = kinds.get(pidOf.getOrDefault(tid, tid));
                    if (m != null) {
                        m.remove(fd);
                    }
                }
            }
            case GenerateScap.READ_X, GenerateScap.WRITE_X, GenerateScap.SENDTO_X, GenerateScap.RECVFROM_X -> {
                Long fd = pendingFd.remove(tid);
                long res = e.asLong(0, -1);
                long pid = pidOf.getOrDefault(tid, tid);
                Map<Long, Integer> m = kinds.get(pid);
                Integer k = fd == null || m == null ? null : m.get(fd);
                if (res > 0 && k != null && k != 0) {
                    bytes.computeIfAbsent(pid, p -> new long[3])[k] += res;
                }
            }
            case GenerateScap.OPENAT_2_X -> {
                long fd = e.asLong(0, -1);
                String name = e.asString(2);
                if (fd >= 0 && !name.isEmpty()) {
                    kinds.computeIfAbsent(pidOf.getOrDefault(tid, tid), p -> new HashMap<>()).put(fd, FILE);
                }
            }
            case GenerateScap.CLONE_20_X -> {
                if (e.asLong(0, -1) == 0) { // the child's side: its tid, pid, parent and name
                    long pid = e.asLong(4, tid);
                    pidOf.put(e.asLong(3, tid), pid);
                    comm.put(pid, e.asString(13));
                    Map<Long, Integer> parent = kinds.get(pidOf.getOrDefault(e.asLong(5, -1), -1L));
                    kinds.put(pid, parent == null ? new HashMap<>() : new HashMap<>(parent));
                }
            }
            case GenerateScap.EXECVE_19_X -> comm.put(pidOf.getOrDefault(tid, tid), e.asString(13));
            case GenerateScap.PROCEXIT_1_E -> pidOf.remove(tid);
            default -> {
                // generic syscalls and procinfo: counted, as the System Calls and CPU columns would
            }
        }
    }

    /** One pass over the file; returns the fold (or, read-only, only the event count). */
    private static ReplayPass pass(Path file, boolean fold) throws IOException {
        ReplayPass p = new ReplayPass();
        try (ScapReader r = ScapReader.open(file)) {
            p.head(r);
            for (ScapEvent e; (e = r.next()) != null; ) {
                if (fold) {
                    p.fold(e);
                } else {
                    p.events++;
                }
            }
        }
        return p;
    }

    public static void main(String[] args) throws IOException {
        boolean fold = true;
        int repeat = 1;
        int i = 0;
        for (; i < args.length - 1; i++) {
            if (args[i].equals("--read-only")) {
                fold = false;
            } else if (args[i].equals("--repeat") && i + 2 < args.length && args[i + 1].matches("[1-9][0-9]{0,2}")) {
                repeat = Integer.parseInt(args[++i]);
            } else {
                break;
            }
        }
        if (i != args.length - 1) {
            System.err.println("usage: ReplayPass [--read-only] [--repeat N] FILE");
            System.exit(2);
        }
        Path file = Path.of(args[i]);
        ReplayPass p = null;
        for (int k = 0; k < repeat; k++) {
            long t0 = System.nanoTime();
            p = pass(file, fold);
            long ns = System.nanoTime() - t0;
            System.out.printf("pass %d: %d events in %.3f s (%.0f ns/event, inside the JVM)%n", k + 1, p.events,
                    ns / 1e9, (double) ns / Math.max(1, p.events));
        }
        System.out.println("PID      COMM             NET bytes      FILE bytes");
        for (Map.Entry<Long, long[]> b : p.bytes.entrySet()) {
            System.out.printf("%-8d %-16s %-14d %d%n", b.getKey(), p.comm.get(b.getKey()), b.getValue()[NET],
                    b.getValue()[FILE]);
        }
    }
}
