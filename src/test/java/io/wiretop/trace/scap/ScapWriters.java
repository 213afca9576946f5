// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writers for tests outside this package: one on a "disk" that fills after a number of bytes. */
public final class ScapWriters {
    private ScapWriters() {
    }

    /** A writer of {@code file} whose writes fail with ENOSPC's message once {@code room} bytes reached it. */
    public static ScapWriter fillingAfter(Path file, long room, boolean gzip) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ScapBlocksTest.FailingChannel failing = new ScapBlocksTest.FailingChannel(ch, room);
        return gzip ? ScapWriter.gzipOn(failing) : ScapWriter.on(failing);
    }
}
