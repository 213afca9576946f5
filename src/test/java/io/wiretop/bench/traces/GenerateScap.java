// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bench.traces;

import io.wiretop.trace.scap.ScapEventWriter;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHead.Fd;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a realistic .scap file for the replay benchmark (bench/traces): a head with eight
 * processes (several threads each) and their fd tables (TCP connections, a listening socket, UDP
 * sockets, files), then enter/exit pairs spread over 60 s of trace time: read/write on TCP sockets
 * and on files, sendto/recvfrom on UDP sockets, openat/close of files, generic syscalls, one
 * procinfo per thread per second, and every few seconds a shell's clone, execve and exit of a
 * child. Deterministic (fixed seed), so two runs write the same bytes.
 *
 * <p>Usage: {@code GenerateScap FILE [EVENTS]} (default 2 000 000 events; at least 1000).
 */
public final class GenerateScap {
    /** Event ids of libs' table as sysdig 0.29.3 reads it (src/main/resources/scap/events.tsv). */
    static final int GENERIC_E = 0, GENERIC_X = 1, CLOSE_E = 4, CLOSE_X = 5, READ_E = 6, READ_X = 7,
            WRITE_E = 8, WRITE_X = 9, SENDTO_E = 30, SENDTO_X = 31, RECVFROM_E = 34, RECVFROM_X = 35,
            PROCEXIT_1_E = 186, CLONE_20_E = 222, CLONE_20_X = 223, PROCINFO_E = 234, EXECVE_19_E = 292,
            EXECVE_19_X = 293, OPENAT_2_E = 306, OPENAT_2_X = 307;
    /** PPM_SC codes of common syscalls (src/main/resources/scap/syscalls.tsv) with x86-64 numbers. */
    private static final int[][] GENERIC = {{154, 202}, {167, 232}, {55, 9}, {56, 11}, {20, 5}, {105, 7},
            {103, 35}, {15, 8}, {35, 72}, {16, 39}};
    static final long START_NS = 1_764_460_800_000_000_000L; // 2025-11-30 00:00 UTC
    static final long SPAN_NS = 60_000_000_000L;
    private static final int SNAPLEN = 80;
    private static final byte[] LOCAL = {127, 0, 0, 1}, PEER = {10, 0, 0, 7}, DNS = {10, 0, 0, 53};
    private static final byte[] PAYLOAD = ("GET /api/v1/items?page=3 HTTP/1.1\r\nHost: shop.internal\r\n"
            + "User-Agent: bench/1.0\r\nAccept: */*\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: 5120\r\n\r\n{\"items\":[{\"id\":1,\"name\":\"x\"}]}").getBytes(StandardCharsets.US_ASCII);

    /** One process of the scenario: its threads and fds by kind. */
    record Proc(long pid, String comm, String exe, String args, List<Long> tids, List<Long> tcp, List<Long> udp,
                List<Long> files) {
    }

    private final SplittableRandom rnd = new SplittableRandom(20261130);
    private final List<Proc> procs = new ArrayList<>();
    private final Map<Long, List<Fd>> fds = new HashMap<>();
    private final List<ScapHead.Thread> threads = new ArrayList<>();
    private final byte[] tuple = new byte[13];
    /** Whether fd 100 of a pid is open (openat and close alternate on it). */
    private final Map<Long, Boolean> opened = new HashMap<>();
    private long written;
    /** Mean trace time between two pairs. */
    private long step;

    GenerateScap() {
        proc(1000, "nginx", "/usr/sbin/nginx", "-g daemon off;", 3, 6, 0, 2, 80);
        proc(2000, "java", "/usr/lib/jvm/bin/java", "-jar shop.jar", 4, 8, 0, 3, 8080);
        proc(3000, "postgres", "/usr/lib/postgresql/bin/postgres", "-D /var/lib/pg", 2, 4, 0, 4, 5432);
        proc(4000, "redis-server", "/usr/bin/redis-server", "*:6379", 2, 4, 0, 1, 6379);
        proc(5000, "curl", "/usr/bin/curl", "-s http://10.0.0.7/", 1, 2, 0, 1, 0);
        proc(6000, "unbound", "/usr/sbin/unbound", "-d", 2, 0, 3, 1, 0);
        proc(7000, "rsyslogd", "/usr/sbin/rsyslogd", "-n", 2, 0, 1, 4, 0);
        proc(8000, "bash", "/usr/bin/bash", "", 1, 0, 0, 1, 0);
    }

