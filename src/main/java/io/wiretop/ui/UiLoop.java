// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import io.wiretop.model.PacketRow;
import io.wiretop.model.PacketSelection;
import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The UI thread's loop: polls input with a short timeout, takes new snapshots without blocking on the
 * source for long, and redraws only when something changed (input, snapshot, resize, expiring message),
 * with DELTA refreshes except after a resize or Ctrl+L. Owns the screen; runs on one thread.
 */
final class UiLoop {
    static final long POLL_MILLIS = 50;

    private final Screen screen;
    private final TerminalSession session;
    private final SnapshotSource source;
    final UiController controller;
    final InputDispatcher input;
    private final ScreenRenderer renderer;
    private final UiLog log;
    private final long minUpdateMillis;
    private volatile boolean externalQuit;
    private long lastTakenAt = Long.MIN_VALUE / 2;
    private String shownMessage;
    private long frames;

    private final Canvas canvas;
    /** What the source was last told the screen needs (null: not told yet). */
    private String wantedSource;
    private PacketSelection wantedPackets;
    /** The line that says why the source stopped, shown until quit (the last snapshot stays on screen). */
    Function<Throwable, String> failureLine = t -> "capture stopped: " + oneLine(t);

    UiLoop(TerminalSession session, SnapshotSource source, UiController controller, ScreenRenderer renderer,
           Canvas canvas, UiLog log, long minUpdateMillis) {
        this.canvas = canvas;
        this.session = session;
        this.screen = session.screen();
        this.source = source;
        this.controller = controller;
        this.input = new InputDispatcher(controller);
        this.renderer = renderer;
        this.log = log;
        this.minUpdateMillis = minUpdateMillis;
    }

    private volatile int exitCode;

    /** Asks the loop to end at its next iteration (signal handlers, shutdown). Any thread. */
    void requestQuit(int exitCode) {
        this.exitCode = exitCode;
        externalQuit = true;
    }

    /** 0 after a normal quit, 128+signal after a signal asked the loop to end. */
    int exitCode() {
        return exitCode;
    }

    boolean finished() {
        return controller.quit || externalQuit;
    }

    long frames() {
        return frames;
    }

    /** Runs until quit. */
    void run() throws IOException, InterruptedException {
        syncWants();
        draw(true);
        while (!finished()) {
            step(POLL_MILLIS);
        }
    }

    /**
     * One iteration: drains pending input, follows a resize, takes a newer snapshot; redraws if any of
     * that changed the screen; otherwise waits up to waitMillis for the source's next snapshot.
     * Returns true when it redrew.
     */
    boolean step(long waitMillis) throws IOException, InterruptedException {
        boolean dirty = false, complete = false;
        KeyStroke k;
        int n = 0;
        while (n++ < 256 && !controller.quit && (k = screen.pollInput()) != null) {
            input.handle(k);
            dirty = true;
        }
        if (controller.quit) {
            return false;
        }
        if (controller.stopRequested || session.stopRequestedBySignal()) {
            controller.stopRequested = false;
            String why = session.stopJob();
            if (why != null) {
                controller.message(why, false);
            }
            dirty = complete = true;
        }
        if (session.continuedBehindOurBack()) {
            dirty = complete = true; // stopped and continued by someone else: the screen may be gone
        }
        syncWants();
        TerminalSize resized = screen.doResizeIfNecessary();
        if (resized != null) {
            dirty = complete = true;
        }
        if (controller.fullRedraw) {
            controller.fullRedraw = false;
            dirty = complete = true;
        }
        dirty |= take(source.latest());
        if (controller.window != null && controller.window.pull()) {
            dirty = true;
        }
        Throwable failed = source.failure();
        if (failed != null && controller.message() == null) {
            controller.message(failureLine.apply(failed), true); // again whenever another message expired
        }
        if (!Objects.equals(shownMessage, controller.message())) {
            dirty = true;
        }
        if (dirty) {
            draw(complete);
            return true;
        }
        if (waitMillis > 0) {
            long t0 = System.nanoTime();
            Snapshot s = controller.paused ? null : source.awaitAfter(seq(), waitMillis);
            if (take(s)) {
                draw(false);
                return true;
            }
            long left = waitMillis - (System.nanoTime() - t0) / 1_000_000;
            if (left > 2) {
                Thread.sleep(left); // a source that returns at once must not turn this into a busy loop
            }
        }
        return false;
    }

    /**
     * Tells the source what the screen shows, when that changed: the view's data source (threads
     * are scanned only while shown) and which packets must leave the kernel (none, all, or those of
     * the drilled-down pids/sockets). A failure is shown, not fatal: the rest of the UI still works.
     */
    void syncWants() {
        String src = controller.cur.view.source();
        PacketSelection packets = controller.packetSelection();
        try {
            if (!src.equals(wantedSource)) {
                wantedSource = src;
                source.want(Set.of(src));
            }
            if (!packets.equals(wantedPackets)) {
                wantedPackets = packets;
                source.wantPackets(packets);
            }
        } catch (RuntimeException e) {
            log.error("cannot change what the capture collects", e);
            controller.message("cannot select packets: " + e.getMessage(), true);
        }
    }

    /** The first line of a throwable's message (its class when it has none). */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }

    private long seq() {
        return controller.snapshot == null ? -1 : controller.snapshot.seq();
    }

    private boolean take(Snapshot s) {
        if (s == null || controller.paused || (controller.snapshot != null && s.seq() <= controller.snapshot.seq())) {
            return false;
        }
        long now = controller.clock.getAsLong();
        if (controller.snapshot != null && now - lastTakenAt < minUpdateMillis) {
            return false;
        }
        lastTakenAt = now;
        if (controller.window != null && controller.window.wantsPackets()) {
            List<PacketRow> rows = new ArrayList<>();
            for (Row r : s.rows(Snapshot.PACKETS)) {
                if (r instanceof PacketRow p) {
                    rows.add(p);
                }
            }
            controller.window.packets(rows); // Dig on a live connection: its packets join the timeline
        }
        return controller.offer(s);
    }

    /** Draws the whole frame into the back buffer; lanterna sends only changed cells unless complete. */
    void draw(boolean complete) throws IOException {
        try {
            renderer.render(canvas, screen.getTerminalSize(), controller, input);
            shownMessage = controller.message();
            canvas.flush(screen, complete);
            screen.refresh(complete ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
            frames++;
        } catch (RuntimeException e) {
            // e.g. a degenerate size during a resize storm: skip this frame, the next one redraws
            log.error("draw failed", e);
        }
    }
}
