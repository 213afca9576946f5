// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Synthetic captures of what csysdig 0.29.3 was checked on (the expected figures are its
 * {@code --raw} outputs for these very files): a UDP send from an unbound IPv6 socket on a machine
 * without IPv6 interfaces, and the memory of processes forked and exec'd during the capture.
 */
class ScapFeedStartedProcessTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long S = 1_000_000_000L;
    private static final int CLOSE_E = 4, CLOSE_X = 5, SOCKET_E = 18, SOCKET_X = 19, SENDTO_E = 30, SENDTO_X = 31,
            BRK_X = 159, CLONE_X = 157, EXECVE_X = 173;

    @TempDir
    Path dir;

    private static ScapHead.Thread thread(long pid, String comm, String exe, String args, long vmKb, long rssKb) {
        return new ScapHead.Thread(pid, pid, 1, pid, pid, comm, exe, exe, args.getBytes(StandardCharsets.UTF_8), "/srv",
                1024, 0, 0, 0, vmKb, rssKb, 0, 0, 0, new byte[0], pid, pid, new byte[0], "/", -1, 0, 0);
    }

    private static ScapHead head(List<ScapHead.Interface> ifs, ScapHead.Thread... ts) {
        return new ScapHead(new ScapHead.Machine(1, 1L << 30, 32768, "host", 0), ifs, List.of(), List.of(), List.of(ts),
                Map.of());
    }

    /** Copies a capture where csysdig can be run on it by hand (WIRETOP_KEEP=dir). */
    private static void keep(Path f) throws Exception {
        String to = System.getenv("WIRETOP_KEEP");
        if (to != null) {
            Files.copy(f, Path.of(to).resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * An IPv6 UDP socket sends before the kernel chose its source (the tuple's local end is all
     * zeros) and the machine has only an IPv4 interface: libsinsp has no address to put there and
     * keeps the zeros (sysdig prints {@code :::0->2001:db8::9:53}).
     */
    @Test
    void anUnknownIpv6SourceStaysZero() throws Exception {
        Path f = dir.resolve("udp6.scap");
        byte[] peer = InetAddress.getByName("2001:db8::9").getAddress();
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head(List.of(new ScapHead.Interface("eth0", new byte[]{10, 0, 0, 1},
                    new byte[]{-1, 0, 0, 0}, new byte[4])), thread(100, "dig", "/usr/bin/dig", "", 1000, 100)));
            long t = T0;
            w.event().begin(t++, 100, 0, SOCKET_E, 3).u32(10).u32(2).u32(0).end();
            w.event().begin(t++, 100, 0, SOCKET_X, 1).i64(3).end();
            byte[] tuple = ByteBuffer.allocate(37).order(ByteOrder.LITTLE_ENDIAN).put((byte) 10).put(new byte[16])
                    .putShort((short) 0).put(peer).putShort((short) 53).array();
            w.event().begin(t++, 100, 0, SENDTO_E, 3).i64(3).u32(30).bytes(tuple, 0, tuple.length).end();
            w.event().begin(t++, 100, 0, SENDTO_X, 2).i64(30).bytes(new byte[16], 0, 16).end();
            w.event().begin(T0 + S - 1, 100, 0, CLOSE_E, 1).i64(3).end();
            w.event().begin(T0 + S, 100, 0, CLOSE_X, 1).i64(0).end();
        }
        keep(f);
        Snapshot s = Replays.run(ScapFeed.open(f, 0)).get(0);
        ConnectionRow c = s.connections().stream().filter(r -> r.pid() == 100).findFirst().orElseThrow();
        // csysdig -r udp6.scap --raw -v connections: "udp 2001:db8::9 53 :: 0 0 30 3 /usr/bin/dig"
        // (fd.lip takes the destination as the local end when the source is no local address)
        assertEquals("2001:db8::9", c.lip(), c.toString());
        assertEquals(53, c.lport());
        assertEquals("::", c.rip());
        assertEquals(0, c.rport());
        assertEquals(30, c.bytesOut());
    }

    /**
     * Server 100 (VIRT 20480K in the process list) forks 101 and 102; the parent's clone exits say
     * 30720K, the children's own say 2048K and 4096K. libsinsp makes the child from the parent's
     * exit, with that exit's memory, and ignores the child's own exit (the child is known by then);
     * the parent keeps its figure ({@code sysdig -p '%proc.vmsize'}: 20480, 30720, 20480, 30720).
     * 102 then execs and shrinks to 5120K by brk. csysdig -r forks.scap --raw -v procs: 100 20M 4M,
     * 101 30M 6M, 102 30M 6M: VIRT and RES are MAX over the events of the sample (of the main
     * thread), so the clone's figure stays in this interval; the next one starts from 5120K.
     */
    @Test
    void startedProcessesTakeTheMemoryOfTheirOwnEvents() throws Exception {
        Path f = dir.resolve("forks.scap");
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head(List.of(), thread(100, "server", "/usr/bin/server", "", 20480, 4096)));
            long t = T0;
            for (long child : new long[]{101, 102}) {
                clone(w, t++, 100, child, 100, 30720, 6144);
                clone(w, t++, child, 0, child, 2048 * (child - 100), 1024 * (child - 100));
            }
            w.event().begin(t++, 102, 0, EXECVE_X, 14).i64(0).str("/usr/bin/work").bytes("/usr/bin/work\0-q\0"
                    .getBytes(StandardCharsets.UTF_8), 0, 17).i64(102).i64(102).i64(100).str("/srv").u64(1024).u64(0)
                    .u64(0).u32(3072).u32(1536).u32(0).bytes(new byte[0], 0, 0).end();
            w.event().begin(t++, 102, 0, BRK_X, 4).u64(0x10000).u32(5120).u32(2560).u32(0).end();
            w.event().begin(T0 + S - 1, 100, 0, CLOSE_E, 1).i64(9).end();
            w.event().begin(T0 + S, 100, 0, CLOSE_X, 1).i64(-9).end();
            w.event().begin(T0 + S + S / 2, 102, 0, CLOSE_E, 1).i64(9).end();
            w.event().begin(T0 + 2 * S, 102, 0, CLOSE_X, 1).i64(-9).end();
        }
        keep(f);
        Snapshot s = Replays.run(ScapFeed.open(f, 0)).get(0);
        assertEquals(List.of(20480L * 1024, 4096L * 1024), memory(s, 100));
        assertEquals(List.of(30720L * 1024, 6144L * 1024), memory(s, 101));
        assertEquals(List.of(30720L * 1024, 6144L * 1024), memory(s, 102));
        List<Snapshot> each = Replays.run(ScapFeed.open(f, S));
        assertEquals(List.of(30720L * 1024, 6144L * 1024), memory(each.get(0), 102));
        assertEquals(List.of(5120L * 1024, 2560L * 1024), memory(each.get(1), 102), "the peak is per interval");
    }

    /**
     * A filtered copy ({@code sysdig -r F -w C proc.pid=201}) of a child forked by a process that
     * started during the capture: the parent is in neither the process list nor the events, so the
     * child's own clone exit is all that names it. csysdig takes exe and args from it:
     * {@code 201 200 ... /path/workload tcp 4 100000 10000}.
     */
    @Test
    void aChildOfAnUnknownParentIsNamedByItsOwnCloneExit() throws Exception {
        Path f = dir.resolve("orphan.scap");
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head(List.of(), thread(1, "init", "/sbin/init", "", 1000, 100)));
            byte[] args = "tcp\0004\000100000\00010000\000".getBytes(StandardCharsets.UTF_8);
            w.event().begin(T0, 201, 0, CLONE_X, 16).i64(0).str("/path/workload").bytes(args, 0, args.length)
                    .i64(201).i64(201).i64(200).str("/srv").i64(1024).u64(0).u64(0).u32(2048).u32(1024).u32(0)
                    .u32(0).u32(0).u32(0).end();
            w.event().begin(T0 + S - 1, 201, 0, CLOSE_E, 1).i64(9).end();
            w.event().begin(T0 + S, 201, 0, CLOSE_X, 1).i64(-9).end();
        }
        keep(f);
        Snapshot s = Replays.run(ScapFeed.open(f, 0)).get(0);
        ProcessRow r = s.processes().stream().filter(p -> p.pid() == 201).findFirst().orElseThrow();
        assertEquals("/path/workload tcp 4 100000 10000", r.cmdline());
        assertEquals("workload", r.comm());
        assertEquals(200, r.ppid());
    }

    private static void clone(ScapWriter w, long t, long tid, long res, long pid, long vmKb, long rssKb)
            throws Exception {
        w.event().begin(t, tid, 0, CLONE_X, 16).i64(res).str("/usr/bin/server").bytes(new byte[0], 0, 0).i64(tid)
                .i64(pid).i64(res == 0 ? 100 : 1).str("/srv").i64(1024).u64(0).u64(0).u32(vmKb).u32(rssKb).u32(0)
                .u32(0).u32(0).u32(0).end();
    }

    private static List<Long> memory(Snapshot s, long pid) {
        ProcessRow r = s.processes().stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
        assertNotNull(r, "no row for " + pid + " in " + s.processes());
        return List.of(r.virtBytes(), r.resBytes());
    }
}
