// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.view.Filter;
import io.wiretop.view.ViewDef;

/**
 * What the user chose for the view on screen: the view, its sort, the user filter, scroll and selection.
 * Mutable, confined to the UI thread; a copy is pushed on the drill-down stack and restored on the way back.
 */
final class ViewState {
    /** The view as loaded. */
    final ViewDef full;
    /** The view as shown: {@link #full} without the columns whose counters are not collected now. */
    ViewDef view;
    String sortColumn;
    boolean ascending;
    /** The user's filter (F4), {@link Filter#ALL} when none. */
    Filter userFilter = Filter.ALL;
    /** What the user typed for the filter, and whether it is an expression (else free text). */
    String userFilterText = "";
    boolean userFilterIsExpression;
    String selectedKey;
    int selected;
    int top;
    int hscroll;
    /**
     * A list view (events, oldest first) keeps the newest row selected while this is set: moving the
     * selection off the last row clears it, moving back onto the last row sets it again.
     */
    boolean follow;
    /** After "clear" on the Packets list: only packets with a higher evt.num are shown; else null. */
    Long clearedAfter;

    ViewState(ViewDef view) {
        this.full = view;
        this.view = view;
        this.sortColumn = view.sortColumn();
        this.ascending = view.sortAscending();
        this.follow = view.type() == io.wiretop.view.ViewType.LIST;
    }

    ViewState copy() {
        ViewState s = new ViewState(full);
        s.view = view;
        s.sortColumn = sortColumn;
        s.ascending = ascending;
        s.userFilter = userFilter;
        s.userFilterText = userFilterText;
        s.userFilterIsExpression = userFilterIsExpression;
        s.selectedKey = selectedKey;
        s.selected = selected;
        s.top = top;
        s.hscroll = hscroll;
        s.follow = follow;
        s.clearedAfter = clearedAfter;
        return s;
    }
}
