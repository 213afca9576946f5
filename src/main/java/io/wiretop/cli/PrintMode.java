// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.model.Snapshot;
import io.wiretop.model.SnapshotSource;
import io.wiretop.output.JsonLinesPrinter;
import io.wiretop.view.Filter;
import io.wiretop.view.TableRow;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewTable;

import io.wiretop.sys.StopSignals;
import io.wiretop.sys.Stdout;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Headless mode: prints each interval's view to stdout until -n intervals or the source ends (a
 * replayed file: exit 0 after its last interval; a file damaged on the way: its intervals before the
 * damage, then one line, exit 1).
 * --raw prints csysdig's --raw layout (a line of dashes, the column names, one line per row);
 * --json one object per interval. SIGINT/SIGTERM/SIGHUP end it after the interval being printed
 * (never half a line), with exit 0 as csysdig; a closed stdout (piped into head) ends it with one
 * line and exit 1, as tcpdump does.
 */
final class PrintMode {
    private static final String SEPARATOR = "----------------------";
    private final ViewDef view;
    private final Filter filter;
    private final boolean json;
    private final Function<Throwable, String> failureLine;

    /** @param failureLine the one line (without "wiretop: ") that says why the source stopped */
    PrintMode(ViewDef view, Filter filter, boolean json, Function<Throwable, String> failureLine) {
        this.view = view;
        this.filter = filter;
        this.json = json;
        this.failureLine = failureLine;
    }

    int run(SnapshotSource src, long intervals) throws Exception {
        Stdout stdout = new Stdout();
        PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        JsonLinesPrinter printer = json ? new JsonLinesPrinter(out, view.id(), view) : null;
        io.wiretop.engine.Demand d = demand(view);
        src.want(d.sources());
        src.wantPackets(d.packets());
        long seq = 0;
        long printed = 0;
        try (StopSignals signals = StopSignals.trap(() -> { }, STOP_GRACE_MILLIS)) {
            while ((intervals == 0 || printed < intervals) && !signals.stopping()) {
                Snapshot s = src.awaitAfter(seq, 200); // short: a stop signal is seen within 0.2 s
                if (s == null) {
                    // only once every snapshot is printed: what came before a failure is output too
                    if (src.failure() != null) {
                        throw new UserError(failureLine.apply(src.failure()));
                    }
                    if (src.ended()) {
                        break;
                    }
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
                    throw new UserError(stdout.failureLine()); // the reader went away (head), or a full disk
                }
            }
        }
        return 0;
    }

    /**
     * What printing this view needs collected: its source, and every packet for a packets view. The
     * live engine attaches the collectors for it on demand (the syscall program for files, syscalls
     * and errors; the packet hooks for packets), as the full-screen UI does, and releases them at exit.
     */
    static io.wiretop.engine.Demand demand(ViewDef view) {
        return new io.wiretop.engine.Demand(java.util.Set.of(view.source()), Snapshot.PACKETS.equals(view.source())
                ? io.wiretop.model.PacketSelection.ALL : io.wiretop.model.PacketSelection.NONE);
    }

    /** How long a stop signal waits for the loop (and the engine's close) before the process exits anyway. */
    private static final long STOP_GRACE_MILLIS = 10_000;

    private void printRaw(PrintStream out, Snapshot s) {
        // csysdig's --raw prints every column, collected or not; a container column once a container exists
        java.util.Set<String> shown = new java.util.HashSet<>(Snapshot.ALL_COUNTERS);
        if (s.collected().contains(Snapshot.CONTAINERS)) {
            shown.add(Snapshot.CONTAINERS);
        }
        ViewTable t = ViewTable.build(view.shownWith(shown), s, filter);
        StringBuilder sb = new StringBuilder();
        sb.append(SEPARATOR).append('\n').append(t.rawHeader()).append('\n');
        for (TableRow r : t.rows()) {
            sb.append(t.rawLine(r)).append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
