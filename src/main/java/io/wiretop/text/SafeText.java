// SPDX-License-Identifier: Apache-2.0
package io.wiretop.text;

/**
 * The one escaping of untrusted text (command names and arguments, paths, container names and
 * labels, DNS names, HTTP lines, anything read from a process or a file) before it reaches a
 * terminal, a text line or a pcapng comment. The model keeps the real text (filters match it);
 * every printer escapes at output through this class. Stateless.
 *
 * <p>What is escaped, with C-style backslash escapes that are themselves plain ASCII:
 * <ul>
 * <li>{@code \} itself, as {@code \\}, so the escaped form is unambiguous and {@link #unescape} exact;</li>
 * <li>C0 controls and DEL: {@code \n}, {@code \r}, {@code \t}, the others as {@code \xHH}
 *     (ESC is {@code \x1b}, BEL {@code \x07}): they move the cursor, clear the screen, retitle the
 *     window, or add a line to a comment;</li>
 * <li>C1 controls U+0080..U+009F as a backslash, 'u' and four hex digits ("\\" "u009b" for U+009B):
 *     terminals that honour 8-bit controls read U+009B as CSI;</li>
 * <li>bidirectional overrides, embeddings, isolates and marks (U+061C, U+200E, U+200F,
 *     U+202A..U+202E, U+2066..U+2069) and the Unicode line and paragraph separators
 *     (U+2028, U+2029), escaped like C1: they reorder or break what a line appears to say;</li>
 * <li>unpaired surrogates and the noncharacters U+FFFE, U+FFFF (not text; the screen uses U+FFFF
 *     internally for the second cell of a wide character).</li>
 * </ul>
 * Everything else stays as it is, so {@code café} and CJK names remain readable. Bytes that are not
 * valid UTF-8 (argv and comm are not guaranteed to be) were already decoded to U+FFFD by the readers,
 * which is harmless. An escaped string holds no character that {@link #isUnsafe} rejects, and each
 * escape is ASCII, so a column width counted on the escaped string is the width the terminal shows.
 */
public final class SafeText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {
    }

    /** Whether this UTF-16 unit must not reach a terminal or a comment as it is. */
    public static boolean isUnsafe(int ch) {
        return ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f)
                || ch == 0x061c || ch == 0x200e || ch == 0x200f || ch == 0x2028 || ch == 0x2029
                || ch == 0xfffe || ch == 0xffff
                || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069);
    }

    /** The text with every unsafe character and every backslash escaped; "" for null. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        int first = firstToEscape(s, true);
        if (first < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else if (isUnsafe(c) || Character.isSurrogate(c)) {
                b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Text that is safe to draw, for a line assembled from parts that were escaped already: returned
     * as it is when it holds no unsafe character (its backslashes are then left alone, not doubled),
     * escaped in full otherwise. The screen's last line of defence, not a replacement for
     * {@link #escape} on each value.
     */
    public static String printable(String s) {
        return s == null ? "" : firstToEscape(s, false) < 0 ? s : escape(s);
    }

    /**
     * The text {@link #escape} was given back from its escaped form. Lenient for text written by
     * other tools (ptcpdump does not escape): a backslash that starts no known escape stays as it is.
     */
    public static String unescape(String s) {
        if (s == null || s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(i + 1);
            int hex = e == 'x' ? 2 : e == 'u' ? 4 : 0;
            int code = hex > 0 ? hexValue(s, i + 2, hex) : -1;
            if (e == '\\' || e == 'n' || e == 'r' || e == 't') {
                b.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : '\\');
                i++;
            } else if (code >= 0) {
                b.append((char) code);
                i += 1 + hex;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int hexValue(String s, int from, int digits) {
        if (from + digits > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Index of the first character to escape (backslashes too when asked), or -1. */
    private static int firstToEscape(String s, boolean backslash) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (isUnsafe(c) || Character.isSurrogate(c) || (backslash && c == '\\')) {
                return i;
            }
        }
        return -1;
    }
}
