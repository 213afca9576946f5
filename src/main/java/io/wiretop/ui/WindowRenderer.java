// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.text.SafeText;
import io.wiretop.window.EchoText;
import io.wiretop.window.Spectrogram;

import java.util.List;
import java.util.Locale;

/**
 * Draws an open {@link EventWindow}: title and source lines as the tables have, the window's text
 * (or the spectrogram's rows and axis) and csysdig's footer of these windows
 * ({@code F1Help F2View As CTRL+FSearch p Pause BakBack c Clear}, then line/lines). UI thread only.
 */
final class WindowRenderer {
    /** Spectrogram cells of levels 1..9 without colour (and under the colour, so a copy-paste keeps them). */
    static final String RAMP = ".:-=+*#%@";
    private static final String[] DECADES = {"1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms", "100ms",
        "1s", "10s"};

    void render(Canvas g, int w, int h, UiController c, InputDispatcher in, String source) {
        EventWindow win = c.window;
        int rows = Math.max(1, c.tableRows);
        c.windowWidth = w;
        win.settle(rows, w);
        g.style(Theme.Part.TITLE);
        String title = "Viewing: " + win.kind.title + " For: " + SafeText.escape(win.selection.text());
        ScreenRenderer.put(g, 0, ScreenRenderer.TITLE_ROW, title, w);
        if (win.paused) {
            g.style(Theme.Part.ALERT);
            ScreenRenderer.put(g, Math.min(w - 6, Math.max(title.length() + 2, (w - 6) / 2)), ScreenRenderer.TITLE_ROW,
                    "PAUSED", w);
        }
        g.style(Theme.Part.NORMAL);
        String info = "Source: " + SafeText.escape(source);
        if (win.kind == EventWindow.Kind.ECHO) {
            info += " View As: " + win.mode.label;
        } else if (win.kind == EventWindow.Kind.SPECTRO) {
            info += " " + legend();
        }
        if (win.failure() != null) {
            info += " STOPPED: " + SafeText.escape(win.failure());
        }
        ScreenRenderer.put(g, 0, ScreenRenderer.INFO_ROW, info, w);
        int top = ScreenRenderer.INFO_ROW + 1;
        if (win.kind == EventWindow.Kind.SPECTRO) {
            spectrogram(g, w, top, rows, win);
        } else {
            List<EchoText.Line> lines = win.lines(w);
            for (int i = 0; i < rows && win.top + i < lines.size(); i++) {
                EchoText.Line l = lines.get(win.top + i);
                g.style(l.kind() == EchoText.Kind.READ ? Theme.Part.ECHO_READ
                        : l.kind() == EchoText.Kind.WRITE ? Theme.Part.ECHO_WRITE
                        : win.top + i == win.found ? Theme.Part.SELECTED : Theme.Part.NORMAL);
                ScreenRenderer.put(g, 0, top + i, l.text(), w);
            }
        }
        footer(g, w, h, c, in, win, rows);
    }

    /** Newest interval at the bottom, as csysdig scrolls; the axis below. */
    private static void spectrogram(Canvas g, int w, int top, int rows, EventWindow win) {
        List<Long> intervals = win.spectrogram.intervals();
        for (int i = 0; i < rows && win.top + i < intervals.size(); i++) {
            int[] counts = win.spectrogram.row(intervals.get(win.top + i), w);
            for (int x = 0; x < w; x++) {
                int level = Spectrogram.level(counts[x], Theme.SPECTRO_LEVELS);
                if (level > 0) {
                    g.style(Theme.Part.spectro(level));
                    g.put(x, top + i, String.valueOf(RAMP.charAt(level - 1)));
                }
            }
        }
        g.style(Theme.Part.NORMAL);
        StringBuilder axis = new StringBuilder(" ".repeat(w));
        int free = 0;
        for (int d = 0; d < DECADES.length; d++) {
            int x = Spectrogram.tick(d, w);
            if (x >= free && x + DECADES[d].length() <= w) {
                axis.replace(x, x + DECADES[d].length(), DECADES[d]);
                free = x + DECADES[d].length() + 1;
            }
        }
        ScreenRenderer.put(g, 0, top + rows, axis.toString(), w);
    }

    /** {@code Count: .1 :2 -3 ...}: the fewest events a cell needs for each character. */
    static String legend() {
        StringBuilder b = new StringBuilder("Count:");
        int level = 0;
        for (int n = 1; n < 100_000 && level < Theme.SPECTRO_LEVELS - 1; n++) {
            int l = Spectrogram.level(n, Theme.SPECTRO_LEVELS);
            if (l > level) {
                level = l;
                b.append(' ').append(RAMP.charAt(l - 1)).append(n);
            }
        }
        return b.append('+').toString();
    }

    private static void footer(Canvas g, int w, int h, UiController c, InputDispatcher in, EventWindow win, int rows) {
        int y = h - 1;
        int size = win.size(w);
        int last = Math.min(size, win.top + rows);
        String pos = last + "/" + size + "(" + String.format(Locale.ROOT, "%.1f", size == 0 ? 0.0 : last * 100.0 / size) + "%)";
        Object[][] items = {{Command.HELP, "Help"}, {Command.VIEWS, "View As"}, {Command.SEARCH, "Search"},
            {Command.PAUSE, win.paused ? "Resume" : "Pause"}, {Command.DRILL_UP, "Back"}, {Command.CLEAR, "Clear"}, {Command.GOTO, "Goto"}};
        int x = 0;
        int limit = w - pos.length() - 1;
        for (Object[] item : items) {
            Command cmd = (Command) item[0];
            if (cmd == Command.VIEWS && win.kind != EventWindow.Kind.ECHO
                    || cmd == Command.GOTO && win.kind == EventWindow.Kind.SPECTRO) {
                continue;
            }
            String key = c.keymap.label(cmd);
            if (key == null) {
                continue;
            }
            String text = item[1] + " ";
            if (x + key.length() + text.length() > limit) {
                break;
            }
            in.footerHits.add(new Object[] {x, x + key.length() + text.length(), cmd, y});
            g.style(Theme.Part.KEY);
            ScreenRenderer.put(g, x, y, key, w);
            g.style(Theme.Part.KEY_LABEL);
            ScreenRenderer.put(g, x + key.length(), y, text, w);
            x += key.length() + text.length();
        }
        g.style(Theme.Part.NORMAL);
        ScreenRenderer.put(g, w - pos.length(), y, pos, w);
    }
}
