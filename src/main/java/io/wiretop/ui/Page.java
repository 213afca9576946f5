// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import java.util.List;

/** A full-screen text page (F1 help, F7 legend) with vertical scrolling. UI thread only. */
final class Page {
    final String title;
    final List<String> lines;
    int top;

    Page(String title, List<String> lines) {
        this.title = title;
        this.lines = List.copyOf(lines);
    }

    void scroll(int delta, int rows) {
        top = Math.max(0, Math.min(Math.max(0, lines.size() - rows), top + delta));
    }
}
