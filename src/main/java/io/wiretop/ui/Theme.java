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
    public enum Part {
        NORMAL, TITLE, COLUMN_HEADER, SORT_HEADER, SELECTED, KEY, KEY_LABEL, ALERT, MENU, MENU_SELECTED, PROMPT,
        /** Echo's separators: read red, write cyan, as csysdig. */
        ECHO_READ, ECHO_WRITE,
        /** Spectrogram cells, fewest to most events. */
        SPECTRO_1, SPECTRO_2, SPECTRO_3, SPECTRO_4, SPECTRO_5, SPECTRO_6, SPECTRO_7, SPECTRO_8, SPECTRO_9;

        /** The spectrogram part of a level 1..9 ({@link #SPECTRO_LEVELS}). */
        public static Part spectro(int level) {
            return values()[SPECTRO_1.ordinal() + level - 1];
        }
    }

    /** Levels of the spectrogram ramp, 0 (no event) included. */
    public static final int SPECTRO_LEVELS = 10;
    /** 256 colours: green to yellow to red, as csysdig's ramp runs from few to many. */
    private static final int[] RAMP_256 = {22, 28, 34, 40, 46, 226, 220, 208, 196};
    private static final TextColor.ANSI[] RAMP_16 = {TextColor.ANSI.BLUE, TextColor.ANSI.BLUE, TextColor.ANSI.GREEN,
        TextColor.ANSI.GREEN, TextColor.ANSI.GREEN, TextColor.ANSI.YELLOW, TextColor.ANSI.YELLOW, TextColor.ANSI.RED,
        TextColor.ANSI.RED};

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
                case SORT_HEADER, KEY, ALERT, TITLE, ECHO_READ, ECHO_WRITE -> sgr.add(SGR.BOLD);
                default -> {
                }
            }
            return new TextCharacter(' ', fg, bg, sgr);
        }
        boolean x = mode == ColorMode.INDEXED256;
        if (p.ordinal() >= Part.SPECTRO_1.ordinal()) {
            int i = p.ordinal() - Part.SPECTRO_1.ordinal();
            return new TextCharacter(' ', TextColor.ANSI.BLACK, x ? new TextColor.Indexed(RAMP_256[i]) : RAMP_16[i], sgr);
        }
        switch (p) {
            case ECHO_READ -> fg = x ? new TextColor.Indexed(196) : TextColor.ANSI.RED;
            case ECHO_WRITE -> fg = x ? new TextColor.Indexed(45) : TextColor.ANSI.CYAN;
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
