// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.KernelCheck;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.PacketPrinter;
import io.wiretop.host.CgroupV2;
import io.wiretop.host.ContainerDirectory;
import io.wiretop.packet.LivePacketSource;
import io.wiretop.packet.PcapFilter;
import io.wiretop.packet.PktLayout;
import io.wiretop.sys.OsError;
import io.wiretop.sys.Stdout;
import io.wiretop.sys.StopSignals;
import io.wiretop.trace.pcap.PcapNgFileSink;
import io.wiretop.trace.pcap.PcapReader;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code wiretop capture}: tcpdump/ptcpdump-compatible packet capture with process context, from
 * the cgroup_skb hooks (live) or a pcap/pcapng file (-r). Runs on the calling thread. A live capture
 * stops as tcpdump does, with its summary on stderr and its files complete: at -c, on SIGINT
 * (Ctrl-C), SIGTERM or SIGHUP (exit 0), and when its output cannot be written, a closed pipe or a
 * full disk (one line, exit 1).
 */
@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Capture packets with the process that sent or received them (ptcpdump-compatible).")
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, description = "capture on this interface with tc hooks: every packet it carries, also forwarded ones "
            + "(repeatable; default 'any': every local socket's packets, from cgroup_skb)")
    List<String> interfaces = new ArrayList<>();
    @Option(names = {"-w", "--write-file"}, description = "write PcapNG with process comments ('-' = stdout)")
    String writeFile;
    @Option(names = {"-r", "--read-file"}, description = "read a pcap/pcapng file ('-' = stdin) instead of capturing")
    String readFile;
    @Option(names = {"-c", "--receive-count"}, description = "stop after this many packets")
    long count;
    @Option(names = {"-s", "--snapshot-length"}, description = "bytes of each packet to keep, at most "
            + PktLayout.MAX_SNAP + " (0 or not given: " + PktLayout.MAX_SNAP + ", as tcpdump)")
    int snaplen;
    @Option(names = "-n", description = "do not resolve addresses (always the case; accepted for tcpdump compatibility)")
    boolean numeric;
    @Option(names = "-A", description = "print each packet's payload in ASCII")
    boolean ascii;
    @Option(names = "-X", description = "print each packet's payload in hex and ASCII")
    boolean hexAscii;
    @Option(names = "-v", description = "verbose: IP header details and one line per process context block")
    boolean verbose;
    @Option(names = "-S", description = "print absolute TCP sequence numbers")
    boolean absoluteSeq;
    @Option(names = {"-C", "--file-size"}, description = "rotate the -w file after this many million bytes")
    long fileSizeMb;
    @Option(names = {"-W", "--file-count"}, description = "with -C: keep at most this many files, reusing their names")
    int fileCount;
    @Option(names = "--pid", description = "only packets of this process (repeatable)")
    List<Long> pids = new ArrayList<>();
    @Option(names = "--pname", description = "only packets of processes with this name (the kernel's 15-char comm)")
    List<String> pnames = new ArrayList<>();
    @Option(names = "--container-id", description = "only packets of this container (id or prefix): its processes' "
            + "and its sockets', from a server's first SYN")
    String containerId;
    @Option(names = "--container-name", description = "only packets of the container of this name (docker, podman)")
    String containerName;
    @Option(names = "--pod", description = "only packets of the containers of this pod (NAME or NAME.NAMESPACE)")
    String pod;
    @Option(names = "--netns", description = "only packets of processes in this network namespace (path or inode)")
    String netns;
    @Option(names = "--print", description = "also print packets while writing with -w")
    boolean print;
    @Parameters(arity = "0..*", paramLabel = "EXPRESSION", description = "pcap-filter(7) expression")
    List<String> expression = new ArrayList<>();
    @Spec
    CommandSpec spec;

    /** Linux's highest possible pid: pids are below pid_max, which is at most PID_MAX_LIMIT (4194304 on 64-bit). */
    private long matched;
    // packets that passed the filter, also those past -c: tcpdump's "received by filter"
    private long received;
    /** How long a stop signal waits for the loop to close files and BPF before the process exits anyway. */
    private static final long STOP_GRACE_MILLIS = 15_000;
    private long netnsInode;
    private Set<Long> containerCgroups = Set.of();

    @Override
    public Integer call() throws Exception {
        validate();
        String expr = String.join(" ", expression).trim();
        Stdout stdout = new Stdout();
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                "-".equals(writeFile) ? System.err : stdout, StandardCharsets.UTF_8), 1 << 16));
        PacketPrinter printer = new PacketPrinter(new PacketPrinter.Options(verbose, hexAscii, ascii, absoluteSeq,
                ZoneId.systemDefault()));
        boolean printing = writeFile == null || print;
        Map<Integer, PcapFilter> filters = new HashMap<>();
        try {
            if (readFile != null) {
                return readBack(expr, filters, printer, out, stdout);
            }
            return live(expr, filters, printer, out, stdout, printing);
        } finally {
            out.flush();
            filters.values().forEach(PcapFilter::close);
        }
    }

    /** The command line alone: values in range, options that go together (exit 2, before anything else). */
    private void validate() {
        if (snaplen < 0 || snaplen > PktLayout.MAX_SNAP) {
            throw new UsageError("-s " + snaplen + ": the snapshot length is 0 to " + PktLayout.MAX_SNAP
                    + " (0: " + PktLayout.MAX_SNAP + ")");
        }
        if (given("-c") && count <= 0) {
            throw new UsageError("-c " + count + ": the packet count is 1 or more");
        }
        if (given("-C") && fileSizeMb <= 0) {
            throw new UsageError("-C " + fileSizeMb + ": the file size is 1 or more million bytes");
        }
        if (fileSizeMb > Long.MAX_VALUE / 1_000_000L) { // counted in bytes: a larger one wraps negative
            throw new UsageError("-C " + fileSizeMb + ": the file size is 1 to " + Long.MAX_VALUE / 1_000_000L
                    + " million bytes");
        }
        if (given("-W") && fileCount <= 0) {
            throw new UsageError("-W " + fileCount + ": the number of files is 1 or more");
        }
        if (given("-W") && !given("-C")) {
            throw new UsageError("-W " + fileCount + " needs -C: it counts the files that -C rotates");
        }
        if (given("-C") && writeFile == null) {
            throw new UsageError("-C " + fileSizeMb + " needs -w FILE: it rotates the file that -w writes");
        }
        if (given("-C") && "-".equals(writeFile)) {
            throw new UsageError("-C " + fileSizeMb + " with -w -: standard output cannot be rotated");
        }
        if (readFile != null) {
            for (String live : new String[]{"-w", "--pid", "--pname", "--container-id", "--container-name", "--pod",
                    "--netns"}) {
                if (given(live)) {
                    throw new UsageError("-r and " + live + ": " + live + " applies to live capture only");
                }
            }
        }
        if (ascii && hexAscii) {
            throw new UsageError("-A and -X: choose one");
        }
        if (interfaces.contains("any") && interfaces.size() > 1) {
            throw new UsageError("-i " + String.join(" -i ", interfaces)
                    + ": 'any' already captures every local socket's packets: give either any or interfaces");
        }
        ProcessOptions.check(pids, pnames, containerId);
        ProcessOptions.checkNames(containerName, pod);
        for (String name : pnames) {
            String kept = kernelComm(name);
            if (!kept.equals(name)) {
                System.err.println("wiretop capture: --pname " + name + ": the kernel keeps the first "
                        + (PktLayout.COMM_LEN - 1) + " bytes of a process name: matching '" + kept + "'");
            }
        }
    }

    /** Whether the user gave this option (its field then holds what they typed, 0 included). */
    private boolean given(String option) {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The name as the kernel compares it: a task's comm keeps its first 15 bytes. */
    static String kernelComm(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length < PktLayout.COMM_LEN) {
            return name;
        }
        return new String(b, 0, PktLayout.COMM_LEN - 1, StandardCharsets.UTF_8);
    }

    /**
     * What the options name must exist (exit 1), checked after the privileges so that a user
     * without them learns that first, and before anything is loaded into the kernel.
     */
    private void checkLiveTargets() {
        try {
            KernelCheck.requirePrivileges();
        } catch (BpfException e) {
            throw new UserError(e.getMessage() + ", or read a saved capture with -r FILE");
        }
        for (String dev : tcInterfaces()) {
            LiveTargets.requireInterface(dev);
        }
        if (writeFile != null && !"-".equals(writeFile)) {
            LiveTargets.requireWritable(writeFile);
        }
        for (long pid : pids) {
            LiveTargets.requireProcess(pid);
        }
        if (netns != null) {
            netnsInode = LiveTargets.netnsInode(netns);
        }
        ContainerTargets.Asked asked = new ContainerTargets.Asked(containerId, containerName, pod);
        if (asked.any()) {
            // by cgroup, in the kernel: processes the container starts later are captured too
            containerCgroups = ContainerTargets.cgroups(asked, directory());
        }
        // also for --container-id, which needs no names to select: the packets carry them
        warmNames();
    }

    private ContainerDirectory directory;

    private ContainerDirectory directory() {
        if (directory == null) {
            directory = RuntimeDirectory.system();
        }
        return directory;
    }

    /** Asks the runtimes about every running container now, so the first packets already carry names. */
    private void warmNames() {
        try {
            for (String id : CgroupV2.containerIds()) {
                directory().lookup(id);
            }
        } catch (IOException e) {
            // no cgroup v2: the capture itself says so
        }
    }

    /** The devices given with -i, which get tc hooks; none (or "any"): cgroup_skb, every local socket. */
    private List<String> tcInterfaces() {
        return interfaces.contains("any") ? List.of() : interfaces;
    }

    private boolean onInterface(String ifName) {
        return interfaces.isEmpty() || interfaces.contains("any") || interfaces.contains(ifName);
    }

    private boolean passes(CapturedPacket p, String expr, Map<Integer, PcapFilter> filters) {
        if (!onInterface(p.ifName())) {
            return false;
        }
        if (expr.isEmpty()) {
            return true;
        }
        PcapFilter f = filters.computeIfAbsent(p.linkType(), lt -> compile(expr, lt));
        return f.matches(p.data(), p.origLen());
    }

    private PcapFilter compile(String expr, int linkType) {
        try {
            return PcapFilter.compile(expr, linkType, PktLayout.MAX_SNAP);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private int readBack(String expr, Map<Integer, PcapFilter> filters, PacketPrinter printer, PrintWriter out,
                         Stdout stdout) throws IOException {
        InputStream in;
        try {
            in = readFile.equals("-") ? System.in : Files.newInputStream(Path.of(readFile));
        } catch (NoSuchFileException e) {
            throw new UserError(readFile + ": No such file or directory");
        }
        try (PcapReader r = new PcapReader(in)) {
            if (r.firstLinkType() >= 0 && !expr.isEmpty()) {
                filters.computeIfAbsent(r.firstLinkType(), lt -> compile(expr, lt)); // bad expression: fail before output
            }
            warn(r);
            for (CapturedPacket p; (p = r.next()) != null; ) {
                warn(r);
                if (passes(p, expr, filters)) {
                    out.println(printer.format(p));
                    if (++matched == count) {
                        break;
                    }
                }
                if (stdout.failure() != null) {
                    throw new UserError(stdout.failureLine());
                }
            }
            out.flush();
            if (stdout.failure() != null) {
                throw new UserError(stdout.failureLine());
            }
        } catch (IOException e) {
            throw new UserError(readFile + ": " + e.getMessage());
        }
        return 0;
    }

    /** A file's warnings, one line each, as they are found (the packets go on being printed). */
    private void warn(PcapReader r) {
        for (io.wiretop.trace.pcap.CaptureWarning w : r.takeWarnings()) {
            System.err.println("wiretop: " + readFile + ": " + w);
        }
    }

    private int live(String expr, Map<Integer, PcapFilter> filters, PacketPrinter printer, PrintWriter out,
                     Stdout stdout, boolean printing) throws Exception {
        if ("-".equals(writeFile) && Stdout.isTerminal()) {
            throw new UserError("-w -: refusing to write binary pcapng to a terminal: redirect stdout to a file "
                    + "or a pipe (e.g. | tcpdump -r -), or use -w FILE");
        }
        // trapped before the programs load: a Ctrl-C while the verifier works still ends with a summary
        try (StopSignals signals = StopSignals.trap(() -> { }, STOP_GRACE_MILLIS)) {
            return live(expr, filters, printer, out, stdout, printing, signals);
        }
    }

    private int live(String expr, Map<Integer, PcapFilter> filters, PacketPrinter printer, PrintWriter out,
                     Stdout stdout, boolean printing, StopSignals signals) throws Exception {
        if (!expr.isEmpty()) {
            filters.put(io.wiretop.decode.LinkType.ETHERNET, compile(expr, io.wiretop.decode.LinkType.ETHERNET));
        }
        checkLiveTargets();
        Set<Long> pidSet = new LinkedHashSet<>(pids);
        Set<Long> cgroups = containerCgroups;
        long ns = netnsInode;
        int kernelSnap = snapLength();
        LivePacketSource src;
        try {
            // opened with capture off: the expression goes into the kernel before the first packet
            src = LivePacketSource.open(new LivePacketSource.Config(kernelSnap, false, pidSet, List.of(), pnames, cgroups,
                    ns, 1 << 20, false, tcInterfaces()));
        } catch (BpfException | IOException e) {
            UiLogHolder.detail(e instanceof BpfException b ? b.detail() : null); // libbpf's words go to the log
            throw new UserError(e.getMessage());
        }
        src.useDirectory(directory());
        PcapNgFileSink sink = null;
        String failure = null;
        boolean inKernel = false;
        try {
            if (writeFile != null) {
                sink = new PcapNgFileSink(writeFile, fileSizeMb * 1_000_000L, fileCount, kernelSnap,
                        expr, "wiretop capture");
            }
            final PcapNgFileSink s = sink;
            final PcapFilter f = filters.get(io.wiretop.decode.LinkType.ETHERNET);
            // the expression runs in the kernel, on the whole packet as tcpdump's socket filter does,
            // so rejected packets never reach the ring; libpcap in user space decides only what the
            // kernel could not (programs reading past its window), or everything if the program is
            // too long for the kernel
            final boolean kernelFilter = f != null && src.filterInKernel(f.instructions());
            inKernel = kernelFilter;
            src.startCapture();
            System.err.println("wiretop capture: capturing on "
                    + (tcInterfaces().isEmpty() ? "any (cgroup_skb on " + CgroupV2.mountPoint() + ")"
                    : String.join(",", tcInterfaces()) + " (tc)")
                    + ", link-type EN10MB (Ethernet), snapshot length " + kernelSnap + " bytes");
            while (!signals.stopping() && (count == 0 || matched < count)) {
                // records are read in place: nothing is allocated per packet unless it is printed
                src.poll(10, r -> {
                    if (!onInterface(r.ifName())
                            || (f != null && (!kernelFilter || r.filterUndecided()) && !f.matches(r))) {
                        return;
                    }
                    received++;
                    if (count != 0 && matched >= count) {
                        return;
                    }
                    matched++;
                    if (s != null) {
                        s.write(r);
                    }
                    if (printing) {
                        out.println(printer.format(r.toPacket()));
                    }
                });
                out.flush();
                if (stdout.failure() != null) {
                    failure = stdout.failureLine(); // the reader went away (| head): stop as tcpdump does
                    break;
                }
            }
            if (sink != null) {
                PcapNgFileSink closing = sink;
                sink = null;
                closing.close(); // every block written before the summary: a failed write is an error, not a capture
            }
        } catch (UncheckedIOException e) {
            failure = e.getMessage();
        } catch (IOException e) {
            failure = "cannot write " + writeFile + ": " + e.getMessage();
        } finally {
            try {
                if (sink != null) {
                    sink.close(); // after a failure: whatever can still be written
                }
            } catch (IOException | RuntimeException e) {
                // the first failure is what gets reported
            } finally {
                out.flush();
                // the summary whatever ended the capture (-c, a signal, a write error): read before BPF goes
                summary(src, inKernel);
                src.close();
            }
        }
        if (failure != null) {
            throw new UserError(failure);
        }
        return 0;
    }

    /** tcpdump's three lines on stderr, and how much the kernel's copy of the filter rejected. */
    private void summary(LivePacketSource src, boolean inKernel) {
        try {
            System.err.println(matched + " packets captured");
            System.err.println(received + " packets received by filter");
            System.err.println(src.lost() + " packets dropped by kernel");
            if (inKernel) {
                long[] k = src.kernelFilterCounts();
                System.err.println(k[0] + " packets rejected by the filter in the kernel, " + k[1] + " left to user space");
            }
        } catch (BpfException e) {
            System.err.println("wiretop: cannot read the capture's counters: " + e.getMessage());
        }
    }

    /** The bytes kept of each packet, Ethernet header included: -s, where 0 (tcpdump's) means the most. */
    private int snapLength() {
        return snaplen == 0 ? PktLayout.MAX_SNAP : snaplen;
    }
}
