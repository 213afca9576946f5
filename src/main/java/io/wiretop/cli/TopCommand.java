// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.bpf.BpfException;
import io.wiretop.capture.EngineOptions;
import io.wiretop.capture.LiveEngine;
import io.wiretop.model.SnapshotSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wiretop [options] [filter]}: the live table (TUI), or with --raw / --json the same view
 * printed once per interval, as csysdig's --raw does.
 */
@Command(name = "wiretop", mixinStandardHelpOptions = true, version = "wiretop 0.1.0",
        description = "Per-process network and file I/O top for Linux, from eBPF.",
        sortOptions = false)
public final class TopCommand implements Callable<Integer> {
    @Option(names = {"-d", "--delay"}, paramLabel = "MS", description = "Refresh interval in milliseconds (default: ${DEFAULT-VALUE}).")
    long delayMillis = 2000;

    @Option(names = {"-n", "--numevents"}, paramLabel = "N", description = "Stop after N intervals (0 = run until quit).")
    long intervals = 0;

    @Option(names = {"-v", "--view"}, paramLabel = "ID", description = "View to start with (default: ${DEFAULT-VALUE}).")
    String view = "procs";

    @Option(names = "--raw", description = "Print the view as plain text once per interval instead of the full-screen UI.")
    boolean raw;

    @Option(names = {"-j", "--json"}, description = "Print one JSON object per line per interval (views procs, connections).")
    boolean json;

    @Option(names = "--no-syscalls", description = "Do not attach the syscall program: no FILE, System Calls, Errors or Files data, "
            + "and no syscall slow path for the rest of the machine.")
    boolean noSyscalls;

    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "A filter expression ANDed with every view, e.g. proc.name = curl.")
    List<String> filter = List.of();

    @Override
    public Integer call() throws Exception {
        if (delayMillis < 100 || delayMillis > 3_600_000) {
            throw new UserError("-d must be between 100 and 3600000 milliseconds, got " + delayMillis);
        }
        if (intervals < 0) {
            throw new UserError("-n must be 0 or more, got " + intervals);
        }
        String filterText = String.join(" ", filter).strip();
        if (!raw && !json) {
            throw new UserError("the full-screen UI is not wired in yet: use --raw or --json");
        }
        if (json && !io.wiretop.output.JsonLinesPrinter.supports(view)) {
            throw new UserError("--json supports the views procs and connections, not " + view);
        }
        PrintMode print = PrintMode.prepare(view, filterText, json);
        SnapshotSource src = openLive();
        return print.run(src, intervals);
    }

    private SnapshotSource openLive() {
        try {
            LiveEngine engine = LiveEngine.start(new EngineOptions(delayMillis, !noSyscalls));
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "wiretop-shutdown"));
            return engine;
        } catch (BpfException e) {
            UiLogHolder.detail(e.detail());
            throw new UserError(e.getMessage());
        }
    }
}
