// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F8 actions run {@code /bin/sh -c} with row values in them: hostile values must reach the command as
 * one word, byte for byte, and run nothing themselves. Checked by running the real shell.
 */
class ActionQuotingTest {
    @TempDir
    Path tmp;

    @Test
    void hostileValuesAreOneWordForTheShell() throws Exception {
        Path marker = tmp.resolve("pwned");
        List<String> values = List.of(
                "$(touch " + marker + ")", "`touch " + marker + "`", "a; touch " + marker, "a && touch " + marker,
                "a | touch " + marker, "it's", "\"$HOME\"", "x\ntouch " + marker, "a\u001b[2J\u0007b", "*", "~root",
                "a\\nb", "'", "''", " lead and trail ", "$((1+1))", "${IFS}", "a\rb\tc", "café 日本", "");
        for (String v : values) {
            String cmd = ActionDef.expand("printf '%s|' %proc.name", f -> v);
            Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), cmd);
            assertEquals(v + "|", out, "one word, unchanged: " + cmd);
            assertFalse(Files.exists(marker), "ran something: " + cmd);
        }
    }

    @Test
    void harmlessValuesStayUnquoted() {
        assertEquals("kill 1234", ActionDef.expand("kill %proc.pid", f -> 1234.0));
        assertEquals("ping 10.0.0.1", ActionDef.expand("ping %fd.rip", f -> "10.0.0.1"));
        assertEquals("x ''", ActionDef.expand("x %proc.name", f -> null));
    }

    @Test
    void optionLikeValuesAreRefused() {
        for (String v : List.of("-rf", "--help", "+!touch /tmp/x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ActionDef.expand("less %fd.name", f -> v));
            assertTrue(e.getMessage().contains("%fd.name") && e.getMessage().contains("option"), e.getMessage());
        }
    }
}
