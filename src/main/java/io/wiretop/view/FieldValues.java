// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.view.FilterLexer.Token;

import java.math.BigDecimal;

/**
 * The values a field can be compared with: a numeric field ({@link Fields.Kind} other than TEXT)
 * takes a number in its range, so {@code proc.pid = abc} or a pid beyond 64 bits is an error
 * naming the field and the value instead of a filter that silently matches nothing.
 */
final class FieldValues {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal PORT_MAX = BigDecimal.valueOf(65535);
    private static final BigDecimal DOUBLE_MAX = new BigDecimal(Double.MAX_VALUE);

    private FieldValues() {
    }

    /** The value's text, when {@code field} can hold it; a syntax error at the value otherwise. */
    static String checked(String field, Token value) throws FilterSyntaxException {
        Fields.Kind kind = Fields.kind(field);
        if (kind == Fields.Kind.TEXT) {
            return value.text();
        }
        BigDecimal n = Filter.number(value.text());
        if (n == null) {
            throw new FilterSyntaxException(field + " is a number: " + shown(value) + " is not one", value.pos());
        }
        if (kind == Fields.Kind.DOUBLE) {
            if (n.abs().compareTo(DOUBLE_MAX) > 0) {
                throw new FilterSyntaxException(field + ": " + shown(value) + " is out of range", value.pos());
            }
            return value.text();
        }
        boolean port = kind == Fields.Kind.PORT;
        BigDecimal min = port ? BigDecimal.ZERO : LONG_MIN, max = port ? PORT_MAX : LONG_MAX;
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new FilterSyntaxException(field + ": " + shown(value)
                    + (port ? " is not a port (0 to 65535)" : " does not fit in 64 bits"), value.pos());
        }
        if (n.stripTrailingZeros().scale() > 0) {
            throw new FilterSyntaxException(field + " is a whole number: " + shown(value) + " is not one", value.pos());
        }
        return value.text();
    }

    /** The value as quoted in a message, cut when long: the message must fit the F4 prompt's line. */
    private static String shown(Token value) {
        String s = value.shown();
        return s.length() <= 26 ? s : s.substring(0, 22) + "...'";
    }
}
