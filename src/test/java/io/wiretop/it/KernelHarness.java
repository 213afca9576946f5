// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the kernel tests share: the real wiretop jar run as a child process (as a user runs it), the
 * C workload that generates ground truth, and checks that nothing of wiretop's stays in the kernel.
 * These tests need root and a BPF-capable kernel; without them they fail, never skip.
 */
public final class KernelHarness {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPORT = Pattern.compile(
            "pid=(\\d+) role=(\\S+) net_in=(\\d+) net_out=(\\d+) file_in=(\\d+) file_out=(\\d+)");

    private KernelHarness() {
    }

    public static void requireRoot() {
        String uid = System.getProperty("user.name");
        assertTrue("root".equals(uid), "kernel tests load BPF programs and must run as root (user is " + uid + ")");
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("wiretop.jar", "target/wiretop.jar"));
        assertTrue(Files.isRegularFile(jar), "wiretop jar missing: " + jar + " (run mvn verify)");
        return jar;
    }

    static Path workDir() throws IOException {
        Path d = Path.of(System.getProperty("wiretop.workdir", "target/it"));
        Files.createDirectories(d);
        return d;
    }

    /** Compiles src/test/c/workload.c once with gcc. */
    static Path workload() throws Exception {
        return compiled("workload");
    }

    /** Compiles src/test/c/NAME.c once with gcc (again when the source is newer). */
    static synchronized Path compiled(String name) throws Exception {
        Path bin = workDir().resolve(name);
        Path src = Path.of(System.getProperty("wiretop.sources", ".")).resolve("src/test/c/" + name + ".c");
        if (!Files.exists(bin) || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) < 0) {
            Process p = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", bin.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor() == 0, "gcc failed: " + out);
        }
        return bin;
    }

    /** One line of the workload's report: what a pid moved. */
    public record Moved(long pid, String role, long netIn, long netOut, long fileIn, long fileOut) {
    }

    private static volatile String lastOutput = "";

    /** Everything the last workload printed. */
    static String lastOutput() {
        return lastOutput;
    }

    public static List<Moved> runWorkload(String... args) throws Exception {
        return runWorkload(Map.of(), args);
    }

    static List<Moved> runWorkload(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(workload().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        lastOutput = out;
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "workload " + String.join(" ", args) + " failed");
        List<Moved> moved = moved(out);
        assertTrue(!moved.isEmpty(), "workload printed no report: " + out);
        return moved;
    }

    /** The report lines in a workload's output. */
    static List<Moved> moved(String out) {
        List<Moved> moved = new ArrayList<>();
        Matcher m = REPORT.matcher(out);
        while (m.find()) {
            moved.add(new Moved(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6))));
        }
        return moved;
    }

    /** wiretop --json running as a child; its lines are collected as they arrive. */
    static final class Wiretop implements AutoCloseable {
        final Process process;
        final List<JsonNode> lines = new CopyOnWriteArrayList<>();
        final StringBuilder stderr = new StringBuilder();
        private final Thread reader;

        Wiretop(String... args) throws Exception {
            this(Map.of(), args);
        }

        /** wiretop with these variables added to its environment (DOCKER_HOST...). */
        Wiretop(Map<String, String> env, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar().toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(JSON.readTree(l));
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.start();
            Thread err = new Thread(() -> {
                try {
                    String s = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (stderr) {
                        stderr.append(s);
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            err.start();
        }

        /** Waits until n more intervals than now have been printed. */
        void awaitIntervals(int n, long timeoutMillis) throws InterruptedException {
            int target = lines.size() + n;
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (lines.size() < target) {
                if (!process.isAlive()) {
                    fail("wiretop exited with " + process.exitValue() + ": " + stderr());
                }
                if (System.currentTimeMillis() > deadline) {
                    fail("wiretop printed " + lines.size() + " intervals, expected " + target + "; stderr: " + stderr());
                }
                Thread.sleep(20);
            }
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString();
            }
        }

        /** Sums a numeric key over every interval's rows for one pid. */
        long sum(long pid, String key) {
            long total = 0;
            for (JsonNode line : lines) {
                for (JsonNode row : line.get("rows")) {
                    if (row.get("pid").asLong() == pid) {
                        total += row.get(key).asLong();
                    }
                }
            }
            return total;
        }

        /** Every row of one pid, over all intervals. */
        List<JsonNode> rows(long pid) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode line : lines) {
                for (JsonNode row : line.get("rows")) {
                    if (row.get("pid").asLong() == pid) {
                        out.add(row);
                    }
                }
            }
            return out;
        }

        void signal(String sig) throws Exception {
            new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(2000);
        }
    }

    /** The BPF programs and links a process holds, read from its fd table (/proc/PID/fdinfo). */
    record Owned(java.util.Set<Long> progs, java.util.Set<Long> links) {
    }

    /**
     * Asserts that a stopped wiretop's BPF programs and links are gone. The kernel frees a
     * tracepoint program after an RCU grace period, not at close(): waits up to 10 s for that.
     */
    public static void assertReleased(Owned owned, String who) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        java.util.Set<Long> progs, links;
        while (true) {
            progs = new java.util.HashSet<>(programs().keySet());
            progs.retainAll(owned.progs());
            links = new java.util.HashSet<>(links());
            links.retainAll(owned.links());
            if ((progs.isEmpty() && links.isEmpty()) || System.currentTimeMillis() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), progs, "BPF programs still loaded after " + who);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), links, "BPF links still attached after " + who);
    }

    static Owned owned(long pid) throws IOException {
        java.util.Set<Long> progs = new java.util.HashSet<>(), links = new java.util.HashSet<>();
        try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String info;
                try {
                    info = Files.readString(f);
                } catch (IOException e) {
                    continue; // fd closed meanwhile
                }
                Matcher link = Pattern.compile("(?m)^link_id:\\s+(\\d+)").matcher(info);
                Matcher prog = Pattern.compile("(?m)^prog_id:\\s+(\\d+)").matcher(info);
                if (link.find()) {
                    links.add(Long.parseLong(link.group(1)));
                } else if (prog.find()) {
                    progs.add(Long.parseLong(prog.group(1)));
                }
            }
        }
        return new Owned(progs, links);
    }

    /** Ids and names of every loaded BPF program (bpftool prog show). */
    static Map<Long, String> programs() throws Exception {
        Process p = new ProcessBuilder("bpftool", "prog", "show").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, "bpftool prog show failed: " + out);
        Map<Long, String> ids = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^(\\d+): \\S+\\s+(?:name (\\S+))?").matcher(out);
        while (m.find()) {
            ids.put(Long.parseLong(m.group(1)), m.group(2) == null ? "" : m.group(2));
        }
        return ids;
    }

    /** Runs a command that must succeed within the timeout; its output (stdout and stderr). */
    static String sh(int timeoutSeconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0,
                String.join(" ", cmd) + ": " + out);
        return out;
    }

    /**
     * Waits (up to 90 s) until a wiretop child's stderr, redirected to {@code err}, holds {@code text}
     * (its "capturing on" or "recording" line); fails with that stderr if it exits first.
     */
    static void awaitStderr(Process p, Path err, String text) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!Files.readString(err).contains(text)) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, Files.readString(err));
            Thread.sleep(100);
        }
    }

    /** Stops a child as a user's Ctrl-C or kill would (SIGTERM); it must exit within 60 s. Its exit code. */
    static int term(Process p) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "no exit within 60 s after SIGTERM");
        return p.exitValue();
    }

    /** Ids of every BPF link (bpftool link show). */
    static java.util.Set<Long> links() throws Exception {
        Process p = new ProcessBuilder("bpftool", "link", "show").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, "bpftool link show failed: " + out);
        java.util.Set<Long> ids = new java.util.HashSet<>();
        Matcher m = Pattern.compile("(?m)^(\\d+): ").matcher(out);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }
}
