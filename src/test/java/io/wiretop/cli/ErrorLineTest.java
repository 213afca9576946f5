// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one-line error message: text quoted from files and processes cannot drive the terminal. */
class ErrorLineTest {
    @Test
    void messagesAreOneSafeLine() {
        Exception e = new IllegalStateException("view file evil.yaml: line 2\nunknown field 'a\u001b]0;pwn\u0007\u009b'");
        assertEquals("view file evil.yaml: line 2 unknown field 'a\\x1b]0;pwn\\x07\\u009b'", Main.oneLine(e));
        assertEquals("C:\\ plain", Main.oneLine(new RuntimeException("C:\\ plain")), "nothing to escape: as it is");
    }
}
