// SPDX-License-Identifier: Apache-2.0
package io.wiretop.sys;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard output through its file descriptor, keeping the first write error. System.out (a
 * PrintStream) swallows EPIPE and ENOSPC, and the JVM ignores SIGPIPE, so a capture piped into
 * {@code head} would run on unseen; writers on top of this stream may swallow the exception too
 * (PrintWriter), but {@link #failure()} still says what went wrong, for one line and a stop.
 */
public final class Stdout extends OutputStream {
    // the process's entry point writes to the descriptor; Main.run called in-process (tests,
    // embedding) writes to whatever System.out is, so its caller sees the output
    private static volatile boolean direct;
    private final OutputStream fd = direct ? new FileOutputStream(FileDescriptor.out) : System.out;
    private volatile IOException failure;

    /** Called once by the process's entry point: from now on, new instances write to file descriptor 1. */
    public static void useFileDescriptor() {
        direct = true;
    }

    /** The first write error, or null while every write has succeeded. */
    public IOException failure() {
        return failure;
    }

    /** The failure as the one line wiretop prints, e.g. "cannot write to stdout: Broken pipe". */
    public String failureLine() {
        IOException e = failure;
        return "cannot write to stdout: " + (e == null || e.getMessage() == null ? "write error" : e.getMessage());
    }

    @Override
    public void write(int b) throws IOException {
        try {
            fd.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
        checkPrintStream();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            fd.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
        checkPrintStream();
    }

    @Override
    public void flush() throws IOException {
        fd.flush();
        checkPrintStream();
    }

    /** A PrintStream (System.out in-process) swallows its errors: ask it, and fail as the descriptor would. */
    private void checkPrintStream() throws IOException {
        if (fd instanceof java.io.PrintStream ps && ps.checkError()) {
            throw failed(new IOException("write error"));
        }
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Whether standard output is a terminal (binary output there would garble it). */
    public static boolean isTerminal() {
        return isTerminal(1);
    }

    /** Whether file descriptor fd of this process is a terminal (what isatty(3) says, from /proc). */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null; // no /proc: stdin and stdout both terminals
        }
    }
}
