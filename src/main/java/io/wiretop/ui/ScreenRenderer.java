// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalSize;
import io.wiretop.model.Losses;
import io.wiretop.model.Snapshot;
import io.wiretop.text.SafeText;
import io.wiretop.view.ColumnDef;
import io.wiretop.view.TableRow;
import io.wiretop.view.TableText;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the whole screen into lanterna's back buffer from the controller's state; the screen's DELTA
 * refresh then sends only the cells that changed. Only the visible rows are formatted. UI thread only.
 *
 * <pre>
 * Viewing: Processes For: whole machine                 PAUSED
 * Source: Live System Filter: none     LOST 12 events (ring buffer full 12)
 *    PID   PPID  ...  NET Command                       (header, sort column marked)
 * rows...
 * F1/hHelp  F2Views ...                                 3/120(2.5%)
 * </pre>
 */
final class ScreenRenderer {
    static final int TITLE_ROW = 0;
    static final int INFO_ROW = 1;
    static final int HEADER_ROW = 2;
    static final int TABLE_TOP = 3;
    static final int MIN_COLUMNS = 40;
    static final int MIN_ROWS = 6;

    private final Theme theme;
    private final String sourceLabel;
    private final WindowRenderer windows = new WindowRenderer();

    ScreenRenderer(Theme theme, String sourceLabel) {
        this.theme = theme;
        this.sourceLabel = sourceLabel;
    }

    void render(Canvas g, TerminalSize size, UiController c, InputDispatcher in) {
        int w = size.getColumns(), h = size.getRows();
        g.begin(size);
        in.footerHits.clear();
        if (w < MIN_COLUMNS || h < MIN_ROWS) {
            tooSmall(g, w, h);
            return;
        }
        c.viewport(h - TABLE_TOP - 1);
        if (c.page != null) {
            page(g, w, h, c.page);
            return;
        }
        if (c.window != null) {
            windows.render(g, w, h, c, in, c.snapshot != null && c.snapshot.sourceLabel() != null
                    ? c.snapshot.sourceLabel() : sourceLabel);
            if (c.prompt != null) {
                prompt(g, w, h, c);
            } else if (c.message() != null) {
                g.style(c.messageIsError() ? Theme.Part.ALERT : Theme.Part.PROMPT);
                put(g, 0, h - 2, pad(c.message(), w), w);
            }
            return;
        }
        title(g, w, c);
        info(g, w, c);
        header(g, w, c);
        table(g, w, c);
        if (c.menu != null) {
            menu(g, w, h, c.menu);
        }
        footer(g, w, h, c, in);
    }

    private void tooSmall(Canvas g, int w, int h) {
        String msg = "terminal too small (" + w + "x" + h + "), need " + MIN_COLUMNS + "x" + MIN_ROWS;
        List<String> lines = Pages.wrapLines(msg, Math.max(1, w));
        g.style(Theme.Part.ALERT);
        for (int i = 0; i < lines.size() && i < h; i++) {
            put(g, 0, i, lines.get(i), w);
        }
    }

    private void title(Canvas g, int w, UiController c) {
        g.style(Theme.Part.TITLE);
        String t = "Viewing: " + c.cur.view.name() + " For: " + c.forText();
        put(g, 0, TITLE_ROW, t, w);
        if (c.paused) {
            g.style(Theme.Part.ALERT);
            put(g, Math.min(w - 6, Math.max(t.length() + 2, (w - 6) / 2)), TITLE_ROW, "PAUSED", w);
        }
        if (c.recorder != null) {
            String rec = recordingText(c.recorder.status());
            g.style(Theme.Part.ALERT);
            put(g, Math.max(0, w - rec.length()), TITLE_ROW, rec, w); // right-aligned: it wins over a long title
        }
    }

    /** {@code Recording: wiretop-20261130-050102.scap 1234 evts 56.7K 0 lost} (the name escaped). */
    static String recordingText(io.wiretop.trace.record.RecordStatus s) {
        java.nio.file.Path name = s.file().getFileName();
        return "Recording: " + io.wiretop.text.SafeText.escape(name == null ? s.file().toString() : name.toString())
                + " " + s.events() + " evts " + size(s.bytes()) + " " + s.lost() + " lost";
    }

