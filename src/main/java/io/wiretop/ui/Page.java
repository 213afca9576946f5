// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.util.List;

/** A full-screen text page (F1 help, F7 legend, a decoded packet) with vertical scrolling. UI thread only. */
final class Page {
    static final String ANY_KEY_HINT = "Up/Down/PgUp/PgDn: scroll  any other key: back";
    static final String BACK_HINT = "Up/Down/PgUp/PgDn/Home/End: scroll  Backspace: back to the list";

    final String title;
    final List<String> lines;
    /** The key help of the page's bottom line. */
    final String hint;
    int top;

    Page(String title, List<String> lines) {
        this(title, lines, ANY_KEY_HINT);
    }

    Page(String title, List<String> lines, String hint) {
        this.title = title;
        this.lines = List.copyOf(lines);
        this.hint = hint;
    }

    void scroll(int delta, int rows) {
        top = Math.max(0, Math.min(Math.max(0, lines.size() - rows), top + delta));
    }
}
