// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every mode stops cleanly, as a user stops it: Ctrl-C in a real terminal (tmux), SIGINT, SIGTERM
 * and SIGHUP sent to the JVM or to the ./wiretop launcher, and the reader of stdout going away
 * (| head). Each time: the exit code, tcpdump's summary where tcpdump prints one, output not cut
 * mid-line, the terminal left sane (icanon, echo, isig) and no BPF program of that process left.
 */
class StopKernelIT {
    private static final Path ROOT = Path.of(System.getProperty("wiretop.sources", ".")).toAbsolutePath();

    @BeforeAll
    static void root() {
        KernelHarness.requireRoot();
    }

    /** A port no other test uses: it also marks this test's JVM in the process list. */
    private static int port() {
        return 20000 + ThreadLocalRandom.current().nextInt(20000);
    }

    /** A few UDP datagrams to 127.0.0.1:port. */
    private static void udp(int port, int n) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] b = "wiretop-stop-test".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < n; i++) {
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    private static void assertReleased(KernelHarness.Owned owned) throws Exception {
        assertFalse(owned.progs().isEmpty() && owned.links().isEmpty(), "the JVM held BPF programs while it ran");
        KernelHarness.assertReleased(owned, "the stop");
    }

    private static void assertSaneTerminal(TmuxShell sh) throws Exception {
        List<String> flags = sh.sttyFlags();
        for (String f : List.of("icanon", "echo", "isig")) {
            assertTrue(flags.contains(f), f + " is on after wiretop: " + flags);
        }
    }

    private static void assertSummary(String text) {
        assertTrue(text.matches("(?s).*\\d+ packets captured\\n\\d+ packets received by filter\\n"
                + "\\d+ packets dropped by kernel\\n.*"), "tcpdump's three summary lines:\n" + text);
    }

    /** Waits for the JVM to hold its BPF programs and returns them. */
    private static KernelHarness.Owned owned(long jvm) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        KernelHarness.Owned o = KernelHarness.owned(jvm);
        while (o.progs().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            o = KernelHarness.owned(jvm);
        }
        return o;
    }

    // ---- Ctrl-C in a real terminal ----

    @Test
    void ctrlCEndsACaptureToAFileWithItsSummary() throws Exception {
        int port = port();
        try (TmuxShell sh = new TmuxShell()) {
            Path file = sh.dir.resolve("c.pcapng");
            sh.run("./wiretop capture -w " + file + " udp port " + port);
            KernelHarness.Owned owned = owned(TmuxShell.jvmPid("port " + port, 240_000));
            sh.waitFor("capturing", () -> sh.shows("capturing on"), 60_000);
            udp(port, 5);
            Thread.sleep(500);
            sh.keys("C-c");
            assertEquals(0, sh.exitCode(20_000), sh.screen());
            String screen = sh.screen();
            assertSummary(screen);
            assertTrue(screen.contains("5 packets captured"), screen);
            assertSaneTerminal(sh);
            assertReleased(owned);
            // the file is whole: tcpdump reads all five packets and no truncation
            String read = KernelHarness.sh(30, "tcpdump", "-n", "-r", file.toString());
            assertEquals(5, read.lines().filter(l -> l.contains("." + port + ": UDP")).count(), read);
            assertFalse(read.contains("truncated"), read);
        }
    }

    @Test
    void ctrlCEndsATextCaptureBeforeItsCount() throws Exception {
        int port = port();
        try (TmuxShell sh = new TmuxShell()) {
            sh.run("./wiretop capture -c 1000000 udp port " + port);
            KernelHarness.Owned owned = owned(TmuxShell.jvmPid("port " + port, 240_000));
            sh.waitFor("capturing", () -> sh.shows("capturing on"), 60_000);
            udp(port, 3);
            sh.waitFor("the packets", () -> sh.shows("packets captured") || sh.shows("length 17"), 10_000);
            sh.keys("C-c");
            assertEquals(0, sh.exitCode(20_000), sh.screen());
            assertSummary(sh.screen());
            assertTrue(sh.screen().contains("3 packets captured"), sh.screen());
            assertSaneTerminal(sh);
            assertReleased(owned);
        }
    }

    @Test
    void ctrlCEndsRawWithoutAHalfLine() throws Exception {
        try (TmuxShell sh = new TmuxShell()) {
            // stdout in a file, stdin the terminal: ./wiretop execs the JVM (its other path), Ctrl-C still reaches it
            Path out = sh.dir.resolve("raw.txt");
            String marker = "proc.pid != " + port();
            sh.run("./wiretop --raw -n 0 -d 300 '" + marker + "' > " + out);
            KernelHarness.Owned owned = owned(TmuxShell.jvmPid(marker, 240_000));
            sh.waitFor("three intervals", () -> {
                try {
                    return Files.readString(out).split("----------------------\n", -1).length > 3;
                } catch (Exception e) {
                    return false;
                }
            }, 60_000);
            sh.keys("C-c");
            assertEquals(0, sh.exitCode(20_000), sh.screen());
            String text = Files.readString(out);
            assertTrue(text.endsWith("\n"), "the last line is whole");
            assertFalse(sh.screen().contains("Exception"), sh.screen());
            assertSaneTerminal(sh);
            assertReleased(owned);
        }
    }

    @Test
    void ctrlCEndsRawOnTheTerminal() throws Exception {
        try (TmuxShell sh = new TmuxShell()) {
            String marker = "proc.pid != " + port();
            sh.run("./wiretop --raw -n 0 -d 300 '" + marker + "'");
            KernelHarness.Owned owned = owned(TmuxShell.jvmPid(marker, 240_000));
            sh.waitFor("the table", () -> sh.shows("----------------------"), 60_000);
            sh.keys("C-c");
            assertEquals(0, sh.exitCode(20_000), sh.screen());
            assertSaneTerminal(sh);
            assertReleased(owned);
        }
    }

    @Test
    void ctrlCEndsJsonWithWholeLines() throws Exception {
        try (TmuxShell sh = new TmuxShell()) {
            Path out = sh.dir.resolve("out.json");
            String marker = "proc.pid != " + port();
            // the reader ignores SIGINT, as a pager or a logger might: it gets every line the JVM wrote
            sh.run("./wiretop --json -d 300 '" + marker + "' | (trap '' INT; cat > " + out + "); (exit ${PIPESTATUS[0]})");
            KernelHarness.Owned owned = owned(TmuxShell.jvmPid(marker, 240_000));
            sh.waitFor("two intervals", () -> {
                try {
                    return Files.readString(out).lines().count() >= 2;
                } catch (Exception e) {
                    return false;
                }
            }, 60_000);
            sh.keys("C-c");
            assertEquals(0, sh.exitCode(20_000), sh.screen());
            String text = Files.readString(out);
            assertTrue(text.endsWith("\n"), "the last line is whole");
            for (String line : text.lines().toList()) {
                KernelHarness.JSON.readTree(line); // throws on a cut line
            }
            assertSaneTerminal(sh);
            assertReleased(owned);
        }
    }

    @Test
    void ctrlCQuitsTheTuiAndKillIntToo() throws Exception {
        try (TmuxShell sh = new TmuxShell()) {
            for (String how : List.of("C-c", "kill -INT")) {
                Path log = sh.dir.resolve("ui-" + how.replace(' ', '_') + ".log");
                sh.run("./wiretop -d 500 --logfile " + log);
                long jvm = TmuxShell.jvmPid("--logfile " + log, 240_000);
                KernelHarness.Owned owned = owned(jvm);
                sh.waitFor("the table", () -> sh.shows("Viewing: Processes"), 60_000);
                if (how.equals("C-c")) {
                    sh.keys("C-c");
                } else {
                    KernelHarness.sh(10, "kill", "-INT", Long.toString(jvm));
                }
                int rc = sh.exitCode(20_000);
                assertEquals(how.equals("C-c") ? 0 : 130, rc, how + ":\n" + sh.screen());
                assertEquals("0", sh.tmux("display", "-p", "-t", "t", "#{alternate_on}").strip(), "alternate screen left");
                assertSaneTerminal(sh);
                assertReleased(owned);
            }
        }
    }

    @Test
    void writingPcapngToTheTerminalIsRefused() throws Exception {
        try (TmuxShell sh = new TmuxShell()) {
            sh.run("./wiretop capture -w - udp port " + port());
            assertEquals(1, sh.exitCode(90_000), sh.screen());
            assertTrue(sh.shows("wiretop: -w -: refusing to write binary pcapng to a terminal"), sh.screen());
            assertSaneTerminal(sh);
        }
    }

    // ---- signals sent with kill, to the JVM and to the launcher ----

    /**
     * ./wiretop started with SIGINT and SIGQUIT ignored, as bash without job control starts a
     * background command ({@code java ... &} in a script, the launcher's own tty path).
     */
    private static Process background(String args, Path err) throws Exception {
        return new ProcessBuilder("bash", "-c", "cd " + ROOT + " && trap '' INT QUIT && ./wiretop " + args + " 2>" + err)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void killIntTermHupEndACaptureStartedWithSigintIgnored() throws Exception {
        for (String sig : List.of("INT", "TERM", "HUP")) {
            int port = port();
            Path err = Files.createTempFile("wiretop-stop", ".err");
            Process p = background("capture udp port " + port, err);
            long jvm = TmuxShell.jvmPid("port " + port, 240_000);
            try {
                KernelHarness.Owned owned = owned(jvm);
                waitForText(err, "capturing on");
                udp(port, 2);
                Thread.sleep(500);
                KernelHarness.sh(10, "kill", "-" + sig, Long.toString(jvm));
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIG" + sig + " ended the capture");
                assertEquals(0, p.exitValue(), "SIG" + sig + ": " + Files.readString(err));
                String text = Files.readString(err);
                assertSummary(text);
                assertTrue(text.contains("2 packets captured"), text);
                assertFalse(text.contains("Exception"), text);
                assertReleased(owned);
            } finally {
                ProcessHandle.of(jvm).ifPresent(ProcessHandle::destroyForcibly); // after a failure only
            }
        }
    }

    @Test
    void killOfTheLauncherOnATerminalReachesTheJvm() throws Exception {
        try (TmuxShell sh = new TmuxShell()) {
            for (String sig : List.of("INT", "TERM", "HUP")) {
                int port = port();
                sh.keys("clear", "Enter");
                sh.run("./wiretop capture udp port " + port);
                long jvm = TmuxShell.jvmPid("port " + port, 240_000);
                KernelHarness.Owned owned = owned(jvm);
                sh.waitFor("capturing", () -> sh.shows("capturing on"), 60_000);
                long launcher = ProcessHandle.of(jvm).flatMap(ProcessHandle::parent).orElseThrow().pid();
                String parentCmd = ProcessHandle.of(launcher).flatMap(h -> h.info().commandLine()).orElse("");
                assertTrue(parentCmd.contains("wiretop"), "the JVM's parent is the launcher: " + parentCmd);
                KernelHarness.sh(10, "kill", "-" + sig, Long.toString(launcher));
                assertEquals(0, sh.exitCode(20_000), "SIG" + sig + " to the launcher:\n" + sh.screen());
                assertSummary(sh.screen());
                assertReleased(owned);
            }
            assertSaneTerminal(sh);
        }
    }

    // ---- the reader of stdout goes away ----

    @Test
    void aClosedPipeEndsEveryTextMode() throws Exception {
        int port = port();
        for (String args : List.of("capture udp port " + port, "--raw -d 300 'proc.pid != " + port + "'",
                "--json -d 300 'proc.pid != " + port + "'")) {
            Path err = Files.createTempFile("wiretop-stop", ".err");
            Path status = Files.createTempFile("wiretop-stop", ".rc");
            Process p = new ProcessBuilder("bash", "-c", "cd " + ROOT + " && ./wiretop " + args + " 2>" + err
                    + " | head -c 1 >/dev/null; echo ${PIPESTATUS[0]} > " + status)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long jvm = TmuxShell.jvmPid("" + port, 240_000);
            KernelHarness.Owned owned = owned(jvm);
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && System.currentTimeMillis() < deadline) {
                udp(port, 2); // a capture writes only when a packet comes
                Thread.sleep(200);
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                ProcessHandle.of(jvm).ifPresent(ProcessHandle::destroyForcibly);
                throw new AssertionError(args + ": wiretop still runs after its reader went away");
            }
            String text = Files.readString(err);
            assertEquals("1", Files.readString(status).strip(), args + ": " + text);
            List<String> errors = text.lines().filter(l -> l.startsWith("wiretop: ")).toList();
            assertEquals(List.of("wiretop: cannot write to stdout: Broken pipe"), errors, args + ": " + text);
            assertFalse(text.contains("Exception") || text.contains("\tat "), text);
            if (args.startsWith("capture")) {
                assertSummary(text);
            }
            assertReleased(owned);
        }
    }

    @Test
    void aFullDiskEndsTheCaptureWithItsSummary() throws Exception {
        int port = port();
        Path mnt = Files.createTempDirectory("wiretop-full");
        KernelHarness.sh(10, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        try {
            Path err = Files.createTempFile("wiretop-stop", ".err");
            Process p = new ProcessBuilder("bash", "-c", "cd " + ROOT + " && ./wiretop capture -w " + mnt.resolve("f.pcapng")
                    + " udp port " + port + " 2>" + err).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long jvm = TmuxShell.jvmPid("port " + port, 240_000);
            KernelHarness.Owned owned = owned(jvm);
            waitForText(err, "capturing on");
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && System.currentTimeMillis() < deadline) {
                try (DatagramSocket s = new DatagramSocket()) {
                    byte[] b = new byte[1400];
                    for (int i = 0; i < 200; i++) {
                        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the full disk ended the capture");
            String text = Files.readString(err);
            assertEquals(1, p.exitValue(), text);
            assertSummary(text);
            List<String> errors = text.lines().filter(l -> l.startsWith("wiretop: ")).toList();
            assertEquals(List.of("wiretop: cannot write " + mnt.resolve("f.pcapng") + ": No space left on device"),
                    errors, text);
            assertReleased(owned);
        } finally {
            ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(mnt.toString()))
                    .forEach(ProcessHandle::destroyForcibly); // after a failure only: the mount must go
            Thread.sleep(500);
            KernelHarness.sh(10, "umount", mnt.toString());
        }
    }

    private static void waitForText(Path file, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(file).contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + text + "' in " + Files.readString(file));
            }
            Thread.sleep(100);
        }
    }
}
