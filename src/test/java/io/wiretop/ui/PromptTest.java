// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The footer prompt's readline-like editing, on its own and through the real UI loop. */
class PromptTest {
    private UiHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static KeyStroke ctrl(char c) {
        return new KeyStroke(c, true, false);
    }

    private static KeyStroke alt(char c) {
        return new KeyStroke(c, false, true);
    }

    @Test
    void prefilledWithTheCursorAtTheEnd() {
        Prompt p = new Prompt(Prompt.Kind.FILTER_TEXT, "nginx");
        assertEquals(5, p.cursor());
        p.type('1');
        assertEquals("nginx1", p.text());
    }

    @Test
    void cursorMovesAndInsertsInPlace() {
        Prompt p = new Prompt(Prompt.Kind.FILTER_EXPRESSION, "proc.pid = 1");
        p.left();
        p.left();
        p.type('>');
        assertEquals("proc.pid => 1", p.text());
        p.home();
        p.type('(');
        p.end();
        p.type(')');
        assertEquals("(proc.pid => 1)", p.text());
        p.home();
        p.left(); // stays at 0
        p.delete();
        assertEquals("proc.pid => 1)", p.text());
        p.end();
        p.right(); // stays at the end
        p.backspace();
        assertEquals("proc.pid => 1", p.text());
    }

    @Test
    void killsAndWords() {
        Prompt p = new Prompt(Prompt.Kind.FILTER_EXPRESSION, "proc.name = nginx and fd.rport = 443");
        p.deleteWordBack();
        assertEquals("proc.name = nginx and fd.rport = ", p.text());
        p.deleteWordBack(); // readline: blanks before the cursor go with the word
        assertEquals("proc.name = nginx and fd.rport ", p.text());
        p.wordLeft();
        assertEquals("proc.name = nginx and ".length(), p.cursor());
        p.wordLeft();
        p.wordRight();
        assertEquals("proc.name = nginx and".length(), p.cursor());
        p.killToEnd();
        assertEquals("proc.name = nginx and", p.text());
        p.wordLeft();
        p.killToStart();
        assertEquals("and", p.text());
        assertEquals(0, p.cursor());
    }

    @Test
    void anEditClearsTheError() {
        Prompt p = new Prompt(Prompt.Kind.FILTER_EXPRESSION, "proc.pid >");
        p.error = "expected a value";
        p.left();
        assertNotNull(p.error, "a move is not an edit");
        p.killToStart();
        assertNull(p.error);
    }

    @Test
    void ctrlUClearsTheOldFilterInsteadOfAppending() throws Exception {
        h = new UiHarness(80, 24).publish(1).ch('\\').type("nginx").key(KeyType.Enter);
        assertEquals(2, h.c.rows().size());
        h.key(KeyType.F4);
        assertTrue(h.line(23).endsWith("Text to match: nginx_"), h.line(23));
        h.keys(ctrl('u'));
        assertTrue(h.line(23).endsWith("Text to match: _"), h.line(23));
        assertEquals(12, h.c.rows().size(), "the free-text filter follows the edit");
        h.type("bob").key(KeyType.Enter);
        assertTrue(h.line(1).contains("\"bob\"") && !h.line(1).contains("nginx"), h.line(1));
    }

    @Test
    void arrowsHomeEndAndWordKeysThroughTheLoop() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F4).key(KeyType.Tab).type("proc.pid < 100");
        for (int i = 0; i < 5; i++) {
            h.key(KeyType.ArrowLeft);
        }
        h.key(KeyType.Delete).ch('>');
        assertTrue(h.line(23).endsWith("Expression: proc.pid > 100"), h.line(23));
        int x = h.line(23).indexOf("Expression: ") + "Expression: proc.pid >".length();
        assertTrue(h.has(x, 23, SGR.REVERSE), "the cursor is on the blank after '>'");
        h.keys(ctrl('a')).ch('(').keys(ctrl('e')).ch(')');
        assertTrue(h.line(23).endsWith("Expression: (proc.pid > 100)_"), h.line(23));
        h.keys(ctrl('w'));
        assertTrue(h.line(23).endsWith("Expression: (proc.pid > _"), h.line(23));
        h.keys(alt('b'));
        assertTrue(h.has(x - "proc.pid >".length() + 1, 23, SGR.REVERSE), "Alt+B: the cursor on the p of proc.pid");
        h.keys(ctrl('k'));
        assertTrue(h.line(23).endsWith("Expression: (_"), h.line(23));
        h.type("proc.pid = 1))").key(KeyType.Home).key(KeyType.End).key(KeyType.Backspace).key(KeyType.Enter);
        assertNull(h.c.prompt);
        assertTrue(h.line(1).contains("proc.pid = 1"), h.line(1));
    }

    @Test
    void anInvalidExpressionStillShowsTheParserMessage() throws Exception {
        h = new UiHarness(80, 24).publish(1).key(KeyType.F4).key(KeyType.Tab).type("proc.pid >")
                .key(KeyType.Enter);
        assertNotNull(h.c.prompt.error);
        assertTrue(h.line(22).contains(h.c.prompt.error), h.line(22));
        h.keys(ctrl('u'));
        assertTrue(h.line(23).endsWith("Expression: _"), h.line(23));
        assertTrue(h.line(22).isBlank(), "the edit clears the error: " + h.line(22));
    }

    @Test
    void longTextScrollsToKeepTheCursorVisible() throws Exception {
        String longText = "proc.name = a".repeat(10);
        h = new UiHarness(80, 24).publish(1).key(KeyType.F4).key(KeyType.Tab).type(longText);
        assertTrue(h.line(23).endsWith("a_"), h.line(23));
        h.key(KeyType.Home);
        assertTrue(h.line(23).contains("Expression: proc.name = aproc"), h.line(23));
    }

    @Test
    void ctrlZOnAVirtualTerminalSaysSoInsteadOfStopping() throws Exception {
        h = new UiHarness(80, 24).publish(1).keys(ctrl('z'));
        assertTrue(h.line(22).contains("Ctrl+Z: no terminal to give back here"), h.line(22));
        assertNull(h.c.prompt);
        assertTrue(!h.c.quit);
    }

    @Test
    void aPrintableSearchNextKeyIsTextInTheSearchPrompt() throws Exception {
        h = new UiHarness(80, 24, "nofkeys", false, ColorMode.NONE).publish(1).ch('/').type("nginx");
        assertTrue(h.line(23).contains("Search: nginx_"), h.line(23));
        h.key(KeyType.Enter).ch('n'); // outside the prompt, n is search-next again
        assertNull(h.c.prompt);
    }
}
