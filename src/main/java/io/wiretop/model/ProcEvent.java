// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/**
 * A process lifecycle event from the kernel: exec, fork (a new process) or exit of the whole process.
 *
 * @param type       {@link #EXEC}, {@link #FORK} or {@link #EXIT}
 * @param startTicks the process start time in /proc's clock ticks: with tgid, the process identity
 * @param args       argv joined with spaces (exec; a fork when the feed knows the child's command
 *                   line, as a replayed clone exit does; empty otherwise)
 */
public record ProcEvent(int type, long tgid, long ppid, long uid, long startTicks, long tsNs, int exitCode,
                        String comm, String args) {
    public static final int EXEC = 1;
    public static final int FORK = 2;
    public static final int EXIT = 3;

    public ProcessId id() {
        return new ProcessId(tgid, startTicks);
    }
}
