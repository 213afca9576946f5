// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.events.EventSelection;
import io.wiretop.events.SyscallStream;
import io.wiretop.host.CgroupV2;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.trace.scap.ScapHeadBlocks;
import io.wiretop.trace.scap.ScapReader;
import io.wiretop.trace.scap.ScapWriter;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The syscall stream end to end: the kernel selects one process (a shell that waits for a go, then
 * runs the C workload's TCP, UDP, file and exec modes; its children join the selection when
 * forked), encodes the events in scap's format, and the file written from them with ScapWriter is
 * read by the real sysdig 0.29.3: the event types, process names, fd names and byte counts must be
 * those of the workload's own report, and nothing of any other process may be in the file.
 */
class SyscallStreamKernelIT {
    private static final String SEP = "\u0001";

    /** A recording of one shell script's process tree: the file, the script's output, the events written. */
    private record Recording(Path file, String out, long written, long shell) {
    }

    /**
     * Runs {@code sh -c "read go; SCRIPT"} in {@code cwd}, opens the stream selecting the shell,
     * writes the head and then, once the shell is told to go, every event until it ends.
     */
    private static Recording record(String name, String script, Path cwd) throws Exception {
        Path file = KernelHarness.workDir().resolve(name + ".scap");
        Process sh = new ProcessBuilder("sh", "-c", "read go; " + script).directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        });
        long written = 0;
        try (SyscallStream s = SyscallStream.open(EventSelection.processes(Set.of((int) sh.pid()), EventSelection.DEFAULT_SNAP));
             ScapWriter scap = ScapWriter.create(file)) {
            ScapHeadBlocks.write(scap, HostSnapshot.system().take());
            try (OutputStream go = sh.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sh.isAlive() && System.nanoTime() < deadline) {
                written += s.poll(20, scap::rawEvent);
            }
            assertTrue(sh.waitFor(1, TimeUnit.SECONDS) && sh.exitValue() == 0, "the workload failed: " + script);
            written += s.poll(50, scap::rawEvent);
            assertEquals(0, java.util.Arrays.stream(s.lostPerCpu()).sum(), "events lost");
            assertEquals(0, s.malformed(), "malformed records");
        }
        return new Recording(file, out.get(10, TimeUnit.SECONDS), written, sh.pid());
    }

    @Test
    void recordsTheSelectedWorkloadAsSysdigReadsIt() throws Exception {
        KernelHarness.requireRoot();
        Path w = KernelHarness.workload().toAbsolutePath();
        Path cwd = KernelHarness.workDir().toRealPath();
        String script = "W tcp 4 100000 10000; W tcp 6 60000 6000; W udpu 4 5 1000; W udp 6 5 700; W file 50000; W exec 3000";
        Recording rec = record("evt-stream", script.replace("W", w.toString()), cwd);
        Path file = rec.file();
        long written = rec.written();
        List<KernelHarness.Moved> moved = KernelHarness.moved(rec.out());
        assertEquals(11, moved.size(), "reports: " + rec.out());

        // the project's own reader reads every event written
        long read = 0;
        try (ScapReader r = ScapReader.open(file)) {
            while (r.next() != null) {
                read++;
            }
        }
        assertEquals(written, read, "events read back by ScapReader");

        String fmt = "*" + String.join(SEP, "%proc.pid", "%proc.name", "%evt.dir", "%evt.type", "%fd.type", "%fd.name",
                "%evt.rawres", "%proc.ppid", "%proc.args", "%thread.cgroup.memory");
        String fields = KernelHarness.sh(120, "env", "TZ=UTC", "sysdig", "-r", file.toString(), "-p", fmt);
        String plain = KernelHarness.sh(120, "env", "TZ=UTC", "sysdig", "-r", file.toString());
        Files.writeString(KernelHarness.workDir().resolve("evt-stream.txt"), plain);
        List<String[]> ev = new ArrayList<>();
        for (String line : fields.split("\n")) {
            if (!line.isBlank()) {
                ev.add(line.split(SEP, -1));
            }
        }
        assertEquals(written, ev.size(), "events sysdig printed");

        // every event belongs to the shell or a process it (transitively) forked
        // (a vfork child runs, and shows up, before its parent's exit event says its pid: two passes)
        Map<Long, Set<Long>> children = new HashMap<>();
        Set<String> forks = Set.of("clone", "clone3", "fork", "vfork");
        for (String[] e : ev) {
            if (forks.contains(e[3]) && e[2].equals("<") && Long.parseLong(e[6]) > 0) {
                children.computeIfAbsent(Long.parseLong(e[0]), k -> new HashSet<>()).add(Long.parseLong(e[6]));
            }
        }
        Set<Long> family = new HashSet<>();
        List<Long> todo = new ArrayList<>(List.of(rec.shell()));
        while (!todo.isEmpty()) {
            long p = todo.remove(todo.size() - 1);
            if (family.add(p)) {
                todo.addAll(children.getOrDefault(p, Set.of()));
            }
        }
        assertTrue(family.size() > 10, "the workload's processes, as forks in the file: " + family);
        for (String[] e : ev) {
            assertTrue(family.contains(Long.parseLong(e[0])), "an event of another process: " + String.join(" ", e));
        }

        // byte counts per process and kind of fd, from the exit events' results
        Map<Long, long[]> bytes = new HashMap<>(); // net in, net out, file in, file out
        Set<String> reads = Set.of("read", "recvfrom", "recvmsg", "readv", "pread", "preadv");
        Set<String> writes = Set.of("write", "sendto", "sendmsg", "writev", "pwrite", "pwritev");
        for (String[] e : ev) {
            if (!e[2].equals("<") || !(reads.contains(e[3]) || writes.contains(e[3]))) {
                continue;
            }
            long res = Long.parseLong(e[6]);
            if (res <= 0) {
                continue;
            }
            boolean net = e[4].equals("ipv4") || e[4].equals("ipv6");
            // the workload's own file (an exec'd process's loader also reads libc, which it does not count)
            boolean f = e[4].equals("file") && e[5].startsWith("/tmp/wiretop-workload-");
            if (!net && !f) {
                continue;
            }
            int slot = (f ? 2 : 0) + (writes.contains(e[3]) ? 1 : 0);
            bytes.computeIfAbsent(Long.parseLong(e[0]), k -> new long[4])[slot] += res;
        }
        for (KernelHarness.Moved m : moved) {
            long[] b = bytes.getOrDefault(m.pid(), new long[4]);
            assertEquals(List.of(m.netIn(), m.netOut(), m.fileIn(), m.fileOut()), List.of(b[0], b[1], b[2], b[3]),
                    "bytes of " + m.role() + " " + m.pid() + " (net in, out, file in, out)");
        }

        // connections named as sysdig names them, from the client's own port numbers
        Matcher ports = Pattern.compile("ports client=(\\d+) server=(\\d+)").matcher(rec.out());
        assertTrue(ports.find(), "v4 ports");
        assertConnection(plain, "<4t>", "127.0.0.1:" + ports.group(1) + "->127.0.0.1:" + ports.group(2));
        assertTrue(ports.find(), "v6 ports");
        assertConnection(plain, "<6t>", "::1:" + ports.group(1) + "->::1:" + ports.group(2));
        assertTrue(Pattern.compile("< openat fd=\\d+\\(<f>/tmp/wiretop-workload-\\w+\\)").matcher(plain).find(),
                "the workload file's open");
        assertTrue(Pattern.compile("< (send|sendto) res=1000 data=").matcher(plain).find(), "a UDP send");

        // the exec'd short-lived client: its execve, its name and arguments, its exit
        long shortPid = moved.stream().filter(m -> m.role().equals("short")).findFirst().orElseThrow().pid();
        assertTrue(ev.stream().anyMatch(e -> Long.parseLong(e[0]) == shortPid && e[2].equals("<") && e[3].equals("execve")
                && e[6].equals("0") && e[1].equals("workload") && e[8].startsWith("short 3000 ")), "the child's execve");
        assertTrue(ev.stream().anyMatch(e -> Long.parseLong(e[0]) == shortPid && e[3].equals("procexit")), "the child's exit");
        // its cgroups, from the execve's cgroups parameter: the memory controller's, as this JVM's
        // (on a v2-only host memory is bound to the unified hierarchy: the "0::" line)
        String memory = null;
        for (String l : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = l.split(":", 3);
            if (f[1].equals("memory") || (memory == null && f[0].equals("0"))) {
                memory = f[2];
            }
        }
        String memoryCgroup = memory;
        assertTrue(ev.stream().anyMatch(e -> Long.parseLong(e[0]) == shortPid && e[3].equals("execve") && e[2].equals("<")
                && e[9].equals(memoryCgroup)), "the child's memory cgroup " + memoryCgroup);
        assertTrue(Pattern.compile("\\(" + shortPid + "\\) < execve res=0 .* ptid=\\d+\\(workload\\) cwd=" + Pattern.quote(cwd.toString()) + " ")
                .matcher(plain).find(), "the child's execve with its parent and working directory");
        // generic events carry their syscall's name (an lseek in file mode)
        assertTrue(plain.contains("> lseek"), "a generic event named by its syscall");
    }

    @Test
    void theLessCommonCallsHaveSysdigsShape() throws Exception {
        KernelHarness.requireRoot();
        Path bin = KernelHarness.compiled("evtcalls").toAbsolutePath();
        Recording rec = record("evt-calls", bin.toString(), KernelHarness.workDir().toRealPath());
        Matcher o = Pattern.compile("file=(\\S+) udp=(\\d+) client=(\\d+) tcp6=(\\d+) child=(\\d+)").matcher(rec.out());
        assertTrue(o.find(), "evtcalls printed: " + rec.out());
        String path = Pattern.quote(o.group(1)), f = "\\d+\\(<f>" + path + "\\)";
        String udp = o.group(2), client = o.group(3), tcp6 = o.group(4), child = o.group(5);
        String plain = KernelHarness.sh(120, "env", "TZ=UTC", "sysdig", "-r", rec.file().toString());
        Files.writeString(KernelHarness.workDir().resolve("evt-calls.txt"), plain);
        // each expectation follows from evtcalls.c's own arguments and results
        List<String> expected = List.of(
                "< creat fd=" + f + " name=" + path + " mode=0600 dev=",
                "> writev fd=" + f + " size=11",
                "< writev res=11 data=hello world",
                "> pwrite fd=" + f + " size=2 pos=20",
                "< pwrite res=2 data=XY",
                "> pwritev fd=" + f + " size=11 pos=100",
                "< pwritev res=11 data=hello world",
                "< open fd=" + f + " name=" + path + " flags=1\\(O_RDONLY\\) mode=0 dev=",
                "> readv fd=" + f,
                "< readv res=11 size=11 data=hello world",
                "> pread fd=" + f + " size=2 pos=20",
                "< pread res=2 data=XY",
                "> preadv fd=" + f + " pos=100",
                "< preadv res=11 size=11 data=hello world",
                "< dup res=50\\(<f>" + path + "\\)",
                "< dup res=51\\(<f>" + path + "\\)",
                "< openat2 fd=" + f + " dirfd=-100\\(AT_FDCWD\\) name=" + path + " flags=1\\(O_RDONLY\\) mode=0 resolve=0",
                "< pipe res=0 fd1=\\d+\\(<p>\\) fd2=\\d+\\(<p>\\) ino=[1-9]",
                "> sendfile out_fd=\\d+\\(<f>/dev/null\\) in_fd=" + f + " offset=0 size=11",
                "< sendfile res=11 offset=11",
                "> sendmsg fd=\\d+\\(<4>\\) size=11 tuple=0.0.0.0:0->127.0.0.1:" + udp,
                "< sendmsg res=11 data=hello world",
                "< recvmsg res=11 size=11 data=hello world tuple=127.0.0.1:" + client + "->127.0.0.1:" + udp,
                "> sendmmsg", "< sendmmsg", "> recvmmsg", "< recvmmsg",
                "> listen fd=\\d+\\(<6>::1:0\\) backlog=5",
                "< accept fd=\\d+\\(<6t>::1:\\d+->::1:" + tcp6 + "\\) tuple=::1:\\d+->::1:" + tcp6 + " queuepct=",
                "> shutdown fd=\\d+\\(<6t>::1:\\d+->::1:" + tcp6 + "\\) how=2\\(SHUT_RDWR\\)",
                "< clone3 res=" + child + "\\(evtcalls\\) exe=",
                "\\(" + child + "\\) < clone3 res=0 exe=",
                "\\(" + child + "\\) > execveat dirfd=-100\\(AT_FDCWD\\) pathname=" + Pattern.quote(bin.toString()) + " flags=0",
                // a successful execveat returns as execve (the exit tracepoint sees execve's number)
                "\\(" + child + "\\) < execve res=0 exe=" + Pattern.quote(bin.toString()) + " args=child. tid=" + child,
                "\\(" + child + "\\) > procexit status=0 ret=0 sig=0 core=0");
        List<String> missing = new ArrayList<>();
        for (String e : expected) {
            if (!Pattern.compile(e).matcher(plain).find()) {
                missing.add(e);
            }
        }
        assertEquals(List.of(), missing, "lines sysdig did not print (output in target/it/evt-calls.txt)");
    }

    /** Both ends name the connection client -> server: the connect's exit and the accept's. */
    private static void assertConnection(String plain, String tag, String name) {
        String q = Pattern.quote(name);
        assertTrue(Pattern.compile("< connect res=0 tuple=" + q + " ").matcher(plain).find(), "connect exit of " + name);
        assertTrue(Pattern.compile("< accept fd=\\d+\\(" + Pattern.quote(tag) + q + "\\) tuple=" + q + " ").matcher(plain).find(),
                "accept exit of " + name);
        assertTrue(Pattern.compile("> write fd=\\d+\\(" + Pattern.quote(tag) + q + "\\) size=").matcher(plain).find(),
                "a write on " + name);
    }

    @Test
    void anEmptySelectionLetsNothingThrough() throws Exception {
        KernelHarness.requireRoot();
        // one byte per read and write: a few hundred thousand syscalls a second from one process
        Process busy = new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000000000")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long n = 0;
        try (SyscallStream s = SyscallStream.open(EventSelection.processes(Set.of(), EventSelection.DEFAULT_SNAP))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                n += s.poll(50, (cpu, e) -> { });
            }
            assertTrue(busy.isAlive(), "the busy process ran throughout");
            // the same stream selecting the busy process does see it: this test can fail
            s.select(EventSelection.processes(Set.of((int) busy.pid()), EventSelection.DEFAULT_SNAP));
            long seen = 0;
            for (int i = 0; i < 20 && seen == 0; i++) {
                seen += s.poll(50, (cpu, e) -> { });
            }
            assertTrue(seen > 0, "selecting the busy process lets its events through");
            assertEquals(4, ownBpfLinks(), "this process's BPF links while the stream is open");
        } finally {
            busy.destroy();
            busy.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(0, n, "events with an empty selection");
        assertEquals(0, ownBpfLinks(), "BPF links left after close");
    }

    /** BPF links among this JVM's open fds (the stream's attachments are fd-based links). */
    private static long ownBpfLinks() throws java.io.IOException {
        return KernelHarness.owned(ProcessHandle.current().pid()).links().size();
    }

    @Test
    void aKilledOwnerLeavesNoHookBehind() throws Exception {
        KernelHarness.requireRoot();
        String cp = KernelHarness.jar() + ":" + Path.of(StreamHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process holder = new ProcessBuilder("java", "-cp", cp, StreamHolder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("open", line, "the holder opened the stream");
            Set<Long> held = KernelHarness.owned(holder.pid()).links();
            assertEquals(4, held.size(), "the holder's links");
            assertTrue(KernelHarness.links().containsAll(held), "bpftool lists them");
            holder.destroyForcibly(); // SIGKILL: no close() runs
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS), "the holder died");
            // the kernel releases them as the dead process's fds are closed (give it 2 s)
            Set<Long> left = Set.of();
            for (int i = 0; i < 20; i++) {
                left = new HashSet<>(KernelHarness.links());
                left.retainAll(held);
                if (left.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(Set.of(), left, "links left behind by the killed holder");
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aCgroupSelectsItsProcessesAndThoseOfItsChildCgroups() throws Exception {
        KernelHarness.requireRoot();
        Path outer = Path.of(CgroupV2.mountPoint()).resolve("wt-evt-" + ProcessHandle.current().pid());
        Path inner = outer.resolve("inner");
        Files.createDirectories(inner);
        Process in = null, out = null;
        try {
            long outerId = (Long) Files.getAttribute(outer, "unix:ino");
            in = new ProcessBuilder("sh", "-c", "read go; exec dd if=/dev/zero of=/dev/null bs=1 count=20000")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Files.writeString(inner.resolve("cgroup.procs"), Long.toString(in.pid()));
            // a busy process outside the cgroup, running throughout
            out = new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000000000")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Set<Long> tids = new HashSet<>();
            long[] oneByteWrites = new long[1];
            try (SyscallStream s = SyscallStream.open(new EventSelection(false, Set.of(), Set.of(outerId), EventSelection.DEFAULT_SNAP))) {
                try (OutputStream go = in.getOutputStream()) {
                    go.write('\n');
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                io.wiretop.events.EventSink sink = (cpu, e) -> {
                    tids.add(e.getLong(e.position() + 8));
                    // write exit (type 9): two u16 lengths, then res
                    if (e.getShort(e.position() + 20) == 9 && e.getLong(e.position() + 30) == 1) {
                        oneByteWrites[0]++;
                    }
                };
                while (in.isAlive() && System.nanoTime() < deadline) {
                    s.poll(20, sink);
                }
                s.poll(50, sink);
                assertEquals(0, java.util.Arrays.stream(s.lostPerCpu()).sum(), "events lost");
                assertTrue(out.isAlive(), "the outside process ran throughout");
            }
            assertEquals(Set.of(in.pid()), tids, "threads seen (only the process in the child cgroup)");
            // 20000 blocks to stdout, and the "\n" that ends dd's statistics on stderr
            assertEquals(20001, oneByteWrites[0], "dd's one-byte writes");
        } finally {
            if (out != null) {
                out.destroy();
                out.waitFor(10, TimeUnit.SECONDS);
            }
            if (in != null) {
                in.destroy();
                in.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(inner);
            Files.deleteIfExists(outer);
        }
    }
}
