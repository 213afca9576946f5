// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.screen.Screen;

import java.util.Arrays;

/**
 * A frame drawn as plain arrays of characters and {@link Theme.Part}s, then copied into lanterna's back
 * buffer cell by cell, only where it differs from the previous frame. Drawing a 120x40 screen through
 * lanterna's TextGraphics costs tens of milliseconds (each string is split into grapheme clusters);
 * this keeps an idle refresh cheap. UI thread only.
 */
final class Canvas {
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

    /** Writes text at (x, y) in the current style, cut at the right edge. */
    void put(int x, int y, String s) {
        if (y < 0 || y >= h || x >= w) {
            return;
        }
        int start = Math.max(0, -x);
        for (int i = start; i < s.length() && x + i < w; i++) {
            int at = y * w + x + i;
            ch[at] = s.charAt(i);
            part[at] = (byte) style.ordinal();
        }
    }

    /**
     * Copies the cells that changed since the last flush (all of them when {@code all}) into the
     * screen's back buffer; returns how many were copied.
     */
    int flush(Screen screen, boolean all) {
        int n = 0;
        for (int i = 0; i < ch.length; i++) {
            if (all || ch[i] != shownCh[i] || part[i] != shownPart[i]) {
                screen.setCharacter(i % w, i / w, cell(ch[i], Theme.Part.values()[part[i]]));
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
            b.append(new String(ch, y * w, w).replaceAll("\\s+$", "")).append('\n');
        }
        return b.toString();
    }
}
