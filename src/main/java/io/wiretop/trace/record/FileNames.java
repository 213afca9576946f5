// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import java.nio.file.Path;

/**
 * The names of a recording's files, as sysdig's cycle writer gives them: the -w name itself when
 * nothing rotates, else the name with the file's number appended ({@code dump.scap0},
 * {@code dump.scap1}...), zero-padded to the width of -W when it is given ({@code -W 10}:
 * {@code dump.scap00} to {@code dump.scap09}), the number going back to 0 after -W files.
 */
public final class FileNames {
    private final Path base;
    private final boolean numbered;
    private final int count;
    private final int width;

    public FileNames(Path base, RecordLimits limits) {
        this.base = base;
        this.numbered = limits.rotates();
        this.count = limits.fileCount();
        this.width = count > 0 ? Integer.toString(count).length() : 0;
    }

    /** The name of the n-th file written (n from 0). */
    public Path name(long n) {
        if (!numbered) {
            return base;
        }
        long index = count > 0 ? n % count : n;
        String digits = Long.toString(index);
        StringBuilder s = new StringBuilder(base.getFileName().toString());
        for (int i = digits.length(); i < width; i++) {
            s.append('0');
        }
        s.append(digits);
        return base.resolveSibling(s.toString());
    }
}
