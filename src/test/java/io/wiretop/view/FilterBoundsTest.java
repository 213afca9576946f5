// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.model.ProcessRow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 items 3 and 11: deep nesting is an error, not a StackOverflowError; a numeric field
 * compared with a non-number or a number beyond its range is an error naming both.
 */
class FilterBoundsTest {
    static final ProcessRow NAMED_LIKE_A_NUMBER = new ProcessRow(42, 1, 7, "1e99999999999", "x", "root", 0, 1, 0, 0,
            0.5, 0, 0, 0, 0, 0, "", false);

    private static FilterSyntaxException error(String expr) {
        return assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(FilterSyntaxException.class, () -> Filter.parse(expr), abbreviated(expr)));
    }

    private static String abbreviated(String s) {
        return s.length() < 80 ? s : s.substring(0, 80) + "... (" + s.length() + ")";
    }

    @Test
    void parenthesesNestedBeyondTheLimitAreOneError() {
        FilterSyntaxException e = error("(".repeat(1200) + "proc.pid = 1" + ")".repeat(1200));
        assertEquals("nested deeper than 256 levels", e.reason());
        assertEquals(256, e.position(), "the 257th '(' is at index 256");
    }

    @Test
    void notsBeyondTheLimitAreOneError() {
        FilterSyntaxException e = error("not ".repeat(20000) + "proc.pid = 1");
        assertEquals("nested deeper than 256 levels", e.reason());
        assertEquals(4 * 256, e.position());
    }

    @Test
    void nestingUpToTheLimitParsesAndEvaluates() throws Exception {
        Filter f = Filter.parse("(".repeat(128) + "not ".repeat(127) + "proc.pid = 1" + ")".repeat(128));
        assertTrue(f.test(NAMED_LIKE_A_NUMBER), "127 nots of a false comparison");
        Filter g = Filter.parse("not ".repeat(256) + "proc.pid = 42");
        assertTrue(g.test(NAMED_LIKE_A_NUMBER));
        error("(".repeat(128) + "not ".repeat(129) + "proc.pid = 1" + ")".repeat(128));
    }

    @Test
    void depthIsGivenBackWhenAGroupCloses() throws Exception {
        // 300 groups and 300 nots side by side, each one level deep: never 256 levels at once
        String groups = "(proc.pid = 42)" + " and (proc.pid = 42)".repeat(299);
        String nots = "not proc.pid = 1" + " and not proc.pid = 1".repeat(299);
        assertTrue(Filter.parse(groups).test(NAMED_LIKE_A_NUMBER));
        assertTrue(Filter.parse(nots).test(NAMED_LIKE_A_NUMBER));
    }

    @Test
    void anOrOfFalseTermsIsFalse() throws Exception {
        assertFalse(Filter.parse("proc.pid = 1 or proc.pid = 2").test(NAMED_LIKE_A_NUMBER));
        assertTrue(Filter.parse("proc.pid = 1 or proc.pid = 42").test(NAMED_LIKE_A_NUMBER));
        assertFalse(Filter.parse("(proc.pid = 1 or proc.pid = 2) and proc.pid = 42").test(NAMED_LIKE_A_NUMBER));
    }

    @Test
    void longChainsAreLoopsNotRecursion() throws Exception {
        // 10000 terms: 170 KB, more than one command-line argument can hold (MAX_ARG_STRLEN, 128 KiB)
        String and = "proc.pid > 0" + " and proc.pid > 0".repeat(10_000);
        String or = "proc.pid = 0" + " or proc.pid = 0".repeat(10_000) + " or proc.pid = 42";
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            assertTrue(Filter.parse(and).test(NAMED_LIKE_A_NUMBER));
            assertTrue(Filter.parse(or).test(NAMED_LIKE_A_NUMBER));
        });
    }

    @Test
    void numericFieldWithTextIsAnErrorNamingFieldAndValue() {
        FilterSyntaxException e = error("proc.pid = abc");
        assertEquals("proc.pid is a number: 'abc' is not one", e.reason());
        assertEquals(11, e.position());
        assertEquals("fd.rport is a number: 'https' is not one", error("fd.rport in (443, https)").reason());
        assertEquals("thread.cpu is a number: 'high' is not one", error("thread.cpu > high").reason());
        assertTrue(error("proc.exited = true").reason().startsWith("proc.exited is a number"));
    }

    @Test
    void numbersBeyondTheFieldsRangeAreErrors() {
        FilterSyntaxException e = error("proc.pid = 99999999999999999999");
        assertEquals("proc.pid: '99999999999999999999' does not fit in 64 bits", e.reason());
        assertEquals(11, e.position());
        error("proc.pid = 9223372036854775808");
        error("evt.buflen.net > 1e99999999999");
        assertEquals("fd.lport: '70000' is not a port (0 to 65535)", error("fd.lport = 70000").reason());
        assertEquals("proc.pid: '100000000000000000000...' does not fit in 64 bits",
                error("proc.pid = 1" + "0".repeat(500)).reason(), "a long value is cut in the message");
        error("fd.lport = -1");
        error("thread.cpu > 1e400");
        assertEquals("proc.pid is a whole number: '1.5' is not one", error("proc.pid = 1.5").reason());
    }

    @Test
    void numbersInRangeStillParse() throws Exception {
        Filter.parse("proc.pid = 9223372036854775807 or proc.pid = -9223372036854775808");
        Filter.parse("fd.lport in (0, 65535) and fd.rport = 443.0");
        assertTrue(Filter.parse("thread.vmrss.b < 1e9 and thread.cpu < 0.75").test(NAMED_LIKE_A_NUMBER));
        assertTrue(Filter.parse("proc.pid = '42'").test(NAMED_LIKE_A_NUMBER), "quoted numbers are numbers");
        assertTrue(Filter.parse("proc.pid contains 4").test(NAMED_LIKE_A_NUMBER), "text operators take any value");
    }

    @Test
    void aValueThatLooksLikeAHugeNumberIsComparedAsText() throws Exception {
        // a process can name itself anything: evaluating must not throw on "1e99999999999"
        assertFalse(Filter.parse("proc.name = 5").test(NAMED_LIKE_A_NUMBER));
        assertTrue(Filter.parse("proc.name = 1e99999999999").test(NAMED_LIKE_A_NUMBER));
        assertTrue(Filter.parse("proc.name > 1").test(NAMED_LIKE_A_NUMBER));
    }
}
