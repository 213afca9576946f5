// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatsTest {
    @ParameterizedTest(name = "{0} as {1} = {2}")
    @CsvSource({
            // sizes: 1024-based, suffix only strictly above the unit, no decimals
            "0, bytes, 0",
            "1024, bytes, 1024",
            "1025, bytes, 1K",
            "159744, bytes, 156K",
            "137363456, bytes, 131M",
            "11534336, bytes, 11M",
            "12058624, bytes, 12M",
            "3221225472, bytes, 3G",
            "5497558138880, bytes, 5T",
            // rates: two decimals
            "0, rate, 0.00",
            "9.75, rate, 9.75",
            "166.4, rate, 166.40",
            "1438.125, rate, 1.40K",
            "1459.375, rate, 1.43K",
            // glibc printf rounds exact halves to even: 1.125 -> 1.12, 1.375 -> 1.38 (csysdig shows both)
            "1.125, rate, 1.12",
            "1.375, rate, 1.38",
            "0.22, percent, 0.22",
            "-1, int, -1",
            "17497, int, 17497",
            "80, port, 80",
            "850, time, 850ns",
            "12500, time, 12.50us",
            "3200000, time, 3.20ms",
            "1050000000, time, 1.05s"})
    void formatsLikeCsysdig(String value, String format, String expected) {
        Object v = value.contains(".") ? (Object) Double.parseDouble(value) : (Object) Long.parseLong(value);
        assertEquals(expected, Formats.format(format, v));
    }

    @ParameterizedTest
    @CsvSource({"bytes", "rate", "text", "int"})
    void nullIsEmptyAndTextIsVerbatim(String format) {
        assertEquals("", Formats.format(format, null));
        assertEquals("curl -6 x", Formats.format(format, "curl -6 x"));
    }
}
