// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --raw -v files} and {@code --raw -v packets} in the default mode (no -F, -W): the printer's
 * view demands its collector through the engine as the full-screen UI does, so the syscall program
 * (or the packet hooks) is attached while such a run lives, its rows are printed, and nothing is
 * left after it ends (SIGTERM, SIGKILL). Programs are those the run's JVM holds (its fd table), so
 * other wiretops running at the same time do not count.
 */
class RawOnDemandKernelIT {
    private static final Set<String> SYS_PROGS = Set.of("wt_sys_exit");
    private static final Set<String> PACKET_PROGS = Set.of("wt_pkt_egress", "wt_pkt_ingress");

    private static Set<String> held(long pid) throws Exception {
        Set<Long> ids = KernelHarness.owned(pid).progs();
        Map<Long, String> all = KernelHarness.programs();
        Set<String> names = new HashSet<>();
        ids.forEach(id -> names.add(all.getOrDefault(id, "")));
        return names;
    }

    private static void waitFor(String what, BooleanSupplier cond, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    private static Process start(Path out, Path err, String view) throws Exception {
        return new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "--raw", "-v", view, "-d", "500")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }

    private static void assertReleased(KernelHarness.Owned owned) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000; // programs go after an RCU grace period
        while (System.currentTimeMillis() < deadline
                && KernelHarness.programs().keySet().stream().anyMatch(owned.progs()::contains)) {
            Thread.sleep(100);
        }
        assertTrue(KernelHarness.programs().keySet().stream().noneMatch(owned.progs()::contains), "BPF programs released");
        assertTrue(KernelHarness.links().stream().noneMatch(owned.links()::contains), "BPF links released");
    }

    @Test
    void rawFilesAttachesTheSyscallProgramWhileItRunsAndSigtermReleasesIt() throws Exception {
        KernelHarness.requireRoot();
        Path dir = KernelHarness.workDir();
        Path out = dir.resolve("raw-files.out"), err = dir.resolve("raw-files.err");
        Path written = Files.createTempFile("wiretop-windows-rawfiles", ".txt");
        Process w = start(out, err, "files");
        Process writer = new ProcessBuilder("bash", "-c", "for i in $(seq 600); do echo line-$i >> " + written
                + "; sleep 0.05; done").start();
        // the row names the file by path, or by device and inode once the fd that named it is closed
        String inode = "ino " + Files.getAttribute(written, "unix:ino") + ">";
        KernelHarness.Owned owned = null;
        try {
            waitFor("the syscall program", () -> {
                try {
                    return held(w.pid()).containsAll(SYS_PROGS);
                } catch (Exception e) {
                    return false;
                }
            }, 120_000);
            assertTrue(held(w.pid()).stream().noneMatch(PACKET_PROGS::contains), "only what the view needs: " + held(w.pid()));
            owned = KernelHarness.owned(w.pid());
            waitFor("the written file's row", () -> read(out).contains(written.toString()) || read(out).contains(inode),
                    30_000);
            assertTrue(w.isAlive(), "still running: " + read(err));
            // the collector attached before the baseline: the first interval is a full one, not empty
            String first = read(out).split("----------------------\n", -1)[1];
            assertTrue(first.lines().count() > 1, "the first interval has rows:\n" + first);
        } finally {
            writer.destroyForcibly();
            w.destroy(); // SIGTERM
            assertTrue(w.waitFor(30, TimeUnit.SECONDS), "ended on SIGTERM");
            Files.deleteIfExists(written);
        }
        assertEquals(0, w.exitValue(), "exit 0 on SIGTERM as csysdig; stderr: " + read(err));
        assertEquals("", read(err).strip(), "no -F needed, nothing said");
        assertReleased(owned);
    }

    @Test
    void rawPacketsAttachesThePacketHooksWhileItRunsAndSigkillReleasesThem() throws Exception {
        KernelHarness.requireRoot();
        Path dir = KernelHarness.workDir();
        Path out = dir.resolve("raw-packets.out"), err = dir.resolve("raw-packets.err");
        Process w = start(out, err, "packets");
        KernelHarness.Owned owned = null;
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            waitFor("the packet hooks", () -> {
                try {
                    return held(w.pid()).containsAll(PACKET_PROGS);
                } catch (Exception e) {
                    return false;
                }
            }, 120_000);
            assertTrue(held(w.pid()).stream().noneMatch(SYS_PROGS::contains), "only what the view needs: " + held(w.pid()));
            owned = KernelHarness.owned(w.pid());
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        server.accept().close();
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
            waitFor("a packet to the port in the output", () -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port); OutputStream o = s.getOutputStream()) {
                    o.write("x".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    return false;
                }
                return read(out).contains("." + port + " ") || read(out).contains("." + port + "\n");
            }, 30_000);
        } finally {
            w.destroyForcibly(); // SIGKILL: the kernel drops the links with the process
            assertTrue(w.waitFor(30, TimeUnit.SECONDS), "killed");
        }
        assertReleased(owned);
    }
}
