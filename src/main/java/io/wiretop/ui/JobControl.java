// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.host.ProcFs;
import io.wiretop.model.ProcStat;
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

    /**
     * True when the kernel would discard a SIGTSTP to this process group (POSIX "orphaned": no
     * member has a parent in another group of the same session, so no shell is there to continue
     * it), as when wiretop is a tmux pane's or an ssh session's command run without job control.
     * Decided before stopping, from /proc: timing the stop cannot tell a discarded signal from a
     * short stop on a busy machine.
     */
    static boolean groupOrphaned(ProcFs proc) {
        long[] me = parentGroupSession(proc, ProcessHandle.current().pid());
        if (me == null) {
            return false; // cannot tell: try, as a shell's Ctrl-Z would
        }
        for (long pid : proc.pids()) {
            long[] member = parentGroupSession(proc, pid);
            if (member == null || member[1] != me[1]) {
                continue; // not in the group, or gone
            }
            long[] parent = parentGroupSession(proc, member[0]);
            if (parent != null && parent[1] != me[1] && parent[2] == me[2]) {
                return false;
            }
        }
        return true;
    }

    /** {ppid, pgrp, session} of a process, or null when it is gone. */
    private static long[] parentGroupSession(ProcFs proc, long pid) {
        String stat = proc.processFile(pid, "stat");
        String[] f = stat == null ? null : ProcStat.fieldsAfterComm(stat.strip());
        if (f == null) {
            return null;
        }
        try {
            return new long[]{Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
        } catch (NumberFormatException e) {
            return null;
        }
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
