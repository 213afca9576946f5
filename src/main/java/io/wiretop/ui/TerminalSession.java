// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ExtendedTerminal;
import com.googlecode.lanterna.terminal.MouseCaptureMode;
import com.googlecode.lanterna.terminal.Terminal;
import io.wiretop.host.ProcFs;
import io.wiretop.sys.Stdout;
import org.jline.terminal.Attributes;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The sole owner of the controlling terminal while the UI runs: a lanterna text terminal (never a Swing
 * window, even with DISPLAY set) over jline's tty ({@link JLineTty}: termios and the window size without
 * stty child processes), in private mode (alternate screen), Ctrl-C and Ctrl-Z delivered as keys, mouse
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
    /** The tty under the screen (null on a virtual terminal), its settings as found and while in the screen. */
    private final JLineTty jline;
    private final Attributes cooked;
    private Attributes raw;
    /** A one-line notice for the footer at start (an unknown TERM), or null. */
    private final String notice;
    private final PrintStream origOut;
    private final PrintStream origErr;
    private final UiLog log;
    private final Thread hook;
    private boolean restored;
    private boolean suspended;

    private TerminalSession(Terminal terminal, JLineTty jline, Attributes cooked, String notice, UiLog log)
            throws IOException {
        this.terminal = terminal;
        this.jline = jline;
        this.tty = jline != null;
        this.cooked = cooked;
        this.notice = notice;
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
        if (System.console() == null || !Stdout.isTerminal(0) || !Stdout.isTerminal(1)) {
            throw new NoTtyException("wiretop: the interactive UI needs a terminal on stdin and stdout "
                    + "(use --raw or --json for plain output)");
        }
        TermType type = TermType.of(System.getenv());
        if (type.refused()) {
            throw new NoTtyException("wiretop: " + type.notice());
        }
        Charset cs = charset();
        org.jline.terminal.Terminal sys = JLineTty.openSystemTty(cs);
        Attributes cooked = sys.getAttributes();
        JLineTty t;
        try {
            t = JLineTty.over(sys, System.in, System.out, cs);
        } catch (IOException | RuntimeException e) {
            sys.setAttributes(cooked);
            sys.close();
            throw e;
        }
        return new TerminalSession(t, t, cooked, type.notice(), log);
    }

    /** A session on a terminal that is not the process's tty (lanterna's virtual terminal in tests). */
    public static TerminalSession virtual(Terminal t, UiLog log) throws IOException {
        return new TerminalSession(t, null, null, null, log);
    }

    private static Charset charset() {
        String enc = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        try {
            return enc != null ? Charset.forName(enc) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
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

    /** The notice to show in the footer at start (TERM unknown to terminfo), or null. */
    public String notice() {
        return notice;
    }

    /**
     * Leaves the screen so an external command (or the shell, after Ctrl-Z) can use the terminal:
     * alternate screen off, mouse off, the user's original (cooked) tty settings back.
     */
    public synchronized void suspend() throws IOException {
        if (!tty || suspended || restored) {
            return;
        }
        raw = jline.tty().getAttributes();
        mouse(false);
        screen.stopScreen();
        jline.tty().setAttributes(cooked);
        suspended = true;
    }

    /** Takes the terminal back after {@link #suspend}; the caller then redraws completely. */
    public synchronized void resume() throws IOException {
        if (!suspended || restored) {
            return;
        }
        if (raw != null) {
            jline.tty().setAttributes(raw);
        }
        screen.startScreen();
        screen.setCursorPosition(null);
        mouse(true);
        terminal.getTerminalSize(); // the window may have changed while the screen was away
        suspended = false;
    }

    /**
     * Ctrl-Z: gives the terminal back, stops the process group (the shell prints "Stopped"), and after
     * {@code fg} takes the terminal again; the caller then redraws completely. Returns null after a
     * stop, else one line saying why nothing stopped (a virtual terminal; a process group the kernel
     * does not stop, as when wiretop is a tmux pane's own command and no shell can continue it).
     */
    public String stopJob() throws IOException {
        if (!tty) {
            return "Ctrl+Z: no terminal to give back here";
        }
        if (JobControl.groupOrphaned(ProcFs.system())) {
            return "Ctrl+Z: nothing to stop (no shell with job control above wiretop); q quits";
        }
        suspend();
        try {
            long seen = jline.continued();
            // the stop is delivered on the way out of kill(2), possibly to another thread a moment
            // later: wait (a little) for the SIGCONT so the screen is not taken back before the stop
            jline.withDefaultTstp(JobControl::stopGroup, () -> {
                try {
                    jline.awaitContinued(seen, 500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } finally {
            resume();
            synchronized (this) {
                lastContinued = jline.continued();
            }
        }
        return null;
    }

    /** True once after a SIGTSTP from another process: the caller then stops the job as for Ctrl-Z. */
    public boolean stopRequestedBySignal() {
        return tty && jline.takeStopRequest();
    }

    /**
     * True once after a SIGCONT the UI did not ask for (a stop by another process's SIGSTOP/SIGTSTP):
     * the shell may have reset the tty meanwhile, so the raw settings are put back and the caller
     * redraws completely.
     */
    public synchronized boolean continuedBehindOurBack() {
        if (!tty || suspended || restored || jline.continued() == lastContinued) {
            return false;
        }
        lastContinued = jline.continued();
        Attributes now = jline.tty().getAttributes();
        if (now.getLocalFlag(Attributes.LocalFlag.ICANON) || now.getLocalFlag(Attributes.LocalFlag.ECHO)
                || now.getLocalFlag(Attributes.LocalFlag.ISIG)) {
            Attributes r = new Attributes(now);
            r.setLocalFlag(Attributes.LocalFlag.ICANON, false);
            r.setLocalFlag(Attributes.LocalFlag.ECHO, false);
            r.setLocalFlag(Attributes.LocalFlag.ISIG, false);
            r.setControlChar(Attributes.ControlChar.VMIN, 1);
            r.setControlChar(Attributes.ControlChar.VTIME, 0);
            jline.tty().setAttributes(r);
        }
        return true;
    }

    private long lastContinued;

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
            terminal.close(); // lanterna restores the settings it saved at start here
        } catch (IOException | RuntimeException e) {
            log.info("restore: close: " + e); // removeShutdownHook during shutdown: harmless
        }
        if (tty) {
            try {
                jline.tty().setAttributes(cooked);
                jline.tty().close();
            } catch (IOException | RuntimeException e) {
                log.info("restore: tty settings failed: " + e);
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
}
