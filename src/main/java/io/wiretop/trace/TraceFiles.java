// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import io.wiretop.sys.OsError;
import io.wiretop.text.SafeText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opening a trace file and saying in one line what is wrong with it, the same way for every
 * format: a file that cannot be opened at all (missing, a directory, unreadable) is a
 * {@link CaptureFileException} at offset 0 like one that is not a capture, so that every problem
 * reads {@code FILE: offset N: reason}.
 */
public final class TraceFiles {
    private TraceFiles() {
    }

    /** The file's bytes; a {@link CaptureFileException} at offset 0 when it cannot be read at all. */
    public static InputStream open(Path file) throws CaptureFileException {
        if (Files.isDirectory(file)) {
            throw new CaptureFileException(0, "a directory, not a capture file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new CaptureFileException(0, "no such file");
        } catch (AccessDeniedException e) {
            throw new CaptureFileException(0, "permission denied");
        } catch (IOException e) {
            throw new CaptureFileException(0, "cannot open: " + reason(e));
        }
    }

    /**
     * {@code FILE: offset N: reason}, one line, for whatever stopped the reading of a trace file (the
     * CLI's message and the tests' expectation): the file name escaped, an OS error as the OS says it.
     */
    public static String problem(Path file, Throwable t) {
        String what = t instanceof CaptureFileException ? t.getMessage()
                : t instanceof IOException io ? "read error: " + OsError.reason(io)
                // a message may quote text from the file: one line, nothing that drives a terminal
                : SafeText.printable((t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                        : t.getMessage()).replace('\n', ' '));
        return SafeText.escape(file.toString()) + ": " + what.replace('\n', ' ');
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
