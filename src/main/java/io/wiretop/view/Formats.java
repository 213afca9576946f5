// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Cell text like csysdig's {@code tostring_nice}: 1024-based K/M/G/T/P suffixes, applied only when
 * the value is strictly above the unit ("1024" stays "1024", 1025 is "1K"); sizes without
 * decimals ("131M"), rates with two ("1.43K", "0.00"). Rounding is half-even on the exact binary
 * value, which is what glibc's printf does, so results match csysdig digit for digit.
 */
public final class Formats {
    private Formats() {
    }

    private static final char[] SUFFIX = {'P', 'T', 'G', 'M', 'K'};

    /** Formats a value for a column; null gives "". */
    public static String cell(ColumnDef col, Object value) {
        return format(col.effectiveFormat(), value);
    }

    /** Formats a value with a named format (see {@link ColumnDef#FORMATS}). */
    public static String format(String format, Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (!(value instanceof Number n)) {
            return value.toString();
        }
        return switch (format) {
            case "bytes" -> scaled(n.doubleValue(), 0);
            case "rate" -> scaled(n.doubleValue(), 2);
            case "percent" -> fixed(n.doubleValue(), 2);
            case "time" -> duration(n.doubleValue());
            case "int", "port", "text" -> n instanceof Double || n instanceof Float ? fixed(n.doubleValue(), 0)
                    : Long.toString(n.longValue());
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    /** Like csysdig format_bytes: divide by the largest 1024 power the value exceeds. */
    public static String scaled(double v, int decimals) {
        double unit = 1024.0 * 1024 * 1024 * 1024 * 1024;
        for (char s : SUFFIX) {
            if (v > unit) {
                return fixed(v / unit, decimals) + s;
            }
            unit /= 1024;
        }
        return fixed(v, decimals);
    }

    /** printf("%.Nf") with glibc rounding. */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // printf keeps the sign of a negative value that rounds to zero ("-0.00"); dropping it reads better
        return s.startsWith("-") && new BigDecimal(s).signum() == 0 ? s.substring(1) : s;
    }

    /** A duration in nanoseconds: "850ns", "12.50us", "3.20ms", "1.05s". */
    public static String duration(double ns) {
        if (ns >= 1e9) {
            return fixed(ns / 1e9, 2) + "s";
        }
        if (ns >= 1e6) {
            return fixed(ns / 1e6, 2) + "ms";
        }
        if (ns >= 1e3) {
            return fixed(ns / 1e3, 2) + "us";
        }
        return fixed(ns, 0) + "ns";
    }
}
