// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bash in a real terminal (tmux on a server socket of its own, so parallel runs do not meet), for
 * what only a tty shows: Ctrl-C as the terminal sends it (SIGINT to the foreground process group),
 * the terminal modes a program leaves behind. Commands write their exit code and stty's report to
 * files, read back by the test.
 */
final class TmuxShell implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("wiretop.sources", ".")).toAbsolutePath();
    private final String socket = "wiretop-stop-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    final Path dir;

    TmuxShell() throws Exception {
        dir = Files.createTempDirectory("wiretop-tmux");
        tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "bash --norc --noprofile");
        keys("cd " + ROOT + " && PS1='$ '", "Enter");
    }

    String tmux(String... args) throws Exception {
        return tmuxOn(socket, args);
    }

    /**
     * Runs a tmux command on the server of this socket name and returns what it printed. Every test
     * uses a socket of its own: a test that kills "its" server never ends another run's panes.
     */
    static String tmuxOn(String socket, String... args) throws Exception {
        if (args.length > 0 && args[0].equals("new-session")) {
            // a server that outlives its sessions: kill-session then new-session on a server that exits
            // when its last session goes can meet it dying ("no server running"); the test's
            // kill-server ends it
            exec(socket, "start-server", ";", "set-option", "-s", "exit-empty", "off");
        }
        return exec(socket, args);
    }

    private static String exec(String socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    void keys(String... keys) throws Exception {
        List<String> a = new ArrayList<>(List.of("send-keys", "-t", "t"));
        a.addAll(List.of(keys));
        tmux(a.toArray(String[]::new));
    }

    /** Types a command line that runs cmd and then records its exit code in {@code dir/rc}. */
    void run(String cmd) throws Exception {
        Files.deleteIfExists(dir.resolve("rc"));
        keys(cmd + "; echo $? > " + dir.resolve("rc"), "Enter");
    }

    String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "t", "-S", "-200");
    }

    void waitFor(String what, BooleanSupplier cond, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + "; screen:\n" + screen());
            }
            Thread.sleep(100);
        }
    }

    boolean shows(String text) {
        try {
            return screen().contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    /** The exit code of the last {@link #run}, once it has ended. */
    int exitCode(long millis) throws Exception {
        Path rc = dir.resolve("rc");
        waitFor("the command to end", () -> {
            try {
                return Files.exists(rc) && !Files.readString(rc).isBlank();
            } catch (Exception e) {
                return false;
            }
        }, millis);
        return Integer.parseInt(Files.readString(rc).strip());
    }

    /** stty -a of the pane's terminal, as the shell sees it after the program ended: its flags as words. */
    List<String> sttyFlags() throws Exception {
        Path out = dir.resolve("stty");
        Files.deleteIfExists(out);
        keys("stty -a > " + out, "Enter");
        waitFor("stty", () -> {
            try {
                return Files.exists(out) && Files.readString(out).contains("icanon");
            } catch (Exception e) {
                return false;
            }
        }, 10_000);
        return List.of(Files.readString(out).split("[\\s;]+"));
    }

    /** The pid of the one java process whose command line contains marker (the JVM ./wiretop started). */
    static long jvmPid(String marker, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            Process p = new ProcessBuilder("pgrep", "-f", "^java .*wiretop.jar.*" + marker).start();
            String pids = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            if (!pids.isEmpty()) {
                String[] all = pids.split("\\s+");
                assertFalse(all.length > 1, "one JVM with marker " + marker + ": " + pids);
                return Long.parseLong(all[0]);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no JVM with marker " + marker + " started");
    }

    @Override
    public void close() throws Exception {
        tmux("kill-server");
    }
}