    /** A process with {@code nt} threads, {@code ntcp} connections (plus a listener on {@code port}), ... */
    private void proc(long pid, String comm, String exe, String args, int nt, int ntcp, int nudp, int nfiles,
                      int port) {
        List<Long> tids = new ArrayList<>(), tcp = new ArrayList<>(), udp = new ArrayList<>(), files = new ArrayList<>();
        List<Fd> table = new ArrayList<>();
        long fd = 3, ino = pid * 100;
        if (port > 0) {
            table.add(Fd.server(fd++, ino++, LOCAL, port, Fd.L4_TCP));
        }
        for (int i = 0; i < ntcp; i++) {
            tcp.add(fd);
            table.add(Fd.inet(fd++, ino++, LOCAL, 40000 + (int) pid / 100 + i, PEER, port > 0 ? port : 80, Fd.L4_TCP));
        }
        for (int i = 0; i < nudp; i++) {
            udp.add(fd);
            table.add(Fd.inet(fd++, ino++, LOCAL, 50000 + i, DNS, 53, Fd.L4_UDP));
        }
        for (int i = 0; i < nfiles; i++) {
            files.add(fd);
            table.add(Fd.file(fd++, ino++, "/var/log/" + comm + "/" + i + ".log", 2 | 8, 0x803)); // WRONLY|APPEND
        }
        fds.put(pid, table);
        for (int t = 0; t < nt; t++) {
            long tid = pid + t;
            tids.add(tid);
            threads.add(thread(tid, pid, 1, comm, exe, args, t == 0 ? 0
                    : ScapHead.Thread.PPM_CL_CLONE_FILES | ScapHead.Thread.PPM_CL_CLONE_THREAD));
        }
        procs.add(new Proc(pid, comm, exe, args, tids, tcp, udp, files));
    }

    private static ScapHead.Thread thread(long tid, long pid, long ptid, String comm, String exe, String args, int flags) {
        byte[] argv = args.isEmpty() ? new byte[0] : (args.replace(' ', '\0') + "\0").getBytes(StandardCharsets.UTF_8);
        return new ScapHead.Thread(tid, pid, ptid, pid, pid, comm, exe, exe, argv, "/", 1024, flags, 0, 0, 200_000,
                50_000, 0, 10, 1000, "PATH=/usr/bin\0".getBytes(StandardCharsets.UTF_8), tid, pid,
                "cpu=/system.slice\0".getBytes(StandardCharsets.UTF_8), "/", -1, 100, 50);
    }

    private ScapHead head() {
        byte[] mask = {(byte) 255, 0, 0, 0}, bcast = {127, (byte) 255, (byte) 255, (byte) 255};
        return new ScapHead(new ScapHead.Machine(2, 8L << 30, 4_194_304, "bench-host", START_NS - 3_600_000_000_000L),
                List.of(new ScapHead.Interface("lo", LOCAL, mask, bcast)),
                List.of(new ScapHead.User(0, 0, "root", "/root", "/bin/bash")),
                List.of(new ScapHead.Group(0, "root")), threads, fds);
    }

    /** Writes the head and then events until at least {@code events} are written; returns how many. */
    long write(Path file, long events) throws IOException {
        try (ScapWriter w = ScapWriter.create(file)) {
            ScapHeadBlocks.write(w, head());
            step = SPAN_NS / (events / 2);
            long ts = START_NS;
            long nextSecond = START_NS;
            long nextChild = START_NS + 2_000_000_000L;
            long child = 9000;
            while (written < events) {
                // the previous pair's exit came at most step/3 after its enter: time never goes back
                ts += step / 2 + rnd.nextLong(step);
                if (ts >= nextSecond) {
                    procinfo(w, ts);
                    nextSecond += 1_000_000_000L;
                    ts += 1;
                }
                if (ts >= nextChild && written + 12 < events) {
                    ts = childLifetime(w, ts, child++) + 1;
                    nextChild += 5_000_000_000L;
                }
                pair(w, ts);
            }
        }
        return written;
    }

