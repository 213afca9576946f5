// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeymapTest {
    private static Keymap parse(String text) throws Exception {
        return Keymap.parse("t.keys", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void defaultIsCsysdigCompatible() throws Exception {
        Keymap k = Keymap.load("default");
        assertEquals(Command.HELP, k.lookup(new KeyStroke(KeyType.F1)));
        assertEquals(Command.HELP, k.lookup(new KeyStroke('?', false, false)));
        assertEquals(Command.VIEWS, k.lookup(new KeyStroke(KeyType.F2)));
        assertEquals(Command.SEARCH_NEXT, k.lookup(new KeyStroke(KeyType.F3)));
        assertEquals(Command.FILTER, k.lookup(new KeyStroke('\\', false, false)));
        assertEquals(Command.SEARCH, k.lookup(new KeyStroke('f', true, false)));
        assertEquals(Command.ECHO, k.lookup(new KeyStroke('e', false, false)));
        assertEquals(Command.DIG, k.lookup(new KeyStroke(KeyType.F6)));
        assertEquals(Command.LEGEND, k.lookup(new KeyStroke(KeyType.F7)));
        assertEquals(Command.ACTIONS, k.lookup(new KeyStroke(KeyType.F8)));
        assertEquals(Command.SORT_MENU, k.lookup(new KeyStroke('>', false, false)));
        assertEquals(Command.QUIT, k.lookup(new KeyStroke(KeyType.F10)));
        assertEquals(Command.SPECTRO, k.lookup(new KeyStroke(KeyType.F12)));
        assertEquals(Command.REDRAW, k.lookup(new KeyStroke('l', true, false)));
        assertEquals(Command.SORT_3, k.lookup(new KeyStroke('#', false, false)));
        assertEquals(Command.SORT_9, k.lookup(new KeyStroke('(', false, false)));
        assertEquals(Command.DRILL_UP, k.lookup(new KeyStroke(KeyType.Backspace)));
        assertEquals(Command.VIEWS, k.lookup(new KeyStroke('2', false, true)), "ESC 2 fallback");
        assertEquals("F4/\\", k.label(Command.FILTER));
        assertEquals("F10/q", k.label(Command.QUIT));
    }

    @Test
    void nofkeysBindsEveryCommandWithoutFunctionKeys() throws Exception {
        Keymap k = Keymap.load("nofkeys");
        for (Command c : Command.values()) {
            if (c == Command.LEFT || c == Command.RIGHT || c.name().startsWith("PAGE") || c == Command.HOME
                    || c == Command.END || c == Command.UP || c == Command.DOWN || c == Command.DRILL_DOWN
                    || c == Command.DRILL_UP || c == Command.CLEAR) {
                continue; // ordinary editing keys every terminal has
            }
            boolean reachable = k.chordsFor(c).stream().anyMatch(ch -> !ch.type().name().matches("F\\d+"));
            assertTrue(reachable, c + " needs a non-F-key chord");
            assertTrue(k.chordsFor(c).stream().noneMatch(ch -> ch.type().name().matches("F\\d+")),
                    c + " must not use F-keys in nofkeys");
        }
        assertEquals(Command.QUIT, k.lookup(new KeyStroke('0', false, true)));
    }

    @Test
    void errorsNameFileAndLine() {
        KeymapException e = assertThrows(KeymapException.class, () -> parse("q QUIT\nF2 VIEWZ\n"));
        assertEquals("t.keys:2: unknown command 'VIEWZ'", e.getMessage());
        e = assertThrows(KeymapException.class, () -> parse("Hyper+x QUIT\n"));
        assertTrue(e.getMessage().startsWith("t.keys:1: unknown key"), e.getMessage());
        e = assertThrows(KeymapException.class, () -> parse("q QUIT\nq HELP\n"));
        assertTrue(e.getMessage().contains("already bound to QUIT"), e.getMessage());
        e = assertThrows(KeymapException.class, () -> parse("h HELP\n"));
        assertTrue(e.getMessage().contains("no key bound to QUIT"));
        e = assertThrows(KeymapException.class, () -> Keymap.load("nosuch"));
        assertTrue(e.getMessage().startsWith("unknown keymap 'nosuch'"));
        // issue 8 item 16: a keymap file that does not exist says so, in the OS's words, not "not readable"
        e = assertThrows(KeymapException.class, () -> Keymap.load("/nonexistent/my.keys"));
        assertEquals("/nonexistent/my.keys: No such file or directory", e.getMessage());
        e = assertThrows(KeymapException.class, () -> Keymap.load("/tmp/"));
        assertEquals("/tmp: Is a directory", e.getMessage());
    }

    @Test
    void userFileAndChordSyntax() throws Exception {
        Path f = Files.createTempFile("wt", ".keys");
        Files.writeString(f, "# mine\nCtrl+Q QUIT\n'#' SORT_3   # hash\nSpace PAGE_DOWN\nShift+F12 SPECTRO\n");
        Keymap k = Keymap.load(f.toString());
        assertEquals(Command.QUIT, k.lookup(new KeyStroke('q', true, false)));
        assertEquals(Command.SORT_3, k.lookup(new KeyStroke('#', false, false)));
        assertEquals(Command.PAGE_DOWN, k.lookup(new KeyStroke(' ', false, false)));
        assertEquals(Command.SPECTRO, k.lookup(new KeyStroke(KeyType.F12, false, false, true)));
        assertNull(k.lookup(new KeyStroke(KeyType.F12)));
        Files.delete(f);
    }
}
