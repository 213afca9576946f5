// SPDX-License-Identifier: Apache-2.0
package io.wiretop.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one escaping: what it escapes, what it keeps, and that it can be undone exactly. */
class SafeTextTest {
    /** What `exec -a` can put in argv[0]: forged comment lines, screen clear, window title. */
    static final String HOSTILE = "x\nPID: 1\nCmd: /usr/sbin/sshd\u001b[2J\u001b]0;pwn\u0007\r\t\\";

    @Test
    void escapesControlsAndBackslash() {
        assertEquals("x\\nPID: 1\\nCmd: /usr/sbin/sshd\\x1b[2J\\x1b]0;pwn\\x07\\r\\t\\\\", SafeText.escape(HOSTILE));
        assertEquals("\\x00\\x7f\\x1f", SafeText.escape("\u0000\u007f\u001f"));
    }

    @Test
    void escapesC1BidiAndSeparators() {
        assertEquals("\\u009b2J \\u0085 \\u0080\\u009f", SafeText.escape("\u009b2J \u0085 \u0080\u009f"));
        // "txt.exe" shown right to left would read "exe.txt"
        assertEquals("a\\u202eexe.txt\\u202c \\u2066x\\u2069 \\u200e\\u200f\\u061c",
                SafeText.escape("a\u202eexe.txt\u202c \u2066x\u2069 \u200e\u200f\u061c"));
        assertEquals("\\u2028\\u2029", SafeText.escape("\u2028\u2029"));
    }

    @Test
    void keepsOrdinaryText() {
        String s = "café 日本語 /usr/bin/python3 -c 'print(1)' \u00a0 \u00ff 😀 \ufffd";
        assertSame(s, SafeText.escape(s));
        assertSame(s, SafeText.printable(s));
    }

    @Test
    void unpairedSurrogatesAreEscaped() {
        assertEquals("a\\ud83d b\\ude00", SafeText.escape("a\ud83d b\ude00"));
    }

    @Test
    void invalidUtf8IsHarmless() {
        // bytes of a cmdline that are not UTF-8, among them a raw 8-bit CSI (0x9b) and ESC
        byte[] raw = {'a', (byte) 0x9b, '2', 'J', (byte) 0xc3, (byte) 0x28, 0x1b, (byte) 0xff};
        String decoded = new String(raw, StandardCharsets.UTF_8);
        String shown = SafeText.escape(decoded);
        assertEquals("a\ufffd2J\ufffd(\\x1b\ufffd", shown);
        assertNoUnsafe(shown);
    }

    @Test
    void escapedTextIsSafeAndOneCharacterPerColumn() {
        String shown = SafeText.escape(HOSTILE);
        assertNoUnsafe(shown);
        for (char c : shown.toCharArray()) {
            assertTrue(c >= 0x20 && c < 0x7f, "only printable ASCII here: " + (int) c);
        }
    }

    @Test
    void printableLeavesEscapedTextAlone() {
        String once = SafeText.escape(HOSTILE);
        assertSame(once, SafeText.printable(once), "no second escaping of backslashes");
        assertEquals(once, SafeText.printable(HOSTILE), "raw text is escaped in full");
        assertEquals("", SafeText.printable(null));
        assertEquals("", SafeText.escape(null));
    }

    @Test
    void theEdgesOfEveryUnsafeRange() {
        int[] unsafe = {0x00, 0x1f, 0x7f, 0x80, 0x9f, 0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e,
            0x2066, 0x2069, 0xfffe, 0xffff};
        int[] safe = {0x20, 0x7e, 0xa0, 0x061b, 0x061d, 0x200d, 0x2010, 0x2027, 0x202f, 0x2065, 0x206a, 0xfffd};
        for (int c : unsafe) {
            assertTrue(SafeText.isUnsafe(c), Integer.toHexString(c));
        }
        for (int c : safe) {
            assertFalse(SafeText.isUnsafe(c), Integer.toHexString(c));
        }
    }

    @Test
    void printableEscapesAnUnsafeFirstCharacter() {
        assertEquals("\\x1b[2J", SafeText.printable("\u001b[2J"));
        assertEquals("ab\\x1b", SafeText.printable("ab\u001b"));
        assertEquals("a\\\\b", SafeText.escape("a\\b"), "a backslash is doubled");
    }

    @Test
    void unescapeLeavesCutEscapesAsTheyAre() {
        assertEquals("\\x1", SafeText.unescape("\\x1"));
        assertEquals("\\u00", SafeText.unescape("\\u00"));
        assertEquals("\\xzz", SafeText.unescape("\\xzz"));
        assertEquals("x\u001b", SafeText.unescape("x\\x1b"));
        assertEquals("\u202e!", SafeText.unescape("\\u202e!"));
    }

    @Test
    void unescapeUndoesEscapeExactly() {
        assertEquals(HOSTILE, SafeText.unescape(SafeText.escape(HOSTILE)));
        Random r = new Random(8);
        char[] alphabet = "a\\nxu0\u001b\n\r\t\u0085\u202e\u2028é日\ud83d\ude00".toCharArray();
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = r.nextInt(12); n > 0; n--) {
                b.append(alphabet[r.nextInt(alphabet.length)]);
            }
            String s = b.toString();
            String e = SafeText.escape(s);
            assertNoUnsafe(e);
            assertFalse(e.contains("\n"));
            assertEquals(s, SafeText.unescape(e), () -> "round trip of " + SafeText.escape(e));
        }
    }

    @Test
    void unescapeIsLenientWithForeignText() {
        // ptcpdump writes values as they are: a lone backslash or an unknown escape stays
        assertEquals("C:\\dir \\q \\x4 \\u12 end\\", SafeText.unescape("C:\\dir \\q \\x4 \\u12 end\\"));
        assertEquals("a\nb\u001b", SafeText.unescape("a\\nb\\x1b"));
    }

    static void assertNoUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int at = i;
            assertFalse(SafeText.isUnsafe(c), () -> "unsafe U+" + Integer.toHexString(c) + " at " + at + " in " + s);
        }
    }
}
