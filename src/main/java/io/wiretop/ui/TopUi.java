// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.model.SnapshotSource;
import io.wiretop.sys.SignalTrap;
import io.wiretop.text.SafeText;
import io.wiretop.view.Filter;
import io.wiretop.view.FilterSyntaxException;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewRegistry;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Entry point of the interactive UI, called by the CLI: {@code return TopUi.run(source, registry, options)}.
 * Runs on the calling thread, which becomes the UI thread and sole owner of the terminal until it returns.
 * It never closes the source: the caller closes it and exits with the returned code. Errors are printed
 * as one line on stderr after the terminal is restored.
 */
public final class TopUi {
    /** Exit code for bad options (unknown view or keymap, invalid filter, no terminal). */
    public static final int EXIT_USAGE = 2;
    /** How long a signal waits for the UI to end by itself before the terminal is restored by force. */
    static final long SIGNAL_GRACE_MILLIS = 3000;

    private TopUi() {
    }

    /**
     * Runs the UI until the user quits or a TERM/HUP/INT signal arrives; returns the process exit code:
     * 0 after quit, 128+signal after a signal, 1 after an error, {@link #EXIT_USAGE} for bad options.
     */
    public static int run(SnapshotSource src, ViewRegistry views, UiOptions opts) {
        return run(src, views, opts, null, t -> "capture stopped: " + UiLoop.oneLine(t));
    }

    /**
     * As {@link #run(SnapshotSource, ViewRegistry, UiOptions)}, with the record key starting
     * recordings through {@code recording} (null: the key says recording is not available; a
     * recording still running at the end is stopped and its summary printed on stderr), and saying
     * with failureLine why the source stopped (a replayed file: {@code FILE: offset N: reason}): the
     * screen keeps the last snapshot and shows that line until the user quits.
     */
    public static int run(SnapshotSource src, ViewRegistry views, UiOptions opts, RecordingSetup recording,
                          Function<Throwable, String> failureLine) {
        return run(src, views, opts, recording, failureLine, null);
    }

