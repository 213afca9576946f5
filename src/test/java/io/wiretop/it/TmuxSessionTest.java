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
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + "; screen:\n" + screen());
            }
            Thread.sleep(100);
        }
    }
}
