// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `wiretop record` and the TUI's record key on the real syscall stream: a shell that waits for a
 * go and then runs the workload (file, TCP, exec) is recorded while a decoy process keeps busy;
 * sysdig 0.29.3 reads the file, which holds the workload's events (its processes, forked ones
 * included) and none of anyone else's.
 */
class RecordKernelIT extends TmuxSessionTest {
    private static final String SEP = "\u0001";

    /** A shell that runs the workload when it reads "go", and a decoy that loops meanwhile. */
    private static final class Workload implements AutoCloseable {
        final Process sh;
        final Process decoy;
        final CompletableFuture<String> out;

        Workload() throws Exception {
            String w = KernelHarness.workload().toAbsolutePath().toString();
            sh = new ProcessBuilder("sh", "-c", "read go; W file 40000; W tcp 4 30000 3000; W exec 2000".replace("W", w))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            decoy = new ProcessBuilder("sh", "-c", "while :; do cat /etc/hostname >/dev/null; sleep 0.01; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return "";
                }
            });
        }

        void go() throws Exception {
            try (OutputStream o = sh.getOutputStream()) {
                o.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(sh.waitFor(60, TimeUnit.SECONDS) && sh.exitValue() == 0, "the workload failed");
            out.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            sh.destroy();
            decoy.destroy();
            decoy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The file's events as sysdig prints them: pid, name, direction, type, fd name, rawres. */
    private static List<String[]> sysdig(Path file, String filter) throws Exception {
        String fmt = "*" + String.join(SEP, "%proc.pid", "%proc.name", "%evt.dir", "%evt.type", "%fd.name", "%evt.rawres");
        List<String> cmd = new ArrayList<>(List.of("env", "TZ=UTC", "sysdig", "-r", file.toString(), "-p", fmt));
        if (filter != null) {
            cmd.add(filter);
        }
        List<String[]> ev = new ArrayList<>();
        for (String line : KernelHarness.sh(120, cmd.toArray(String[]::new)).split("\n")) {
            if (!line.isBlank()) {
                ev.add(line.split(SEP, -1));
            }
        }
        return ev;
    }

    /** The shell and every process it forked, from the fork events' results in the file. */
    private static Set<Long> family(List<String[]> ev, long root) {
        Map<Long, Set<Long>> children = new HashMap<>();
        Set<String> forks = Set.of("clone", "clone3", "fork", "vfork");
        for (String[] e : ev) {
            if (forks.contains(e[3]) && e[2].equals("<") && Long.parseLong(e[5]) > 0) {
                children.computeIfAbsent(Long.parseLong(e[0]), k -> new HashSet<>()).add(Long.parseLong(e[5]));
            }
        }
        Set<Long> family = new HashSet<>();
        List<Long> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            long p = todo.remove(todo.size() - 1);
            if (family.add(p)) {
                todo.addAll(children.getOrDefault(p, Set.of()));
            }
        }
        return family;
    }

    private static void assertOnlyTheWorkload(List<String[]> ev, Workload w) {
        Set<Long> family = family(ev, w.sh.pid());
        assertTrue(family.size() >= 4, "the workload's processes, as forks in the file: " + family);
        for (String[] e : ev) {
            assertTrue(family.contains(Long.parseLong(e[0])), "an event of another process: " + String.join(" ", e));
        }
        assertTrue(ev.stream().anyMatch(e -> e[1].equals("workload") && e[3].equals("write")
                && e[4].startsWith("/tmp/wiretop-workload-")), "the workload's file writes, named");
        assertTrue(ev.stream().anyMatch(e -> e[1].equals("workload") && e[3].equals("connect")), "its TCP connect");
    }

    @Test
    void recordsOneProcessTreeUntilCtrlCWithTheSummaryAndAFileSysdigReads() throws Exception {
        KernelHarness.requireRoot();
        Path file = KernelHarness.workDir().resolve("record-pid.scap");
        Files.deleteIfExists(file);
        try (Workload w = new Workload()) {
            Process rec = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "record", "-w",
                    file.toString(), "--pid", Long.toString(w.sh.pid())).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(rec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return "";
                }
            });
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.exists(file) || Files.size(file) < 1000) { // the head is written once the stream is attached
                assertTrue(System.currentTimeMillis() < deadline && rec.isAlive(), "the recording did not start");
                Thread.sleep(50);
            }
            w.go();
            Thread.sleep(500);
            KernelHarness.sh(10, "kill", "-INT", Long.toString(rec.pid()));
            assertTrue(rec.waitFor(30, TimeUnit.SECONDS), "stopped by SIGINT");
            String stderr = err.get(10, TimeUnit.SECONDS);
            assertEquals(0, rec.exitValue(), stderr);
            List<String> lines = stderr.lines().toList();
            assertEquals("wiretop record: recording pid " + w.sh.pid() + " to " + file + ", snap length 80 bytes",
                    lines.get(0));
            String summary = lines.get(lines.size() - 1);
            assertTrue(summary.matches("\\d+ events, " + Files.size(file) + " bytes written to "
                    + java.util.regex.Pattern.quote(file.toString()) + ", 0 lost"), summary);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            List<String[]> ev = sysdig(file, "evt.type!=procinfo");
            assertEquals(Long.parseLong(summary.split(" ")[0]), ev.size(), "sysdig reads every event the summary counts");
            assertOnlyTheWorkload(ev, w);
        }
    }

    @Test
    void aFilterAndGzipKeepOnlyTheMatchingEvents() throws Exception {
        KernelHarness.requireRoot();
        Path file = KernelHarness.workDir().resolve("record-filter.scap");
        Files.deleteIfExists(file);
        try (Workload w = new Workload()) {
            Process rec = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "record", "-z", "-w",
                    file.toString(), "--pid", Long.toString(w.sh.pid()), "evt.type", "in", "(write,", "connect)",
                    "and", "proc.name", "=", "workload").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.exists(file) || Files.size(file) < 100) {
                assertTrue(System.currentTimeMillis() < deadline && rec.isAlive(), "the recording did not start");
                Thread.sleep(50);
            }
            w.go();
            Thread.sleep(500);
            KernelHarness.sh(10, "kill", "-TERM", Long.toString(rec.pid()));
            assertTrue(rec.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, rec.exitValue());
            byte[] head = new byte[2];
            try (var in = Files.newInputStream(file)) {
                assertEquals(2, in.read(head));
            }
            assertEquals(0x1f8b, ((head[0] & 0xff) << 8) | (head[1] & 0xff), "gzip");
            List<String[]> ev = sysdig(file, "evt.type!=procinfo");
            assertFalse(ev.isEmpty());
            // the processes the workload started after the head: their fork and exec events were filtered
            // out, so sysdig knows them by pid only (as with sysdig -w and a filter): the report's pids
            Set<Long> workloadPids = new HashSet<>();
            KernelHarness.moved(w.out.get()).forEach(m -> workloadPids.add(m.pid()));
            for (String[] e : ev) {
                assertTrue(Set.of("write", "connect").contains(e[3]) && workloadPids.contains(Long.parseLong(e[0])),
                        String.join(" ", e) + " (workload pids " + workloadPids + ")");
            }
            assertTrue(ev.stream().anyMatch(e -> e[3].equals("connect")) && ev.stream().anyMatch(e -> e[3].equals("write")));
        }
    }

    @Test
    void theTuiRecordsTheDrilledDownProcessOnly() throws Exception {
        KernelHarness.requireRoot();
        Path dir = Files.createTempDirectory(KernelHarness.workDir().toAbsolutePath(), "tui-rec");
        try (Workload w = new Workload()) {
            tmux("kill-session", "-t", SESSION);
            tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "40", "bash --norc --noprofile");
            tmux("send-keys", "-t", SESSION, "cd " + ROOT + " && PS1='$ ' && ./wiretop -d 500 --record-dir " + dir
                    + " --logfile " + dir.resolve("ui.log") + " proc.pid = " + w.sh.pid(), "Enter");
            waitFor("the workload's shell alone in the table", () -> screenHas("Viewing: Processes")
                    && screenHas("read go; "), 240_000);
            tmux("send-keys", "-t", SESSION, "Enter"); // drill down into it
            waitFor("the drill-down", () -> screenHas("For: proc.pid=" + w.sh.pid()), 10_000);
            tmux("send-keys", "-t", SESSION, "F11");
            waitFor("the recording in the header", () -> screenHas("Recording: wiretop-"), 30_000);
            Path file = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (file == null || Files.size(file) < 1000) { // the head: the stream is attached
                try (Stream<Path> s = Files.list(dir)) {
                    file = s.filter(p -> p.getFileName().toString().matches("wiretop-\\d{8}-\\d{6}\\.scap"))
                            .findFirst().orElse(null);
                }
                assertTrue(System.currentTimeMillis() < deadline, "the recording did not start");
                Thread.sleep(50);
            }
            w.go();
            waitFor("the events counted in the header", () -> {
                try {
                    return java.util.regex.Pattern.compile("Recording: wiretop-\\S+ [1-9]\\d* evts").matcher(screen()).find();
                } catch (Exception e) {
                    return false;
                }
            }, 10_000);
            tmux("send-keys", "-t", SESSION, "F11");
            waitFor("the recording stopped", () -> !screenHas("Recording: wiretop-") && screenHas("Recorded "), 30_000);
            tmux("send-keys", "-t", SESSION, "q");
            waitFor("the shell prompt", () -> {
                try {
                    return java.util.Arrays.stream(screen().split("\n")).anyMatch(l -> l.strip().equals("$"));
                } catch (Exception e) {
                    return false;
                }
            }, 30_000);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertOnlyTheWorkload(sysdig(file, "evt.type!=procinfo"), w);
        } finally {
            tmux("kill-session", "-t", SESSION);
        }
    }
}
