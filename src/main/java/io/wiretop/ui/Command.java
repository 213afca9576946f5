// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

/**
 * Everything a key chord can ask the UI to do. Keymap files ({@code keymaps/*.keys}) bind chords to
 * these names; the UI thread executes them.
 */
public enum Command {
    HELP("help page"),
    VIEWS("view picker"),
    SEARCH_NEXT("find next search match"),
    FILTER("filter (free text or expression)"),
    SEARCH("search rows"),
    ECHO("Echo window (I/O of the selection)"),
    DIG("Dig window (events of the selection)"),
    LEGEND("legend / info page of the view"),
    ACTIONS("actions menu"),
    SORT_MENU("sort column menu"),
    QUIT("quit"),
    SPECTRO("Spectrogram window (syscall latencies of the selection)"),
    PAUSE("pause / resume updates"),
    CLEAR("clear (list views)"),
    GOTO("go to a line number (Echo and Dig windows)"),
    RECORD("record what the view selects to a .scap file / stop recording"),
    DRILL_DOWN("drill down into the selected row"),
    DRILL_UP("back to the previous view"),
    UP("selection up"),
    DOWN("selection down"),
    PAGE_UP("page up"),
    PAGE_DOWN("page down"),
    HOME("first row"),
    END("last row"),
    LEFT("scroll left"),
    RIGHT("scroll right"),
    REDRAW("redraw the whole screen"),
    SORT_1("sort by column 1 (again: reverse)"),
    SORT_2("sort by column 2 (again: reverse)"),
    SORT_3("sort by column 3 (again: reverse)"),
    SORT_4("sort by column 4 (again: reverse)"),
    SORT_5("sort by column 5 (again: reverse)"),
    SORT_6("sort by column 6 (again: reverse)"),
    SORT_7("sort by column 7 (again: reverse)"),
    SORT_8("sort by column 8 (again: reverse)"),
    SORT_9("sort by column 9 (again: reverse)");

    private final String description;

    Command(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** For SORT_n the 0-based visible column index n-1, else -1. */
    public int sortColumnIndex() {
        return name().startsWith("SORT_") && name().length() == 6 ? name().charAt(5) - '1' : -1;
    }
}
