// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.text.SafeText;
import io.wiretop.window.EchoText;
import io.wiretop.model.PacketRow;
import io.wiretop.window.EventWindowSource;
import io.wiretop.window.PacketLine;
import io.wiretop.window.Timeline;
import io.wiretop.window.Spectrogram;
import io.wiretop.window.WindowEvent;
import io.wiretop.window.WindowSelection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An open Echo, Dig or Spectrogram window (csysdig's F5, F6, F12): the events its source delivers,
 * what it shows of them, its scroll position, search, pause and clear. It owns its source and closes
 * it when the window closes. While paused, delivered batches wait and the text stays still, as in
 * csysdig. The text is rebuilt only when events arrive, the mode or the width changes. UI thread only.
 */
final class EventWindow {
    /** Which window. */
    enum Kind {
        // Echo shows exits' data only; Dig prints the enter events, Spectrogram times exits against them
        ECHO("Echo", "I/O activity", false), DIG("Dig", "sysdig output", true), SPECTRO("Spectrogram", "Spectrogram", true);

        /** The window's name in messages. */
        final String label;
        /** csysdig's "Viewing:" title. */
        final String title;
        /** Whether the window needs the enter events at their own times (else the live stream attaches its exit hook only). */
        final boolean enters;

        Kind(String label, String title, boolean enters) {
            this.label = label;
            this.title = title;
            this.enters = enters;
        }
    }

    /** The spectrogram's intervals: csysdig's default refresh. */
    static final long SPECTRO_INTERVAL_NANOS = 1_000_000_000L;
    /** Lines kept for Echo and Dig; older ones go (a window left open on a busy process). */
    static final int MAX_LINES = 100_000;
    /** Events kept; older ones go, for the same reason. */
    static final int MAX_EVENTS = 100_000;

    final Kind kind;
    final WindowSelection selection;
    private final EventWindowSource source;
    private final List<WindowEvent> events = new ArrayList<>();
    private final List<List<WindowEvent>> held = new ArrayList<>();
    final Spectrogram spectrogram = new Spectrogram(SPECTRO_INTERVAL_NANOS);
    EchoText.Mode mode = EchoText.Mode.PRINTABLE;
    boolean paused;
    /** First line shown. */
    int top;
    /** Keep the newest line in view as events arrive (until the user scrolls up). */
    boolean follow = true;
    /** The line the last search found, -1 when none. */
    int found = -1;
    private List<EchoText.Line> lines = new ArrayList<>();
    private int linesWidth = -1;
    /** The text must be made again from every event (mode, width, clear, events dropped). */
    private boolean stale = true;
    /** Events already in {@link #lines}: new ones are appended without redoing the rest. */
    private int formatted;

    /** Dig on a live connection: its packets, taken from the snapshots (null otherwise). */
    private final PacketLine packets;

    EventWindow(Kind kind, WindowSelection selection, EventWindowSource source) {
        this(kind, selection, source, java.time.ZoneId.systemDefault());
    }

    /** @param zone Dig's times of the packets it takes from the live capture's snapshots */
    EventWindow(Kind kind, WindowSelection selection, EventWindowSource source, java.time.ZoneId zone) {
        this.kind = kind;
        this.selection = selection;
        this.source = source;
        this.packets = source.packetsFromCapture() && kind == Kind.DIG && selection.isConnection()
                ? new PacketLine(selection, zone) : null;
    }

    /** Whether this window wants its connection's packets from the live capture (Dig on a connection). */
    boolean wantsPackets() {
        return packets != null;
    }

    /** A snapshot's packet rows: those of the connection not seen before join the timeline (at the next pull). */
    void packets(List<PacketRow> rows) {
        if (packets != null) {
            List<WindowEvent> mine = packets.take(rows);
            if (!mine.isEmpty()) {
                held.add(mine);
            }
        }
    }

    /** Takes what the source delivered; true when the text changed. */
    boolean pull() {
        held.addAll(source.drain());
        if (paused || held.isEmpty()) {
            return false;
        }
        for (List<WindowEvent> b : held) {
            // syscalls and packets on one timeline: a packet delivered late goes where its time puts it
            if (Timeline.insert(events, b) < formatted) {
                stale = true;
            }
            if (kind == Kind.SPECTRO) {
                b.forEach(spectrogram::add);
            }
        }
        held.clear();
        if (events.size() > MAX_EVENTS) {
            events.subList(0, events.size() - MAX_EVENTS).clear();
            stale = true;
        }
        return true;
    }

    String failure() {
        return source.failure();
    }

    boolean finished() {
        return source.finished();
    }

    /** The window's text at this width (Echo and Dig; the spectrogram draws its own rows). */
    List<EchoText.Line> lines(int width) {
        if (stale || width != linesWidth) {
            lines = new ArrayList<>();
            formatted = 0;
            linesWidth = width;
            stale = false;
        }
        if (formatted < events.size()) {
            for (WindowEvent w : events.subList(formatted, events.size())) {
                if (kind == Kind.ECHO) {
                    lines.addAll(EchoText.lines(w, mode, width));
                } else if (kind == Kind.DIG) {
                    lines.add(new EchoText.Line(EchoText.Kind.DATA, SafeText.escape(w.line()))); // exe, comm, cwd are raw
                }
            }
            formatted = events.size();
            if (lines.size() > MAX_LINES) {
                int drop = lines.size() - MAX_LINES;
                lines.subList(0, drop).clear();
                top = Math.max(0, top - drop);
                found = found - drop;
            }
        }
        return lines;
    }

    /** Number of rows of content (lines, or spectrogram intervals). */
    int size(int width) {
        return kind == Kind.SPECTRO ? spectrogram.intervals().size() : lines(width).size();
    }

    void scroll(int delta, int rows, int width) {
        int max = Math.max(0, size(width) - rows);
        top = Math.max(0, Math.min(max, top + delta));
        follow = top >= max;
    }

    /** Keeps the newest line in view while following. */
    void settle(int rows, int width) {
        int max = Math.max(0, size(width) - rows);
        if (follow || top > max) {
            top = max;
        }
    }

    /** Goto: line i (0-based, clamped) on top, as far as the end allows; stops following. */
    void goTo(int i, int rows, int width) {
        int max = Math.max(0, size(width) - rows);
        top = Math.max(0, Math.min(max, i));
        found = Math.max(0, Math.min(size(width) - 1, i));
        follow = false;
    }

    /** F2 "View As": the next data mode (Echo only). */
    void cycleMode() {
        mode = mode.next();
        stale = true;
    }

    /** Forgets what is shown; what arrives next is shown. */
    void clear() {
        events.clear();
        spectrogram.clear();
        top = 0;
        found = -1;
        follow = true;
        stale = true;
    }

    /** Scrolls to the first line at or after {@code from} (wrapping) that contains the text; false when none. */
    boolean find(String text, int from, int width) {
        List<EchoText.Line> l = lines(width);
        if (text.isEmpty() || l.isEmpty()) {
            return text.isEmpty();
        }
        String needle = text.toLowerCase(Locale.ROOT);
        for (int n = 0; n < l.size(); n++) {
            int i = Math.floorMod(from + n, l.size());
            if (l.get(i).text().toLowerCase(Locale.ROOT).contains(needle)) {
                found = i;
                top = i;
                follow = false;
                return true;
            }
        }
        return false;
    }

    /** Closes the source (the live stream's attachment goes with it). */
    void close() {
        source.close();
    }
}
