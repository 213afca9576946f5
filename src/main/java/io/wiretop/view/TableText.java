// SPDX-License-Identifier: Apache-2.0
package io.wiretop.view;

import io.wiretop.text.SafeText;
import io.wiretop.text.TextWidth;

import java.util.List;

/**
 * Lines of text for a table: csysdig's {@code --raw} layout for the print mode, and the
 * width-based screen layout of its curses table. Stateless.
 *
 * <p>{@code --raw} (csysdig table.cpp print_raw): every visible column is printed followed by one
 * space; numbers are right-aligned to 10 characters (csysdig passes a fixed width of 10 there,
 * not the column's colsize), text and ports are printed as they are. So each line ends with a
 * space, e.g. {@code "     17497       3200       0.00           2       159M ... curl -6 http://www.google.com "}.
 *
 * <p>Screen (cursestable.cpp): a column occupies {@code width} characters: its text right- (numbers)
 * or left-aligned (text, ports) in width-1 characters, then a space; the width-0 column takes the
 * rest of the line.
 *
 * <p>Cells hold the model's real text (filters and search match it); both layouts escape each cell
 * with {@link SafeText#escape} before padding, so a command line with ESC or a newline is printed
 * as {@code \x1b} / {@code \n} and the padding is counted on what is shown, in terminal columns
 * ({@link TextWidth}: two for a CJK character).
 */
public final class TableText {
    /** Width csysdig's raw printer gives every number. */
    public static final int RAW_NUMBER_WIDTH = 10;

    private TableText() {
    }

    /** One row as csysdig --raw prints it. */
    public static String rawLine(ViewDef view, TableRow row) {
        return raw(view.visibleColumns(), row.cells());
    }

    /** Column names laid out like {@link #rawLine} (csysdig --raw itself prints no header). */
    public static String rawHeader(ViewDef view) {
        List<ColumnDef> cols = view.visibleColumns();
        return raw(cols, cols.stream().map(ColumnDef::name).toList());
    }

    private static String raw(List<ColumnDef> cols, List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            String cell = SafeText.escape(cells.get(i));
            sb.append(cols.get(i).leftAligned() ? cell : padLeft(cell, RAW_NUMBER_WIDTH)).append(' ');
        }
        return sb.toString();
    }

    /** One row laid out in screen columns, cut to lineWidth (lineWidth <= 0: no limit). */
    public static String screenLine(ViewDef view, TableRow row, int lineWidth) {
        return screen(view.visibleColumns(), row.cells(), lineWidth);
    }

    /** The header line of the screen table. */
    public static String screenHeader(ViewDef view, int lineWidth) {
        List<ColumnDef> cols = view.visibleColumns();
        return screen(cols, cols.stream().map(ColumnDef::name).toList(), lineWidth);
    }

    /** One cell padded/cut to its column width (width 0 = unpadded). */
    public static String fit(ColumnDef col, String raw) {
        String cell = SafeText.escape(raw);
        if (col.width() <= 0) {
            return cell;
        }
        int w = col.width() - 1;
        String text = TextWidth.cut(cell, w);
        // padded by terminal columns, not characters: a CJK name takes two per character
        String pad = " ".repeat(w - TextWidth.of(text));
        return (col.leftAligned() ? text + pad : pad + text) + " ";
    }

    private static String screen(List<ColumnDef> cols, List<String> cells, int lineWidth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            sb.append(fit(cols.get(i), cells.get(i)));
        }
        return lineWidth > 0 ? TextWidth.cut(sb.toString(), lineWidth) : sb.toString();
    }

    static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
