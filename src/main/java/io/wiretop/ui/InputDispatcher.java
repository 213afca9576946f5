// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.input.MouseAction;
import com.googlecode.lanterna.input.MouseActionType;
import io.wiretop.view.ActionDef;
import io.wiretop.view.Filter;
import io.wiretop.view.FilterSyntaxException;

import java.util.ArrayList;
import java.util.List;

/**
 * Routes each keystroke or mouse event to the open prompt, menu or page, or else to a view action
 * hotkey or a keymap command. Ctrl+C always quits, Ctrl+Z always suspends. UI thread only.
 */
final class InputDispatcher {
    static final long DOUBLE_CLICK_MILLIS = 400;

    private final UiController c;
    /** Footer items drawn last frame: [x0, x1) and the command, for mouse clicks. */
    final List<Object[]> footerHits = new ArrayList<>();
    private long lastClickAt;
    private int lastClickRow = -1;
    private int searchStart;

    InputDispatcher(UiController c) {
        this.c = c;
    }

    void handle(KeyStroke k) {
        if (k == null) {
            return;
        }
        if (k.getKeyType() == KeyType.EOF) {
            c.quit = true; // the terminal went away (ssh dropped)
            return;
        }
        if (k instanceof MouseAction m) {
            mouse(m);
            return;
        }
        if (k.getKeyType() == KeyType.Character && k.isCtrlDown() && !k.isAltDown()
                && Character.toLowerCase(k.getCharacter()) == 'c') {
            c.quit = true;
            return;
        }
        if (k.getKeyType() == KeyType.Character && k.isCtrlDown() && !k.isAltDown()
                && Character.toLowerCase(k.getCharacter()) == 'z') {
            c.stopRequested = true; // the terminal's suspend key, as in every shell: not a keymap's
            return;
        }
        c.clearMessage();
        if (c.prompt != null) {
            prompt(k);
        } else if (c.menu != null) {
            menu(k);
        } else if (c.page != null) {
            page(k);
        } else if (c.window != null) {
            window(k);
        } else {
            normal(k);
        }
    }

    private void normal(KeyStroke k) {
        KeyChord chord = KeyChord.of(k);
        if (chord.isPlainCharacter()) {
            ActionDef a = c.actionFor(chord.ch());
            if (a != null) {
                c.runAction(a);
                return;
            }
        }
        Command cmd = c.keymap.lookup(k);
        if (cmd == Command.SEARCH) {
            searchStart = c.cur.selected;
        }
        if (cmd != null) {
            c.execute(cmd);
        }
    }

    /** Enter in the Goto prompt: the window's line n (1-based) on top; anything else says so. */
    private void goTo(String text) {
        EventWindow win = c.window;
        if (win == null || text.isEmpty()) {
            return;
        }
        try {
            win.goTo(Integer.parseInt(text) - 1, Math.max(1, c.tableRows), c.windowWidth);
        } catch (NumberFormatException e) {
            c.message("not a line number: " + text, true);
        }
    }

    /** Keys in an Echo/Dig/Spectrogram window: csysdig's F2 View As, search, pause, clear, Backspace back. */
    private void window(KeyStroke k) {
        EventWindow win = c.window;
        Command cmd = c.keymap.lookup(k);
        int rows = Math.max(1, c.tableRows);
        int w = c.windowWidth;
        if (cmd == null) {
            return;
        }
        switch (cmd) {
            case UP -> win.scroll(-1, rows, w);
            case DOWN -> win.scroll(1, rows, w);
            case PAGE_UP -> win.scroll(-rows, rows, w);
            case PAGE_DOWN -> win.scroll(rows, rows, w);
            case HOME -> win.scroll(-win.size(w), rows, w);
            case END -> win.scroll(win.size(w), rows, w);
            case VIEWS -> {
                if (win.kind == EventWindow.Kind.ECHO) {
                    win.cycleMode();
                    c.message("View As: " + win.mode.label, false);
                }
            }
            case SEARCH -> {
                searchStart = Math.max(0, win.top);
                c.prompt = new Prompt(Prompt.Kind.SEARCH, "");
            }
            case SEARCH_NEXT -> c.searchNext();
            case GOTO -> {
                if (win.kind != EventWindow.Kind.SPECTRO) {
                    c.prompt = new Prompt(Prompt.Kind.GOTO, "");
                }
            }
            case PAUSE -> win.paused = !win.paused;
            case CLEAR -> win.clear();
            case DRILL_UP -> c.closeWindow();
            case HELP -> c.page = Pages.help(c.keymap);
            case QUIT -> c.quit = true;
            case REDRAW -> c.fullRedraw = true;
            default -> {
            }
        }
    }

