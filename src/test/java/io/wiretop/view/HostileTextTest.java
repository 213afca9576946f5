// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.model.ProcessRow;
import io.wiretop.model.Snapshot;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process whose name and arguments hold terminal controls and forged lines, through the view
 * engine's text layouts: --raw lines and the screen's columns show the escaped form, the model
 * keeps the real text (filters match it).
 */
class HostileTextTest {
    static final String ARGV0 = "x\nPID: 1\nCmd: /usr/sbin/sshd\u001b[2J\u001b]0;pwn\u0007";
    static final String SHOWN = "x\\nPID: 1\\nCmd: /usr/sbin/sshd\\x1b[2J\\x1b]0;pwn\\x07";
    static ViewRegistry views;

    @BeforeAll
    static void load() throws ViewLoadException {
        views = ViewRegistry.load(List.of());
    }

    static Snapshot hostile() {
        ProcessRow evil = new ProcessRow(666, 1, 1, "evil\u009b\t", ARGV0 + " --flag", "mal\u202elory", 0, 1,
                1 << 20, 1 << 20, 0, 100, 100, 0, 0, 0, null, false);
        ProcessRow nice = new ProcessRow(700, 1, 1, "café", "café 日本", "root", 0, 1, 1 << 20, 1 << 20, 0, 50, 50,
                0, 0, 0, null, false);
        return ViewTableTest.snap(1, Snapshot.PROCESSES, List.of(evil, nice));
    }

    @Test
    void rawLinesShowTheEscapedForm() {
        ViewTable t = ViewTable.build(views.get("procs"), hostile(), Filter.ALL);
        String raw = t.rawLine(t.rows().get(0));
        assertClean(raw);
        assertTrue(raw.contains(SHOWN + " --flag "), raw);
        assertTrue(raw.contains("mal\\u202elory"), raw);
        assertTrue(t.rawLine(t.rows().get(1)).contains("café 日本"), "ordinary letters stay readable");
    }

    @Test
    void screenColumnsKeepTheirWidth() {
        ViewDef v = views.get("procs");
        ViewTable t = ViewTable.build(v, hostile(), Filter.ALL);
        String evil = TableText.screenLine(v, t.rows().get(0), 0);
        String nice = TableText.screenLine(v, t.rows().get(1), 0);
        assertClean(evil);
        // the USER column precedes the numbers: an escaped user name is cut to the same width
        int userCol = v.visibleColumns().stream().map(ColumnDef::name).toList().indexOf("USER");
        int start = 0;
        for (int i = 0; i < userCol; i++) {
            start += v.visibleColumns().get(i).width();
        }
        int end = start + v.visibleColumns().get(userCol).width();
        int width = v.visibleColumns().get(userCol).width();
        assertEquals("mal\\u202elory".substring(0, width - 1) + " ", evil.substring(start, end));
        assertEquals(evil.indexOf(SHOWN), nice.indexOf("café 日本"), "Command starts at the same column");
    }

    @Test
    void filtersMatchTheRealText() throws FilterSyntaxException {
        ViewTable t = ViewTable.build(views.get("procs"), hostile(),
                Filter.parse("proc.name = \"evil\u009b\t\""));
        assertEquals(1, t.rows().size());
        assertEquals(1, ViewTable.build(views.get("procs"), hostile(), Filter.parse("proc.name = café")).rows().size());
    }

    static void assertClean(String line) {
        for (char c : line.toCharArray()) {
            assertFalse(io.wiretop.text.SafeText.isUnsafe(c), () -> "raw control U+" + Integer.toHexString(c) + " in " + line);
        }
    }
}