    /** Bytes with a 1024-based suffix, one decimal from K on: 980, 1.5K, 12.0M. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%c", v, units.charAt(u));
    }

    private void info(Canvas g, int w, UiController c) {
        String src = c.snapshot != null && c.snapshot.sourceLabel() != null ? c.snapshot.sourceLabel() : sourceLabel;
        // a replayed file's name is untrusted text
        String line = "Source: " + SafeText.escape(src) + " Filter: " + c.filterText();
        g.style(Theme.Part.NORMAL);
        put(g, 0, INFO_ROW, line, w);
        Losses l = c.snapshot == null ? null : c.snapshot.losses();
        if (l != null && l.total() > 0) {
            String lost = " LOST " + l.total() + " events (" + lossDetail(l) + ")";
            int x = Math.max(Math.min(line.length(), w - lost.length()), 0);
            g.style(Theme.Part.ALERT);
            put(g, x, INFO_ROW, lost, w);
        }
    }

    static String lossDetail(Losses l) {
        List<String> p = new ArrayList<>();
        if (l.ringBufferFull() > 0) {
            p.add("ring buffer full " + l.ringBufferFull());
        }
        if (l.connMapFull() > 0) {
            p.add("conn map full " + l.connMapFull());
        }
        if (l.sysMapFull() > 0) {
            p.add("syscall map full " + l.sysMapFull());
        }
        if (l.fileMapFull() > 0) {
            p.add("file map full " + l.fileMapFull());
        }
        return String.join(", ", p);
    }

    private void header(Canvas g, int w, UiController c) {
        ViewDef v = c.cur.view;
        List<ColumnDef> cols = v.visibleColumns();
        StringBuilder sb = new StringBuilder();
        int sortStart = -1, sortEnd = -1;
        for (ColumnDef col : cols) {
            String name = col.name();
            boolean sorted = col.name().equals(c.cur.sortColumn);
            if (sorted) {
                String mark = theme.sortMarker(c.cur.ascending);
                name = col.leftAligned() || col.width() <= 0 ? name + mark : mark + name;
                sortStart = sb.length();
            }
            sb.append(TableText.fit(col, name));
            if (sorted) {
                sortEnd = col.width() <= 0 ? Integer.MAX_VALUE : sb.length();
            }
        }
        String line = shift(sb.toString(), c.cur.hscroll);
        g.style(Theme.Part.COLUMN_HEADER);
        put(g, 0, HEADER_ROW, pad(line, w), w);
        if (sortStart >= 0) {
            int x0 = Math.max(0, sortStart - c.cur.hscroll);
            int x1 = Math.min(w, sortEnd == Integer.MAX_VALUE ? w : sortEnd - c.cur.hscroll);
            if (x1 > x0) {
                g.style(Theme.Part.SORT_HEADER);
                put(g, x0, HEADER_ROW, pad(line, w).substring(x0, x1), w);
            }
        }
    }

    /** The option that collects a source the screen lacks (-a where the model names none). */
    private static String startOption(String source) {
        String option = Snapshot.collectorOption(source);
        return option != null ? option : "--all";
    }

    private void table(Canvas g, int w, UiController c) {
        List<TableRow> rows = c.rows();
        int vis = c.tableRows;
        if (rows.isEmpty()) {
            String msg = c.snapshot == null ? "Collecting Data"
                    : !c.snapshot.sources().containsKey(c.cur.view.source())
                    ? c.available.get().contains(c.cur.view.source())
                    ? "No Data For This View: its collector is attaching"
                    : "No Data For This View: not collected (start wiretop with " + startOption(c.cur.view.source()) + ")"
                    : "No Data For This View";
            g.style(Theme.Part.NORMAL);
            put(g, Math.max(0, (w - msg.length()) / 2), TABLE_TOP + Math.max(0, vis / 2 - 1), msg, w);
            return;
        }
        for (int i = 0; i < vis && c.cur.top + i < rows.size(); i++) {
            int idx = c.cur.top + i;
            String line = shift(TableText.screenLine(c.cur.view, rows.get(idx), 0), c.cur.hscroll);
            g.style(idx == c.cur.selected ? Theme.Part.SELECTED : Theme.Part.NORMAL);
            put(g, 0, TABLE_TOP + i, idx == c.cur.selected ? pad(line, w) : line, w);
        }
    }

