// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.KernelCheck;
import io.wiretop.host.ProcFs;
import io.wiretop.events.EventSelection;
import io.wiretop.events.SyscallEvents;
import io.wiretop.host.CgroupV2;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.sys.StopSignals;
import io.wiretop.text.SafeText;
import io.wiretop.trace.record.EventFilter;
import io.wiretop.trace.record.EventPredicate;
import io.wiretop.trace.record.FileNames;
import io.wiretop.trace.record.RecordLimits;
import io.wiretop.trace.record.RecordStatus;
import io.wiretop.trace.record.Recorder;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.view.FilterSyntaxException;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wiretop record}: syscall events to a .scap file as {@code sysdig -w} writes it, until
 * Ctrl-C (SIGINT, SIGTERM, SIGHUP: exit 0) or a limit; the summary line
 * {@code N events, B bytes written to FILE, L lost} on stderr at the end. Which processes is decided
 * in the kernel (--pid, --pname; --container-id, --container-name, --pod by cgroup, as capture's, through
 * {@link ContainerTargets}); the filter expression, in user space, on each event.
 */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Record syscall events to a .scap file (sysdig -w style), readable by sysdig -r and csysdig -r.")
public final class RecordCommand implements Callable<Integer> {
    /** The largest -s: a parameter's largest size in scap (libs' PPM_MAX_ARG_SIZE). */
    static final int MAX_SNAP = 65000;
    /** How long a stop signal waits for the file to be closed before the process exits anyway. */
    private static final long STOP_GRACE_MILLIS = 15_000;

    /** Opens the kernel's syscall stream (tests give a fake one). */
    @FunctionalInterface
    interface StreamOpener {
        SyscallEvents open(EventSelection selection) throws BpfException, IOException;
    }

    static final StreamOpener DEFAULT_OPENER = RecordCommand::openKernelStream;
    static StreamOpener opener = DEFAULT_OPENER;
    /** Names containers in the files' container events; null: the runtimes' (tests give their own). */
    static ContainerDirectory names;
    /** Whether the privileges are checked (tests with a fake stream run without them being needed). */
    static boolean checkPrivileges = true;