    private void page(KeyStroke k) {
        Command cmd = c.keymap.lookup(k);
        int rows = Math.max(1, c.tableRows + 2);
        if (cmd == Command.UP) {
            c.page.scroll(-1, rows);
        } else if (cmd == Command.DOWN) {
            c.page.scroll(1, rows);
        } else if (cmd == Command.PAGE_UP) {
            c.page.scroll(-rows, rows);
        } else if (cmd == Command.PAGE_DOWN) {
            c.page.scroll(rows, rows);
        } else if (cmd == Command.HOME) {
            c.page.top = 0;
        } else if (cmd == Command.END) {
            c.page.scroll(c.page.lines.size(), rows);
        } else if (cmd == Command.QUIT && k.getKeyType() != KeyType.Character) {
            c.quit = true;
        } else {
            c.page = null;
        }
    }

    private void menu(KeyStroke k) {
        Menu m = c.menu;
        Command cmd = c.keymap.lookup(k);
        KeyType t = k.getKeyType();
        if (t == KeyType.Enter) {
            c.activateMenu();
        } else if (t == KeyType.Escape || t == KeyType.Backspace || cmd == Command.QUIT
                || (cmd != null && opens(cmd, m.kind))) {
            c.menu = null;
        } else if (cmd == Command.UP) {
            m.move(-1);
        } else if (cmd == Command.DOWN) {
            m.move(1);
        } else if (cmd == Command.PAGE_UP) {
            m.move(-c.tableRows);
        } else if (cmd == Command.PAGE_DOWN) {
            m.move(c.tableRows);
        } else if (cmd == Command.HOME) {
            m.move(-m.items.size());
        } else if (cmd == Command.END) {
            m.move(m.items.size());
        } else if (m.kind == Menu.Kind.ACTIONS && t == KeyType.Character && k.getCharacter() != null) {
            ActionDef a = c.cur.view.action(String.valueOf(k.getCharacter()));
            if (a != null) {
                c.menu = null;
                c.runAction(a);
            }
        }
    }

    private static boolean opens(Command cmd, Menu.Kind kind) {
        return switch (kind) {
            case VIEWS -> cmd == Command.VIEWS;
            case SORT -> cmd == Command.SORT_MENU;
            case ACTIONS -> cmd == Command.ACTIONS;
        };
    }

    private void prompt(KeyStroke k) {
        Prompt p = c.prompt;
        KeyType t = k.getKeyType();
        Command cmd = c.keymap.lookup(k);
        boolean filter = p.kind == Prompt.Kind.FILTER_TEXT || p.kind == Prompt.Kind.FILTER_EXPRESSION;
        if (t == KeyType.Escape) {
            if (p.kind == Prompt.Kind.GOTO) {
                c.prompt = null;
            } else if (filter) {
                c.clearUserFilter();
            } else {
                c.search = "";
            }
            c.prompt = null;
        } else if (t == KeyType.Enter) {
            enter(p);
        } else if (editing(k)) {
            String before = p.text();
            edit(p, k);
            if (!before.equals(p.text())) {
                incremental(p);
            }
        } else if (filter && (t == KeyType.Tab || t == KeyType.F2)) {
            p.kind = p.kind == Prompt.Kind.FILTER_TEXT ? Prompt.Kind.FILTER_EXPRESSION : Prompt.Kind.FILTER_TEXT;
            p.error = null;
            if (p.kind == Prompt.Kind.FILTER_TEXT) {
                incremental(p);
            }
        } else if (p.kind == Prompt.Kind.SEARCH && cmd == Command.SEARCH_NEXT && t != KeyType.Character) {
            // a printable SEARCH_NEXT key (nofkeys: n) is text here, or "nginx" could not be typed
            c.searchNext();
        } else if (t == KeyType.Character && !k.isCtrlDown() && !k.isAltDown()) {
            p.type(k.getCharacter());
            incremental(p);
        }
    }

    /** readline's editing keys: the ones every shell user's fingers know, so not a keymap's business. */
    private static boolean editing(KeyStroke k) {
        return switch (k.getKeyType()) {
            case Backspace, Delete, ArrowLeft, ArrowRight, Home, End -> true;
            case Character -> k.isCtrlDown() && "hdbfaeukw".indexOf(lower(k)) >= 0
                    || k.isAltDown() && !k.isCtrlDown() && "bf".indexOf(lower(k)) >= 0;
            default -> false;
        };
    }

    private static char lower(KeyStroke k) {
        return k.getCharacter() == null ? 0 : Character.toLowerCase(k.getCharacter());
    }

