// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.screen.Screen;
import io.wiretop.text.TextWidth;

import java.util.Arrays;

/**
 * A frame drawn as plain arrays of characters and {@link Theme.Part}s, then copied into lanterna's back
 * buffer cell by cell, only where it differs from the previous frame. Drawing a 120x40 screen through
 * lanterna's TextGraphics costs tens of milliseconds (each string is split into grapheme clusters);
 * this keeps an idle refresh cheap. A wide (CJK) character takes its cell and the next, which
 * holds {@link #CONTINUATION} and is never sent to lanterna (lanterna pads it itself; writing it
 * would blank the wide character). UI thread only.
 */
final class Canvas {
    /** The second cell of a wide character. */
    static final char CONTINUATION = '\uffff';
    private final Theme theme;
    private final TextCharacter[][] ascii = new TextCharacter[Theme.Part.values().length][];
    private int w;
    private int h;
    private char[] ch = new char[0];
    private byte[] part = new byte[0];
    private char[] shownCh = new char[0];
    private byte[] shownPart = new byte[0];
    private Theme.Part style = Theme.Part.NORMAL;

    Canvas(Theme theme) {
        this.theme = theme;
        for (Theme.Part p : Theme.Part.values()) {
            TextCharacter base = theme.character(p);
            TextCharacter[] row = new TextCharacter[128];
            for (char c = 32; c < 127; c++) {
                row[c] = base.withCharacter(c);
            }
            ascii[p.ordinal()] = row;
        }
    }

    /** Starts a frame of this size, all blank in the NORMAL style. */
    void begin(TerminalSize size) {
        int nw = size.getColumns(), nh = size.getRows();
        if (nw != w || nh != h) {
            w = nw;
            h = nh;
            ch = new char[w * h];
            part = new byte[w * h];
            shownCh = new char[w * h];
            shownPart = new byte[w * h];
            Arrays.fill(shownPart, (byte) -1); // nothing shown yet: everything differs
        }
        Arrays.fill(ch, ' ');
        Arrays.fill(part, (byte) Theme.Part.NORMAL.ordinal());
        style = Theme.Part.NORMAL;
    }

    void style(Theme.Part p) {
        style = p;
    }

    /** Writes text at (x, y) in the current style, cut at the right edge; wide characters take two cells. */
    void put(int x, int y, String s) {
        if (y < 0 || y >= h || x >= w) {
            return;
        }
        int col = x;
        for (int i = 0; i < s.length() && col < w; i++) {
            char c = s.charAt(i);
            boolean wide = TextWidth.isWide(c);
            if (col >= 0) {
                if (wide && col + 1 >= w) {
                    set(y, col, ' '); // half a wide character does not fit at the edge
                    break;
                }
                set(y, col, c);
                if (wide) {
                    set(y, col + 1, CONTINUATION);
                }
            }
            col += wide ? 2 : 1;
        }
    }

    /** One cell; overwriting either half of a wide character blanks the other half, as the terminal will. */
    private void set(int y, int x, char c) {
        int at = y * w + x;
        if (ch[at] == CONTINUATION && c != CONTINUATION && x > 0) {
            ch[at - 1] = ' ';
        }
        if (TextWidth.isWide(ch[at]) && x + 1 < w && ch[at + 1] == CONTINUATION) {
            ch[at + 1] = ' ';
        }
        ch[at] = c;
        part[at] = (byte) style.ordinal();
    }

    /**
     * Copies the cells that changed since the last flush (all of them when {@code all}) into the
     * screen's back buffer; returns how many were copied.
     */
    int flush(Screen screen, boolean all) {
        int n = 0;
        for (int i = 0; i < ch.length; i++) {
            if (all || ch[i] != shownCh[i] || part[i] != shownPart[i]) {
                if (ch[i] != CONTINUATION) {
                    screen.setCharacter(i % w, i / w, cell(ch[i], Theme.Part.values()[part[i]]));
                }
                shownCh[i] = ch[i];
                shownPart[i] = part[i];
                n++;
            }
        }
        return n;
    }

    private TextCharacter cell(char c, Theme.Part p) {
        if (c >= 32 && c < 127) {
            return ascii[p.ordinal()][c];
        }
        return theme.character(p).withCharacter(c);
    }

    /** The frame's text (tests and debugging). */
    String text() {
        StringBuilder b = new StringBuilder();
        for (int y = 0; y < h; y++) {
            b.append(new String(ch, y * w, w).replace(String.valueOf(CONTINUATION), "").replaceAll("\\s+$", ""))
                    .append('\n');
        }
        return b.toString();
    }
}
