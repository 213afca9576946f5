// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

/**
 * Folds the values of one column over the rows of one group. Longs stay Longs under SUM/MIN/MAX
 * (so "131M" sizes stay exact); AVG and TIME_AVG give Doubles. Not thread-safe (one per build).
 */
final class Accumulator {
    private final Aggregation aggregation;
    private Object first;
    private Object min;
    private Object max;
    private long longSum;
    private double doubleSum;
    private boolean anyDouble;
    private int numbers;
    private java.util.Set<Object> distinct; // COUNT_DISTINCT only

    Accumulator(Aggregation aggregation) {
        this.aggregation = aggregation;
    }

    void add(Object v) {
        if (v == null) {
            return;
        }
        if (first == null) {
            first = v;
        }
        if (aggregation == Aggregation.COUNT_DISTINCT) {
            if (distinct == null) {
                distinct = new java.util.HashSet<>();
            }
            distinct.add(v);
        }
        if (v instanceof Number n) {
            numbers++;
            if (n instanceof Double || n instanceof Float) {
                anyDouble = true;
                doubleSum += n.doubleValue();
            } else {
                longSum += n.longValue();
            }
        }
        if (min == null || compare(v, min) < 0) {
            min = v;
        }
        if (max == null || compare(v, max) > 0) {
            max = v;
        }
    }

    /** The aggregated value; intervalSeconds is used by TIME_AVG only. */
    Object result(double intervalSeconds) {
        return switch (aggregation) {
            case NONE -> first;
            case MIN -> min;
            case MAX -> max;
            case SUM -> numbers == 0 ? first : sum();
            case AVG -> numbers == 0 ? first : total() / numbers;
            // no number at all (e.g. a collector that is off) stays null, shown blank, not a false 0;
            // a rate over an empty interval is undefined: 0 keeps the column numeric and sortable
            case TIME_AVG -> numbers == 0 ? first : intervalSeconds > 0 ? total() / intervalSeconds : 0.0;
            case COUNT_DISTINCT -> (long) (distinct == null ? 0 : distinct.size());
        };
    }

    private Object sum() {
        return anyDouble ? (Object) total() : (Object) longSum;
    }

    private double total() {
        return doubleSum + longSum;
    }

    /** Numbers numerically, anything else by text. */
    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if ((x instanceof Long || x instanceof Integer) && (y instanceof Long || y instanceof Integer)) {
                return Long.compare(x.longValue(), y.longValue());
            }
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return a.toString().compareTo(b.toString());
    }
}