    private static void edit(Prompt p, KeyStroke k) {
        KeyType t = k.getKeyType();
        boolean ctrl = k.isCtrlDown(), alt = k.isAltDown();
        char ch = t == KeyType.Character ? lower(k) : 0;
        if (t == KeyType.Backspace || ctrl && ch == 'h') {
            p.backspace();
        } else if (t == KeyType.Delete || ctrl && ch == 'd') {
            p.delete();
        } else if (t == KeyType.ArrowLeft && (ctrl || alt) || alt && ch == 'b') {
            p.wordLeft();
        } else if (t == KeyType.ArrowRight && (ctrl || alt) || alt && ch == 'f') {
            p.wordRight();
        } else if (t == KeyType.ArrowLeft || ctrl && ch == 'b') {
            p.left();
        } else if (t == KeyType.ArrowRight || ctrl && ch == 'f') {
            p.right();
        } else if (t == KeyType.Home || ctrl && ch == 'a') {
            p.home();
        } else if (t == KeyType.End || ctrl && ch == 'e') {
            p.end();
        } else if (ctrl && ch == 'u') {
            p.killToStart();
        } else if (ctrl && ch == 'k') {
            p.killToEnd();
        } else if (ctrl && ch == 'w') {
            p.deleteWordBack();
        }
    }

    private void incremental(Prompt p) {
        if (p.kind == Prompt.Kind.FILTER_TEXT) {
            c.applyFreeText(p.text());
        } else if (p.kind == Prompt.Kind.SEARCH) {
            c.search = p.text();
            if (!c.find(p.text(), searchStart)) {
                c.message("not found: " + p.text(), false);
            }
        }
    }

    private void enter(Prompt p) {
        if (p.kind == Prompt.Kind.GOTO) {
            c.prompt = null;
            goTo(p.text().strip());
            return;
        }
        if (p.kind != Prompt.Kind.FILTER_EXPRESSION) {
            c.prompt = null;
            return;
        }
        if (p.text().isBlank()) {
            c.clearUserFilter();
            c.prompt = null;
            return;
        }
        try {
            Filter f = Filter.parse(p.text());
            c.applyExpression(f);
            c.prompt = null;
        } catch (FilterSyntaxException e) {
            p.error = e.reason();
            p.errorPosition = e.position();
        }
    }

    private void mouse(MouseAction m) {
        MouseActionType t = m.getActionType();
        if (t == MouseActionType.SCROLL_UP || t == MouseActionType.SCROLL_DOWN) {
            int d = t == MouseActionType.SCROLL_UP ? -3 : 3;
            if (c.menu != null) {
                c.menu.move(d);
            } else if (c.page != null) {
                c.page.scroll(d, c.tableRows + 2);
            } else {
                c.moveTo(c.cur.selected + d);
            }
            return;
        }
        if (t != MouseActionType.CLICK_DOWN || m.getButton() != 1) {
            return;
        }
        TerminalPosition pos = m.getPosition();
        if (c.page != null) {
            c.page = null;
            return;
        }
        if (c.menu != null) {
            int idx = c.menu.top + pos.getRow() - ScreenRenderer.TABLE_TOP;
            if (pos.getColumn() < ScreenRenderer.menuWidth(c.menu) && idx >= 0 && idx < c.menu.items.size()
                    && pos.getRow() >= ScreenRenderer.TABLE_TOP) {
                c.menu.selected = idx;
                c.activateMenu();
            } else {
                c.menu = null;
            }
            return;
        }
        int row = pos.getRow();
        if (row == ScreenRenderer.HEADER_ROW) {
            int col = ScreenRenderer.columnAt(c.cur.view, pos.getColumn() + c.cur.hscroll);
            if (col >= 0) {
                c.sortByVisible(col);
            }
        } else if (row >= ScreenRenderer.TABLE_TOP && row < ScreenRenderer.TABLE_TOP + c.tableRows) {
            int idx = c.cur.top + row - ScreenRenderer.TABLE_TOP;
            if (idx < c.rows().size()) {
                long now = c.clock.getAsLong();
                boolean dbl = idx == lastClickRow && now - lastClickAt <= DOUBLE_CLICK_MILLIS;
                c.moveTo(idx);
                lastClickRow = dbl ? -1 : idx;
                lastClickAt = now;
                if (dbl) {
                    c.drillDown();
                }
            }
        } else if (c.prompt == null) {
            for (Object[] hit : footerHits) {
                if (row == (int) hit[3] && pos.getColumn() >= (int) hit[0] && pos.getColumn() < (int) hit[1]) {
                    c.execute((Command) hit[2]);
                    return;
                }
            }
        }
    }
}
