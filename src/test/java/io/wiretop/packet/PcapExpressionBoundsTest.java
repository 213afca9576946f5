// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The bounds put on pcap-filter expressions before libpcap (which crashed the JVM on 3000 'or'). */
class PcapExpressionBoundsTest {
    private static String chain(int terms, String op) {
        return String.join(" " + op + " ", Collections.nCopies(terms, "tcp port 80"));
    }

    @Test
    void upTo256OperatorsPass() {
        PcapExpressionBounds.check(chain(257, "or"));
        PcapExpressionBounds.check(chain(100, "and") + " or " + chain(100, "&&") + " || " + chain(55, "||"));
        PcapExpressionBounds.check("host orange.example and portrange 1-100 or ether host 0:1:2:3:4:5");
        PcapExpressionBounds.check("(".repeat(256) + "tcp" + ")".repeat(256));
    }

    @Test
    void the257thOperatorIsRefusedAtItsColumn() {
        String expr = chain(258, "or");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PcapExpressionBounds.check(expr));
        int column = expr.lastIndexOf(" or ") + 3; // 1-based column of the last 'or''s last letter
        assertEquals("invalid filter: more than 256 'and'/'or' operators (at column " + column
                + "); libpcap would take minutes to compile it", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PcapExpressionBounds.check(chain(258, "&&")));
    }

    @Test
    void nestingBeyond256IsRefusedAtTheParenthesis() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PcapExpressionBounds.check("(".repeat(20000) + "tcp" + ")".repeat(20000)));
        assertEquals("invalid filter: nested deeper than 256 levels at column 257", e.getMessage());
    }
}
