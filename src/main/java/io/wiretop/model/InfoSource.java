// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/** Reads what the aggregator needs to know about a process it sees for the first time (from /proc). */
public interface InfoSource {
    /** The process's names and owner, or null when it is gone. */
    ProcessInfo read(ProcessId id);

    /** The name of a uid. */
    String userName(long uid);

    /**
     * The container a live process is in now (its short id, or "host"), or null when that cannot be
     * read (gone; a trace file). An exec'd process is asked: a runtime starts a container's first
     * process by moving a forked child into the container's cgroup, so its parent's is wrong.
     */
    default String containerNow(ProcessId id) {
        return null;
    }

    /** What file descriptor fd of a process points to (a path), or null. */
    String fdTarget(long pid, int fd);
}
