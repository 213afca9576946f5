// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/** Reads what the aggregator needs to know about a process it sees for the first time (from /proc). */
public interface InfoSource {
    /** The process's names and owner, or null when it is gone. */
    ProcessInfo read(ProcessId id);

    /** The name of a uid. */
    String userName(long uid);

    /** What file descriptor fd of a process points to (a path), or null. */
    String fdTarget(long pid, int fd);
}
