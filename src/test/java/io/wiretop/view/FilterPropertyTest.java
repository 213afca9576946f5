// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.model.ConnectionRow;
import io.wiretop.model.FileRow;
import io.wiretop.model.ProcessRow;
import io.wiretop.model.Row;
import io.wiretop.model.SyscallRow;
import io.wiretop.model.ThreadRow;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.From;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random, deep and long filter expressions end in a filter or one {@link FilterSyntaxException}
 * at a position inside the text, never another exception, never over a second; a parsed filter
 * tests rows of every source without throwing.
 */
class FilterPropertyTest {
    private static final List<Row> ROWS = List.of(FilterTest.NGINX_443, FilterTest.CURL_80,
            FilterBoundsTest.NAMED_LIKE_A_NUMBER,
            new ProcessRow(1, 0, 0, "", "", "", 0, 0, 0, 0, -1, 0, 0, -1, -1, -1, "c0ffee", true),
            new ThreadRow(7, 8, "t", "x", 12.5), new FileRow(7, "cat", "/etc/passwd", 1, 2, 3),
            new SyscallRow(7, "cat", "openat", "ENOENT", 4),
            new ConnectionRow(1, 1, "a b", "'\"", Long.MIN_VALUE, "udp", "::", 0, "::", 65535, false, 0, 0, 0, 0, ""));

    /** Parses and tests every row within a second; returns the error, or null when it parsed. */
    static FilterSyntaxException parse(String expr) {
        return assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            try {
                Filter f = Filter.parse(expr);
                for (Row r : ROWS) {
                    f.test(r);
                }
                return null;
            } catch (FilterSyntaxException e) {
                assertTrue(e.position() >= 0 && e.position() <= expr.length(), e.getMessage());
                return e;
            }
        });
    }

    @Provide
    Arbitrary<String> tokens() {
        List<String> fields = List.of("proc.pid", "proc.name", "fd.lport", "thread.cpu", "evt.buflen.net", "fd.rip",
                "proc.exited", "evt.res", "pkt.len", "no.such", "proc.pidx");
        List<String> symbols = List.of("(", ")", "=", "==", "!=", "!", "<", "<=", ">", ">=", ",", "'", "\"", "\\",
                "and", "or", "not", "in", "exists", "contains", "icontains", "startswith", "AND", "Not");
        List<String> values = List.of("0", "-1", "1.5", "1e5", "1e99999999999", "99999999999999999999", "65536",
                "abc", "'a b'", "\"x\\\"y\"", "'unterminated", "nginx", "443", ".5", "+7", "0x10", "NaN", "\u0000",
                "\u001b[2J", "😀");
        return Arbitraries.oneOf(Arbitraries.of(fields), Arbitraries.of(symbols), Arbitraries.of(values));
    }

    @Property(tries = 500, seed = "11")
    void tokenSoupParsesOrFailsAtAPosition(@ForAll @Size(max = 40) List<@From("tokens") String> tokens,
                                           @ForAll boolean spaced) {
        parse(String.join(spaced ? " " : "", tokens));
    }

    @Property(tries = 300, seed = "11")
    void anyStringParsesOrFailsAtAPosition(@ForAll @Size(max = 200) String s) {
        parse(s);
    }

    /**
     * Wraps a comparison in random layers, each '(...)' (one level), 'not (...)' (two) or an
     * and/or with another comparison (none): it parses exactly when the layers stay within 256.
     */
    @Property(tries = 300, seed = "11")
    void nestingParsesUpToTheLimitAndIsOneErrorBeyond(@ForAll("layers") List<Integer> layers) {
        StringBuilder s = new StringBuilder("proc.pid = 1");
        int depth = 0;
        for (int l : layers) {
            switch (l) {
                case 0 -> {
                    s.insert(0, '(').append(')');
                    depth++;
                }
                case 1 -> {
                    s.insert(0, "not (").append(')');
                    depth += 2;
                }
                case 2 -> s.append(" and fd.lport > 2");
                default -> s.insert(0, "proc.name = x or ");
            }
        }
        FilterSyntaxException e = parse(s.toString());
        Statistics.label("beyond the limit").collect(depth > FilterParser.MAX_DEPTH);
        Statistics.label("beyond the limit").coverage(c -> {
            c.check(true).percentage(p -> p > 10);
            c.check(false).percentage(p -> p > 10);
        });
        if (depth <= FilterParser.MAX_DEPTH) {
            assertEquals(null, e, "depth " + depth);
        } else {
            assertEquals("nested deeper than 256 levels", e.reason(), "depth " + depth);
        }
    }

    @Property(tries = 100, seed = "11")
    void longNotChainsAndTermChainsNeverOverflow(@ForAll @IntRange(max = 30_000) int nots,
                                                 @ForAll @IntRange(max = 5_000) int terms) {
        String expr = "not ".repeat(nots) + "proc.pid = 1" + " and proc.name != x or fd.lport in (1, 2)".repeat(terms);
        FilterSyntaxException e = parse(expr);
        assertEquals(nots <= FilterParser.MAX_DEPTH, e == null, expr.length() + " characters");
        Statistics.label("within the limit").collect(nots <= FilterParser.MAX_DEPTH);
        Statistics.label("within the limit").coverage(c -> c.check(true).percentage(p -> p > 5));
    }

    @Property(tries = 300, seed = "11")
    void numericFieldsTakeOnlyNumbersInRange(@ForAll("numericFields") String field, @ForAll("values") String value) {
        FilterSyntaxException e = parse(field + " = " + Filter.literal(value));
        java.math.BigDecimal n = Filter.number(value);
        boolean fits = n != null && (field.equals("thread.cpu")
                || n.compareTo(java.math.BigDecimal.valueOf(field.endsWith("port") ? 0 : Long.MIN_VALUE)) >= 0
                && n.compareTo(java.math.BigDecimal.valueOf(field.endsWith("port") ? 65535 : Long.MAX_VALUE)) <= 0
                && n.stripTrailingZeros().scale() <= 0);
        Statistics.label("fits").collect(fits);
        Statistics.label("fits").coverage(c -> {
            c.check(true).percentage(p -> p > 10);
            c.check(false).percentage(p -> p > 10);
        });
        assertEquals(fits, e == null, field + " = " + value + (e == null ? "" : ": " + e.getMessage()));
        if (e != null) {
            assertTrue(e.reason().startsWith(field), e.reason());
        }
    }

    /** Lists of layer kinds whose lengths spread evenly up to 700 (jqwik's lists favour short ones). */
    @Provide
    Arbitrary<List<Integer>> layers() {
        return Arbitraries.integers().between(0, 700)
                .flatMap(n -> Arbitraries.integers().between(0, 3).list().ofSize(n));
    }

    @Provide
    Arbitrary<String> numericFields() {
        return Arbitraries.of("proc.pid", "fd.lport", "fd.rport", "thread.cpu", "evt.buflen.net", "user.uid");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TWO.pow(70).negate(), java.math.BigInteger.TWO.pow(70))
                        .map(Object::toString),
                Arbitraries.integers().between(-10, 70000).map(Object::toString),
                Arbitraries.doubles().map(d -> Double.toString(d)));
    }
}
