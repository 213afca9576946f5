// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

/**
 * A column of a view. name "NA" = hidden. width 0 = rest of the line.
 *
 * @param format    "bytes", "rate", "percent", "int", "port", "text", "time", or null = chosen from the
 *                  field kind and aggregation (see {@link #effectiveFormat()})
 * @param needs     the counter set its data comes from when that set is optional
 *                  ({@link io.wiretop.model.Snapshot#FILE_IO}, {@link io.wiretop.model.Snapshot#WIRE}),
 *                  or null: always collected
 * @param collected false while the set it needs is not collected: the column is hidden then, not
 *                  blank (see {@link ViewDef#shownWith})
 */
public record ColumnDef(String name, String field, int width, Aggregation aggregation,
                        Aggregation groupbyAggregation, String description, boolean isKey,
                        boolean isGroupbyKey, boolean isSorting, String format, String needs, boolean collected) {

    /** The display formats a view file may name. */
    public static final java.util.Set<String> FORMATS =
            java.util.Set.of("bytes", "rate", "percent", "int", "port", "text", "time");

    /**
     * What a column may need (view files: {@code needs: file}, {@code wire}, {@code containers}): a
     * counter set, or that some process runs in a container (CONTAINER columns).
     */
    public static final java.util.Set<String> NEEDS = java.util.Set.of(io.wiretop.model.Snapshot.FILE_IO,
            io.wiretop.model.Snapshot.WIRE, io.wiretop.model.Snapshot.CONTAINERS);

    public ColumnDef {
        aggregation = aggregation == null ? Aggregation.NONE : aggregation;
        groupbyAggregation = groupbyAggregation == null ? Aggregation.NONE : groupbyAggregation;
    }

    /** A column whose data is always collected. */
    public ColumnDef(String name, String field, int width, Aggregation aggregation, Aggregation groupbyAggregation,
                     String description, boolean isKey, boolean isGroupbyKey, boolean isSorting, String format) {
        this(name, field, width, aggregation, groupbyAggregation, description, isKey, isGroupbyKey, isSorting, format,
                null, true);
    }

    /**
     * csysdig hides columns named NA: they exist for keys, sorting and action templates. A column
     * whose counter set is not collected now is hidden too (its values are null, not zero).
     */
    public boolean hidden() {
        return "NA".equals(name) || !collected;
    }

    /** This column as shown while the given counter sets are collected. */
    public ColumnDef shownWith(java.util.Set<String> sets) {
        boolean on = needs == null || sets.contains(needs);
        return on == collected ? this : new ColumnDef(name, field, width, aggregation, groupbyAggregation, description,
                isKey, isGroupbyKey, isSorting, format, needs, on);
    }

    /**
     * The format used to display this column. Like csysdig: a TIME_AVG column (in either stage)
     * is a rate with two decimals; CPU has two decimals; counts get 1024-based suffixes.
     */
    public String effectiveFormat() {
        if (format != null) {
            return format;
        }
        if (aggregation == Aggregation.TIME_AVG || groupbyAggregation == Aggregation.TIME_AVG) {
            return "rate";
        }
        return switch (Fields.kind(field)) {
            case TEXT -> "text";
            case ID -> "int";
            case PORT -> "port";
            case DOUBLE -> "percent";
            case COUNT -> "bytes";
        };
    }

    /** Text and ports are left-aligned, every other format is right-aligned. */
    public boolean leftAligned() {
        String f = effectiveFormat();
        return f.equals("text") || f.equals("port");
    }

    /** True when the column holds numbers (sorted descending by default). */
    public boolean numeric() {
        return !effectiveFormat().equals("text");
    }
}
