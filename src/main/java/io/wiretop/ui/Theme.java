// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;

import java.util.EnumSet;

/**
 * Colours and glyphs of every screen element for one {@link ColorMode} and charset. Without colour the
 * elements still differ by reverse/bold, so the selection and the sort column stay visible on a vt100.
 */
public final class Theme {
    /** The styled parts of the screen. */
    public enum Part { NORMAL, TITLE, COLUMN_HEADER, SORT_HEADER, SELECTED, KEY, KEY_LABEL, ALERT, MENU, MENU_SELECTED, PROMPT }

    private final ColorMode mode;
    private final boolean unicode;

    public Theme(ColorMode mode, boolean unicode) {
        this.mode = mode;
        this.unicode = unicode;
    }

    public ColorMode mode() {
        return mode;
    }

    public boolean unicode() {
        return unicode;
    }

    /** Sets the foreground, background and attributes of a part on a graphics context. */
    public void apply(TextGraphics g, Part p) {
        g.clearModifiers();
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        if (mode == ColorMode.NONE) {
            EnumSet<SGR> s = switch (p) {
                case COLUMN_HEADER, SELECTED, KEY_LABEL, MENU_SELECTED -> EnumSet.of(SGR.REVERSE);
                case SORT_HEADER, KEY, ALERT, TITLE -> EnumSet.of(SGR.BOLD);
                default -> EnumSet.noneOf(SGR.class);
            };
            if (!s.isEmpty()) {
                g.enableModifiers(s.toArray(new SGR[0]));
            }
            return;
        }
        boolean x = mode == ColorMode.INDEXED256;
        switch (p) {
            case TITLE -> g.enableModifiers(SGR.BOLD);
            case COLUMN_HEADER -> colors(g, TextColor.ANSI.BLACK, x ? new TextColor.Indexed(34) : TextColor.ANSI.GREEN);
            case SORT_HEADER -> colors(g, TextColor.ANSI.BLACK, x ? new TextColor.Indexed(44) : TextColor.ANSI.CYAN);
            case SELECTED -> colors(g, TextColor.ANSI.BLACK, x ? new TextColor.Indexed(45) : TextColor.ANSI.CYAN);
            case KEY -> {
                colors(g, TextColor.ANSI.WHITE, TextColor.ANSI.BLACK);
                g.enableModifiers(SGR.BOLD);
            }
            case KEY_LABEL -> colors(g, TextColor.ANSI.BLACK, x ? new TextColor.Indexed(37) : TextColor.ANSI.CYAN);
            case ALERT -> {
                colors(g, x ? new TextColor.Indexed(196) : TextColor.ANSI.RED, TextColor.ANSI.DEFAULT);
                g.enableModifiers(SGR.BOLD);
            }
            case MENU -> colors(g, TextColor.ANSI.WHITE, x ? new TextColor.Indexed(24) : TextColor.ANSI.BLUE);
            case MENU_SELECTED -> colors(g, TextColor.ANSI.BLACK, x ? new TextColor.Indexed(45) : TextColor.ANSI.CYAN);
            case PROMPT -> colors(g, TextColor.ANSI.BLACK, x ? new TextColor.Indexed(220) : TextColor.ANSI.YELLOW);
            default -> {
            }
        }
    }

    private static void colors(TextGraphics g, TextColor fg, TextColor bg) {
        g.setForegroundColor(fg);
        g.setBackgroundColor(bg);
    }

    /** Marker next to the sort column's name. */
    public String sortMarker(boolean ascending) {
        if (unicode) {
            return ascending ? "\u25B4" : "\u25BE";
        }
        return ascending ? "^" : "v";
    }
}