    /** procinfo of every thread: sysdig's CPU column is the difference between two of them. */
    private void procinfo(ScapWriter w, long ts) throws IOException {
        long sec = (ts - START_NS) / 1_000_000_000L;
        for (ScapHead.Thread t : threads) {
            w.event().begin(ts, t.tid(), (int) (t.tid() & 1), PROCINFO_E, 2).u64(100 + 3 * sec).u64(50 + sec).end();
            written++;
        }
    }

    /** One enter/exit pair of a random thread, in the proportions of a busy server. */
    private void pair(ScapWriter w, long ts) throws IOException {
        Proc p = procs.get(rnd.nextInt(procs.size()));
        long tid = p.tids().get(rnd.nextInt(p.tids().size()));
        int cpu = (int) (tid & 1);
        long exitTs = ts + 1 + rnd.nextLong(Math.max(1, Math.min(20_000, step / 3)));
        int kind = rnd.nextInt(100);
        if (kind < 40 && !p.tcp().isEmpty()) {
            long fd = p.tcp().get(rnd.nextInt(p.tcp().size()));
            int n = 1 + rnd.nextInt(4096);
            boolean rd = rnd.nextBoolean();
            w.event().begin(ts, tid, cpu, rd ? READ_E : WRITE_E, 2).i64(fd).u32(n).end();
            w.event().begin(exitTs, tid, cpu, rd ? READ_X : WRITE_X, 2).i64(n).bytes(PAYLOAD, 0, Math.min(n, SNAPLEN)).end();
        } else if (kind < 55 && !p.udp().isEmpty()) {
            long fd = p.udp().get(rnd.nextInt(p.udp().size()));
            int n = 30 + rnd.nextInt(480);
            int sport = 50000 + p.udp().indexOf(fd);
            if (rnd.nextBoolean()) {
                w.event().begin(ts, tid, cpu, SENDTO_E, 3).i64(fd).u32(n).bytes(tuple(LOCAL, sport, DNS, 53), 0, 13).end();
                w.event().begin(exitTs, tid, cpu, SENDTO_X, 2).i64(n).bytes(PAYLOAD, 0, Math.min(n, SNAPLEN)).end();
            } else {
                w.event().begin(ts, tid, cpu, RECVFROM_E, 2).i64(fd).u32(n).end();
                w.event().begin(exitTs, tid, cpu, RECVFROM_X, 3).i64(n).bytes(PAYLOAD, 0, Math.min(n, SNAPLEN))
                        .bytes(tuple(DNS, 53, LOCAL, sport), 0, 13).end();
            }
        } else if (kind < 80 && !p.files().isEmpty()) {
            long fd = p.files().get(rnd.nextInt(p.files().size()));
            int n = 1 + rnd.nextInt(8192);
            boolean rd = rnd.nextInt(4) == 0;
            w.event().begin(ts, tid, cpu, rd ? READ_E : WRITE_E, 2).i64(fd).u32(n).end();
            w.event().begin(exitTs, tid, cpu, rd ? READ_X : WRITE_X, 2).i64(n).bytes(PAYLOAD, 0, Math.min(n, SNAPLEN)).end();
        } else if (kind < 85) {
            openOrClose(w, p, tid, cpu, ts, exitTs);
        } else {
            int[] sc = GENERIC[rnd.nextInt(GENERIC.length)];
            w.event().begin(ts, tid, cpu, GENERIC_E, 2).u16(sc[0]).u16(sc[1]).end();
            w.event().begin(exitTs, tid, cpu, GENERIC_X, 1).u16(sc[0]).end();
        }
        written += 2;
    }

    /** openat of a config file into fd 100 (enter/exit), or close of fd 100 when it was opened. */
    private void openOrClose(ScapWriter w, Proc p, long tid, int cpu, long ts, long exitTs) throws IOException {
        long fd = 100;
        if (opened.getOrDefault(p.pid(), false)) {
            w.event().begin(ts, tid, cpu, CLOSE_E, 1).i64(fd).end();
            w.event().begin(exitTs, tid, cpu, CLOSE_X, 1).i64(0).end();
            opened.put(p.pid(), false);
        } else {
            String name = "/etc/" + p.comm() + "/conf.d/" + rnd.nextInt(8) + ".conf";
            w.event().begin(ts, tid, cpu, OPENAT_2_E, 4).i64(-100).str(name).u32(1).u32(0).end(); // AT_FDCWD, O_RDONLY
            w.event().begin(exitTs, tid, cpu, OPENAT_2_X, 6).i64(fd).i64(-100).str(name).u32(1).u32(0).u32(0x803).end();
            opened.put(p.pid(), true);
        }
    }

