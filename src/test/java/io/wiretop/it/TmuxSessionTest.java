// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the full-screen kernel tests share: one tmux session on a tmux server of this JVM's own
 * (see {@link TmuxShell#tmuxOn}), killed after each test and the server after each class, the
 * screen read by capture-pane, and a wait that shows the screen when it times out.
 */
abstract class TmuxSessionTest {
    static final String SESSION = "wiretop-it";
    static final Path ROOT = Path.of(System.getProperty("wiretop.sources", "."));
    private static final String SOCKET = "wiretop-it-" + ProcessHandle.current().pid();

    @BeforeAll
    static void root() {
        KernelHarness.requireRoot();
    }

    @AfterEach
    void killSession() throws Exception {
        tmux("kill-session", "-t", SESSION);
    }

    @AfterAll
    static void killTmuxServer() throws Exception {
        tmux("kill-server");
    }

    static String tmux(String... args) throws Exception {
        return TmuxShell.tmuxOn(SOCKET, args);
    }

    static String screen() throws Exception {
        return tmux("capture-pane", "-t", SESSION, "-p");
    }

    static boolean screenHas(String s) {
        try {
            return screen().contains(s);
        } catch (Exception e) {
            return false;
        }
    }

    static void waitFor(String what, BooleanSupplier cond, long millis) throws Exception {
        waitFor(what, cond, millis, -1);
    }

    /** As {@link #waitFor(String, BooleanSupplier, long)}; a timeout also reports what the JVM jvm was doing. */
    static void waitFor(String what, BooleanSupplier cond, long millis, long jvm) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + "; screen:\n" + screen() + (jvm > 0 ? diagnose(jvm) : ""));
            }
            Thread.sleep(100);
        }
    }

    /** The JVM's state, its threads' stacks and its tty's modes: why a key went unanswered. */
    static String diagnose(long jvm) {
        StringBuilder b = new StringBuilder("\n--- JVM ").append(jvm).append(" ---\n");
        try {
            b.append("stat: ").append(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + jvm + "/stat")));
            String tty = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + jvm + "/fd/0")).toString();
            b.append("stty ").append(tty).append(": ").append(KernelHarness.sh(10, "sh", "-c", "stty -a < " + tty));
            b.append(KernelHarness.sh(30, "jcmd", Long.toString(jvm), "Thread.print"));
        } catch (Exception e) {
            b.append("(").append(e).append(")");
        }
        return b.toString();
    }
}
