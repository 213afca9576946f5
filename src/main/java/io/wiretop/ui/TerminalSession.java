// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.ExtendedTerminal;
import com.googlecode.lanterna.terminal.MouseCaptureMode;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The sole owner of the controlling terminal while the UI runs: a lanterna text terminal (never a Swing
 * window, even with DISPLAY set), in private mode (alternate screen), Ctrl-C delivered as a key, mouse
 * capture on. {@link #restore()} is idempotent and runs from the normal quit path, from exceptions
 * (callers use try/finally) and from a JVM shutdown hook. While the screen is active System.out and
 * System.err go to the {@link UiLog}. Tests build one on a virtual terminal with {@link #virtual}.
 *
 * <p>Thread confinement: the screen and terminal belong to the UI thread; only {@link #restore()} may be
 * called from another thread (signal handler, shutdown hook), and it is synchronized.
 */
public final class TerminalSession implements AutoCloseable {
    private final Terminal terminal;
    private final TerminalScreen screen;
    private final boolean tty;
    private final String cookedStty;
    private final PrintStream origOut;
    private final PrintStream origErr;
    private final UiLog log;
    private final Thread hook;
    private boolean restored;
    private boolean suspended;

    private TerminalSession(Terminal terminal, boolean tty, String cookedStty, UiLog log) throws IOException {
        this.terminal = terminal;
        this.tty = tty;
        this.cookedStty = cookedStty;
        this.log = log;
        this.origOut = System.out;
        this.origErr = System.err;
        this.screen = new TerminalScreen(terminal);
        if (tty) {
            hook = new Thread(this::restore, "wiretop-terminal-restore");
            Runtime.getRuntime().addShutdownHook(hook);
            System.setOut(log.captureStream("stdout: ", false));
            System.setErr(log.captureStream("stderr: ", true));
        } else {
            hook = null;
        }
        screen.startScreen();
        screen.setCursorPosition(null);
        if (tty) {
            mouse(true);
        }
    }

    /**
     * Opens the process's terminal. Throws {@link NoTtyException} with a one-line reason when stdin or
     * stdout is not a terminal (pipes, cron, systemd): the UI must not start there.
     */
    public static TerminalSession openTty(UiLog log) throws IOException, NoTtyException {
        if (System.console() == null || !isTty(0) || !isTty(1)) {
            throw new NoTtyException("wiretop: the interactive UI needs a terminal on stdin and stdout "
                    + "(use --raw or --json for plain output)");
        }
        String cooked = stty("-g");
        DefaultTerminalFactory f = new DefaultTerminalFactory(System.out, System.in, charset());
        f.setForceTextTerminal(true);
        f.setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP);
        Terminal t = f.createTerminal();
        return new TerminalSession(t, true, cooked == null ? null : cooked.trim(), log);
    }

    /** A session on a terminal that is not the process's tty (lanterna's virtual terminal in tests). */
    public static TerminalSession virtual(Terminal t, UiLog log) throws IOException {
        return new TerminalSession(t, false, null, log);
    }

    private static Charset charset() {
        String enc = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            return enc != null ? Charset.forName(enc) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static boolean isTty(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true; // no /proc: trust System.console()
        }
    }

    private void mouse(boolean on) throws IOException {
        if (terminal instanceof ExtendedTerminal x) {
            x.setMouseCaptureMode(on ? MouseCaptureMode.CLICK_RELEASE : null);
        }
    }

    public Screen screen() {
        return screen;
    }

    public Terminal terminal() {
        return terminal;
    }

    public boolean isTty() {
        return tty;
    }

    /**
     * Leaves the screen so an external command can use the terminal: alternate screen off, mouse off,
     * the user's original (cooked) tty settings back. Returns the raw settings to give to {@link #resume}.
     */
    public synchronized String suspend() throws IOException {
        if (!tty || suspended || restored) {
            return null;
        }
        String raw = stty("-g");
        mouse(false);
        screen.stopScreen();
        if (cookedStty != null) {
            stty(cookedStty);
        }
        suspended = true;
        return raw == null ? null : raw.trim();
    }

    /** Takes the terminal back after {@link #suspend}; the caller then redraws completely. */
    public synchronized void resume(String rawStty) throws IOException {
        if (!suspended || restored) {
            return;
        }
        if (rawStty != null) {
            stty(rawStty);
        }
        screen.startScreen();
        screen.setCursorPosition(null);
        mouse(true);
        suspended = false;
    }

    /** The real stdout/stdin, for prompts while suspended (System.out is the log then). */
    public PrintStream ttyOut() {
        return origOut;
    }

    public InputStream ttyIn() {
        return System.in;
    }

    /**
     * Gives the terminal back exactly as found: mouse reporting off, cursor shown, alternate screen left,
     * tty settings restored, System.out/err back. Safe to call more than once and from any thread.
     */
    public synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            if (tty) {
                mouse(false);
            }
        } catch (IOException | RuntimeException e) {
            log.info("restore: mouse off failed: " + e);
        }
        try {
            if (!suspended) {
                screen.stopScreen();
            }
        } catch (IOException | RuntimeException e) {
            log.info("restore: stopScreen failed: " + e);
        }
        try {
            terminal.setCursorVisible(true);
            terminal.flush();
        } catch (IOException | RuntimeException e) {
            log.info("restore: cursor failed: " + e);
        }
        try {
            terminal.close(); // lanterna restores its saved stty settings here
        } catch (IOException | RuntimeException e) {
            log.info("restore: close: " + e); // removeShutdownHook during shutdown: harmless
        }
        if (tty && cookedStty != null) {
            try {
                stty(cookedStty);
            } catch (IOException | RuntimeException e) {
                log.info("restore: stty failed: " + e);
            }
        }
        if (tty) {
            System.setOut(origOut);
            System.setErr(origErr);
            try {
                if (Thread.currentThread() != hook) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    @Override
    public void close() {
        restore();
    }

    /** Runs stty on /dev/tty; returns its output (for -g) or null when stty failed. */
    static String stty(String args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "stty " + args + " < /dev/tty");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return p.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : null;
    }
}
