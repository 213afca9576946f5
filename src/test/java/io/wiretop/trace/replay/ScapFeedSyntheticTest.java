// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.FileRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SyscallRow;
import io.wiretop.trace.scap.ScapHead;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import io.wiretop.trace.CaptureFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture written with ScapWriter, with known bytes over a TCP socket and a file, a fork and an
 * exit: the replay's NET, FILE, IOPS, syscall totals and process lifecycle are checked exactly.
 */
class ScapFeedSyntheticTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long S = 1_000_000_000L;
    private static final int READ_E = 6, READ_X = 7, WRITE_E = 8, WRITE_X = 9, CLOSE_E = 4, CLOSE_X = 5,
            CLONE_X = 15, PIPE_E = 60, SENDTO_E = 30, SENDTO_X = 31, PIPE_X = 61, PROCEXIT_E = 16, FCNTL_E = 150, FCNTL_X = 151, OPEN_E = 2, OPEN_X = 3,
            GENERIC_E = 0, GENERIC_X = 1;

    @TempDir
    Path dir;

    /**
     * Server 100 (uid 1000, alice) holds fd 3, a TCP socket 10.0.0.1:5000->10.0.0.2:80, and fd 4, a
     * log file. It reads 700 and writes 300 bytes on the socket, appends 50 to the log, fails a read
     * of the log with EAGAIN and does an fcntl on the socket that returns 2; it forks 101, which
     * writes 40 bytes on the inherited socket and exits at 2 s; 101 opens and reads a relative path
     * first. At 4 s the server closes the socket. Also: a write exit without its enter (lost), and
     * 10 bytes written to a pipe.
     */
    private Path capture() throws Exception {
        Path f = dir.resolve("synthetic.scap");
        byte[] local = InetAddress.getByName("10.0.0.1").getAddress(), peer = InetAddress.getByName("10.0.0.2").getAddress();
        ScapHead.Thread server = new ScapHead.Thread(100, 100, 1, 100, 100, "server", "/usr/bin/server", "/usr/bin/server",
                "-v\0--port=80\0".getBytes(StandardCharsets.UTF_8), "/srv", 1024, 0, 1000, 1000, 20480, 4096, 0, 0, 0,
                new byte[0], 100, 100, new byte[0], "/", -1, 0, 0);
        ScapHead head = new ScapHead(new ScapHead.Machine(1, 1L << 30, 32768, "host", 0),
                List.of(new ScapHead.Interface("lo", InetAddress.getByName("127.0.0.1").getAddress(), new byte[]{-1, 0, 0, 0},
                        new byte[4])),
                List.of(new ScapHead.User(1000, 1000, "alice", "/home/alice", "/bin/sh")), List.of(), List.of(server),
                Map.of(100L, List.of(ScapHead.Fd.inet(3, 11, local, 5000, peer, 80, ScapHead.Fd.L4_TCP),
                        ScapHead.Fd.file(4, 12, "/var/log/app.log", 2, 0))));
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, head);
            long t = T0;
            w.event().begin(t++, 100, 0, READ_E, 2).i64(3).u32(1000).end();
            w.event().begin(t++, 100, 0, READ_X, 2).i64(700).bytes(new byte[16], 0, 16).end();
            w.event().begin(t++, 100, 0, WRITE_E, 2).i64(3).u32(300).end();
            w.event().begin(t++, 100, 0, WRITE_X, 2).i64(300).bytes(new byte[16], 0, 16).end();
            w.event().begin(t++, 100, 0, WRITE_E, 2).i64(4).u32(50).end();
            w.event().begin(t++, 100, 0, WRITE_X, 2).i64(50).bytes(new byte[16], 0, 16).end();
            w.event().begin(t++, 100, 0, READ_E, 2).i64(4).u32(10).end();
            w.event().begin(t++, 100, 0, READ_X, 2).i64(-11).empty().end();
            w.event().begin(t++, 100, 0, FCNTL_E, 2).i64(3).u8(3).end();
            w.event().begin(t++, 100, 0, FCNTL_X, 1).i64(2).end();
            // a TCP socket is not renamed by the tuple of a send (only UDP sockets are)
            byte[] tuple = java.nio.ByteBuffer.allocate(13).order(java.nio.ByteOrder.LITTLE_ENDIAN).put((byte) 2)
                    .put(new byte[]{10, 0, 0, 7}).putShort((short) 6000).put(peer).putShort((short) 80).array();
            w.event().begin(t++, 100, 0, SENDTO_E, 3).i64(3).u32(0).bytes(tuple, 0, tuple.length).end();
            w.event().begin(t++, 100, 0, SENDTO_X, 2).i64(0).empty().end();
            // a read whose exit was lost, then a write exit whose enter was: not a pair, no fd, not counted
            w.event().begin(t++, 100, 0, READ_E, 2).i64(3).u32(10).end();
            w.event().begin(t++, 100, 0, WRITE_X, 2).i64(99).bytes(new byte[16], 0, 16).end();
            // bytes through a pipe are neither NET nor FILE
            w.event().begin(t++, 100, 0, PIPE_E, 0).end();
            w.event().begin(t++, 100, 0, PIPE_X, 4).i64(0).i64(6).i64(7).u64(77).end();
            w.event().begin(t++, 100, 0, WRITE_E, 2).i64(7).u32(10).end();
            w.event().begin(t++, 100, 0, WRITE_X, 2).i64(10).bytes(new byte[16], 0, 16).end();
            // a generic event counts as the syscall its ID names (PPM_SC 154 is futex), the first and
            // the next ones (the number is looked up once per ID)
            for (int i = 0; i < 2; i++) {
                w.event().begin(t++, 100, 0, GENERIC_E, 2).u16(154).u16(202).end();
                w.event().begin(t++, 100, 0, GENERIC_X, 1).u16(154).end();
            }
            t = T0 + S / 2;
            w.event().begin(t++, 100, 0, CLONE_X, 11).i64(101).str("/usr/bin/server").bytes(new byte[0], 0, 0).i64(100)
                    .i64(100).i64(1).str("/srv").i64(1024).u32(0).u32(1000).u32(1000).end();
            w.event().begin(t++, 101, 0, CLONE_X, 11).i64(0).str("/usr/bin/server").bytes(new byte[0], 0, 0).i64(101)
                    .i64(101).i64(100).str("/srv").i64(1024).u32(0).u32(1000).u32(1000).end();
            w.event().begin(t++, 101, 0, OPEN_E, 3).str("data/in.txt").u32(1).u32(0).end();
            w.event().begin(t++, 101, 0, OPEN_X, 5).i64(5).str("data/in.txt").u32(1).u32(0).u32(0).end();
            w.event().begin(t++, 101, 0, READ_E, 2).i64(5).u32(4096).end();
            w.event().begin(t++, 101, 0, READ_X, 2).i64(123).bytes(new byte[16], 0, 16).end();
            t = T0 + S + S / 2;
            w.event().begin(t++, 101, 0, WRITE_E, 2).i64(3).u32(40).end();
            w.event().begin(t++, 101, 0, WRITE_X, 2).i64(40).bytes(new byte[16], 0, 16).end();
            w.event().begin(T0 + 2 * S, 101, 0, PROCEXIT_E, 0).end();
            w.event().begin(T0 + 4 * S - 1, 100, 0, CLOSE_E, 1).i64(3).end();
            w.event().begin(T0 + 4 * S, 100, 0, CLOSE_X, 1).i64(0).end();
        }
        return f;
    }

    @Test
    void wholeFileTotals() throws Exception {
        ScapFeed feed = ScapFeed.open(capture(), 0);
        assertEquals("synthetic.scap (reading...)", feed.label(), "a plain file is not read ahead for the count");
        assertEquals(-1, feed.eventCount());
        List<Snapshot> snaps = Replays.run(feed);
        assertEquals("synthetic.scap (33 evts, 4.00s)", feed.label());
        assertEquals(33, feed.eventCount());
        assertEquals(1, snaps.size());
        Snapshot s = snaps.get(0);
        assertEquals("synthetic.scap (33 evts, 4.00s)", s.sourceLabel(), "the file's one interval is shown with the count");
        assertEquals(4.0, s.intervalSeconds(), 1e-9);

        ProcessRow server = process(s, 100), child = process(s, 101);
        assertEquals(700, server.netIn());
        assertEquals(300, server.netOut()); // the fcntl's 2 is not bytes (csysdig counts it, §11.4)
        assertEquals(0, server.fileIn());
        assertEquals(50, server.fileOut());
        assertEquals("alice", server.user());
        assertEquals("/usr/bin/server -v --port=80", server.cmdline());
        assertEquals(20480L * 1024, server.virtBytes());
        assertEquals(4096L * 1024, server.resBytes());
        assertFalse(server.exited());

        assertEquals(40, child.netOut());
        assertEquals(0, child.netIn());
        assertEquals(123, child.fileIn());
        assertEquals(100, child.ppid());
        assertEquals("alice", child.user());
        assertTrue(child.exited());

        ConnectionRow sc = conn(s, 100), cc = conn(s, 101);
        assertEquals(sc.cookie(), cc.cookie(), "a forked child shares the socket: one cookie, one row per process");
        assertEquals("10.0.0.1", sc.lip());
        assertEquals(5000, sc.lport());
        assertEquals("10.0.0.2", sc.rip());
        assertEquals(80, sc.rport());
        assertEquals("tcp", sc.proto());
        assertEquals(700, sc.bytesIn());
        assertEquals(300, sc.bytesOut());
        // csysdig's IOPS: every event on the named socket, enter and exit: read 2 + the unpaired
        // read enter, write 2, sendto 2, fcntl 2, close 2
        assertEquals(3, sc.opsIn());
        assertEquals(8, sc.opsOut());
        assertEquals(2, s.connections().size(), s.connections().toString());
        assertEquals(2, cc.opsOut());

        List<FileRow> files = s.rows(Snapshot.FILES).stream().map(FileRow.class::cast).toList();
        assertTrue(files.stream().anyMatch(f -> f.pid() == 100 && f.path().equals("/var/log/app.log")
                && f.bytesOut() == 50 && f.ops() == 4), files.toString());
        assertEquals(2, files.size(), "the pipe is not a file: " + files);
        assertTrue(files.stream().anyMatch(f -> f.pid() == 101 && f.path().equals("/srv/data/in.txt")
                && f.bytesIn() == 123), files.toString());

        List<SyscallRow> sys = s.rows(Snapshot.SYSCALLS).stream().map(SyscallRow.class::cast).toList();
        assertEquals(1, calls(sys, 100, "read", "EAGAIN"));
        assertEquals(1, calls(sys, 100, "read", "SUCCESS"));
        assertEquals(4, calls(sys, 100, "write", "SUCCESS")); // socket, file, pipe, the unpaired exit
        assertEquals(1, calls(sys, 100, "pipe", "SUCCESS"));
        assertEquals(1, calls(sys, 100, "fcntl", "SUCCESS"));
        assertEquals(2, calls(sys, 100, "futex", "SUCCESS"));
        assertEquals(1, calls(sys, 100, "close", "SUCCESS"));
        assertEquals(1, calls(sys, 101, "write", "SUCCESS"));
    }

    @Test
    void intervalsFollowTheLifecycle() throws Exception {
        List<Snapshot> snaps = Replays.run(ScapFeed.open(capture(), S));
        assertEquals(4, snaps.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(T0 + (i + 1) * S, snaps.get(i).monoNanos());
        }
        // 101 is born in the first second, writes in the second, exits at 2 s (the third interval's start)
        assertNotNull(processOrNull(snaps.get(0), 101));
        assertFalse(processOrNull(snaps.get(0), 101).exited());
        assertEquals(40, processOrNull(snaps.get(1), 101).netOut());
        assertTrue(processOrNull(snaps.get(2), 101).exited());
        assertNull(processOrNull(snaps.get(3), 101));
        long in = 0, out = 0;
        for (Snapshot s : snaps) {
            in += process(s, 100).netIn();
            out += process(s, 100).netOut();
        }
        assertEquals(700, in);
        assertEquals(300, out);
        assertEquals(700, process(snaps.get(0), 100).netIn());
    }

    /** A socket shared by fork is closed when its last fd closes, not when the child's copy goes. */
    @Test
    void aSharedSocketClosesWithItsLastFd() throws Exception {
        List<List<Long>> closed = new java.util.ArrayList<>();
        long cookie = -1;
        try (ScapFeed feed = ScapFeed.open(capture(), S)) {
            feed.start();
            for (io.wiretop.engine.Interval iv; (iv = feed.next(Replays.ALL)) != null; ) {
                closed.add(iv.closedCookies());
                for (var c : iv.sample().conns()) {
                    cookie = c.cookie();
                }
            }
        }
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(cookie)), closed);
    }

    /** A pid reused within one clock tick is still two processes (their synthetic start times differ). */
    @Test
    void aReusedPidIsANewProcess() throws Exception {
        Path f = dir.resolve("reuse.scap");
        ScapHead.Thread shell = new ScapHead.Thread(100, 100, 1, 100, 100, "sh", "/bin/sh", "/bin/sh", new byte[0], "/",
                1024, 0, 0, 0, 100, 10, 0, 0, 0, new byte[0], 100, 100, new byte[0], "/", -1, 0, 0);
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, new ScapHead(new ScapHead.Machine(1, 1L << 30, 32768, "host", 0), List.of(),
                    List.of(), List.of(), List.of(shell), Map.of()));
            for (int i = 0; i < 2; i++) {
                long t = T0 + i * 1000;
                w.event().begin(t, 100, 0, CLONE_X, 11).i64(300).str("/bin/sh").bytes(new byte[0], 0, 0).i64(100)
                        .i64(100).i64(1).str("/").i64(1024).u32(0).u32(0).u32(0).end();
                w.event().begin(t + 10, 300, 0, PROCEXIT_E, 0).end();
            }
            w.event().begin(T0 + S, 100, 0, CLOSE_E, 1).i64(9).end();
        }
        List<ProcessRow> rows = Replays.run(ScapFeed.open(f, 0)).get(0).processes().stream().filter(p -> p.pid() == 300)
                .toList();
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(0).startTicks() != rows.get(1).startTicks());
        assertTrue(rows.stream().allMatch(ProcessRow::exited));
    }

    /** sysdig refuses a capture without events, and so does the reader the feed opens. */
    @Test
    void aCaptureWithoutEventsIsRefused() throws Exception {
        Path f = dir.resolve("empty.scap");
        try (ScapWriter w = ScapWriter.create(f)) {
            ScapHeadBlocks.write(w, new ScapHead(new ScapHead.Machine(1, 1L << 30, 32768, "host", 0), List.of(), List.of(),
                    List.of(), List.of(), Map.of()));
        }
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> ScapFeed.open(f, 0));
        assertTrue(e.getMessage().contains("no event"), e.getMessage());
    }

    /** Damage in the first event block: no interval has anything to show, the error comes at once. */
    @Test
    void damageAtTheFirstEventIsReportedAtOnce() throws Exception {
        Path good = capture();
        byte[] bytes = Files.readAllBytes(good);
        List<Integer> blocks = io.wiretop.trace.scap.ScapFixtures.blockOffsets(bytes);
        int firstEvent = blocks.get(blocks.size() - 33); // the capture has 33 event blocks
        Path f = dir.resolve("cut.scap");
        Files.write(f, java.util.Arrays.copyOf(bytes, firstEvent + 10));
        try (ScapFeed feed = ScapFeed.open(f, 0)) {
            feed.start();
            assertThrows(CaptureFileException.class, () -> feed.next(Replays.ALL));
            assertNull(feed.next(Replays.ALL));
        }
    }

    private static long calls(List<SyscallRow> rows, long pid, String name, String result) {
        return rows.stream().filter(r -> r.pid() == pid && r.syscall().equals(name) && r.result().equals(result))
                .mapToLong(SyscallRow::calls).sum();
    }

    private static ProcessRow process(Snapshot s, long pid) {
        ProcessRow r = processOrNull(s, pid);
        assertNotNull(r, "no row for pid " + pid + " in " + s.processes());
        return r;
    }

    private static ProcessRow processOrNull(Snapshot s, long pid) {
        return s.processes().stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
    }

    private static ConnectionRow conn(Snapshot s, long pid) {
        return s.connections().stream().filter(c -> c.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no connection of " + pid + " in " + s.connections()));
    }
}