    static int menuWidth(Menu m) {
        int w = m.title.length();
        for (String s : m.items) {
            w = Math.max(w, s.length());
        }
        return Math.min(w + 2, 40);
    }

    private void menu(Canvas g, int w, int h, Menu m) {
        int mw = Math.min(menuWidth(m), w);
        int rows = h - TABLE_TOP - 1;
        m.scrollTo(rows);
        g.style(Theme.Part.COLUMN_HEADER);
        put(g, 0, HEADER_ROW, pad(m.title, mw), w);
        for (int i = 0; i < rows; i++) {
            int idx = m.top + i;
            String s = idx < m.items.size() ? " " + m.items.get(idx) : "";
            g.style(idx == m.selected ? Theme.Part.MENU_SELECTED : Theme.Part.MENU);
            put(g, 0, TABLE_TOP + i, pad(s, mw), mw);
        }
        if (m.details != null && m.selected < m.details.size() && w - mw - 2 > 10) {
            int dx = mw + 1, dw = w - mw - 2;
            g.style(Theme.Part.NORMAL);
            for (int i = HEADER_ROW; i < h - 1; i++) {
                put(g, mw, i, " ".repeat(w - mw), w);
            }
            int y = HEADER_ROW;
            for (String para : m.details.get(m.selected)) {
                for (String line : Pages.wrapLines(para, dw)) {
                    if (y < h - 1) {
                        put(g, dx, y++, line, w);
                    }
                }
            }
        }
    }

    private void page(Canvas g, int w, int h, Page p) {
        int rows = h - 2;
        g.style(Theme.Part.COLUMN_HEADER);
        put(g, 0, 0, pad(p.title, w), w);
        g.style(Theme.Part.NORMAL);
        for (int i = 0; i < rows && p.top + i < p.lines.size(); i++) {
            put(g, 0, 1 + i, p.lines.get(p.top + i), w);
        }
        g.style(Theme.Part.KEY_LABEL);
        String more = p.top + rows < p.lines.size() ? "  (more: Down/PgDn)" : "";
        put(g, 0, h - 1, pad(p.hint + more, w), w);
    }

    private void footer(Canvas g, int w, int h, UiController c, InputDispatcher in) {
        int y = h - 1;
        String msg = c.message();
        if (c.prompt != null) {
            prompt(g, w, h, c);
        } else {
            String pos = position(c);
            int limit = w - pos.length() - 1;
            int x = 0;
            boolean list = c.cur.view.type() == ViewType.LIST;
            for (Object[] item : items(list)) {
                Command cmd = (Command) item[0];
                String key = c.keymap.label(cmd);
                if (key == null) {
                    continue;
                }
                String text = cmd == Command.PAUSE && c.paused ? "Resume"
                        : cmd == Command.RECORD && c.recorder != null ? "StopRec" : (String) item[1];
                text = text + " ";
                if (x + key.length() + text.length() > limit) {
                    break;
                }
                in.footerHits.add(new Object[] {x, x + key.length() + text.length(), cmd, y});
                g.style(Theme.Part.KEY);
                put(g, x, y, key, w);
                g.style(Theme.Part.KEY_LABEL);
                put(g, x + key.length(), y, text, w);
                x += key.length() + text.length();
            }
            g.style(Theme.Part.NORMAL);
            put(g, w - pos.length(), y, pos, w);
        }
        if (msg != null) {
            g.style(c.messageIsError() ? Theme.Part.ALERT : Theme.Part.PROMPT);
            put(g, 0, h - 2, pad(msg, w), w);
        }
    }

    private static Object[][] items(boolean list) {
        if (list) {
            return new Object[][] {{Command.HELP, "Help"}, {Command.VIEWS, "Views"}, {Command.FILTER, "Filter"},
                {Command.SEARCH, "Search"}, {Command.PAUSE, "Pause"}, {Command.QUIT, "Quit"},
                {Command.CLEAR, "Clear"}, {Command.RECORD, "Record"}, {Command.LEGEND, "Legend"}, {Command.ACTIONS, "Actions"}};
        }
        return new Object[][] {{Command.HELP, "Help"}, {Command.VIEWS, "Views"}, {Command.FILTER, "Filter"},
            {Command.SEARCH, "Search"}, {Command.SORT_MENU, "Sort"}, {Command.PAUSE, "Pause"},
            {Command.QUIT, "Quit"}, {Command.RECORD, "Record"}, {Command.ACTIONS, "Actions"}, {Command.LEGEND, "Legend"},
            {Command.ECHO, "Echo"}, {Command.DIG, "Dig"}, {Command.SPECTRO, "Spectro"}};
    }

