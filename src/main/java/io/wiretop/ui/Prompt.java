// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

/**
 * A one-line text editor in the footer (filter and search input) with readline's basic editing: a
 * cursor, prefilled text with the cursor at its end, Ctrl+U / Ctrl+K / Ctrl+W kills, word moves.
 * Mutable, UI thread only.
 */
final class Prompt {
    enum Kind { FILTER_TEXT, FILTER_EXPRESSION, SEARCH, GOTO }

    Kind kind;
    private final StringBuilder text = new StringBuilder();
    /** Insertion point, 0..length: the cell drawn as the cursor. */
    private int cursor;
    /** Error of the last Enter on an expression, and where in the text it is. */
    String error;
    int errorPosition = -1;

    Prompt(Kind kind, String initial) {
        this.kind = kind;
        text.append(initial == null ? "" : initial);
        cursor = text.length();
    }

    String text() {
        return text.toString();
    }

    int cursor() {
        return cursor;
    }

    void type(char c) {
        text.insert(cursor++, c);
        edited();
    }

    /** Deletes the character before the cursor. */
    void backspace() {
        if (cursor > 0) {
            text.deleteCharAt(--cursor);
        }
        edited();
    }

    /** Deletes the character under the cursor (Delete, Ctrl+D). */
    void delete() {
        if (cursor < text.length()) {
            text.deleteCharAt(cursor);
        }
        edited();
    }

    void left() {
        cursor = Math.max(0, cursor - 1);
    }

    void right() {
        cursor = Math.min(text.length(), cursor + 1);
    }

    void home() {
        cursor = 0;
    }

    void end() {
        cursor = text.length();
    }

    /** Ctrl+U (readline's unix-line-discard): deletes from the start of the line to the cursor. */
    void killToStart() {
        text.delete(0, cursor);
        cursor = 0;
        edited();
    }

    /** Ctrl+K: deletes from the cursor to the end of the line. */
    void killToEnd() {
        text.setLength(cursor);
        edited();
    }

    /** Ctrl+W (readline's unix-word-rubout): deletes the blank-separated word before the cursor. */
    void deleteWordBack() {
        int from = wordStartBefore(cursor, true);
        text.delete(from, cursor);
        cursor = from;
        edited();
    }

    /** Alt+B, Ctrl+Left: to the start of this or the previous word (letters, digits, '_', '.'). */
    void wordLeft() {
        cursor = wordStartBefore(cursor, false);
    }

    /** Alt+F, Ctrl+Right: to the end of this or the next word. */
    void wordRight() {
        int i = cursor;
        while (i < text.length() && !isWord(text.charAt(i), false)) {
            i++;
        }
        while (i < text.length() && isWord(text.charAt(i), false)) {
            i++;
        }
        cursor = i;
    }

    private int wordStartBefore(int from, boolean blankSeparated) {
        int i = from;
        while (i > 0 && !isWord(text.charAt(i - 1), blankSeparated)) {
            i--;
        }
        while (i > 0 && isWord(text.charAt(i - 1), blankSeparated)) {
            i--;
        }
        return i;
    }

    private static boolean isWord(char c, boolean blankSeparated) {
        return blankSeparated ? !Character.isWhitespace(c) : Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    private void edited() {
        error = null;
    }

    /** The label before the text, as csysdig words it. */
    String label() {
        return switch (kind) {
            case FILTER_TEXT -> "Text to match: ";
            case FILTER_EXPRESSION -> "Expression: ";
            case SEARCH -> "Search: ";
            case GOTO -> "Go to line: ";
        };
    }
}