    /**
     * As {@link #run(SnapshotSource, ViewRegistry, UiOptions, RecordingSetup, Function)}, with Echo,
     * Dig and Spectrogram windows getting their events from {@code windows} (null: those keys say
     * the windows are not available); a window still open at the end is closed with its source.
     */
    public static int run(SnapshotSource src, ViewRegistry views, UiOptions opts, RecordingSetup recording,
                          Function<Throwable, String> failureLine, io.wiretop.window.EventWindowSource.Opener windows) {
        UiOptions o = opts == null ? UiOptions.defaults() : opts;
        Keymap keymap;
        try {
            keymap = Keymap.load(o.keymapName());
        } catch (KeymapException e) {
            System.err.println("wiretop: " + SafeText.printable(e.getMessage())); // may quote the keymap file
            return EXIT_USAGE;
        }
        String id = o.startViewId() == null ? ViewRegistry.DEFAULT_VIEW : o.startViewId();
        ViewDef start = views.get(id);
        if (start == null) {
            System.err.println("wiretop: unknown view '" + id + "' (known: "
                    + String.join(", ", views.all().stream().map(ViewDef::id).toList()) + ")");
            return EXIT_USAGE;
        }
        Filter global = Filter.ALL;
        if (o.initialFilter() != null && !o.initialFilter().isBlank()) {
            try {
                global = Filter.parse(o.initialFilter());
            } catch (FilterSyntaxException e) {
                System.err.println("wiretop: invalid filter at position " + e.position() + ": " + e.reason());
                return EXIT_USAGE;
            }
        }
        UiLog log;
        try {
            log = UiLog.open(o.logFile());
        } catch (IOException e) {
            System.err.println("wiretop: cannot open log file " + o.logFile() + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        TerminalSession session;
        try {
            session = TerminalSession.openTty(log);
        } catch (NoTtyException e) {
            System.err.println(e.getMessage());
            log.close();
            return EXIT_USAGE;
        } catch (IOException | RuntimeException e) {
            System.err.println("wiretop: cannot open the terminal: " + e.getMessage());
            log.close();
            return 1;
        }
        Map<String, String> env = System.getenv();
        Theme theme = new Theme(ColorMode.detect(env),
                ColorMode.utf8(env) && Charset.defaultCharset().name().toUpperCase().contains("UTF"));
        TtyActionRunner runner = new TtyActionRunner(session, log);
        Views catalogue = Views.of(views::get, views::applicableTo);
        int rc = 0;
        String error = null;
        SignalTrap signals = null;
        CountDownLatch done = new CountDownLatch(1);
        UiController controller = null;
        try {
            UiLoop loop = build(session, src, catalogue, keymap, start, global, o, theme, log, runner,
                    () -> System.nanoTime() / 1_000_000);
            loop.controller.recording = recording;
            loop.controller.windowSources = windows;
            controller = loop.controller;
            loop.failureLine = failureLine;
            signals = SignalTrap.install(name -> {
                if (name.equals("INT") && runner.running.get()) {
                    return; // Ctrl-C of the action's command, not of wiretop
                }
                log.info("SIG" + name + ": quitting");
                loop.requestQuit(signalExit(name));
                watchdog(done, session, log, name);
            }, "TERM", "HUP", "INT");
            if (signals.trapped() < 3) {
                log.info("not every stop signal could be trapped: the JVM's shutdown hook restores the terminal");
            }
            loop.run();
            rc = loop.exitCode();
        } catch (Throwable t) {
            log.error("UI failed", t);
            error = "wiretop: UI failed: " + t + (o.logFile() != null ? " (details in " + o.logFile() + ")" : "");
            rc = 1;
        } finally {
            // the file complete before the terminal is given back, its summary after
            io.wiretop.trace.record.RecordStatus recorded = controller == null ? null : controller.stopRecording();
            if (controller != null) {
                controller.closeWindow(); // a live window's stream is released before the process goes
            }
            session.restore();
            done.countDown();
            if (recorded != null) {
                System.err.println(recorded.summary());
                if (recorded.error() != null) {
                    System.err.println("wiretop: " + SafeText.printable(recorded.error()));
                }
            }
            if (signals != null) {
                signals.release();
            }
            for (String line : log.drainStderr()) {
                System.err.println(SafeText.printable(line));
            }
            if (error != null) {
                System.err.println(SafeText.printable(error));
            }
            log.close();
        }
        return rc;
    }

    /**
     * Why this process's TERM cannot host the UI (dumb, empty or unset), as one sentence without the
     * "wiretop: " prefix; null when it can. The CLI asks before it loads anything into the kernel.
     */
    public static String terminalRefusal() {
        TermType t = TermType.of(System.getenv());
        return t.refused() ? t.notice() : null;
    }

    /** Wires a loop on an open session; shared by {@link #run} and the tests/demo on a virtual terminal. */
    static UiLoop build(TerminalSession session, SnapshotSource src, Views views, Keymap keymap, ViewDef start,
                        Filter global, UiOptions o, Theme theme, UiLog log, ActionRunner runner, LongSupplier clock) {
        UiController c = new UiController(views, start, keymap, o.readonly(), runner, clock);
        c.global = global == null ? Filter.ALL : global;
        c.available = src::availableSources;
        ScreenRenderer r = new ScreenRenderer(theme, src.label());
        if (session.notice() != null) {
            c.message(session.notice(), false);
            log.info(session.notice());
        }
        return new UiLoop(session, src, c, r, new Canvas(theme), log, Math.max(0, o.refreshMillis()));
    }

    static int signalExit(String signal) {
        return switch (signal) {
            case "INT" -> 130;
            case "HUP" -> 129;
            default -> 143;
        };
    }

    /** If the UI thread has not finished soon after a signal (a stuck command), restore and exit anyway. */
    private static void watchdog(CountDownLatch done, TerminalSession session, UiLog log, String signal) {
        Thread t = new Thread(() -> {
            try {
                if (done.await(SIGNAL_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            {
                log.info("UI did not stop after SIG" + signal + "; restoring the terminal and exiting");
                session.restore();
                System.exit(signalExit(signal));
            }
        }, "wiretop-signal-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
