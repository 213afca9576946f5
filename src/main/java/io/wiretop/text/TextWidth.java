// SPDX-License-Identifier: Apache-2.0
package io.wiretop.text;

import com.googlecode.lanterna.TerminalTextUtils;

/**
 * How many terminal columns text takes: CJK ideographs, kana, hangul and full-width forms take two,
 * everything else one. The rule is lanterna's (TerminalTextUtils.isCharDoubleWidth), the one the
 * screen draws with, so a column padded here lines up on screen. Escaped text (SafeText) is ASCII:
 * one column per character. Stateless.
 */
public final class TextWidth {
    private TextWidth() {
    }

    /** Whether this character takes two columns. */
    public static boolean isWide(char c) {
        return c >= 0x1100 && TerminalTextUtils.isCharDoubleWidth(c);
    }

    /** The columns the text takes. */
    public static int of(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += isWide(s.charAt(i)) ? 2 : 1;
        }
        return n;
    }

    /** The longest prefix that fits in this many columns (a wide character is never cut in half). */
    public static String cut(String s, int columns) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += isWide(s.charAt(i)) ? 2 : 1;
            if (n > columns) {
                return s.substring(0, i);
            }
        }
        return s;
    }
}
