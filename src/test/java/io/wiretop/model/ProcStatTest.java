// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProcStatTest {
    @Test
    void parsesACommWithSpacesAndParentheses() {
        String line = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 98765 "
                + "123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        ProcStat s = ProcStat.parse(line);
        assertEquals(4242, s.pid());
        assertEquals("my (odd) prog", s.comm());
        assertEquals(1, s.ppid());
        assertEquals(300, s.cpuTicks(), "utime + stime");
        assertEquals(3, s.threads());
        assertEquals(98765, s.startTicks());
        assertEquals(123456789, s.vsizeBytes());
        assertEquals(2048, s.rssPages());
    }

    @Test
    void theCommIsUtf8AndControlBytesStayWhatTheyAre() {
        // the line as ProcFs reads it: one char per byte
        byte[] comm = {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, 0x1b, '[', '2', 'J', (byte) 0x9b};
        String line = "7 (" + new String(comm, java.nio.charset.StandardCharsets.ISO_8859_1) + ") S 1 7 7 0 -1 0 0 0 0 0"
                + " 1 1 0 0 20 0 1 0 5 4096 1 0";
        ProcStat s = ProcStat.parse(line);
        // "café" readable; ESC kept (the printers escape it); a stray byte 0x9b is not valid UTF-8: U+FFFD,
        // where ISO-8859-1 would have made it U+009B, an 8-bit CSI
        assertEquals("café\u001b[2J\ufffd", s.comm());
    }

    @Test
    void malformedLinesGiveNull() {
        assertNull(ProcStat.parse("12 (truncated"));
        assertNull(ProcStat.parse("12 (x) S 1 2"));
    }
}