    static String position(UiController c) {
        int n = c.rows().size();
        int row = n == 0 ? 0 : c.cur.selected + 1;
        double pct = n == 0 ? 0 : row * 100.0 / n;
        return row + "/" + n + "(" + String.format(Locale.ROOT, "%.1f", pct) + "%)";
    }

    private void prompt(Canvas g, int w, int h, UiController c) {
        Prompt p = c.prompt;
        int y = h - 1, x = 0;
        List<String[]> keys = new ArrayList<>();
        if (p.kind == Prompt.Kind.GOTO) {
            keys.add(new String[] {"Enter", "Go "});
            keys.add(new String[] {"Esc", "Cancel "});
        } else if (p.kind == Prompt.Kind.SEARCH) {
            keys.add(new String[] {"Enter", "Done "});
            keys.add(new String[] {"Esc", "Clear "});
            String next = c.keymap.label(Command.SEARCH_NEXT);
            if (next != null) {
                keys.add(new String[] {next, "Next "});
            }
        } else {
            keys.add(new String[] {"F2/Tab", p.kind == Prompt.Kind.FILTER_TEXT ? "Expression " : "Text "});
            keys.add(new String[] {"Enter", "Done "});
            keys.add(new String[] {"Esc", "Clear "});
        }
        for (String[] k : keys) {
            g.style(Theme.Part.KEY);
            put(g, x, y, k[0], w);
            g.style(Theme.Part.KEY_LABEL);
            put(g, x + k[0].length(), y, k[1], w);
            x += k[0].length() + k[1].length();
        }
        g.style(Theme.Part.PROMPT);
        String label = " " + p.label();
        put(g, x, y, label, w);
        x += label.length();
        g.style(Theme.Part.NORMAL);
        String text = p.text();
        int cur = p.cursor();
        int room = Math.max(1, w - x - 1);
        int skip = Math.min(cur, Math.max(0, text.length() - room)); // the cursor stays in view
        String shown = text.substring(skip, Math.min(text.length(), skip + room));
        put(g, x, y, shown, w);
        if (cur == text.length()) {
            put(g, x + cur - skip, y, "_", w);
        } else {
            g.style(Theme.Part.SELECTED); // the cursor on a character: that character in reverse
            put(g, x + cur - skip, y, String.valueOf(text.charAt(cur)), w);
            g.style(Theme.Part.NORMAL);
        }
        if (p.error != null) {
            int caret = x + p.errorPosition - skip;
            String err = "^ " + p.error;
            String left = p.error + " ^";
            String line = caret >= 0 && caret + err.length() <= w ? " ".repeat(caret) + err
                    : caret >= left.length() - 1 && caret < w ? " ".repeat(caret - left.length() + 1) + left
                    : "Invalid filter at position " + p.errorPosition + ": " + p.error;
            g.style(Theme.Part.ALERT);
            put(g, 0, h - 2, pad(line, w), w);
        }
    }

    /** Index of the visible column under screen-line position x (hscroll already added), or -1. */
    static int columnAt(ViewDef v, int x) {
        int start = 0;
        List<ColumnDef> cols = v.visibleColumns();
        for (int i = 0; i < cols.size(); i++) {
            int cw = cols.get(i).width();
            if (cw <= 0 || x < start + cw) {
                return x >= start ? i : -1;
            }
            start += cw;
        }
        return -1;
    }

    private static String shift(String s, int by) {
        return by <= 0 ? s : by >= s.length() ? "" : s.substring(by);
    }

    static String pad(String s, int w) {
        return s.length() >= w ? s.substring(0, w) : s + " ".repeat(w - s.length());
    }

    static void put(Canvas g, int x, int y, String s, int w) {
        if (x >= w || s.isEmpty()) {
            return;
        }
        // cells and page lines come escaped (SafeText.escape, before their width is counted); this
        // catches any other text (a drill-down's 'For:', a message) that still holds a control
        String clean = SafeText.printable(s);
        g.put(x, y, clean.length() > w - x ? clean.substring(0, w - x) : clean);
    }
}
