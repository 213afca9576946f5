// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.googlecode.lanterna.TerminalSize;
import org.junit.jupiter.api.Test;

/** Wide (CJK) characters on the canvas: two cells each, never half of one left behind. */
class CanvasWideTest {
    private final Canvas c = new Canvas(new Theme(ColorMode.NONE, true));

    private String row(String... puts) {
        c.begin(new TerminalSize(10, 1));
        for (int i = 0; i < puts.length; i += 2) {
            c.put(Integer.parseInt(puts[i]), 0, puts[i + 1]);
        }
        return c.text().stripTrailing();
    }

    @Test
    void wideCharactersTakeTwoCells() {
        assertEquals("日本x", row("0", "日本x"));
        assertEquals("a日", row("0", "a日", "4", "z").substring(0, 2));
        assertEquals("a日 z", row("0", "a日", "4", "z"));
    }

    @Test
    void overwritingHalfBlanksTheOtherHalf() {
        assertEquals(" x", row("0", "日", "1", "x"), "second half overwritten");
        assertEquals("x", row("0", "日", "0", "x"), "first half overwritten");
        assertEquals("a本", row("0", "日", "1", "本", "0", "a"), "a wide character over the second half");
    }

    @Test
    void noHalfCharacterAtTheRightEdge() {
        assertEquals("123456789", row("0", "123456789日"));
    }
}
