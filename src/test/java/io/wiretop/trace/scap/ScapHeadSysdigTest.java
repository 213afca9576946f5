// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.host.InetSocket;
import io.wiretop.host.OpenFd;
import io.wiretop.host.ProcFs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: a .scap head of this machine, read by sysdig and csysdig 0.29.3
 * (scripts/install-deps.sh installs them for the tests).
 */
class ScapHeadSysdigTest {
    @TempDir
    Path tmp;

    @Test
    void sysdigAndCsysdigShowThisMachinesProcessesUsersAndSocketsFromTheHead() throws Exception {
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        ProcFs proc = ProcFs.system();
        String user = proc.userName(proc.uid(self));
        Process sleep = new ProcessBuilder("sleep", "37").start();
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            awaitExec(proc, sleep.pid());
            Path file = tmp.resolve("head.scap");
            ScapHead head = HostSnapshot.system().take();
            try (ScapWriter w = ScapWriter.create(file)) {
                ScapHeadBlocks.write(w, head);
                ScapHeadBlocks.cpuTimes(w, head.threads(), System.currentTimeMillis() * 1_000_000L);
            }

            Result read = run("sysdig", "-r", file.toString());
            assertEquals(0, read.code, read.err);
            assertEquals("", read.err.strip());

            Result procs = run("csysdig", "-r", file.toString(), "--raw", "-v", "procs");
            assertEquals(0, procs.code, procs.err);
            String[] sleepRow = row(procs.out, sleep.pid());
            assertNotNull(sleepRow, "the sleep this test started is listed");
            assertEquals(Long.toString(self), sleepRow[1], "its parent is this JVM");
            assertEquals(user, sleepRow[3], "its user");
            assertEquals("sleep 37", sleepRow[9], "its command line");
            String[] jvmRow = row(procs.out, self);
            assertNotNull(jvmRow, "this JVM is listed");
            assertEquals(Long.toString(parent), jvmRow[1]);
            assertEquals(user, jvmRow[3]);
            assertTrue(Integer.parseInt(jvmRow[4]) > 1, "a JVM has threads: " + String.join(" ", jvmRow));
            assertTrue(jvmRow[9].contains("java"), jvmRow[9]);

            // csysdig's connections and files views list fds that saw events, so a head alone leaves them
            // empty; sysdig's lsof chisel lists the fd tables themselves
            Result lsof = run("sysdig", "-r", file.toString(), "-c", "lsof");
            assertEquals(0, lsof.code, lsof.err);
            String socket = "127.0.0.1:" + listening.getLocalPort();
            assertTrue(lsof.out.lines().anyMatch(l -> {
                String[] f = l.strip().split("\\s+");
                return f.length == 7 && f[1].equals(Long.toString(self)) && f[5].equals("ipv4") && f[6].equals(socket);
            }), "the listening socket " + socket + " of pid " + self + " is in its fd table");
        } finally {
            sleep.destroy();
            sleep.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsOnAnFdOfTheHeadAreAttributedToItsConnection() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
             Socket accepted = server.accept()) {
            ProcFs proc = ProcFs.system();
            Map<Long, InetSocket> inet = proc.inetSockets();
            int fd = -1;
            for (OpenFd f : proc.openFds(self)) {
                InetSocket so = inet.get(f.inode());
                if (so != null && so.localPort() == client.getLocalPort()) {
                    fd = f.fd();
                }
            }
            assertTrue(fd >= 0, "the client socket's fd");
            Path file = tmp.resolve("io.scap");
            ScapHead head = HostSnapshot.system().take();
            long ts = System.currentTimeMillis() * 1_000_000L;
            try (ScapWriter w = ScapWriter.create(file)) {
                ScapHeadBlocks.write(w, head);
                ScapHeadBlocks.cpuTimes(w, head.threads(), ts);
                for (int i = 0; i < 3; i++) { // write enter (8: fd, size), write exit (9: res, data)
                    w.event().begin(ts + 1000 + 2 * i, self, 0, 8, 2).i64(fd).u32(5).end();
                    w.event().begin(ts + 1001 + 2 * i, self, 0, 9, 2).i64(5).bytes("hello".getBytes(), 0, 5).end();
                }
            }
            String tuple = "127.0.0.1:" + client.getLocalPort() + "->127.0.0.1:" + server.getLocalPort();
            Result writes = run("sysdig", "-r", file.toString(), "evt.type=write");
            assertEquals(0, writes.code, writes.err);
            assertEquals(6, writes.out.lines().count(), writes.out);
            assertTrue(writes.out.lines().findFirst().orElseThrow()
                    .endsWith("java (" + self + ") > write fd=" + fd + "(<4t>" + tuple + ") size=5 "), writes.out);
            // csysdig's Connections view: L4PROTO LIP LPORT RIP RPORT ... command (0.29.3 garbles IPv4 LIP/RIP)
            Result conns = run("csysdig", "-r", file.toString(), "--raw", "-v", "connections");
            assertEquals(0, conns.code, conns.err);
            assertTrue(conns.out.lines().map(l -> l.strip().split("\\s+")).anyMatch(f -> f.length > 8
                    && f[0].equals("tcp") && f[2].equals(Integer.toString(client.getLocalPort()))
                    && f[4].equals(Integer.toString(server.getLocalPort())) && String.join(" ", f).contains("java")),
                    conns.out);
        }
    }

    @Test
    void sysdigReadsTheLargestEventTheWriterAccepts() throws Exception {
        Path file = tmp.resolve("big.scap");
        byte[] data = new byte[ScapEventWriter.MAX_BLOCK_BODY - 4 - 40];
        try (ScapWriter w = ScapWriter.create(file)) {
            w.event().begin(1_700_000_000_000_000_000L, 42, 0, 8, 2).i64(3).u32(data.length).end(); // write enter
            w.event().begin(1_700_000_000_000_000_001L, 42, 0, 9, 2).i64(data.length).bytes(data, 0, data.length).end();
        }
        Result r = run("sysdig", "-r", file.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("< write res=" + data.length), r.out.lines().limit(3).toList().toString());
    }

    /** Waits (bounded) until the child has exec'd sleep, so /proc shows its own name. */
    private static void awaitExec(ProcFs proc, long pid) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if ("sleep".equals(proc.taskComm(pid, pid))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("sleep did not start");
    }

    /** The row of a pid in csysdig's raw procs view: PID PPID CPU USER TH VIRT RES FILE NET, then the command. */
    private static String[] row(String out, long pid) {
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+", 10);
            if (f.length == 10 && f[0].equals(Long.toString(pid))) {
                f[9] = f[9].strip();
                return f;
            }
        }
        return null;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "scap-test-" + ProcessHandle.current().pid() + ".out");
        Path err = Path.of(out + ".err");
        List<String> command = new ArrayList<>(List.of("timeout", "120"));
        command.addAll(List.of(cmd));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        Result r = new Result(code, java.nio.file.Files.readString(out, StandardCharsets.ISO_8859_1),
                java.nio.file.Files.readString(err, StandardCharsets.ISO_8859_1));
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
        return r;
    }
}
