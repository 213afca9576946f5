// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;
import org.jline.utils.Signals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * lanterna's Unix terminal with jline's tty underneath: termios (echo, canonical mode, signal keys)
 * and the window size through jline's JNI provider, where lanterna's own UnixTerminal runs
 * {@code /bin/sh -c "stty ... < /dev/tty"} for each of them and asks the terminal for its size with
 * a cursor-position report. lanterna still decodes keys from stdin and writes the screen to stdout;
 * jline is used only for the tty's settings and size, never to read or write.
 *
 * <p>Signal keys are off in the screen (ISIG cleared): Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys, so
 * the UI thread quits or suspends with the terminal in a known state (a kernel SIGTSTP would stop the
 * JVM with the tty raw and the alternate screen up).
 */
final class JLineTty extends UnixLikeTerminal {
    private final Terminal tty;
    private Attributes saved;
    private boolean constructed;
    /** SIGCONTs seen: how the UI thread learns that the process was stopped and has been continued. */
    private long continued;
    private final Object contLock = new Object();
    /** The JVM's previous handler of each signal registered here, put back by {@link #close()}. */
    private final Map<String, Object> signalHandlers = new LinkedHashMap<>();

    private JLineTty(Terminal tty, InputStream in, OutputStream out, Charset charset) throws IOException {
        super(in, out, charset, CtrlCBehaviour.TRAP);
        this.tty = tty;
        constructed = true;
        super.acquire(); // lanterna's constructor calls acquire() before this class's fields are set
    }

    @Override
    protected void acquire() throws IOException {
        if (constructed) {
            super.acquire();
        }
    }

    /**
     * Opens the process's tty through jline (JNI; the exec provider, which runs stty, only if the native
     * library cannot be loaded) without its signal handlers: wiretop installs its own.
     */
    static Terminal openSystemTty(Charset charset) throws IOException {
        // jline reads the capabilities of its terminal type with an `infocmp` child process; lanterna
        // draws from its own sequences, so jline gets its built-in "ansi" entry and runs nothing
        InfoCmp.setLoadedInfoCmp("ansi", InfoCmp.getDefaultInfoCmp("ansi"));
        try {
            return build(charset, "jni");
        } catch (IOException | RuntimeException | LinkageError e) {
            // the native library could not be loaded (a noexec temporary directory...): the exec
            // provider, which runs stty for each change, is slower but works
            return build(charset, "exec");
        }
    }

    private static Terminal build(Charset charset, String provider) throws IOException {
        return TerminalBuilder.builder()
                .system(true)
                .provider(provider) // the others are not even probed (the exec one would run `test -t 1`)
                .type("ansi")
                .dumb(false)
                .nativeSignals(false)
                .encoding(charset)
                .build();
    }

    /** A lanterna terminal over {@code tty}, reading keys from {@code in} and drawing to {@code out}. */
    static JLineTty over(Terminal tty, InputStream in, OutputStream out, Charset charset) throws IOException {
        return new JLineTty(tty, in, out, charset);
    }

    Terminal tty() {
        return tty;
    }

    @Override
    protected TerminalSize findTerminalSize() throws IOException {
        Size s = tty.getSize(); // TIOCGWINSZ
        if (s == null || s.getColumns() <= 0 || s.getRows() <= 0) {
            return super.findTerminalSize(); // a tty that does not know its size: ask the terminal
        }
        return new TerminalSize(s.getColumns(), s.getRows());
    }

    @Override
    protected void registerTerminalResizeListener(Runnable onResize) {
        // jline 4 registers the JVM's handlers only with nativeSignals(true), and then for INT, QUIT
        // and TSTP too, which are wiretop's business (ui.Signals): these two are registered here
        signalHandlers.put("WINCH", Signals.register("WINCH", onResize));
        // a SIGTSTP from another process (kill -TSTP) would stop the JVM with the tty raw and the
        // alternate screen up: it becomes a request, and the UI thread stops the job as for Ctrl-Z
        signalHandlers.put("TSTP", Signals.register("TSTP", () -> stopRequested = true));
        signalHandlers.put("CONT", Signals.register("CONT", () -> {
            synchronized (contLock) {
                continued++;
                contLock.notifyAll();
            }
        }));
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            signalHandlers.forEach(Signals::unregister);
            signalHandlers.clear();
        }
    }

    /** Set by a SIGTSTP from another process; the UI thread takes it with {@link #takeStopRequest()}. */
    private volatile boolean stopRequested;

    boolean takeStopRequest() {
        boolean r = stopRequested;
        stopRequested = false;
        return r;
    }

    /**
     * Runs {@code stop} (which sends SIGTSTP to the process group) with SIGTSTP's default action, so
     * that the JVM stops too, then puts the handler back. Call only after the stop has been
     * delivered and continued ({@link #awaitContinued}), or the handler would catch it.
     */
    void withDefaultTstp(Runnable stop, Runnable afterStop) {
        Signals.registerDefault("TSTP");
        try {
            stop.run();
            afterStop.run();
        } finally {
            Signals.register("TSTP", () -> stopRequested = true);
        }
    }

    /** How many SIGCONTs have arrived. */
    long continued() {
        synchronized (contLock) {
            return continued;
        }
    }

    /** Waits until more than {@code seen} SIGCONTs have arrived, at most {@code millis}. */
    boolean awaitContinued(long seen, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (contLock) {
            while (continued <= seen) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                contLock.wait(left);
            }
            return true;
        }
    }

    @Override
    protected void saveTerminalSettings() {
        saved = tty.getAttributes();
    }

    @Override
    protected void restoreTerminalSettings() {
        if (saved != null) {
            tty.setAttributes(saved);
        }
    }

    @Override
    protected void keyEchoEnabled(boolean enabled) {
        setLocalFlag(Attributes.LocalFlag.ECHO, enabled);
    }

    @Override
    protected void canonicalMode(boolean enabled) {
        Attributes a = tty.getAttributes();
        a.setLocalFlag(Attributes.LocalFlag.ICANON, enabled);
        if (!enabled) {
            a.setControlChar(Attributes.ControlChar.VMIN, 1); // as lanterna's "stty -icanon min 1"
            a.setControlChar(Attributes.ControlChar.VTIME, 0);
        }
        tty.setAttributes(a);
    }

    @Override
    protected void keyStrokeSignalsEnabled(boolean enabled) {
        setLocalFlag(Attributes.LocalFlag.ISIG, enabled);
    }

    /** One local mode flag changed, the tty's other settings kept as they are. */
    private void setLocalFlag(Attributes.LocalFlag flag, boolean enabled) {
        Attributes a = tty.getAttributes();
        a.setLocalFlag(flag, enabled);
        tty.setAttributes(a);
    }
}
