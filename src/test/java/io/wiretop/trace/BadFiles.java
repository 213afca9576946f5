// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every trace reader must say of a bad file: one line naming the file, the byte offset and
 * what is wrong ({@link TraceFiles#problem}); and the one case a root test cannot make in its own
 * process, a file it may not read, made by running {@link ProblemProbe} as nobody.
 */
public final class BadFiles {
    private BadFiles() {
    }

    /** The line a user sees: the file, then "offset N", then the reason; no line break, no class name. */
    public static String assertOneLine(Path file, IOException e, long offset, String reason) {
        assertTrue(e instanceof CaptureFileException, "a CaptureFileException, not " + e);
        String line = TraceFiles.problem(file, e);
        String at = file + ": offset " + offset;
        // a gzip file's offsets count the gunzipped data, and its message says so
        assertTrue(line.startsWith(at + ": ") || line.startsWith(at + " of the gunzipped data: "), line);
        assertTrue(line.contains(reason), line + " should say " + reason);
        assertFalse(line.contains("\n") || line.contains("Exception") || line.contains("null"), line);
        return line;
    }

    /** A file nobody may read, in a directory everyone may enter. */
    public static Path unreadable(Path dir) throws IOException {
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = Files.write(open.resolve("secret.trace"), new byte[]{1, 2, 3, 4});
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        return f;
    }

    /**
     * The line {@link ProblemProbe} prints for the file opened as {@code kind}: in this process when
     * it cannot read every file, else as user nobody (root reads a mode 000 file).
     */
    public static String problemAsUnprivileged(String kind, Path file) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            return ProblemProbe.problem(kind, file);
        }
        String cp = Path.of(TraceFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + ":"
                + Path.of(ProblemProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                ProblemProbe.class.getName(), kind, file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe finished");
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
