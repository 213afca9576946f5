// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terminal as a shell user meets it, in a real tmux pane: Ctrl-Z gives the terminal back and stops
 * the job (the launcher and the JVM), {@code fg} takes the screen again in raw mode, a resize follows,
 * kill -TSTP from elsewhere stops it as politely, q leaves the tty settings exactly as found ({@code stty -g} before and after), and no stty child
 * process runs at any point. TERM=dumb is refused with one line; an unknown TERM draws with a notice.
 */
class TuiJobControlKernelIT extends TmuxSessionTest {
    private static boolean alternateScreen() {
        try {
            return tmux("display", "-p", "-t", SESSION, "#{alternate_on}").strip().equals("1");
        } catch (Exception e) {
            return false;
        }
    }

    private static void shell() throws Exception {
        tmux("kill-session", "-t", SESSION);
        tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", "bash --norc --noprofile -i");
        type("cd " + ROOT + " && PS1='$ '");
    }

    private static void type(String line) throws Exception {
        tmux("send-keys", "-t", SESSION, line, "Enter");
    }

    /** The shell's own view of the tty (stty run by the shell between commands), via a file. */
    private static String sttyG(Path dir, String name) throws Exception {
        Path f = dir.resolve(name);
        type("clear; stty -g > " + f + "; echo DO\"\"NE-" + name);
        waitFor("stty -g", () -> screenHas("DONE-" + name), 10_000);
        return Files.readString(f).strip();
    }

