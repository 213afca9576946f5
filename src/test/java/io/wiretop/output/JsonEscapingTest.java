// SPDX-License-Identifier: Apache-2.0
package io.wiretop.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import io.wiretop.text.SafeText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --json with hostile process text: no raw control reaches the output, a JSON parser gets the real text back. */
class JsonEscapingTest {
    static final String CMDLINE = "x\nPID: 1\u001b[2J\u001b]0;pwn\u0007 \u007f \u009b2J a\u202eb\u2066c\u2028 café 日本 😀";
    static final String COMM = "ev\u0085il\\";

    @Test
    void hostileTextIsEscapedAndExact() throws Exception {
        ProcessRow r = new ProcessRow(666, 1, 1, COMM, CMDLINE, "root", 0, 1, 1, 1, 0, 10, 10, 0, 0, 0,
                "c\u001bid", false);
        Snapshot s = new Snapshot(1, 0, 1, Map.of(Snapshot.PROCESSES, List.of(r)), Losses.NONE, "Live System");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLinesPrinter(out, "procs").print(s, io.wiretop.view.Filter.ALL);
        byte[] b = out.toByteArray();
        String text = new String(b, StandardCharsets.UTF_8);
        assertEquals('\n', b[b.length - 1]);
        assertEquals(1, text.split("\n", -1).length - 1, "one line per interval");
        for (int i = 0; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            int at = i;
            assertFalse(SafeText.isUnsafe(c), () -> "raw U+" + Integer.toHexString(c) + " at " + at + ": " + text);
        }
        assertTrue(text.contains("\\u001B[2J") || text.contains("\\u001b[2J"), text);
        assertTrue(text.toLowerCase().contains("\\u009b2j") && text.toLowerCase().contains("\\u202e"), text);
        assertTrue(text.contains("café 日本 "), "ordinary letters are written as they are: " + text);

        Map<String, String> fields = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(b)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.VALUE_STRING) {
                    fields.putIfAbsent(p.currentName(), p.getText());
                }
            }
        }
        assertEquals(CMDLINE, fields.get("cmdline"));
        assertEquals(COMM, fields.get("comm"));
        assertEquals("c\u001bid", fields.get("container"));
    }
}
