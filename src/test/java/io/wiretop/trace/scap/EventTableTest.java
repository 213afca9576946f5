// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import io.wiretop.model.SyscallNames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The PPM_SC codes the syscall stream puts in generic events, joined to x86_64 numbers by name. */
class EventTableTest {
    @Test
    void syscallCodesAreTheReverseOfTheirNames() {
        // codes from libs' ppm_sc table at e5c53d64 (PPM_SC_READ 3, PPM_SC_GETPID 16)
        assertEquals(3, EventTable.syscallCode("read"));
        assertEquals("read", EventTable.syscallName(3));
        assertEquals(16, EventTable.syscallCode("getpid"));
        assertEquals(0, EventTable.syscallCode("rseq"), "newer than that table");
        assertEquals(0, EventTable.syscallCode("no_such_call"));
        for (int code = 1; code < 300; code++) {
            String name = EventTable.syscallName(code);
            if (name != null && EventTable.syscallCode(name) == code) {
                continue;
            }
            // a name listed twice resolves to its first code: that code names it too
            assertEquals(name, EventTable.syscallName(EventTable.syscallCode(name)), "code " + code);
        }
    }

    @Test
    void x86SyscallsReachTheirCodesByName() {
        // lseek is x86_64 number 8; what the stream's generic events carry for it
        assertEquals("lseek", SyscallNames.syscall(8));
        assertEquals("lseek", EventTable.syscallName(EventTable.syscallCode(SyscallNames.syscall(8))));
    }
}