    private static long jvmPid(String marker) throws Exception {
        String pids = KernelHarness.sh(10, "pgrep", "-f", "java.*--logfile " + marker).strip();
        assertFalse(pids.isEmpty(), "the JVM is running");
        return Long.parseLong(pids.split("\\s+")[0]);
    }

    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    /** The JVM's child processes' command names (lanterna's UnixTerminal ran /bin/sh -c "stty ..." here). */
    private static List<String> children(long pid) {
        List<String> names = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> h.children().forEach(c -> names.add(c.info().command().orElse("?"))));
        return names;
    }

    @Test
    void ctrlZStopsTheJobFgResumesAndTheTtyIsLeftAsFound() throws Exception {
        Path dir = Files.createTempDirectory("wiretop-jobctl");
        String marker = dir.resolve("ui.log").toString();
        shell();
        String before = sttyG(dir, "before");
        type("clear; ./wiretop -d 500 --logfile " + marker);
        waitFor("the Processes table", () -> screenHas("Viewing: Processes"), 240_000);
        long jvm = jvmPid(marker);
        KernelHarness.Owned owned = KernelHarness.owned(jvm);
        long launcher = ProcessHandle.of(jvm).flatMap(ProcessHandle::parent).orElseThrow().pid();
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of(), children(jvm), "the JVM runs no child process (stty) for its terminal");
            Thread.sleep(100);
        }

        // SIGTSTP from another process: the same polite stop, not a JVM frozen over the alternate screen
        KernelHarness.sh(10, "kill", "-TSTP", Long.toString(jvm));
        waitFor("the stop after kill -TSTP", () -> {
            try {
                return !alternateScreen() && state(jvm) == 'T';
            } catch (Exception e) {
                return false;
            }
        }, 10_000);
        type("fg");
        waitFor("the screen back after fg after kill -TSTP", () -> alternateScreen() && screenHas("Viewing: Processes"), 10_000);

        tmux("send-keys", "-t", SESSION, "C-z");
        waitFor("the shell's job report", () -> screenHas("Stopped") && !alternateScreen(), 10_000);
        assertFalse(alternateScreen(), "the alternate screen is left on Ctrl-Z");
        waitFor("the JVM stopped", () -> {
            try {
                return state(jvm) == 'T' && state(launcher) == 'T';
            } catch (Exception e) {
                return false;
            }
        }, 5_000);
        type("");
        // bash puts back its own tty settings when a job stops or ends after a stop, so what the shell
        // sees here is bash's doing too; exactness is checked without bash in between, below
        assertEquals(before, sttyG(dir, "stopped"), "the shell gets the tty settings it had");

        type("fg");
        waitFor("the screen back after fg", () -> alternateScreen() && screenHas("Viewing: Processes"), 10_000);
        assertTrue(state(jvm) != 'T', "running again");
        String tty = tmux("display", "-p", "-t", SESSION, "#{pane_tty}").strip();
        String modes = KernelHarness.sh(10, "stty", "-a", "-F", tty);
        assertTrue(modes.contains("-icanon") && modes.contains("-echo ") && modes.contains("-isig"),
                "raw mode again after fg:\n" + modes);

        tmux("resize-window", "-t", SESSION, "-x", "100", "-y", "30");
        waitFor("the footer on the new last line", () -> {
            try {
                String[] lines = screen().split("\n");
                return lines.length >= 30 && lines[29].contains("Quit");
            } catch (Exception e) {
                return false;
            }
        }, 10_000);
        assertEquals(List.of(), children(jvm), "still no child process");

        tmux("send-keys", "-t", SESSION, "q");
        waitFor("the alternate screen left", () -> !alternateScreen(), 15_000);
        waitFor("the JVM gone", () -> ProcessHandle.of(jvm).map(h -> !h.isAlive()).orElse(true), 15_000);
        assertEquals(before, sttyG(dir, "after"), "tty settings (speed, line discipline, every flag) as found");
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline
                && KernelHarness.programs().keySet().stream().anyMatch(owned.progs()::contains)) {
            Thread.sleep(100);
        }
        assertTrue(KernelHarness.programs().keySet().stream().noneMatch(owned.progs()::contains), "BPF programs released");
    }

    @Test
    void quitLeavesTheTtyExactlyAsFound() throws Exception {
        // stty runs right after wiretop in the same command list: bash gets no chance to repair the tty
        Path dir = Files.createTempDirectory("wiretop-tty");
        String marker = dir.resolve("ui.log").toString();
        shell();
        type("clear; stty -g > " + dir.resolve("before") + "; ./wiretop -d 500 --logfile " + marker
                + "; stty -g > " + dir.resolve("after") + "; echo EX\"\"IT");
        waitFor("the Processes table", () -> screenHas("Viewing: Processes"), 240_000);
        long jvm = jvmPid(marker);
        String tty = tmux("display", "-p", "-t", SESSION, "#{pane_tty}").strip();
        String running = KernelHarness.sh(10, "stty", "-a", "-F", tty);
        assertTrue(running.contains("-icanon") && running.contains("-isig"), running);
        assertFalse(running.contains("speed 0 baud"), "the baud rate is kept while running:\n" + running);
        tmux("send-keys", "-t", SESSION, "q");
        waitFor("exit", () -> screenHas("EXIT"), 15_000);
        assertTrue(ProcessHandle.of(jvm).map(h -> !h.isAlive()).orElse(true));
        assertEquals(Files.readString(dir.resolve("before")), Files.readString(dir.resolve("after")),
                "every termios field (baud rate, line discipline, flags, control characters) as found");
    }

    @Test
    void ctrlZWithNoJobControlSaysSoAndKeepsRunning() throws Exception {
        // wiretop as the pane's own command: its process group is orphaned, the kernel discards SIGTSTP
        Path dir = Files.createTempDirectory("wiretop-orphan");
        String marker = dir.resolve("ui.log").toString();
        tmux("kill-session", "-t", SESSION);
        tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40",
                // sh stays the group's leader (no job control in sh -c) and keeps the pane after exit
                "cd " + ROOT + " && ./wiretop -d 500 --logfile " + marker + "; echo EXIT=$?; sleep 30");
        waitFor("the Processes table", () -> screenHas("Viewing: Processes"), 240_000);
        long jvm = jvmPid(marker);
        tmux("send-keys", "-t", SESSION, "C-z");
        waitFor("the notice", () -> screenHas("Ctrl+Z: nothing to stop"), 10_000, jvm);
        assertTrue(alternateScreen() && screenHas("Viewing: Processes"), "the screen is back");
        assertTrue(state(jvm) != 'T', "not stopped");
        tmux("send-keys", "-t", SESSION, "q");
        waitFor("the JVM gone", () -> ProcessHandle.of(jvm).map(h -> !h.isAlive()).orElse(true), 15_000);
        waitFor("exit status 0", () -> screenHas("EXIT=0"), 10_000);
    }

    @Test
    void dumbTerminalIsRefusedAndAnUnknownOneGetsANotice() throws Exception {
        Path dir = Files.createTempDirectory("wiretop-term");
        shell();
        type("clear; TERM=dumb ./wiretop; echo R\"\"C=$?");
        waitFor("the refusal", () -> screenHas("RC="), 60_000);
        String s = screen();
        assertTrue(s.contains("wiretop: the full-screen UI cannot run with TERM=dumb: use --raw or --json"), s);
        assertTrue(s.contains("RC=1"), s);
        assertFalse(s.contains("Exception") || s.contains("\tat "), s);

        String marker = dir.resolve("ui.log").toString();
        type("clear; TERM=xyzzy-no-such-term ./wiretop -d 500 --logfile " + marker + "; echo R\"\"C=$?");
        waitFor("the table despite the unknown TERM", () -> screenHas("Viewing: Processes"), 240_000);
        waitFor("the notice", () -> screenHas("TERM=xyzzy-no-such-term is not in this machine's terminfo"), 5_000);
        long jvm = jvmPid(marker);
        tmux("send-keys", "-t", SESSION, "q");
        waitFor("exit", () -> screenHas("RC=0"), 15_000, jvm);
    }
}
