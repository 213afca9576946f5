// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.Set;

/** One thread during one interval (from /proc/pid/task); CPU only, the kernel counts I/O per process. */
public record ThreadRow(long pid, long tid, String comm, String cmdline, double cpuPercent) implements Row {
    public static final Set<String> FIELDS = Set.of("proc.pid", "thread.tid", "proc.name", "thread.name",
            "proc.exeline", "thread.cpu");

    @Override
    public Object get(String field) {
        return switch (field) {
            case "proc.pid" -> pid;
            case "thread.tid" -> tid;
            case "proc.name", "thread.name" -> comm;
            case "proc.exeline" -> cmdline;
            case "thread.cpu" -> cpuPercent < 0 ? null : cpuPercent;
            default -> null;
        };
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }
}
