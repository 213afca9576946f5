// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import java.util.Set;

/** One regular file read or written by one process during one interval. */
public record FileRow(long pid, String comm, String path, long bytesIn, long bytesOut, long ops) implements Row {
    public static final Set<String> FIELDS = Set.of("proc.pid", "proc.name", "fd.name", "evt.buflen.file",
            "evt.buflen.file.in", "evt.buflen.file.out", "evt.count");

    @Override
    public Object get(String field) {
        return switch (field) {
            case "proc.pid" -> pid;
            case "proc.name" -> comm;
            case "fd.name" -> path;
            case "evt.buflen.file" -> bytesIn + bytesOut;
            case "evt.buflen.file.in" -> bytesIn;
            case "evt.buflen.file.out" -> bytesOut;
            case "evt.count" -> ops;
            default -> null;
        };
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }
}
