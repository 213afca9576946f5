// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.view.ActionDef;
import io.wiretop.view.ColumnDef;
import io.wiretop.view.ViewDef;

import java.util.ArrayList;
import java.util.List;

/** Text of the F1 help page (generated from the keymap, so it never lies) and the F7 legend page. */
final class Pages {
    private Pages() {
    }

    static Page help(Keymap keymap) {
        List<String> l = new ArrayList<>();
        l.add("wiretop: per-process network top, csysdig-style. Keymap: " + keymap.name());
        l.add("");
        int w = 0;
        for (Command c : Command.values()) {
            if (keymap.isBound(c)) {
                w = Math.max(w, keymap.allLabels(c).length());
            }
        }
        w = Math.min(w, 34);
        for (Command c : Command.values()) {
            if (!keymap.isBound(c)) {
                continue;
            }
            String keys = keymap.allLabels(c);
            l.add(" " + (keys.length() < w ? " ".repeat(w - keys.length()) + keys : keys) + ": " + c.description());
        }
        l.add("  CTRL+C: quit");
        l.add("  CTRL+Z: suspend to the shell (fg comes back)");
        l.add("");
        l.add("A view's action hotkey (F8 lists them) runs that action on the selected row.");
        if (keymap.isBound(Command.RECORD)) {
            l.add("Record (" + keymap.label(Command.RECORD) + "): the syscall events of the processes this view shows (all of them at");
            l.add("  the top level without a filter) go to wiretop-YYYYmmdd-HHMMSS.scap, for sysdig -r or wiretop -r.");
        }
        if (keymap.isBound(Command.ECHO) || keymap.isBound(Command.DIG)) {
            l.add("Echo/Dig/Spectrogram windows: " + keymap.label(Command.VIEWS) + " View As (Echo: printable, dotted, hex), "
                    + keymap.label(Command.SEARCH) + " search, " + keymap.label(Command.PAUSE) + " pause,");
            l.add("  " + keymap.label(Command.CLEAR) + " clear, " + keymap.label(Command.DRILL_UP) + " back to the table.");
        }
        l.add("Filter prompt: F2 or Tab switches free text / filter expression, Enter applies, Esc clears.");
        l.add("  Editing: Left/Right, Home/End or Ctrl+A/E, Alt+B/F by words, Ctrl+U/K kill to start/end,");
        l.add("  Ctrl+W deletes a word, Backspace/Delete.");
        l.add("Expressions: proc.name = nginx and (fd.rport = 443 or fd.lport = 8080); operators");
        l.add("  = != < <= > >= contains icontains startswith in (a, b) exists; and or not; parentheses.");
        l.add("Mouse: click a column header to sort (again: reverse), click a row to select,");
        l.add("  double-click to drill down, wheel to scroll, click a footer item to run it.");
        l.add("");
        l.add("Any other key returns to the table.");
        return new Page("Help", l);
    }

    static Page legend(ViewDef v) {
        List<String> l = new ArrayList<>();
        l.add(v.name());
        l.add("");
        if (v.description() != null && !v.description().isBlank()) {
            l.addAll(wrapLines(v.description(), 100));
            l.add("");
        }
        if (!v.tips().isEmpty()) {
            l.add("Tips");
            for (String t : v.tips()) {
                l.add("  " + t);
            }
            l.add("");
        }
        l.add("Columns");
        for (ColumnDef c : v.visibleColumns()) {
            l.add("  " + c.name() + ": " + (c.description() == null ? c.field() : c.description()));
        }
        l.add("");
        l.add("ID: " + v.id());
        l.add("Filter: " + (v.filter() == null || v.filter().isBlank() ? "none" : v.filter()));
        l.add("Drill-down: " + (v.drilldownTarget() == null ? "none" : v.drilldownTarget()));
        l.add("");
        l.add("Action Hotkeys");
        if (v.actions().isEmpty()) {
            l.add("  none");
        }
        for (ActionDef a : v.actions()) {
            l.add("  " + a.hotkey() + ": " + a.description() + " (" + a.command() + ")");
        }
        return new Page("Legend", l);
    }

    /** The right-hand pane of the view picker for one view. */
    static List<String> viewDetail(ViewDef v) {
        List<String> l = new ArrayList<>();
        if (v.description() != null) {
            l.add(v.description());
        }
        if (!v.tips().isEmpty()) {
            l.add("");
            l.add("Tips");
            l.addAll(v.tips());
        }
        l.add("");
        l.add("ID: " + v.id());
        l.add("Filter: " + (v.filter() == null || v.filter().isBlank() ? "none" : v.filter()));
        return l;
    }

    /** Splits text into lines of at most width characters at spaces. */
    static List<String> wrapLines(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String para : text.split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : para.split(" ")) {
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.add(line.toString());
        }
        return out;
    }
}