    @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "the .scap file to write (mode 0600)")
    String writeFile;
    @Option(names = {"-s", "--snaplen"}, paramLabel = "N", description = "bytes of each I/O buffer to keep, 0 to "
            + MAX_SNAP + " (default: " + EventSelection.DEFAULT_SNAP + ", as sysdig)")
    int snaplen = EventSelection.DEFAULT_SNAP;
    @Option(names = {"-z", "--compress"}, description = "gzip the file, as sysdig -z")
    boolean gzip;
    @Option(names = {"-G", "--seconds"}, paramLabel = "SECS", description = "a new file every SECS seconds (FILE0, FILE1...)")
    long seconds;
    @Option(names = {"-C", "--file-size"}, paramLabel = "MB", description = "a new file when the file is over MB million bytes")
    long fileSizeMb;
    @Option(names = {"-e", "--events"}, paramLabel = "N", description = "a new file every N events")
    long eventsPerFile;
    @Option(names = {"-n", "--numevents"}, paramLabel = "N", description = "stop after N events")
    long count;
    @Option(names = {"-W", "--limit"}, paramLabel = "N", description = "with -G, -C or -e: at most N files, reusing their names")
    int fileCount;
    @Option(names = "--pid", paramLabel = "PID", description = "only this process and the children it starts (repeatable)")
    List<Long> pids = new ArrayList<>();
    @Option(names = "--pname", paramLabel = "NAME", description = "only the processes with this name now, and the children they start (repeatable)")
    List<String> pnames = new ArrayList<>();
    @Option(names = "--container-id", paramLabel = "ID", description = "only the processes of this container (id or prefix)")
    String containerId;
    @Option(names = "--container-name", paramLabel = "NAME", description = "only the processes of the container of this name (docker, podman)")
    String containerName;
    @Option(names = "--pod", paramLabel = "POD", description = "only the processes of the containers of this pod (NAME or NAME.NAMESPACE)")
    String pod;
    @Parameters(arity = "0..*", paramLabel = "FILTER", description = "sysdig-like filter over event fields "
            + "(evt.type, evt.dir, evt.res, evt.rawres, proc.name, proc.pid, thread.tid, fd.num, fd.name, fd.type)")
    List<String> expression = new ArrayList<>();
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EventPredicate filter = validate();
        if (checkPrivileges) {
            try {
                KernelCheck.requirePrivileges();
            } catch (BpfException e) {
                throw new UserError(e.getMessage());
            }
        }
        requireNewFileName();
        LiveTargets.requireWritable(writeFile);
        EventSelection selection = selection();
        try (StopSignals signals = StopSignals.trap(() -> { }, STOP_GRACE_MILLIS)) {
            // the first head is taken before the stream attaches (on the recorder's thread)
            Recorder recorder = Recorder.start(new Recorder.Options(Path.of(writeFile), gzip, limits(), filter,
                    containerNames()),
                    () -> opener.open(selection), () -> HostSnapshot.system().take());
            RecordStatus start = recorder.awaitStarted();
            if (start.files() == 0) { // the stream could not be opened, or the file created: nothing was recorded
                throw new UserError(recorder.awaitEnd().error());
            }
            System.err.println("wiretop record: recording " + what() + " to " + SafeText.escape(writeFile)
                    + (gzip ? " (gzip)" : "") + ", snap length " + snaplen + " bytes");
            while (!signals.stopping() && !recorder.awaitEnd(100)) {
                // the recorder ends by itself at -n or on a failure; a signal ends it here
            }
            RecordStatus end = recorder.stop();
            System.err.println(end.summary());
            if (end.error() != null) {
                throw new UserError(end.error());
            }
        }
        return 0;
    }

    /** The command line alone (exit 2); returns the compiled filter. */
    private EventPredicate validate() {
        if (writeFile == null || writeFile.isEmpty()) {
            throw new UsageError("-w FILE is needed: the .scap file to record to");
        }
        if (writeFile.equals("-")) { // capture's -w - is standard output: a file called "-" would surprise
            throw new UsageError("-w -: record writes a file, not standard output (./- names a file called -)");
        }
        if (snaplen < 0 || snaplen > MAX_SNAP) {
            throw new UsageError("-s " + snaplen + ": the snap length is 0 to " + MAX_SNAP + " bytes");
        }
        positive("-G", seconds, "the rotation period is 1 or more seconds");
        positive("-C", fileSizeMb, "the file size is 1 or more million bytes");
        if (fileSizeMb > Long.MAX_VALUE / 1_000_000L) { // counted in bytes: a larger one wraps negative
            throw new UsageError("-C " + fileSizeMb + ": the file size is 1 to " + Long.MAX_VALUE / 1_000_000L
                    + " million bytes");
        }
        positive("-e", eventsPerFile, "the events per file are 1 or more");
        positive("-n", count, "the event count is 1 or more");
        positive("-W", fileCount, "the number of files is 1 or more");
        if (given("-W") && !given("-G") && !given("-C") && !given("-e")) {
            throw new UsageError("-W " + fileCount + " needs -G, -C or -e: it counts the files they rotate");
        }
        ProcessOptions.check(pids, pnames, containerId);
        ProcessOptions.checkNames(containerName, pod);
        String container = containerId != null ? "--container-id" : containerName != null ? "--container-name"
                : pod != null ? "--pod" : null;
        if (container != null && (!pids.isEmpty() || !pnames.isEmpty())) {
            throw new UsageError(container + " with --pid or --pname: choose processes or a container");
        }
        String expr = String.join(" ", expression).strip();
        if (expr.isEmpty()) {
            return EventPredicate.ALL;
        }
        try {
            return EventFilter.parse(expr, ProcFs.system());
        } catch (FilterSyntaxException e) {
            throw new UsageError("invalid filter at position " + e.position() + ": " + e.reason());
        }
    }

    /**
     * The first file's name is free or a regular file: {@link io.wiretop.trace.scap.ScapWriter#create}
     * replaces a regular file by a new one (mode 0600) and follows no link, so a link planted in a
     * shared directory overwrites nothing. Checked by lstat, not by opening: opening a FIFO for
     * writing waits for a reader.
     */
    private void requireNewFileName() {
        Path first = new FileNames(Path.of(writeFile), limits()).name(0);
        if (Files.isSymbolicLink(first)) {
            throw new UserError("-w " + SafeText.escape(first.toString()) + ": a symbolic link: the recording creates"
                    + " a new file and follows no link (remove it, or give the file it points to)");
        }
        if (Files.exists(first, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(first, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(first, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("-w " + SafeText.escape(first.toString()) + ": not a regular file: the recording"
                    + " creates a new file (remove it, or choose another name)");
        }
    }

    private void positive(String option, long value, String rule) {
        if (given(option) && value <= 0) {
            throw new UsageError(option + " " + value + ": " + rule);
        }
    }

    private boolean given(String option) {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** What the options select, checked against this machine (exit 1 when they name nothing). */
    private EventSelection selection() {
        ContainerTargets.Asked asked = asked();
        if (asked.any()) {
            // by cgroup, in the kernel: processes the containers start later are recorded too
            return new EventSelection(false, Set.of(), ContainerTargets.cgroups(asked, directory()), snaplen);
        }
        if (pids.isEmpty() && pnames.isEmpty()) {
            return EventSelection.everything(snaplen);
        }
        Set<Integer> set = new LinkedHashSet<>();
        for (long pid : pids) {
            LiveTargets.requireProcess(pid);
            set.add((int) pid);
        }
        for (String name : pnames) {
            Set<Integer> named = LiveTargets.processesNamed(CaptureCommand.kernelComm(name));
            if (named.isEmpty()) {
                throw new UserError("--pname " + SafeText.escape(name) + ": no process has this name");
            }
            set.addAll(named);
        }
        return EventSelection.processes(set, snaplen);
    }

    private ContainerTargets.Asked asked() {
        return new ContainerTargets.Asked(containerId, containerName, pod);
    }

    private String what() {
        if (asked().any()) {
            List<String> parts = new ArrayList<>();
            if (containerId != null) {
                parts.add("container " + containerId);
            }
            if (containerName != null) {
                parts.add("container '" + SafeText.escape(containerName) + "'");
            }
            if (pod != null) {
                parts.add("pod '" + SafeText.escape(pod) + "'");
            }
            return String.join(", ", parts);
        }
        if (pids.isEmpty() && pnames.isEmpty()) {
            return "every process";
        }
        List<String> parts = new ArrayList<>();
        pids.forEach(p -> parts.add("pid " + p));
        pnames.forEach(n -> parts.add("'" + SafeText.escape(n) + "'"));
        return String.join(", ", parts);
    }

    private RecordLimits limits() {
        return new RecordLimits(seconds, fileSizeMb * 1_000_000L, eventsPerFile, count, fileCount);
    }

    private static SyscallEvents openKernelStream(EventSelection selection) throws BpfException {
        return io.wiretop.events.SyscallStream.open(selection);
    }

    private ContainerDirectory directory;

    /** The one directory of this run: it selects --container-name and --pod, and names the file's containers. */
    private ContainerDirectory directory() {
        if (directory == null) {
            directory = names != null ? names : RuntimeDirectory.system();
        }
        return directory;
    }

    /**
     * The runtimes' directory, every running container already asked about (off this thread), so that
     * the file's container events can name them; nothing waits for the answers.
     */
    private ContainerDirectory containerNames() {
        ContainerDirectory d = directory();
        try {
            for (String id : CgroupV2.containerIds()) {
                d.lookup(id);
            }
        } catch (IOException e) {
            // no cgroup v2: containers are known by their cgroup paths only
        }
        return d;
    }
}
