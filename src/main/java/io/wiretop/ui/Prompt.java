// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

/**
 * A one-line text editor in the footer (filter and search input). Mutable, UI thread only.
 */
final class Prompt {
    enum Kind { FILTER_TEXT, FILTER_EXPRESSION, SEARCH }

    Kind kind;
    final StringBuilder text = new StringBuilder();
    /** Error of the last Enter on an expression, and where in the text it is. */
    String error;
    int errorPosition = -1;

    Prompt(Kind kind, String initial) {
        this.kind = kind;
        text.append(initial == null ? "" : initial);
    }

    String text() {
        return text.toString();
    }

    void type(char c) {
        text.append(c);
        error = null;
    }

    void backspace() {
        if (text.length() > 0) {
            text.setLength(text.length() - 1);
        }
        error = null;
    }

    /** The label before the text, as csysdig words it. */
    String label() {
        return switch (kind) {
            case FILTER_TEXT -> "Text to match: ";
            case FILTER_EXPRESSION -> "Expression: ";
            case SEARCH -> "Search: ";
        };
    }
}
