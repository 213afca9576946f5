// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AddressesTest {
    @Test
    void ipv4() {
        assertEquals("127.0.0.1", Addresses.format(new byte[]{127, 0, 0, 1, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0}, false));
    }

    @Test
    void ipv6IsCompressedAsRfc5952() {
        byte[] lo = new byte[16];
        lo[15] = 1;
        assertEquals("::1", Addresses.format(lo, true));
        byte[] a = {0x26, 0x07, (byte) 0xf8, (byte) 0xb0, 0x40, 0x04, 0x08, 0x02, 0, 0, 0, 0, 0, 0, 0x20, 0x04};
        assertEquals("2607:f8b0:4004:802::2004", Addresses.format(a, true));
    }

    @Test
    void ipv4MappedIpv6IsShownAsIpv4() {
        byte[] m = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        assertEquals("10.1.2.3", Addresses.format(m, true));
    }

    @Test
    void endpointsBracketIpv6() {
        assertEquals("[::1]:80", Addresses.endpoint("::1", 80));
        assertEquals("1.2.3.4:80", Addresses.endpoint("1.2.3.4", 80));
    }
}
