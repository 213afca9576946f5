// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The UI's log: a file (or nothing) while the screen owns the terminal, because anything written to
 * the tty then would corrupt the display. It also keeps the last lines written to System.err while the
 * screen was active, so they can be printed once the terminal is restored. Thread-safe.
 */
public final class UiLog implements AutoCloseable {
    private static final int KEEP_LINES = 40;
    private final PrintStream file;
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private UiLog(PrintStream file) {
        this.file = file;
    }

    /** A log appending to path, or a silent one when path is null. */
    public static UiLog open(Path path) throws IOException {
        if (path == null) {
            return new UiLog(null);
        }
        OutputStream os = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new UiLog(new PrintStream(os, true, StandardCharsets.UTF_8));
    }

    public static UiLog none() {
        return new UiLog(null);
    }

    public synchronized void info(String msg) {
        if (file != null) {
            file.println(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " " + msg);
        }
    }

    public synchronized void error(String msg, Throwable t) {
        info("ERROR " + msg + (t != null ? ": " + t : ""));
        if (file != null && t != null) {
            t.printStackTrace(file);
        }
    }

    /** A stream for System.out/System.err while the screen is active: lines go to the log. */
    public PrintStream captureStream(String prefix, boolean keepTail) {
        OutputStream os = new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    flushLine();
                } else {
                    line.append((char) (b & 0xff));
                }
            }

            @Override
            public synchronized void flush() {
                if (line.length() > 0) {
                    flushLine();
                }
            }

            private void flushLine() {
                String s = new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                line.setLength(0);
                info(prefix + s);
                if (keepTail) {
                    synchronized (UiLog.this) {
                        stderrTail.addLast(s);
                        while (stderrTail.size() > KEEP_LINES) {
                            stderrTail.removeFirst();
                        }
                    }
                }
            }
        };
        return new PrintStream(os, true, StandardCharsets.UTF_8);
    }

    /** The System.err lines captured while the screen was active (and forgets them). */
    public synchronized List<String> drainStderr() {
        List<String> out = new ArrayList<>(stderrTail);
        stderrTail.clear();
        return out;
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            file.close();
        }
    }
}
