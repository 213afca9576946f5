// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One materialized table: the rows of a view's source for one snapshot, filtered, grouped by the
 * key column(s) (then by the group-by key, like csysdig's second stage), aggregated, sorted and
 * formatted. Immutable; built on whichever thread asks (usually the UI or printer thread).
 */
public final class ViewTable {
    private static final Map<String, Filter> COMPILED = new ConcurrentHashMap<>();

    private final ViewDef view;
    private final List<TableRow> rows;

    private ViewTable(ViewDef view, List<TableRow> rows) {
        this.view = view;
        this.rows = List.copyOf(rows);
    }

    /** Same as {@link #build(ViewDef, Snapshot, Filter, String, boolean)} with the view's default sort. */
    public static ViewTable build(ViewDef view, Snapshot snapshot, Filter extra) {
        return build(view, snapshot, extra, null, view.sortAscending());
    }

    /**
     * Builds the table of a view from a snapshot: picks snapshot.rows(view.source()), applies the
     * view's filter AND {@code extra} (drill-down selections, user filter), groups by the key
     * column(s) and group-by key, aggregates each column (TIME_AVG divides by
     * snapshot.intervalSeconds()), sorts by sortColumn (a column name or field; null = the view's
     * default column and direction) with ties ordered by key. Free-text parts of {@code extra}
     * are matched against the formatted cells, like csysdig's F4 text filter.
     */
    public static ViewTable build(ViewDef view, Snapshot snapshot, Filter extra, String sortColumn,
                                  boolean ascending) {
        Filter rowFilter = Filter.and(compiledViewFilter(view), rowPart(extra));
        List<Filter.Node.FreeText> texts = freeTextParts(extra);
        List<Row> source = SourceRows.matching(snapshot, view.source(), rowFilter);
        List<Built> built = view.type() == ViewType.LIST ? list(view, source)
                : group(view, source, snapshot.intervalSeconds());
        if (!texts.isEmpty()) {
            built.removeIf(b -> !texts.stream().allMatch(t -> t.testCells(b.row.cells())));
        }
        boolean asc = ascending;
        ColumnDef sortCol = view.column(sortColumn);
        if (sortCol == null) {
            sortCol = view.column(view.sortColumn());
            asc = sortColumn == null ? view.sortAscending() : ascending;
        }
        if (sortCol != null && view.type() == ViewType.TABLE) {
            built.sort(order(view.columns().indexOf(sortCol), asc));
        }
        return new ViewTable(view, built.stream().map(Built::row).toList());
    }

    /**
     * The source rows behind a view's table: the view's filter AND the row part of {@code extra}
     * (free text, matched on formatted cells, is not applied). What "record this view" selects
     * when the view has no proc.pid column to read the processes from.
     */
    public static List<Row> sourceRows(ViewDef view, Snapshot snapshot, Filter extra) {
        return SourceRows.matching(snapshot, view.source(), Filter.and(compiledViewFilter(view), rowPart(extra)));
    }

    public List<TableRow> rows() {
        return rows;
    }

    public ViewDef view() {
        return view;
    }

    /** The row with this key, or null (for keeping the selection across refreshes). */
    public TableRow find(String key) {
        return rows.stream().filter(r -> r.key().equals(key)).findFirst().orElse(null);
    }

    /**
     * The selection a drill-down from this row pushes: {@code keyField = value} (one term per key
     * column when the view has a composite key and no group-by).
     */
    public static Filter selection(ViewDef view, TableRow row) {
        List<ColumnDef> keys = view.groupbyColumn() != null ? List.of(view.groupbyColumn()) : view.keyColumns();
        Filter f = Filter.ALL;
        for (ColumnDef k : keys) {
            f = Filter.and(f, Filter.equalTo(k.field(), row.value(k.field())));
        }
        return f;
    }

    /** csysdig --raw line of a row (see {@link TableText#rawLine}). */
    public String rawLine(TableRow row) {
        return TableText.rawLine(view, row);
    }

    /** Header matching {@link #rawLine}. */
    public String rawHeader() {
        return TableText.rawHeader(view);
    }

    private record Built(List<Object> keyValues, TableRow row) {
    }

    static Filter compiledViewFilter(ViewDef view) {
        if (view.filter() == null || view.filter().isBlank()) {
            return Filter.ALL;
        }
        return COMPILED.computeIfAbsent(view.source() + "\u0000" + view.filter(), k -> {
            try {
                return Filter.parse(view.filter(), Fields.of(view.source()) == null ? Fields.ALL
                        : Fields.of(view.source()));
            } catch (FilterSyntaxException e) {
                // views from ViewRegistry are validated; a hand-built broken view is a programming error
                throw new IllegalArgumentException("view " + view.id() + ": bad filter: " + e.getMessage(), e);
            }
        });
    }

    private static Filter rowPart(Filter extra) {
        if (extra == null || extra.root instanceof Filter.Node.FreeText) {
            return Filter.ALL;
        }
        if (extra.root instanceof Filter.Node.And and
                && and.parts().stream().anyMatch(p -> p instanceof Filter.Node.FreeText)) {
            List<Filter.Node> rest = and.parts().stream().filter(p -> !(p instanceof Filter.Node.FreeText)).toList();
            return rest.isEmpty() ? Filter.ALL : new Filter(extra.text(), new Filter.Node.And(rest));
        }
        return extra;
    }

    private static List<Filter.Node.FreeText> freeTextParts(Filter extra) {
        if (extra == null) {
            return List.of();
        }
        if (extra.root instanceof Filter.Node.FreeText t) {
            return List.of(t);
        }
        if (extra.root instanceof Filter.Node.And and) {
            return and.parts().stream().filter(p -> p instanceof Filter.Node.FreeText)
                    .map(p -> (Filter.Node.FreeText) p).toList();
        }
        return List.of();
    }

    /**
     * One table row per source row, in source order. A list view's is_key columns (if any) only
     * name the row, so the selection stays on the same event while older ones scroll away (the
     * Packets list keys on evt.num); without one the position is the key.
     */
    private static List<Built> list(ViewDef view, List<Row> source) {
        List<Built> out = new ArrayList<>();
        List<ColumnDef> keys = view.keyColumns();
        int i = 0;
        for (Row r : source) {
            Object[] values = new Object[view.columns().size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = r.get(view.columns().get(c).field());
            }
            List<Object> keyValues = new ArrayList<>(keys.size());
            for (ColumnDef k : keys) {
                keyValues.add(r.get(k.field()));
            }
            String key = keys.isEmpty() || keyValues.contains(null) ? Integer.toString(i) : keyText(keyValues);
            i++;
            out.add(new Built(List.of(key), makeRow(view, key, values)));
        }
        return out;
    }

    private static List<Built> group(ViewDef view, List<Row> source, double interval) {
        List<ColumnDef> cols = view.columns();
        List<ColumnDef> keys = view.keyColumns();
        Map<List<Object>, Accumulator[]> first = new LinkedHashMap<>();
        for (Row r : source) {
            List<Object> key = new ArrayList<>(keys.size());
            for (ColumnDef k : keys) {
                key.add(r.get(k.field()));
            }
            if (key.contains(null)) {
                continue; // like csysdig: a row whose key cannot be extracted is not counted
            }
            Accumulator[] acc = first.computeIfAbsent(key, k -> accumulators(cols, false));
            for (int c = 0; c < cols.size(); c++) {
                acc[c].add(r.get(cols.get(c).field()));
            }
        }
        ColumnDef groupBy = view.groupbyColumn();
        List<Built> out = new ArrayList<>();
        if (groupBy == null) {
            first.forEach((key, acc) -> out.add(new Built(key, makeRow(view, keyText(key), results(acc, interval)))));
            return out;
        }
        int g = cols.indexOf(groupBy);
        Map<Object, Accumulator[]> second = new LinkedHashMap<>();
        for (Accumulator[] acc : first.values()) {
            Object[] stage1 = results(acc, interval);
            if (stage1[g] == null) {
                continue;
            }
            Accumulator[] acc2 = second.computeIfAbsent(stage1[g], k -> accumulators(cols, true));
            for (int c = 0; c < cols.size(); c++) {
                acc2[c].add(stage1[c]);
            }
        }
        second.forEach((key, acc) -> out.add(new Built(List.of(key), makeRow(view, Filter.text(key),
                results(acc, interval)))));
        return out;
    }

    private static Accumulator[] accumulators(List<ColumnDef> cols, boolean groupStage) {
        Accumulator[] acc = new Accumulator[cols.size()];
        for (int c = 0; c < acc.length; c++) {
            ColumnDef col = cols.get(c);
            Aggregation a = groupStage ? col.groupbyAggregation() : col.aggregation();
            // stage-1 TIME_AVG values are already rates: dividing again would be wrong, so add them up
            if (groupStage && a == Aggregation.TIME_AVG && col.aggregation() == Aggregation.TIME_AVG) {
                a = Aggregation.SUM;
            }
            acc[c] = new Accumulator(a);
        }
        return acc;
    }

    private static Object[] results(Accumulator[] acc, double interval) {
        Object[] out = new Object[acc.length];
        for (int c = 0; c < acc.length; c++) {
            out[c] = acc[c].result(interval);
        }
        return out;
    }

    private static String keyText(List<Object> key) {
        if (key.size() == 1) {
            return Filter.text(key.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (Object k : key) {
            sb.append(sb.length() == 0 ? "" : "/").append(Filter.text(k));
        }
        return sb.toString();
    }

    private static TableRow makeRow(ViewDef view, String key, Object[] values) {
        List<String> fields = new ArrayList<>(values.length);
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < values.length; c++) {
            ColumnDef col = view.columns().get(c);
            fields.add(col.field());
            if (!col.hidden()) {
                cells.add(Formats.cell(col, values[c]));
            }
        }
        return TableRow.of(key, fields, values, cells);
    }

    private static Comparator<Built> order(int column, boolean ascending) {
        Comparator<Object> dir = ascending ? Accumulator::compare : (a, b) -> Accumulator.compare(b, a);
        Comparator<Built> byValue = (x, y) -> {
            Object a = x.row.values().get(column);
            Object b = y.row.values().get(column);
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : 1) : -1; // missing values go last either way
            }
            return dir.compare(a, b);
        };
        return byValue.thenComparing((x, y) -> {
            for (int i = 0; i < Math.min(x.keyValues.size(), y.keyValues.size()); i++) {
                int c = Accumulator.compare(x.keyValues.get(i), y.keyValues.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
    }
}
