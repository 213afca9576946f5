// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 items 3 and 11 in the F4 prompt: a 1200-deep expression (which ended the whole UI with
 * a StackOverflowError) and a numeric field compared with text are the prompt's error message,
 * and the UI goes on.
 */
class FilterPromptHostileTest {
    private static UiHarness expression(String expr) throws Exception {
        return new UiHarness(80, 24).publish(1).key(KeyType.F4).key(KeyType.F2).type(expr).key(KeyType.Enter);
    }

    @Test
    void deepNestingIsThePromptsErrorAndTheUiGoesOn() throws Exception {
        UiHarness h = expression("(".repeat(1200) + "proc.pid = 1" + ")".repeat(1200));
        assertNotNull(h.c.prompt, "the prompt stays open");
        assertEquals("nested deeper than 256 levels", h.c.prompt.error);
        assertTrue(h.text().contains("nested deeper than 256 levels"), h.text());
        h.key(KeyType.Escape).publish(2);
        assertEquals(12, h.c.rows().size(), "the table is unfiltered and still refreshed");
    }

    @Test
    void aNumericFieldComparedWithTextIsThePromptsError() throws Exception {
        UiHarness h = expression("proc.pid = abc");
        assertEquals("proc.pid is a number: 'abc' is not one", h.c.prompt.error);
        assertEquals(11, h.c.prompt.errorPosition);
        assertTrue(h.text().contains("proc.pid is a number: 'abc' is not one"), h.text());
    }
}
