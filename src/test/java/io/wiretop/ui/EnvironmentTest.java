// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.view.ViewRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Colour detection, and TopUi's refusals before it touches the terminal. */
class EnvironmentTest {
    @Test
    void colourModes() {
        assertEquals(ColorMode.NONE, ColorMode.detect(Map.of("TERM", "xterm-256color", "NO_COLOR", "")));
        assertEquals(ColorMode.NONE, ColorMode.detect(Map.of("TERM", "vt100")));
        assertEquals(ColorMode.NONE, ColorMode.detect(Map.of()));
        assertEquals(ColorMode.INDEXED256, ColorMode.detect(Map.of("TERM", "tmux-256color")));
        assertEquals(ColorMode.INDEXED256, ColorMode.detect(Map.of("TERM", "xterm", "COLORTERM", "truecolor")));
        assertEquals(ColorMode.ANSI8, ColorMode.detect(Map.of("TERM", "linux")));
        assertEquals(ColorMode.ANSI8, ColorMode.parse("8", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ColorMode.parse("lots", Map.of()));
        assertTrue(ColorMode.utf8(Map.of("LANG", "en_US.UTF-8")));
        assertTrue(!ColorMode.utf8(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")), "LC_ALL wins");
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void refusesBadOptionsAndMissingTtyWithOneLine() throws Exception {
        ViewRegistry reg = ViewRegistry.loadDefault();
        FakeSource src = new FakeSource();
        int[] rc = new int[1];
        String err = stderrOf(() -> rc[0] = TopUi.run(src, reg, new UiOptions("nope", null, false, 0, null, null)));
        assertEquals(TopUi.EXIT_USAGE, rc[0]);
        assertTrue(err.startsWith("wiretop: unknown view 'nope' (known: ") && err.strip().lines().count() == 1, err);
        err = stderrOf(() -> rc[0] = TopUi.run(src, reg, new UiOptions(null, "nosuch", false, 0, null, null)));
        assertTrue(err.startsWith("wiretop: unknown keymap 'nosuch'"), err);
        err = stderrOf(() -> rc[0] = TopUi.run(src, reg, new UiOptions(null, null, false, 0, "proc.pid >", null)));
        assertTrue(err.startsWith("wiretop: invalid filter at position"), err);
        // surefire runs without a terminal: the UI must refuse, not draw into a pipe
        err = stderrOf(() -> rc[0] = TopUi.run(src, reg, UiOptions.defaults()));
        assertEquals(TopUi.EXIT_USAGE, rc[0]);
        assertTrue(err.startsWith("wiretop: the interactive UI needs a terminal"), err);
    }
}
