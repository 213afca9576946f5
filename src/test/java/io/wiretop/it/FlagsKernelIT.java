// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.cli.FlagsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The `jar` rows of docs/flags.md, run as a user runs them (the built jar in a process of its own,
 * as root, or as `nobody` for the refusals of an unprivileged user), and what the tables cannot
 * hold: a --pid that is a thread, a --pname longer than the kernel keeps, the snap length the
 * kernel really cuts at. None of these may wait: each must end by itself within seconds.
 */
class FlagsKernelIT {
    @TempDir
    Path tmp;

    record Result(int exit, String stdout, String stderr) {
    }

    private static Result wiretop(List<String> prefix, java.util.Map<String, String> env, List<String> args,
                                  int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("java", "-jar", KernelHarness.jar().toAbsolutePath().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        // both streams read on threads of their own: a command that does not end must fail the test, not hang it
        java.util.concurrent.CompletableFuture<String> out = readAsync(p.getInputStream());
        java.util.concurrent.CompletableFuture<String> err = readAsync(p.getErrorStream());
        boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(ended, "ended by itself within " + seconds + " s: " + String.join(" ", args) + "\n" + err.get());
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static java.util.concurrent.CompletableFuture<String> readAsync(java.io.InputStream in) {
        java.util.concurrent.CompletableFuture<String> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        }, "flags-it-reader");
        t.setDaemon(true);
        t.start();
        return f;
    }

    static Stream<FlagsTable> jarRows() throws IOException {
        return Stream.concat(FlagsTable.rows("jar").stream(), FlagsTable.rows("jar, as nobody").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jarRows")
    void aBadCommandLinePrintsItsDocumentedLine(FlagsTable row) throws Exception {
        KernelHarness.requireRoot();
        List<String> prefix = row.testedBy().endsWith("as nobody")
                ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
        Result r = wiretop(prefix, row.env(), row.args(tmp), 30);
        assertEquals(row.stderr(), r.stderr().lines().toList(), row.text()); // nothing of libbpf's, no stack trace
        assertEquals(row.exit(), r.exit(), row.text());
    }

    /** The -w check before the capture creates the file to see that it can, and removes it again. */
    @Test
    void theOutputFileCheckLeavesNoFileBehind() throws Exception {
        KernelHarness.requireRoot();
        Path out = tmp.resolve("never.pcapng");
        Result r = wiretop(List.of(), java.util.Map.of(), List.of("capture", "-w", out.toString(), "--pid", "4194303"), 60);
        assertEquals(List.of("wiretop: --pid 4194303: no such process"), r.stderr().lines().toList());
        assertFalse(Files.exists(out), "no empty capture file left behind");
    }

    /** Packets are matched by process id: a thread id would match nothing, forever. */
    @Test
    void aThreadIdIsRefusedWithItsProcess() throws Exception {
        KernelHarness.requireRoot();
        long pid = ProcessHandle.current().pid();
        long tid;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tid = tasks.map(p -> Long.parseLong(p.getFileName().toString())).filter(t -> t != pid).findFirst().orElseThrow();
        }
        Result r = wiretop(List.of(), java.util.Map.of(), List.of("capture", "--pid", Long.toString(tid)), 60);
        assertEquals(List.of("wiretop: --pid " + tid + ": a thread of process " + pid + ": give the process id"),
                r.stderr().lines().toList());
        assertEquals(1, r.exit());
    }

    /**
     * A name longer than the kernel's 15-byte comm: one line says what is compared, and the packets
     * of the process whose comm is the cut name are captured (issue 8: it used to wait silently).
     */
    @Test
    void aLongProcessNameIsMatchedByItsFirst15BytesWithAWarning() throws Exception {
        KernelHarness.requireRoot();
        Path python = Path.of("/usr/bin/python3");
        assertTrue(Files.isExecutable(python), "python3 is installed (scripts/install-deps.sh)");
        Path longName = tmp.resolve("wiretop-long-process-name");
        Files.createSymbolicLink(longName, python); // comm comes from the name exec was given: "wiretop-long-pr"
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        List<String> args = List.of("capture", "-c", "1", "--pname", "wiretop-long-process-name", "udp", "port",
                Integer.toString(port));
        java.util.concurrent.CompletableFuture<Result> capture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return wiretop(List.of(), java.util.Map.of(), args, 60);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String send = "import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "for i in range(200):\n    s.sendto(b'x',('127.0.0.1'," + port + "));time.sleep(0.1)\n";
        Process sender = new ProcessBuilder(longName.toString(), "-c", send).start();
        try {
            Result r = capture.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.exit(), r.stderr());
            assertEquals("wiretop capture: --pname wiretop-long-process-name: the kernel keeps the first 15 bytes of "
                    + "a process name: matching 'wiretop-long-pr'", r.stderr().lines().findFirst().orElse(""), r.stderr());
            assertTrue(r.stdout().contains("Thread [wiretop-long-pr." + sender.pid() + "]"), r.stdout()); // the comm the kernel compared
        } finally {
            sender.destroy();
            sender.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 8 item 10: the help, the "capturing on" line, the pcapng interface block and the
     * kernel's cut agree. Loopback GSO frames are larger than 64 KiB: they used to be cut at 65535
     * while the help said 262144; now they are kept whole, and -s still cuts where it says.
     */
    @Test
    void theSnapLengthIsTheSameEverywhere() throws Exception {
        KernelHarness.requireRoot();
        Path whole = tmp.resolve("whole.pcapng");
        Path cut = tmp.resolve("cut.pcapng");
        Result w = captureBulk(whole, List.of("-s", "0"));
        assertTrue(w.stderr().contains("snapshot length 262144 bytes"), w.stderr());
        Result c = captureBulk(cut, List.of("-s", "100"));
        assertTrue(c.stderr().contains("snapshot length 100 bytes"), c.stderr());

        List<int[]> frames = frames(whole, 262144);
        assertTrue(frames.stream().anyMatch(f -> f[1] > 65535), "a frame over 64 KiB: loopback GSO");
        frames.forEach(f -> assertEquals(f[1], f[0], "kept whole"));
        List<int[]> cutFrames = frames(cut, 100);
        assertFalse(cutFrames.isEmpty());
        cutFrames.forEach(f -> assertEquals(100, f[0], "cut at -s"));
    }

    private Result captureBulk(Path file, List<String> snap) throws Exception {
        List<String> args = new ArrayList<>(List.of("capture", "-c", "20", "-w", file.toString()));
        args.addAll(snap);
        args.addAll(List.of("tcp", "and", "greater", "30000"));
        java.util.concurrent.CompletableFuture<Result> capture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return wiretop(List.of(), java.util.Map.of(), args, 90);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(4000); // JVM start and attach
        for (int i = 0; i < 10 && !capture.isDone(); i++) {
            KernelHarness.runWorkload("tcp", "4", "20000000", "1048576");
        }
        Result r = capture.get(90, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.stderr());
        return r;
    }

    /** (captured length, length on the wire) of each packet; checks each interface block's snaplen. */
    private static List<int[]> frames(Path pcapng, int idbSnaplen) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcapng)).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> out = new ArrayList<>();
        int idbs = 0;
        while (b.remaining() >= 12) {
            int start = b.position();
            int type = b.getInt(start);
            int len = b.getInt(start + 4);
            if (type == 1) {
                assertEquals(idbSnaplen, b.getInt(start + 12), "interface block snaplen");
                idbs++;
            } else if (type == 6) {
                out.add(new int[]{b.getInt(start + 20), b.getInt(start + 24)});
            }
            b.position(start + len);
        }
        assertTrue(idbs > 0, "an interface block");
        return out;
    }
}
