// SPDX-License-Identifier: Apache-2.0
package io.wiretop.model;

/**
 * One row of a data source, read by views through sysdig-like field names
 * ({@code proc.pid}, {@code fd.rport}, {@code evt.buflen.net.in}...).
 *
 * <p>Values are {@link Long} for counts, sizes and ids, {@link Double} for percentages, and
 * {@link String} for names; {@code null} means the row has no such field. Counters of bytes or
 * calls hold what happened during the snapshot's interval, not rates: a view column with
 * TIME_AVG aggregation divides them by {@link Snapshot#intervalSeconds()}. Rows are immutable.
 */
public interface Row {
    /** The value of a field, or null when this row does not have it. */
    Object get(String field);

    /** The field names this row answers, for help screens and validation. */
    java.util.Set<String> fields();
}
