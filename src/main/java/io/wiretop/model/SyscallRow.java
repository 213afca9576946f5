// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.Set;

/**
 * Calls of one syscall by one process that ended with one result during one interval.
 *
 * @param result "SUCCESS" or the errno name (ENOENT, EAGAIN...)
 */
public record SyscallRow(long pid, String comm, String syscall, String result, long calls) implements Row {
    public static final Set<String> FIELDS = Set.of("proc.pid", "proc.name", "evt.type", "evt.res", "evt.count",
            "evt.count.error", "evt.failed");

    @Override
    public Object get(String field) {
        return switch (field) {
            case "proc.pid" -> pid;
            case "proc.name" -> comm;
            case "evt.type" -> syscall;
            case "evt.res" -> result;
            case "evt.count" -> calls;
            case "evt.count.error" -> "SUCCESS".equals(result) ? 0L : calls;
            case "evt.failed" -> "SUCCESS".equals(result) ? "false" : "true";
            default -> null;
        };
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }
}
