// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.util.List;

/**
 * A side menu (F2 views, F8 actions, F9 sort): a title, entries, the highlighted entry and, for the view
 * picker, a detail text per entry shown in a right-hand pane. Mutable selection, UI thread only.
 */
final class Menu {
    enum Kind { VIEWS, ACTIONS, SORT }

    final Kind kind;
    final String title;
    final List<String> items;
    final List<List<String>> details;
    int selected;
    int top;

    Menu(Kind kind, String title, List<String> items, List<List<String>> details, int selected) {
        this.kind = kind;
        this.title = title;
        this.items = List.copyOf(items);
        this.details = details == null ? null : List.copyOf(details);
        this.selected = Math.max(0, Math.min(selected, items.size() - 1));
    }

    void move(int delta) {
        if (!items.isEmpty()) {
            selected = Math.max(0, Math.min(items.size() - 1, selected + delta));
        }
    }

    /** Keeps the highlighted entry inside a window of {@code rows} entries. */
    void scrollTo(int rows) {
        if (selected < top) {
            top = selected;
        } else if (selected >= top + rows) {
            top = selected - rows + 1;
        }
        top = Math.max(0, top);
    }
}
