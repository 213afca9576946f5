// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.model.Row;
import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;
import io.wiretop.output.JsonLinesPrinter;

import java.io.PrintStream;
import java.util.function.Predicate;

/** Headless mode: prints each interval's view to stdout until -n intervals or the source ends. */
final class PrintMode {
    private final String view;
    private final Predicate<Row> filter;
    private final boolean json;

    private PrintMode(String view, Predicate<Row> filter, boolean json) {
        this.view = view;
        this.filter = filter;
        this.json = json;
    }

    /** Validates the view and the filter before anything is loaded into the kernel. */
    static PrintMode prepare(String view, String filterText, boolean json) {
        if (!filterText.isEmpty()) {
            throw new UserError("filter expressions are not supported yet");
        }
        return new PrintMode(view, r -> true, json);
    }

    int run(SnapshotSource src, long intervals) throws Exception {
        PrintStream out = System.out;
        JsonLinesPrinter printer = new JsonLinesPrinter(out, view);
        long seq = 0;
        long printed = 0;
        try (src) {
            while (intervals == 0 || printed < intervals) {
                Snapshot s = src.awaitAfter(seq, 1000);
                if (src.failure() != null) {
                    throw new UserError("capture stopped: " + Main.oneLine(src.failure()));
                }
                if (s == null) {
                    continue;
                }
                seq = s.seq();
                printer.print(s, filter);
                printed++;
                if (out.checkError()) {
                    return 0; // stdout closed (e.g. piped into head): stop quietly
                }
            }
        }
        return 0;
    }
}
