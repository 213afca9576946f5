// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.TextCharacter;

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

    /** A blank cell in the colours and attributes of a part. */
    public TextCharacter character(Part p) {
        TextColor fg = TextColor.ANSI.DEFAULT, bg = TextColor.ANSI.DEFAULT;
        EnumSet<SGR> sgr = EnumSet.noneOf(SGR.class);
        if (mode == ColorMode.NONE) {
            switch (p) {
                case COLUMN_HEADER, SELECTED, KEY_LABEL, MENU_SELECTED, MENU, PROMPT -> sgr.add(SGR.REVERSE);
                case SORT_HEADER, KEY, ALERT, TITLE -> sgr.add(SGR.BOLD);
                default -> {
                }
            }
            return new TextCharacter(' ', fg, bg, sgr);
        }
        boolean x = mode == ColorMode.INDEXED256;
        switch (p) {
            case TITLE -> sgr.add(SGR.BOLD);
            case COLUMN_HEADER -> {
                fg = TextColor.ANSI.BLACK;
                bg = x ? new TextColor.Indexed(34) : TextColor.ANSI.GREEN;
            }
            case SORT_HEADER -> {
                fg = TextColor.ANSI.BLACK;
                bg = x ? new TextColor.Indexed(44) : TextColor.ANSI.CYAN;
                sgr.add(SGR.BOLD);
            }
            case SELECTED, MENU_SELECTED -> {
                fg = TextColor.ANSI.BLACK;
                bg = x ? new TextColor.Indexed(45) : TextColor.ANSI.CYAN;
            }
            case KEY -> {
                fg = TextColor.ANSI.WHITE;
                bg = TextColor.ANSI.BLACK;
                sgr.add(SGR.BOLD);
            }
            case KEY_LABEL -> {
                fg = TextColor.ANSI.BLACK;
                bg = x ? new TextColor.Indexed(37) : TextColor.ANSI.CYAN;
            }
            case ALERT -> {
                fg = x ? new TextColor.Indexed(196) : TextColor.ANSI.RED;
                sgr.add(SGR.BOLD);
            }
            case MENU -> {
                fg = TextColor.ANSI.WHITE;
                bg = x ? new TextColor.Indexed(24) : TextColor.ANSI.BLUE;
            }
            case PROMPT -> {
                fg = TextColor.ANSI.BLACK;
                bg = x ? new TextColor.Indexed(220) : TextColor.ANSI.YELLOW;
            }
            default -> {
            }
        }
        return new TextCharacter(' ', fg, bg, sgr);
    }

    /** Marker next to the sort column's name. */
    public String sortMarker(boolean ascending) {
        if (unicode) {
            return ascending ? "\u25B4" : "\u25BE";
        }
        return ascending ? "^" : "v";
    }
}