    /** bash forks a child, which execs ls, reads a file, writes to the terminal's fd and exits: 12 events. */
    private long childLifetime(ScapWriter w, long ts, long pid) throws IOException {
        long bash = 8000;
        byte[] args = "-l\0/var/log\0".getBytes(StandardCharsets.UTF_8);
        byte[] cg = "cpu=/user.slice\0".getBytes(StandardCharsets.UTF_8);
        w.event().begin(ts, bash, 0, CLONE_20_E, 0).end();
        w.event().begin(ts + 40_000, bash, 0, CLONE_20_X, 20).i64(pid).str("/usr/bin/bash").bytes(new byte[0], 0, 0)
                .i64(bash).i64(bash).i64(1).str("/root").i64(1024).u64(0).u64(100).u32(8000).u32(3000).u32(0)
                .str("bash").bytes(cg, 0, cg.length).u32(0).u32(0).u32(0).i64(bash).i64(bash).end();
        w.event().begin(ts + 41_000, pid, 1, CLONE_20_X, 20).i64(0).str("/usr/bin/bash").bytes(new byte[0], 0, 0)
                .i64(pid).i64(pid).i64(bash).str("/root").i64(1024).u64(0).u64(0).u32(8000).u32(3000).u32(0)
                .str("bash").bytes(cg, 0, cg.length).u32(0).u32(0).u32(0).i64(pid).i64(pid).end();
        w.event().begin(ts + 60_000, pid, 1, EXECVE_19_E, 1).str("/usr/bin/ls").end();
        byte[] env = "PATH=/usr/bin\0".getBytes(StandardCharsets.UTF_8);
        w.event().begin(ts + 300_000, pid, 1, EXECVE_19_X, 20).i64(0).str("/usr/bin/ls").bytes(args, 0, args.length)
                .i64(pid).i64(pid).i64(bash).str("/root").u64(1024).u64(0).u64(90).u32(6000).u32(2000).u32(0)
                .str("ls").bytes(cg, 0, cg.length).bytes(env, 0, env.length).u32(0).i64(pid).u32(0xffffffffL).u32(0)
                .end();
        w.event().begin(ts + 310_000, pid, 1, OPENAT_2_E, 4).i64(-100).str("/var/log").u32(1).u32(0).end();
        w.event().begin(ts + 320_000, pid, 1, OPENAT_2_X, 6).i64(3).i64(-100).str("/var/log").u32(1).u32(0).u32(0x803)
                .end();
        w.event().begin(ts + 330_000, pid, 1, READ_E, 2).i64(3).u32(4096).end();
        w.event().begin(ts + 340_000, pid, 1, READ_X, 2).i64(80).bytes(PAYLOAD, 0, 80).end();
        w.event().begin(ts + 350_000, pid, 1, WRITE_E, 2).i64(1).u32(80).end();
        w.event().begin(ts + 360_000, pid, 1, WRITE_X, 2).i64(80).bytes(PAYLOAD, 0, 80).end();
        w.event().begin(ts + 400_000, pid, 1, PROCEXIT_1_E, 4).i64(0).i64(0).u8(0).u8(0).end();
        written += 12;
        return ts + 400_000;
    }

    private byte[] tuple(byte[] sip, int sport, byte[] dip, int dport) {
        tuple[0] = 2; // PPM_AF_INET
        System.arraycopy(sip, 0, tuple, 1, 4);
        tuple[5] = (byte) sport;
        tuple[6] = (byte) (sport >> 8);
        System.arraycopy(dip, 0, tuple, 7, 4);
        tuple[11] = (byte) dport;
        tuple[12] = (byte) (dport >> 8);
        return tuple;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: GenerateScap FILE [EVENTS]");
            System.exit(2);
        }
        long events;
        try {
            events = args.length == 2 ? Long.parseLong(args[1]) : 2_000_000;
        } catch (NumberFormatException e) {
            events = -1;
        }
        if (events < 1000) {
            System.err.println("GenerateScap: EVENTS must be a number of at least 1000: " + args[1]);
            System.exit(2);
        }
        System.out.println(new GenerateScap().write(Path.of(args[0]), events) + " events in " + args[0]);
    }
}
