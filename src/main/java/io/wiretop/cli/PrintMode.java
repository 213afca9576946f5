// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;
import io.wiretop.output.JsonLinesPrinter;
import io.wiretop.view.Filter;
import io.wiretop.view.TableRow;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewTable;

import java.io.PrintStream;

/**
 * Headless mode: prints each interval's view to stdout until -n intervals or the source ends.
 * --raw prints csysdig's --raw layout (a line of dashes, the column names, one line per row);
 * --json one object per interval.
 */
final class PrintMode {
    private static final String SEPARATOR = "----------------------";
    private final ViewDef view;
    private final Filter filter;
    private final boolean json;

    PrintMode(ViewDef view, Filter filter, boolean json) {
        this.view = view;
        this.filter = filter;
        this.json = json;
    }

    int run(SnapshotSource src, long intervals) throws Exception {
        PrintStream out = System.out;
        JsonLinesPrinter printer = json ? new JsonLinesPrinter(out, view.id()) : null;
        src.want(java.util.Set.of(view.source()));
        if (Snapshot.PACKETS.equals(view.source())) {
            src.wantPackets(io.wiretop.model.PacketSelection.ALL);
        }
        long seq = 0;
        long printed = 0;
        while (intervals == 0 || printed < intervals) {
            Snapshot s = src.awaitAfter(seq, 1000);
            if (src.failure() != null) {
                throw new UserError("capture stopped: " + Main.oneLine(src.failure()));
            }
            if (s == null) {
                continue;
            }
            seq = s.seq();
            if (printer != null) {
                printer.print(s, filter);
            } else {
                printRaw(out, s);
            }
            printed++;
            if (out.checkError()) {
                return 0; // stdout closed (piped into head): stop quietly
            }
        }
        return 0;
    }

    private void printRaw(PrintStream out, Snapshot s) {
        ViewTable t = ViewTable.build(view, s, filter);
        StringBuilder sb = new StringBuilder();
        sb.append(SEPARATOR).append('\n').append(t.rawHeader()).append('\n');
        for (TableRow r : t.rows()) {
            sb.append(t.rawLine(r)).append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
