// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import jnr.ffi.LibraryLoader;

/**
 * Ctrl-Z for a program that reads Ctrl-Z as a key: stops the whole foreground process group as the
 * tty driver would, so the shell sees the job stopped and {@code fg} continues it. The group, not
 * only this JVM: the {@code ./wiretop} launcher waits in the same group, and a shell only reports a
 * job stopped when its leader stops.
 */
final class JobControl {
    /** The one libc call needed; loaded on the first Ctrl-Z, not at start-up. */
    public interface Kill {
        int kill(int pid, int sig);
    }

    static final int SIGTSTP = 20; // Linux, every architecture wiretop builds for (x86_64, arm64)

    private static Kill libc;

    private JobControl() {
    }

    /** Stops this process group with SIGTSTP; returns after a SIGCONT (fg, bg, kill -CONT). */
    static synchronized void stopGroup() {
        if (libc == null) {
            libc = LibraryLoader.create(Kill.class).failImmediately().load("c");
        }
        if (libc.kill(0, SIGTSTP) != 0) {
            throw new IllegalStateException("kill(0, SIGTSTP) failed");
        }
    }
}
