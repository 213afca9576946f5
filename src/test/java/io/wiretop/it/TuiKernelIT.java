// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real screen in a real terminal: tmux runs ./wiretop as root against a live workload,
 * capture-pane reads the screen, and after q, SIGTERM and SIGKILL of the JVM the terminal is sane
 * (echo and icanon on, alternate screen left) and no BPF program of wiretop's is left.
 */
class TuiKernelIT extends TmuxSessionTest {
    /** Starts a shell in tmux and ./wiretop in it; returns the JVM's pid once the table is up. */
    private static long startWiretop(String marker) throws Exception {
        tmux("kill-session", "-t", SESSION);
        tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", "bash --norc --noprofile");
        tmux("send-keys", "-t", SESSION, "cd " + ROOT + " && PS1='$ ' && ./wiretop -d 500 --logfile " + marker, "Enter");
        waitFor("the Processes table", () -> screenHas("Viewing: Processes"), 240_000);
        Process p = new ProcessBuilder("pgrep", "-f", "java.*--logfile " + marker).start();
        String pids = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        assertFalse(pids.isEmpty(), "the JVM is running");
        return Long.parseLong(pids.split("\\s+")[0]);
    }

    private static void assertTerminalSane(KernelHarness.Owned owned) throws Exception {
        waitFor("the alternate screen to be left", () -> {
            try {
                return tmux("display", "-p", "-t", SESSION, "#{alternate_on}").strip().equals("0");
            } catch (Exception e) {
                return false;
            }
        }, 15_000);
        waitFor("the shell prompt after wiretop", () -> {
            try {
                return java.util.Arrays.stream(screen().split("\n")).anyMatch(l -> l.strip().equals("$"));
            } catch (Exception e) {
                return false;
            }
        }, 15_000);
        tmux("send-keys", "-t", SESSION, "clear; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo EN\"\"D", "Enter");
        waitFor("stty output", () -> screenHas("END"), 10_000);
        String s = screen();
        assertTrue(s.contains("icanon echo") || s.contains("echo icanon"), "echo and icanon are on:\n" + s);
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && KernelHarness.programs().keySet().stream().anyMatch(owned.progs()::contains)) {
            Thread.sleep(100);
        }
        assertTrue(KernelHarness.programs().keySet().stream().noneMatch(owned.progs()::contains), "BPF programs released");
    }

    @Test
    void busiestProcessIsOnTopAndQuitRestoresTheTerminal() throws Exception {
        Path marker = Files.createTempFile("wiretop-it", ".log");
        long jvm = startWiretop(marker.toString());
        KernelHarness.Owned owned = KernelHarness.owned(jvm);
        Process load = new ProcessBuilder(KernelHarness.workload().toString(), "stream", "6").start();
        // the client streams ~6.4 MB/s: it or its server must be the first row of the NET-sorted table
        waitFor("the workload on the first row", () -> {
            try {
                String[] lines = screen().split("\n");
                return lines.length > 3 && lines[3].contains("workload stream 6");
            } catch (Exception e) {
                return false;
            }
        }, 15_000);
        String[] lines = screen().split("\n");
        assertTrue(lines[2].contains("NET") && lines[2].contains("PID"), "header: " + lines[2]);
        tmux("send-keys", "-t", SESSION, "q");
        assertTerminalSane(owned);
        assertTrue(load.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void sigtermRestoresTheTerminal() throws Exception {
        Path marker = Files.createTempFile("wiretop-it", ".log");
        long jvm = startWiretop(marker.toString());
        KernelHarness.Owned owned = KernelHarness.owned(jvm);
        new ProcessBuilder("kill", "-TERM", Long.toString(jvm)).start().waitFor();
        assertTerminalSane(owned);
    }

    @Test
    void sigkillOfTheJvmStillLeavesASaneTerminal() throws Exception {
        Path marker = Files.createTempFile("wiretop-it", ".log");
        long jvm = startWiretop(marker.toString());
        KernelHarness.Owned owned = KernelHarness.owned(jvm);
        new ProcessBuilder("kill", "-KILL", Long.toString(jvm)).start().waitFor();
        // the JVM cannot restore anything after SIGKILL: ./wiretop, its parent, does
        waitFor("the launcher's notice", () -> screenHas("the JVM was killed (SIGKILL); terminal restored"), 10_000);
        assertTerminalSane(owned);
    }
}
