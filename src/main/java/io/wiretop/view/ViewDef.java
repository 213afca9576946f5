// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import java.util.List;

/**
 * One view, as loaded from a view file (immutable, shareable between threads).
 *
 * @param source        Snapshot source name: processes|connections|threads|files|syscalls
 * @param filter        filter expression applied to every source row, or null
 * @param appliesTo     selection fields under which the view is offered: "" = whole machine
 * @param drilldownTarget view opened by Enter, or null
 * @param sortColumn    the is_sorting column's name
 * @param sortAscending default direction (numbers descending, text ascending, unless the file says otherwise)
 * @param needs what must exist for F2 to offer the view ({@link io.wiretop.model.Snapshot#PODS}), or null: always
 */
public record ViewDef(String id, String name, String description, List<String> tips, ViewType type,
                      String source, String filter, List<String> appliesTo, String drilldownTarget,
                      boolean isRoot, List<ColumnDef> columns, List<ActionDef> actions, String sortColumn,
                      boolean sortAscending, String needs) {

    /** A view offered whatever the snapshot holds. */
    public ViewDef(String id, String name, String description, List<String> tips, ViewType type,
                   String source, String filter, List<String> appliesTo, String drilldownTarget,
                   boolean isRoot, List<ColumnDef> columns, List<ActionDef> actions, String sortColumn,
                   boolean sortAscending) {
        this(id, name, description, tips, type, source, filter, appliesTo, drilldownTarget, isRoot, columns, actions,
                sortColumn, sortAscending, null);
    }

    /** Whether F2 offers this view while the snapshot's {@link io.wiretop.model.Snapshot#collected} are these. */
    public boolean offeredWith(java.util.Set<String> present) {
        return needs == null || present.contains(needs);
    }

    public ViewDef {
        tips = tips == null ? List.of() : List.copyOf(tips);
        appliesTo = appliesTo == null ? List.of("") : List.copyOf(appliesTo);
        columns = List.copyOf(columns);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /**
     * The column that identifies a final row, i.e. the field a drill-down selects on: the
     * is_groupby_key column when the view has one (rows are re-keyed by it), else the first is_key
     * column. Null for list views.
     */
    public ColumnDef keyColumn() {
        ColumnDef g = groupbyColumn();
        if (g != null) {
            return g;
        }
        List<ColumnDef> keys = keyColumns();
        return keys.isEmpty() ? null : keys.get(0);
    }

    /** The is_key columns: together they key the first grouping stage (e.g. fd.cookie + proc.pid). */
    public List<ColumnDef> keyColumns() {
        return columns.stream().filter(ColumnDef::isKey).toList();
    }

    /** The is_groupby_key column (second grouping stage), or null. */
    public ColumnDef groupbyColumn() {
        return columns.stream().filter(ColumnDef::isGroupbyKey).findFirst().orElse(null);
    }

    /** Columns shown on screen (name not "NA"), in order. */
    public List<ColumnDef> visibleColumns() {
        return columns.stream().filter(c -> !c.hidden()).toList();
    }

    /**
     * This view as shown while the given counter sets are collected: a column that needs another
     * set is hidden (the width-0 column takes what it leaves); this same view when nothing changes.
     */
    public ViewDef shownWith(java.util.Set<String> sets) {
        List<ColumnDef> shown = columns.stream().map(c -> c.shownWith(sets)).toList();
        if (shown.equals(columns)) {
            return this;
        }
        return new ViewDef(id, name, description, tips, type, source, filter, appliesTo, drilldownTarget, isRoot, shown,
                actions, sortColumn, sortAscending, needs);
    }

    /** The column with this name (first match), or with this field name; null if none. */
    public ColumnDef column(String nameOrField) {
        if (nameOrField == null) {
            return null;
        }
        for (ColumnDef c : columns) {
            if (c.name().equals(nameOrField)) {
                return c;
            }
        }
        for (ColumnDef c : columns) {
            if (c.field().equals(nameOrField)) {
                return c;
            }
        }
        return null;
    }

    /** The action bound to a hotkey, or null. */
    public ActionDef action(String hotkey) {
        return actions.stream().filter(a -> a.hotkey().equals(hotkey)).findFirst().orElse(null);
    }
}
