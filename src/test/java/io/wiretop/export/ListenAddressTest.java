// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The forms --listen accepts (the refusals are rows of docs/flags.md, run by FlagsTableTest). */
class ListenAddressTest {
    @Test
    void acceptedForms() throws Exception {
        ListenAddress a = ListenAddress.parse("127.0.0.1:9435");
        assertEquals(InetAddress.getByName("127.0.0.1"), a.address());
        assertEquals(9435, a.port());
        assertEquals("127.0.0.1", a.urlHost());
        ListenAddress v6 = ListenAddress.parse("[::1]:0");
        assertEquals(InetAddress.getByName("::1"), v6.address());
        assertEquals("[0:0:0:0:0:0:0:1]", v6.urlHost());
        assertNull(ListenAddress.parse(":65535").address(), "every address");
        assertNull(ListenAddress.parse("*:1").address());
        assertEquals(InetAddress.getLoopbackAddress(), ListenAddress.parse("localhost:80").address());
    }

    @Test
    void refusedWithoutALookup() {
        // a name is refused before any resolver is asked (the message says so)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenAddress.parse("example.com:9435"));
        assertEquals("not an IP address (host names are not looked up: give e.g. 127.0.0.1, [::1], or :PORT for "
                + "every address)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("[::1]"));
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("1.2.3.4:99999"));
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("1.2.3:80"));
    }
}
