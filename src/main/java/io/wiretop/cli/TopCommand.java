// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.bpf.BpfException;
import io.wiretop.capture.EngineOptions;
import io.wiretop.capture.LiveFeed;
import io.wiretop.engine.Engine;
import io.wiretop.engine.Feed;
import io.wiretop.engine.Pacing;
import io.wiretop.trace.TraceFeeds;
import io.wiretop.trace.TraceFiles;
import io.wiretop.model.SnapshotSource;
import io.wiretop.output.JsonLinesPrinter;
import io.wiretop.sys.OsError;
import io.wiretop.text.SafeText;
import io.wiretop.ui.Keymap;
import io.wiretop.ui.KeymapException;
import io.wiretop.ui.TopUi;
import io.wiretop.ui.UiOptions;
import io.wiretop.view.Filter;
import io.wiretop.view.FilterSyntaxException;
import io.wiretop.view.ViewDef;
import io.wiretop.view.ViewLoadException;
import io.wiretop.view.ViewRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wiretop [options] [filter]}: the live full-screen table, or with --raw / --json the same
 * view printed once per interval, as csysdig's --raw does. Everything the user typed is checked
 * before anything is loaded into the kernel. With {@code -r FILE} the same views replay a trace
 * file instead, without root and without BPF: -d is then trace time per interval (none: the whole
 * file as one interval, as csysdig's file mode); the printers go as fast as they can, the
 * full-screen UI plays -d intervals at real speed and stays on the last one at the end.
 */
@Command(name = "wiretop", mixinStandardHelpOptions = true, version = "wiretop 0.1.0",
        subcommands = {CaptureCommand.class, RecordCommand.class, ServeCommand.class},
        description = "Per-process network and file I/O top for Linux, from eBPF.",
        sortOptions = false)
public final class TopCommand implements Callable<Integer> {
    @Option(names = {"-d", "--delay"}, paramLabel = "MS", description = "Refresh interval in milliseconds (default: ${DEFAULT-VALUE}); "
            + "with -r: trace time per interval (default: the whole file as one interval).")
    long delayMillis = 2000;

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "Replay a trace file (.scap from sysdig, falco "
            + "or wiretop record, plain or gzip; pcapng) instead of the live system: needs no root.")
    Path readFile;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--numevents"}, paramLabel = "N", description = "With --raw/--json: stop after N intervals (0 = run until interrupted).")
    long intervals = 0;

    @Option(names = {"-v", "--view"}, paramLabel = "ID", description = "View to start with (default: ${DEFAULT-VALUE}); --list-views lists them.")
    String view = ViewRegistry.DEFAULT_VIEW;

    @Option(names = "--raw", description = "Print the view as plain text once per interval instead of the full-screen UI.")
    boolean raw;

    @Option(names = {"-j", "--json"}, description = "Print one JSON object per line per interval (views procs, connections).")
    boolean json;

    @Option(names = "--list-views", description = "List the views (id, name, description) and exit.")
    boolean listViews;

    @Option(names = {"-F", "--file-io"}, description = "Also attach the syscall program: FILE column, Files, System Calls "
            + "and Errors views. Costs every syscall on the machine the kernel's traced slow path (about 8%% on a "
            + "syscall-bound load, see docs/benchmarks.md).")
    boolean fileIo;

    @Option(names = {"-W", "--wire"}, description = "Also attach the packet hooks: WIRE columns and the Packets views. "
            + "Costs a BPF run per packet (about 8%% on a small-packet load).")
    boolean wire;

    @Option(names = {"-a", "--all"}, description = "Both --file-io and --wire.")
    boolean all;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "N", description = "Bytes of each I/O buffer the Echo and Dig "
            + "windows capture, 0 to " + io.wiretop.events.SyscallStream.SNAP_MAX + " (default: ${DEFAULT-VALUE}, as sysdig).")
    int snaplen = io.wiretop.events.EventSelection.DEFAULT_SNAP;

    @Option(names = "--keymap", paramLabel = "NAME", description = "Key bindings: default (csysdig), nofkeys (no F-keys needed), or a .keys file.")
    String keymap = "default";

    @Option(names = "--readonly", description = "Disable view actions (kill, renice...).")
    boolean readonly;

    @Option(names = "--logfile", paramLabel = "FILE", description = "Where the full-screen UI logs (default: ${DEFAULT-VALUE}).")
    Path logFile = UiLogHolder.LOG;

    @Option(names = "--record-dir", paramLabel = "DIR", description = "Where the record key (F11, Ctrl+R) writes its "
            + "wiretop-YYYYmmdd-HHMMSS.scap files (default: the current directory).")
    Path recordDir;

    @Option(names = "--metrics-listen", paramLabel = "ADDR:PORT", description = "Also serve the metrics of "
            + "wiretop serve (Prometheus /metrics, /-/healthy) while the table or --raw/--json runs.")
    String metricsListen;

    @picocli.CommandLine.Mixin
    MetricsFlags metrics = new MetricsFlags();

    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "A filter expression ANDed with every view, e.g. proc.name = curl.")
    List<String> filter = List.of();

    @Override
    public Integer call() throws Exception {
        checkOptions();
        ViewRegistry views;
        try {
            views = ViewRegistry.loadDefault();
        } catch (ViewLoadException e) {
            throw new UserError(e.getMessage());
        }
        if (listViews) {
            for (ViewDef v : views.all()) {
                // user view files are files: their text is shown escaped
                System.out.printf("%-16s %-20s %s%n", SafeText.escape(v.id()), SafeText.escape(v.name()),
                        SafeText.escape(v.description()));
            }
            return 0;
        }
        ViewDef v = views.get(view);
        if (v == null) {
            throw new UsageError("-v " + view + ": no such view (known: "
                    + String.join(", ", views.all().stream().map(ViewDef::id).toList()) + ")");
        }
        String filterText = String.join(" ", filter).strip();
        Filter f = parseFilter(filterText);
        if (readFile != null) {
            return replay(v, f, filterText, views);
        }
        EngineOptions engine = new EngineOptions(delayMillis, fileIo || all, wire || all);
        io.wiretop.export.ListenAddress metricsAt = metricsListen == null ? null
                : MetricsFlags.listen("--metrics-listen", metricsListen);
        io.wiretop.export.MetricsOptions metricsOpts = metrics.options(engine.wire());
        if (raw || json) {
            checkPrintable();
            try (io.wiretop.export.MetricsExporter exporter = bindMetrics(metricsAt, metricsOpts);
                 SnapshotSource src = openLive(engine, PrintMode.demand(v))) {
                followMetrics(exporter, src);
                return new PrintMode(v, f, json, t -> "capture stopped: " + Main.oneLine(t)).run(src, intervals);
            }
        }
        checkUiOptions(true);
        try (io.wiretop.export.MetricsExporter exporter = bindMetrics(metricsAt, metricsOpts);
             SnapshotSource src = openLive(engine, io.wiretop.engine.Demand.NONE)) {
            followMetrics(exporter, src);
            return TopUi.run(src, views, new UiOptions(view, keymap, readonly, 0,
                    filterText.isEmpty() ? null : filterText, logFile), recordingSetup(),
                    t -> "capture stopped: " + Main.oneLine(t), (sel, enters, zone) -> liveWindow(sel, zone, snaplen, enters));
        }
    }

    /**
     * An Echo/Dig/Spectrogram window's live source: the syscall stream of exactly the selection,
     * while it is open. A container is selected in the kernel by its cgroups (and every cgroup below
     * them: the stream matches a thread's cgroup ancestors), else by the pids the table knew; a
     * thread by its process (the kernel selects tgids), the SelectionFilter keeping only its tid.
     * Without {@code enters} (Echo) only the exit hook is attached (EventSelection.exitsOnly).
     */
    public static io.wiretop.window.EventWindowSource liveWindow(io.wiretop.window.WindowSelection sel, java.time.ZoneId zone,
            int snaplen, boolean enters) throws Exception {
        java.util.Set<Integer> pids = new java.util.TreeSet<>();
        sel.pids().forEach(p -> pids.add(p.intValue()));
        io.wiretop.events.EventSelection kernel = io.wiretop.events.EventSelection.processes(pids, snaplen);
        if (sel.containerId() != null) {
            java.util.Set<Long> cgroups = io.wiretop.host.CgroupV2.containerCgroups(sel.containerId());
            if (cgroups.isEmpty() && pids.isEmpty()) {
                throw new Exception("no cgroup holds container " + SafeText.escape(sel.containerId()));
            }
            kernel = new io.wiretop.events.EventSelection(false, pids, cgroups, snaplen);
        }
        io.wiretop.events.EventSelection chosen = kernel.exitsOnly(!enters);
        return io.wiretop.window.LiveWindowSource.start(sel, () -> RecordCommand.opener.open(chosen),
                () -> io.wiretop.trace.scap.HostSnapshot.system().take(), zone, sel.containerId() != null);
    }

    /**
     * A window's source on a replayed file: a .scap's syscalls read again, or a packet file's
     * packets (a connection's only; the file's own connection numbers are no socket cookies).
     */
    static io.wiretop.window.EventWindowSource replayWindow(Path file, io.wiretop.window.WindowSelection sel,
            java.time.ZoneId zone) throws IOException {
        if (TraceFeeds.holdsPackets(file)) {
            return io.wiretop.window.PcapWindowSource.start(file, new io.wiretop.window.WindowSelection(sel.pids(),
                    sel.fd(), sel.fdName(), sel.text(), 0, sel.tid(), sel.containerId()), zone);
        }
        return io.wiretop.window.ScapWindowSource.start(file, sel, zone);
    }

    /**
     * -r: the file through the engine, printed (every interval, as fast as it goes, exit 0 at its end)
     * or on the full-screen UI (-d: one interval per -d of wall clock; none: the whole file at once).
     */
    private int replay(ViewDef v, Filter f, String filterText, ViewRegistry views) throws Exception {
        if (!raw && !json) {
            checkUiOptions(false); // a terminal and a log file, not root
        } else if (json && !JsonLinesPrinter.supports(view)) {
            throw new UsageError("-v " + view + ": --json prints the views procs, connections, containers and pods only");
        }
        boolean delayGiven = spec != null && spec.commandLine() != null
                && spec.commandLine().getParseResult().hasMatchedOption("-d");
        Feed feed;
        try {
            feed = TraceFeeds.open(readFile, delayGiven ? delayMillis * 1_000_000L : 0);
        } catch (IOException e) {
            throw new UserError(fileProblem(e));
        }
        if (raw || json) {
            if (!feed.availableSources().contains(v.source())) {
                feed.close();
                throw new UsageError("-v " + view + ": " + SafeText.escape(readFile.toString()) + " holds no "
                        + v.source());
            }
            try (SnapshotSource src = Engine.start(feed, Pacing.EACH)) {
                return new PrintMode(v, f, json, this::fileProblem).run(src, intervals);
            }
        }
        try (Engine src = Engine.start(feed, delayGiven ? Pacing.every(delayMillis) : Pacing.EACH)) {
            Runtime.getRuntime().addShutdownHook(new Thread(src::close, "wiretop-shutdown"));
            int rc = TopUi.run(src, views, new UiOptions(view, keymap, readonly, 0,
                    filterText.isEmpty() ? null : filterText, logFile), null, this::fileProblem,
                    (sel, enters, zone) -> replayWindow(readFile, sel, zone));
            if (rc == 0 && src.failure() != null) {
                throw new UserError(fileProblem(src.failure())); // the screen said it; the exit status says it too
            }
            return rc;
        }
    }

    /** --metrics-listen: the port bound after the privileges, before anything is loaded; null without the option. */
    private static io.wiretop.export.MetricsExporter bindMetrics(io.wiretop.export.ListenAddress at,
                                                               io.wiretop.export.MetricsOptions opts) {
        if (at == null) {
            return null;
        }
        try {
            io.wiretop.bpf.KernelCheck.requirePrivileges();
        } catch (BpfException e) {
            throw new UserError(e.getMessage());
        }
        return MetricsFlags.bind("--metrics-listen", at, opts);
    }

    private void followMetrics(io.wiretop.export.MetricsExporter exporter, SnapshotSource src) {
        if (exporter != null) {
            exporter.follow(src, delayMillis);
            if (raw || json) {
                MetricsFlags.announce(MetricsFlags.listen("--metrics-listen", metricsListen), exporter);
            }
        }
    }

    /** {@code FILE: offset N: reason}: one line for whatever stopped the reading of the -r file. */
    private String fileProblem(Throwable t) {
        return TraceFiles.problem(readFile, t);
    }

    /** What can be checked from the command line alone: ranges and options that do not go together. */
    private void checkOptions() {
        if (delayMillis < 100 || delayMillis > 3_600_000) {
            throw new UsageError("-d " + delayMillis + ": the refresh interval is 100 to 3600000 milliseconds");
        }
        if (intervals < 0) {
            throw new UsageError("-n " + intervals + ": the number of intervals is 0 (until interrupted) or more");
        }
        if (raw && json) {
            throw new UsageError("--raw and --json: choose one");
        }
        if (recordDir != null && (raw || json)) {
            throw new UsageError("--record-dir applies to the full-screen UI (its record key), not to --raw or --json");
        }
        if (recordDir != null && readFile != null) {
            throw new UsageError("--record-dir and -r: a replay records nothing (record the live system, then replay the file)");
        }
        if (readFile != null && metricsListen != null) {
            throw new UsageError("--metrics-listen and -r: the metrics are the live system's (a replay's counts are not now)");
        }
        if (readFile != null && (fileIo || wire || all)) {
            throw new UsageError("-r and " + (fileIo ? "-F" : wire ? "-W" : "-a")
                    + ": a replay shows what the file holds (-F, -W and -a choose what the live system collects)");
        }
        if (snaplen < 0 || snaplen > io.wiretop.events.SyscallStream.SNAP_MAX) {
            throw new UsageError("-s " + snaplen + ": the snap length is 0 to " + io.wiretop.events.SyscallStream.SNAP_MAX
                    + " bytes");
        }
        boolean snapGiven = spec != null && spec.commandLine() != null
                && spec.commandLine().getParseResult().hasMatchedOption("-s");
        if (snapGiven && readFile != null) {
            throw new UsageError("-r and -s: a replay shows the buffers the file holds (-s chooses what the live "
                    + "Echo and Dig windows capture)");
        }
        if (snapGiven && (raw || json)) {
            throw new UsageError("-s applies to the full-screen UI's Echo and Dig windows, not to --raw or --json");
        }
        if (intervals > 0 && !raw && !json) {
            throw new UsageError("-n " + intervals + " counts the intervals of --raw or --json: add one of them");
        }
        try {
            Keymap.load(keymap); // also in --raw mode: a mistyped name is an error wherever it is given
        } catch (KeymapException e) {
            throw new UsageError("--keymap: " + e.getMessage());
        }
    }

    /**
     * --raw / --json: the view must be printable. Its data need not be forced on: the engine attaches
     * the collector the view needs on demand (PrintMode.demand), as the full-screen UI does.
     */
    private void checkPrintable() {
        if (json && !JsonLinesPrinter.supports(view)) {
            throw new UsageError("-v " + view + ": --json prints the views procs, connections, containers and pods only");
        }
    }

    /**
     * The full-screen UI: a log file it can write, and a terminal. After the privileges (live only):
     * the default log may be root's from an earlier sudo run, which says nothing to a user without root.
     */
    private void checkUiOptions(boolean live) {
        if (live) {
            try {
                io.wiretop.bpf.KernelCheck.requirePrivileges();
            } catch (BpfException e) {
                throw new UserError(e.getMessage());
            }
        }
        try (var w = java.nio.file.Files.newBufferedWriter(logFile, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            // opened and closed: the UI opens it again once the screen is up, when it is too late to say why
        } catch (java.io.IOException e) {
            throw new UserError("--logfile " + logFile + ": " + OsError.reason(e));
        }
        if (recordDir != null && !java.nio.file.Files.isDirectory(recordDir)) {
            throw new UserError("--record-dir " + SafeText.escape(recordDir.toString()) + ": "
                    + (java.nio.file.Files.exists(recordDir) ? "Not a directory" : "No such file or directory"));
        }
        if (System.console() == null) {
            throw new UserError("the full-screen UI needs a terminal: run it in one, or use --raw / --json");
        }
        String termRefusal = TopUi.terminalRefusal();
        if (termRefusal != null) {
            throw new UserError(termRefusal);
        }
    }

    /** The record key's recordings: the kernel's syscall stream of the selection, to a file in --record-dir. */
    private io.wiretop.ui.RecordingSetup recordingSetup() {
        Path dir = recordDir == null ? Path.of("") : recordDir;
        return new io.wiretop.ui.RecordingSetup(dir, (file, selection) -> io.wiretop.trace.record.Recorder.start(
                new io.wiretop.trace.record.Recorder.Options(file, false, null, null),
                () -> RecordCommand.opener.open(selection), () -> io.wiretop.trace.scap.HostSnapshot.system().take()));
    }

    private static Filter parseFilter(String text) {
        if (text.isEmpty()) {
            return Filter.ALL;
        }
        try {
            return Filter.parse(text);
        } catch (FilterSyntaxException e) {
            throw new UsageError("invalid filter at position " + e.position() + ": " + e.reason());
        }
    }

    private SnapshotSource openLive(EngineOptions opts, io.wiretop.engine.Demand initial) {
        try {
            Engine engine = Engine.start(LiveFeed.open(opts), Pacing.FEED, initial);
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "wiretop-shutdown"));
            return engine;
        } catch (BpfException e) {
            UiLogHolder.detail(e.detail());
            throw new UserError(e.getMessage());
        }
    }
}
