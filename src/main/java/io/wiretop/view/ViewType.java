// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

/** Kind of a view: a keyed, aggregated table, or a plain list with one line per source row. */
public enum ViewType {
    TABLE, LIST
}
