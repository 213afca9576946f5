// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a {@link ViewTable}. key = the identity of the row as text (selection follows it
 * across re-sorts); values = per column (visible and hidden, in view.columns() order;
 * Long/Double/String/null); cells = formatted text of the visible columns, unpadded (see
 * {@link TableText} for aligned lines). Immutable.
 */
public record TableRow(String key, List<Object> values, List<String> cells) {

    /**
     * The value of the first column showing this field (for %field action templates and drill-down
     * selections); null when no column of the view has the field, or the row was built by hand
     * without field names.
     */
    public Object value(String field) {
        return values instanceof FieldValues fv ? fv.byField(field) : null;
    }

    /** Builds a row whose values can be looked up by field name. */
    public static TableRow of(String key, List<String> fields, Object[] values, List<String> cells) {
        return new TableRow(key, new FieldValues(fields, values), List.copyOf(cells));
    }

    /**
     * The values list carries the column fields so that {@link #value(String)} works without a
     * fourth record component (the record's shape is part of the view API).
     */
    static final class FieldValues extends AbstractList<Object> {
        private final List<String> fields;
        private final Object[] values;

        FieldValues(List<String> fields, Object[] values) {
            if (fields.size() != values.length) {
                throw new IllegalArgumentException(fields.size() + " fields but " + values.length + " values");
            }
            this.fields = List.copyOf(fields);
            this.values = Arrays.copyOf(values, values.length);
        }

        Object byField(String field) {
            int i = fields.indexOf(field);
            return i < 0 ? null : values[i];
        }

        @Override
        public Object get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
