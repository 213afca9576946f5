// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.model.Row;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled sysdig-like filter: {@code proc.name = nginx and (fd.rport = 443 or fd.lport = 8080)}.
 * Operators {@code = != < <= > >= contains icontains startswith in (x, y) exists}, {@code and or not},
 * parentheses, single- or double-quoted strings. Comparison is numeric when both sides are
 * numbers, textual otherwise; a numeric field only takes numbers in its range (checked when
 * parsed); a row without the field never matches a comparison.
 * Immutable and thread-safe.
 */
public final class Filter {
    /** Matches every row; its text is empty. */
    public static final Filter ALL = new Filter("", new Node.True());

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private final String text;
    final Node root;

    Filter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses an expression against the fields of every source. */
    public static Filter parse(String expr) throws FilterSyntaxException {
        return parse(expr, Fields.ALL);
    }

    /** Parses an expression; a field outside {@code knownFields} is a syntax error at its position. */
    public static Filter parse(String expr, Set<String> knownFields) throws FilterSyntaxException {
        if (expr == null || expr.isBlank()) {
            throw new FilterSyntaxException("empty filter expression", 0);
        }
        return new Filter(expr.strip(), new FilterParser(expr, knownFields).parse());
    }

    /** Matches a row if any visible column's text contains {@code text}, ignoring case. */
    public static Filter freeText(String text) {
        if (text == null || text.isEmpty()) {
            return ALL;
        }
        return new Filter(text, new Node.FreeText(text.toLowerCase(Locale.ROOT)));
    }

    /** Both filters; null or {@link #ALL} on either side yields the other. */
    public static Filter and(Filter a, Filter b) {
        if (a == null || a.isAll()) {
            return b == null ? ALL : b;
        }
        if (b == null || b.isAll()) {
            return a;
        }
        List<Node> parts = new ArrayList<>();
        for (Filter f : List.of(a, b)) {
            if (f.root instanceof Node.And and) {
                parts.addAll(and.parts());
            } else {
                parts.add(f.root);
            }
        }
        return new Filter(wrap(a) + " and " + wrap(b), new Node.And(parts));
    }

    /** A drill-down selection {@code field = value}, quoting the value when needed. */
    public static Filter equalTo(String field, Object value) {
        String lit = value == null ? "''" : literal(value);
        return new Filter(field + "=" + lit, new Node.Cmp(field, "=", List.of(value == null ? "" : text(value))));
    }

    /** {@code field > value}, built without parsing (e.g. the Packets list's "clear": evt.num > last shown). */
    public static Filter greaterThan(String field, Object value) {
        return new Filter(field + ">" + literal(value), new Node.Cmp(field, ">", List.of(text(value))));
    }

    /**
     * The values a field must equal for a row to match, from the {@code field = v} and
     * {@code field in (...)} terms at the top level of this filter (a term or a conjunction of
     * terms), e.g. {@code fd.cookie=7 and proc.pid=42} gives {fd.cookie=[7], proc.pid=[42]}.
     * Used to tell the capture which packets a drill-down selects; terms under or/not are ignored.
     */
    public java.util.Map<String, List<String>> requiredValues() {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        List<Node> terms = root instanceof Node.And and ? and.parts() : List.of(root);
        for (Node n : terms) {
            if (n instanceof Node.Cmp c && (c.op().equals("=") || c.op().equals("in"))) {
                out.computeIfAbsent(c.field(), k -> new ArrayList<>()).addAll(c.values());
            }
        }
        return out;
    }

    /** A value written so that the parser reads it back as one literal. */
    public static String literal(Object value) {
        String s = text(value);
        if (!s.isEmpty() && s.chars().noneMatch(ch -> Character.isWhitespace(ch) || "()=!<>,'\"".indexOf(ch) >= 0)
                && !List.of("and", "or", "not").contains(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String wrap(Filter f) {
        return f.root instanceof Node.Or ? "(" + f.text + ")" : f.text;
    }

    public boolean test(Row row) {
        return root.test(row);
    }

    /** The expression as typed (for the header); empty for {@link #ALL}. */
    public String text() {
        return text;
    }

    public boolean isAll() {
        return root instanceof Node.True;
    }

    @Override
    public String toString() {
        return text;
    }

    static String text(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    static BigDecimal number(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        String s = v.toString().strip();
        if (!NUMBER.matcher(s).matches()) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null; // an exponent beyond int range ("1e99999999999", e.g. a process named so)
        }
    }

    /** The expression tree; every node is immutable. */
    sealed interface Node {
        boolean test(Row row);

        record True() implements Node {
            public boolean test(Row row) {
                return true;
            }
        }

        record And(List<Node> parts) implements Node {
            public boolean test(Row row) {
                for (Node n : parts) {
                    if (!n.test(row)) {
                        return false;
                    }
                }
                return true;
            }
        }

        record Or(List<Node> parts) implements Node {
            public boolean test(Row row) {
                for (Node n : parts) {
                    if (n.test(row)) {
                        return true;
                    }
                }
                return false;
            }
        }

        record Not(Node inner) implements Node {
            public boolean test(Row row) {
                return !inner.test(row);
            }
        }

        record Exists(String field) implements Node {
            public boolean test(Row row) {
                return row.get(field) != null;
            }
        }

        /** Free text over the raw values of a row (ViewTable applies it to formatted cells instead). */
        record FreeText(String lowerText) implements Node {
            public boolean test(Row row) {
                for (String f : row.fields()) {
                    Object v = row.get(f);
                    if (v != null && text(v).toLowerCase(Locale.ROOT).contains(lowerText)) {
                        return true;
                    }
                }
                return false;
            }

            boolean testCells(List<String> cells) {
                for (String c : cells) {
                    if (c != null && c.toLowerCase(Locale.ROOT).contains(lowerText)) {
                        return true;
                    }
                }
                return false;
            }
        }

        /** field OP value; for "in" there are several values, any of which may match. */
        record Cmp(String field, String op, List<String> values) implements Node {
            public boolean test(Row row) {
                Object v = row.get(field);
                if (v == null) {
                    return false;
                }
                if (op.equals("in")) {
                    for (String lit : values) {
                        if (compare(v, lit) == 0) {
                            return true;
                        }
                    }
                    return false;
                }
                String lit = values.get(0);
                return switch (op) {
                    case "contains" -> text(v).contains(lit);
                    case "icontains" -> text(v).toLowerCase(Locale.ROOT).contains(lit.toLowerCase(Locale.ROOT));
                    case "startswith" -> text(v).startsWith(lit);
                    case "=" -> compare(v, lit) == 0;
                    case "!=" -> compare(v, lit) != 0;
                    case "<" -> compare(v, lit) < 0;
                    case "<=" -> compare(v, lit) <= 0;
                    case ">" -> compare(v, lit) > 0;
                    case ">=" -> compare(v, lit) >= 0;
                    default -> throw new IllegalStateException("operator " + op);
                };
            }

            private static int compare(Object v, String lit) {
                BigDecimal a = number(v);
                BigDecimal b = a == null ? null : number(lit);
                if (a != null && b != null) {
                    return a.compareTo(b);
                }
                return text(v).compareTo(lit);
            }
        }
    }
}
