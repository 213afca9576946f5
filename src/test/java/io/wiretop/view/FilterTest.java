// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.SyscallRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterTest {
    static final ConnectionRow NGINX_443 = new ConnectionRow(100, 1, "nginx", "nginx: worker process", 77L, "tcp",
            "10.0.0.1", 443, "10.0.0.9", 51000, true, 5000, 300, 4, 2, "");
    static final ConnectionRow CURL_80 = new ConnectionRow(200, 1, "curl", "curl -6 http://www.google.com", 78L, "tcp",
            "2600:1f18::1", 37140, "2607:f8b0:4004:802::2004", 80, false, 11505, 78, 9, 2, "");

    static boolean matches(String expr, io.wiretop.model.Row row) throws FilterSyntaxException {
        return Filter.parse(expr).test(row);
    }

    @Test
    void comparesTextAndNumbers() throws Exception {
        assertTrue(matches("proc.name = nginx", NGINX_443));
        assertFalse(matches("proc.name = nginx", CURL_80));
        assertTrue(matches("proc.name != nginx", CURL_80));
        assertTrue(matches("fd.lport = 443", NGINX_443));
        assertTrue(matches("fd.lport == 443", NGINX_443));
        // numeric, not textual: "443" < "9" as strings, but 443 > 9
        assertTrue(matches("fd.lport > 9", NGINX_443));
        assertTrue(matches("fd.lport >= 443 and fd.lport <= 443", NGINX_443));
        assertFalse(matches("fd.lport < 443", NGINX_443));
        assertTrue(matches("fd.lport = 443.0", NGINX_443));
        // textual when one side is not a number
        assertTrue(matches("proc.name < zzz", NGINX_443));
        assertTrue(matches("fd.rip = 2607:f8b0:4004:802::2004", CURL_80));
    }

    @Test
    void stringOperators() throws Exception {
        assertTrue(matches("proc.exeline contains 'worker proc'", NGINX_443));
        assertFalse(matches("proc.exeline contains WORKER", NGINX_443));
        assertTrue(matches("proc.exeline icontains WORKER", NGINX_443));
        assertTrue(matches("proc.exeline startswith \"curl -6\"", CURL_80));
        assertFalse(matches("proc.exeline startswith -6", CURL_80));
        assertTrue(matches("fd.rport in (443, 80, 8080)", CURL_80));
        assertFalse(matches("fd.rport in (443,8080)", CURL_80));
        assertTrue(matches("proc.name in ('nginx', \"curl\")", CURL_80));
        assertTrue(matches("proc.name = 'it\\'s'", new SyscallRow(1, "it's", "read", "SUCCESS", 1)));
    }

    @Test
    void precedenceAndBeforeOrNotTighterThanAnd() throws Exception {
        // a or b and c  ==  a or (b and c)
        assertTrue(matches("proc.name = nginx or proc.name = curl and fd.rport = 1", NGINX_443));
        assertFalse(matches("(proc.name = nginx or proc.name = curl) and fd.rport = 1", NGINX_443));
        // not binds to the next predicate only
        assertTrue(matches("not proc.name = curl and fd.lport = 443", NGINX_443));
        assertFalse(matches("not (proc.name = curl or fd.lport = 443)", NGINX_443));
        assertTrue(matches("not not proc.name = nginx", NGINX_443));
        assertTrue(matches("proc.name = nginx and (fd.rport = 443 or fd.lport = 443)", NGINX_443));
        assertTrue(matches("PROC.NAME = x OR proc.name = nginx".replace("PROC.NAME", "proc.name"), NGINX_443));
    }

    @Test
    void missingFieldNeverMatchesAComparisonButExistsSaysSo() throws Exception {
        ProcessRow firstSample = new ProcessRow(1, 0, 1, "init", "/sbin/init", "root", 0, 1, 1, 1, -1, 0, 0, 0, 0, 0,
                null, false);
        assertFalse(matches("thread.cpu >= 0", firstSample));
        assertFalse(matches("thread.cpu != 5", firstSample));
        assertFalse(matches("thread.cpu exists", firstSample));
        assertTrue(matches("not thread.cpu exists", firstSample));
        assertTrue(matches("proc.pid exists", firstSample));
        // a field of another source is valid syntax but absent from this row
        assertFalse(matches("fd.lport = 443", firstSample));
    }

    @Test
    void errorsCarryTheirPosition() {
        assertPosition("proc.nam = x", 0, "unknown field 'proc.nam'");
        assertPosition("proc.name = x and fd.rprt = 1", 18, "unknown field 'fd.rprt'");
        assertPosition("proc.name x", 10, "expected an operator");
        assertPosition("proc.name =", 11, "expected a value");
        assertPosition("(proc.name = x", 14, "expected ')'");
        assertPosition("proc.name = x)", 13, "unbalanced ')'");
        assertPosition("proc.name = 'abc", 12, "unterminated string");
        assertPosition("proc.name ! x", 10, "'!' must be followed by '='");
        assertPosition("proc.name = x fd.lport = 1", 14, "expected 'and', 'or' or end");
        assertPosition("and proc.name = x", 0, "expected a field name");
        assertPosition("fd.lport in 1, 2", 12, "expected '(' after 'in'");
        assertPosition("fd.lport in (1 2)", 15, "expected ',' or ')'");
        assertPosition("   ", 0, "empty filter expression");
        assertPosition("proc.name = x and", 17, "expected a field name");
    }

    private static void assertPosition(String expr, int pos, String reason) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(expr), expr);
        assertEquals(pos, e.position(), expr + " -> " + e.getMessage());
        assertTrue(e.reason().startsWith(reason), expr + " -> " + e.getMessage());
        assertTrue(e.getMessage().endsWith("at position " + pos), e.getMessage());
    }

    @Test
    void restrictedFieldSet() throws Exception {
        Filter.parse("proc.pid = 1", Set.of("proc.pid"));
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
                () -> Filter.parse("proc.pid = 1 or fd.lport = 2", Set.of("proc.pid")));
        assertEquals(16, e.position());
    }

    @Test
    void andIsNullSafeAndKeepsText() throws Exception {
        Filter a = Filter.parse("proc.name = nginx");
        assertSame(a, Filter.and(a, null));
        assertSame(a, Filter.and(Filter.ALL, a));
        assertSame(Filter.ALL, Filter.and(null, null));
        Filter b = Filter.parse("fd.lport = 1 or fd.lport = 443");
        Filter both = Filter.and(a, b);
        assertEquals("proc.name = nginx and (fd.lport = 1 or fd.lport = 443)", both.text());
        assertTrue(both.test(NGINX_443));
        assertFalse(both.test(CURL_80));
        // the text reparses to the same meaning
        assertTrue(Filter.parse(both.text()).test(NGINX_443));
        assertEquals("", Filter.ALL.text());
    }

    @Test
    void freeTextIgnoresCase() {
        assertTrue(Filter.freeText("GOOGLE").test(CURL_80));
        assertFalse(Filter.freeText("GOOGLE").test(NGINX_443));
        assertTrue(Filter.freeText("").isAll());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"nginx|nginx", "two words|'two words'", "a=b|'a=b'", "it's|'it\\'s'",
            "and|'and'", "2001:db8::1|2001:db8::1"})
    void literalsRoundTrip(String value, String literal) throws Exception {
        assertEquals(literal, Filter.literal(value));
        Filter sel = Filter.equalTo("proc.name", value);
        SyscallRow row = new SyscallRow(1, value, "read", "SUCCESS", 1);
        assertTrue(sel.test(row));
        assertTrue(Filter.parse(sel.text()).test(row), sel.text());
        assertFalse(Filter.parse(sel.text()).test(new SyscallRow(1, value + "x", "read", "SUCCESS", 1)));
    }

    @Test
    void requiredValuesAreTheTopLevelEqualities() throws Exception {
        Filter drill = Filter.and(Filter.and(Filter.equalTo("proc.pid", 1500L), Filter.equalTo("fd.cookie", 7L)),
                Filter.equalTo("proc.pid", 1500L));
        assertEquals(java.util.Map.of("proc.pid", List.of("1500", "1500"), "fd.cookie", List.of("7")),
                drill.requiredValues());
        assertEquals(java.util.Map.of("proc.pid", List.of("1", "2")),
                Filter.parse("proc.pid in (1, 2) and proc.name = curl").requiredValues().entrySet().stream()
                        .filter(e -> e.getKey().equals("proc.pid"))
                        .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
        assertTrue(Filter.parse("proc.pid = 1 or proc.pid = 2").requiredValues().isEmpty(), "or narrows nothing");
        assertTrue(Filter.parse("not proc.pid = 1").requiredValues().isEmpty());
        assertTrue(Filter.parse("proc.pid > 1").requiredValues().isEmpty());
        assertTrue(Filter.ALL.requiredValues().isEmpty());
    }
}
