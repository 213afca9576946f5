// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

/**
 * How a column combines the values of the rows that share a key (csysdig semantics).
 * TIME_AVG is the sum divided by the snapshot interval in seconds, i.e. a per-second rate.
 * NONE keeps the first non-null value. COUNT_DISTINCT is the number of different non-null values
 * (the containers of a pod: wiretop's, csysdig has none).
 */
public enum Aggregation {
    NONE, SUM, AVG, TIME_AVG, MIN, MAX, COUNT_DISTINCT
}
