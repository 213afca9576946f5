// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Record and replay end to end (issue 9): a shell runs the C workload (TCP and UDP over IPv4 and
 * IPv6 on loopback, a file written and read back, a short-lived exec'd client) and reports what
 * each of its processes moved. While `wiretop record --pid SHELL` records it, a live
 * `wiretop --json -F` runs too. Then every reader of the file must tell the same story, in bytes:
 * sysdig 0.29.3 (event types, names, fd names, byte counts), csysdig's and wiretop's Processes
 * and Connections views of the file (the same rates), the live run (the same totals), the file
 * rewritten by `sysdig -w` (the same rows), and `wiretop -r -d 500` (intervals that add up).
 */
class RecordReplayKernelIT {
    private static final String SEP = "\u0001";
    /**
     * The workload; the closing sleep makes the file span more than a second. csysdig divides a
     * file's totals by its duration only when that is over one second (filterchecks.cpp
     * tostring_nice: {@code if(m_cnt > 1) val /= m_cnt}); a shorter file shows raw totals.
     */
    private static final String SCRIPT = "W tcp 4 100000 10000; W tcp 6 60000 6000; W udp 4 5 1000; W udpu 6 5 700; "
            + "W file 50000; W exec 3000; sleep 1.5";

    @Test
    void everyReaderOfTheRecordingAgreesWithTheWorkloadAndTheLiveRun() throws Exception {
        KernelHarness.requireRoot();
        String w = KernelHarness.workload().toAbsolutePath().toString();
        Path dir = KernelHarness.workDir().toAbsolutePath();
        Path file = dir.resolve("record-replay.scap");
        Path copy = dir.resolve("record-replay-sysdig.scap");
        Files.deleteIfExists(file);
        Files.deleteIfExists(copy);

        // 1. the workload, recorded, while a live run watches the whole host
        Process sh = new ProcessBuilder("sh", "-c", "read go; " + SCRIPT.replace("W", w))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        });
        String report;
        Map<Long, long[]> liveTotals;
        try (KernelHarness.Wiretop live = new KernelHarness.Wiretop("--json", "-F", "-d", "500")) {
            Process rec = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "record", "-w",
                    file.toString(), "--pid", Long.toString(sh.pid())).redirectError(dir.resolve("record-replay.err").toFile())
                    .start();
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (!Files.exists(file) || Files.size(file) < 1000) { // the head: the stream is attached
                    assertTrue(System.currentTimeMillis() < deadline && rec.isAlive(), "the recording did not start");
                    Thread.sleep(50);
                }
                live.awaitIntervals(1, 120_000);
                try (OutputStream go = sh.getOutputStream()) {
                    go.write("go\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertTrue(sh.waitFor(120, TimeUnit.SECONDS) && sh.exitValue() == 0, "the workload failed");
                report = out.get(10, TimeUnit.SECONDS);
                live.awaitIntervals(2, 30_000); // the intervals the workload fell in are closed
                KernelHarness.sh(10, "kill", "-INT", Long.toString(rec.pid()));
                assertTrue(rec.waitFor(60, TimeUnit.SECONDS), "the recorder stopped on SIGINT");
                assertEquals(0, rec.exitValue(), Files.readString(dir.resolve("record-replay.err")));
            } finally {
                rec.destroyForcibly();
            }
            liveTotals = new HashMap<>();
            for (JsonNode line : live.lines) {
                for (JsonNode row : line.get("rows")) {
                    long[] t = liveTotals.computeIfAbsent(row.get("pid").asLong(), k -> new long[4]);
                    t[0] += row.get("net_bytes_in").asLong();
                    t[1] += row.get("net_bytes_out").asLong();
                    t[2] += row.get("file_bytes_in").asLong();
                    t[3] += row.get("file_bytes_out").asLong();
                }
            }
        } finally {
            sh.destroy();
        }
        List<KernelHarness.Moved> moved = KernelHarness.moved(report);
        assertEquals(11, moved.size(), "reports: " + report);
        Files.writeString(dir.resolve("record-replay.workload.txt"), report);

        // the live run counted exactly what each process says it moved (its whole life fell in the run)
        for (KernelHarness.Moved m : moved) {
            long[] t = liveTotals.getOrDefault(m.pid(), new long[4]);
            assertEquals(List.of(m.netIn(), m.netOut()), List.of(t[0], t[1]), "live NET of " + m.role() + " " + m.pid());
            // the exec'd client's loader also reads its libraries, which the workload does not count
            if (!m.role().equals("short")) {
                assertEquals(List.of(m.fileIn(), m.fileOut()), List.of(t[2], t[3]), "live FILE of " + m.role() + " " + m.pid());
            }
        }

        // 2. sysdig reads the file
        SysdigView ev = SysdigView.of(file);
        Files.writeString(dir.resolve("record-replay.sysdig.txt"), ev.plain);
        for (String type : List.of("read", "write", "sendto", "recvfrom", "connect", "accept", "openat", "close",
                "execve", "clone", "procexit")) {
            assertTrue(ev.types.contains(type), "a " + type + " event in the file; types: " + ev.types);
        }
        for (KernelHarness.Moved m : moved) {
            assertEquals(Set.of("workload"), ev.names.get(m.pid()), "the names of " + m.role() + " " + m.pid());
            long[] b = ev.bytes.getOrDefault(m.pid(), new long[4]);
            assertEquals(List.of(m.netIn(), m.netOut(), m.fileIn(), m.fileOut()), List.of(b[0], b[1], b[2], b[3]),
                    "bytes of " + m.role() + " " + m.pid() + " in sysdig's reading (net in, out, file in, out)");
        }
        assertTrue(ev.names.get(sh.pid()).contains("sh"), "the shell's name: " + ev.names.get(sh.pid()));
        Matcher ports = Pattern.compile("ports client=(\\d+) server=(\\d+)").matcher(report);
        assertTrue(ports.find(), "v4 ports");
        String tcp4Client = ports.group(1), tcp4Server = ports.group(2);
        assertFd(ev.plain, "<4t>127.0.0.1:" + tcp4Client + "->127.0.0.1:" + tcp4Server);
        assertTrue(ports.find(), "v6 ports");
        String tcp6Client = ports.group(1), tcp6Server = ports.group(2);
        assertFd(ev.plain, "<6t>::1:" + tcp6Client + "->::1:" + tcp6Server);
        assertTrue(Pattern.compile("\\(<4u>127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+\\)").matcher(ev.plain).find(),
                "a connected UDP/IPv4 socket named <4u>");
        assertTrue(Pattern.compile("\\(<6u>").matcher(ev.plain).find(), "a UDP/IPv6 socket named <6u>");
        assertTrue(Pattern.compile("< openat fd=\\d+\\(<f>/tmp/wiretop-workload-\\w+\\)").matcher(ev.plain).find(),
                "the workload file's open, named <f>/path");
        long shortPid = role(moved, "short").pid();
        assertTrue(Pattern.compile("\\(" + shortPid + "\\) < execve res=0 ").matcher(ev.plain).find(), "the child's execve");

        // 3. csysdig and wiretop read the file into the same Processes view
        JsonNode whole = wiretopJson(file, null).get(0);
        double seconds = whole.get("interval_s").asDouble();
        assertTrue(seconds > 1.5, "the file spans the closing sleep: " + seconds + " s");
        Map<Long, Map<String, String>> csProcs = byPid(csysdigProcs(file));
        Map<Long, Map<String, String>> wtProcs = byPid(wiretopRaw(file, "procs"));
        Map<Long, JsonNode> wholeRows = new HashMap<>();
        whole.get("rows").forEach(r -> wholeRows.put(r.get("pid").asLong(), r));
        for (KernelHarness.Moved m : moved) {
            String who = m.role() + " " + m.pid();
            Map<String, String> cs = csProcs.get(m.pid()), wt = wtProcs.get(m.pid());
            assertTrue(cs != null && wt != null, who + " in both Processes views: csysdig " + cs + ", wiretop " + wt);
            assertEquals(cs.get("NET"), wt.get("NET"), "NET of " + who + ", csysdig vs wiretop");
            assertEquals(cs.get("FILE"), wt.get("FILE"), "FILE of " + who + ", csysdig vs wiretop");
            // the rate times the file's duration is the workload's own count, to display precision
            assertBytes(m.netIn() + m.netOut(), wt.get("NET"), seconds, "NET of " + who);
            // the exec'd client's loader also reads its libraries, which the workload does not count
            if (!m.role().equals("short")) {
                assertBytes(m.fileIn() + m.fileOut(), wt.get("FILE"), seconds, "FILE of " + who);
            }
            // and the live run's totals: csysdig's rate over the file's duration, and wiretop's exact totals
            JsonNode r = wholeRows.get(m.pid());
            long[] t = liveTotals.get(m.pid());
            assertBytes(t[0] + t[1], cs.get("NET"), seconds, "NET of " + who + ": csysdig vs the live run");
            assertBytes(t[2] + t[3], cs.get("FILE"), seconds, "FILE of " + who + ": csysdig vs the live run");
            assertEquals(List.of(t[0], t[1]), List.of(r.get("net_bytes_in").asLong(), r.get("net_bytes_out").asLong()),
                    "NET of " + who + ": live vs the file");
            assertEquals(List.of(t[2], t[3]), List.of(r.get("file_bytes_in").asLong(), r.get("file_bytes_out").asLong()),
                    "FILE of " + who + ": live vs the file");
        }

        // every process with events in the file (the shell, the sleep, the forks that only exec'd) too
        assertTrue(ev.names.size() > moved.size() + 2, "processes with events: " + ev.names.keySet());
        for (long pid : ev.names.keySet()) {
            Map<String, String> cs = csProcs.get(pid), wt = wtProcs.get(pid);
            assertTrue(cs != null && wt != null, pid + " in both Processes views: csysdig " + cs + ", wiretop " + wt);
            assertEquals(List.of(cs.get("FILE"), cs.get("NET")), List.of(wt.get("FILE"), wt.get("NET")),
                    "FILE and NET of " + pid + " " + ev.names.get(pid) + ", csysdig vs wiretop");
        }

        // the Connections view: csysdig keys a connection by its name (client -> server, both ends in
        // one row), wiretop by each end's socket (one row per end); the ends' sum is csysdig's row
        List<Map<String, String>> csConn = connections(csysdigRaw(file, "connections"));
        List<Map<String, String>> wtConn = wiretopRaw(file, "connections");
        assertConnection(csConn, wtConn, "tcp", tcp4Client, tcp4Server, seconds, moved, "4");
        assertConnection(csConn, wtConn, "tcp", tcp6Client, tcp6Server, seconds, moved, "6");

        // 4. sysdig -w rewrites the file; wiretop reads the same rows from the copy
        KernelHarness.sh(120, "env", "TZ=UTC", "sysdig", "-r", file.toString(), "-w", copy.toString());
        Map<Long, Map<String, String>> copied = byPid(wiretopRaw(copy, "procs"));
        for (KernelHarness.Moved m : moved) {
            assertEquals(wtProcs.get(m.pid()), copied.get(m.pid()), "the row of " + m.role() + " " + m.pid() + " from sysdig's copy");
        }
        for (long pid : ev.names.keySet()) {
            assertEquals(wtProcs.get(pid), copied.get(pid), "the row of " + pid + " from sysdig's copy");
        }

        // 5. in half-second intervals of trace time: several, adding up to the whole file, then exit 0
        List<JsonNode> intervals = wiretopJson(file, "500");
        assertTrue(intervals.size() >= 3, "intervals over " + seconds + " s: " + intervals.size());
        long sum = 0, total = 0;
        double covered = 0;
        for (JsonNode iv : intervals) {
            covered += iv.get("interval_s").asDouble();
            for (JsonNode r : iv.get("rows")) {
                sum += r.get("net_bytes_in").asLong() + r.get("net_bytes_out").asLong();
            }
        }
        for (JsonNode r : whole.get("rows")) {
            total += r.get("net_bytes_in").asLong() + r.get("net_bytes_out").asLong();
        }
        long workloadNet = moved.stream().mapToLong(m -> m.netIn() + m.netOut()).sum();
        assertEquals(total, sum, "NET of the intervals vs the whole file");
        assertEquals(seconds, covered, 1e-5 * intervals.size(), "the intervals cover the file, end to end");
        assertEquals(workloadNet, total, "NET of the whole file vs the workload's reports");
    }

    /**
     * A recording of one quick TCP exchange spans well under a second (the head, then a few
     * milliseconds of traffic): csysdig divides a file's totals by its duration only when that is
     * over a second, so it shows them undivided, and so must wiretop. Asserted for whatever the
     * duration is: the divisor is max(1 s, duration).
     */
    @Test
    void aShortRecordingShowsTotalsAsCsysdigDoes() throws Exception {
        KernelHarness.requireRoot();
        String w = KernelHarness.workload().toAbsolutePath().toString();
        Path file = KernelHarness.workDir().toAbsolutePath().resolve("record-replay-short.scap");
        Files.deleteIfExists(file);
        Process sh = new ProcessBuilder("sh", "-c", "read go; " + w + " tcp 4 100000 10000")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process rec = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "record", "-w", file.toString(),
                "--pid", Long.toString(sh.pid())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String report;
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Files.exists(file) || Files.size(file) < 1000) {
                assertTrue(System.currentTimeMillis() < deadline && rec.isAlive(), "the recording did not start");
                Thread.sleep(10);
            }
            try (OutputStream go = sh.getOutputStream()) {
                go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            }
            report = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(sh.waitFor(60, TimeUnit.SECONDS) && sh.exitValue() == 0, "the workload failed");
            KernelHarness.sh(10, "kill", "-INT", Long.toString(rec.pid()));
            assertTrue(rec.waitFor(60, TimeUnit.SECONDS) && rec.exitValue() == 0, "the recorder stopped on SIGINT");
        } finally {
            sh.destroy();
            rec.destroyForcibly();
        }
        double seconds = wiretopJson(file, null).get(0).get("interval_s").asDouble();
        Map<Long, Map<String, String>> cs = byPid(csysdigProcs(file)), wt = byPid(wiretopRaw(file, "procs"));
        List<KernelHarness.Moved> moved = KernelHarness.moved(report);
        assertEquals(2, moved.size(), report);
        for (KernelHarness.Moved m : moved) {
            String who = m.role() + " " + m.pid() + " in a file of " + seconds + " s";
            assertEquals(cs.get(m.pid()).get("NET"), wt.get(m.pid()).get("NET"), "NET of " + who + ", csysdig vs wiretop");
            assertBytes(m.netIn() + m.netOut(), wt.get(m.pid()).get("NET"), Math.max(1, seconds), "NET of " + who);
        }
    }

    private static KernelHarness.Moved role(List<KernelHarness.Moved> moved, String role) {
        return moved.stream().filter(m -> m.role().equals(role)).findFirst().orElseThrow();
    }

    /** One connection's row in csysdig and the sum of its two ends in wiretop, in bytes, and the workload's. */
    private static void assertConnection(List<Map<String, String>> cs, List<Map<String, String>> wt, String proto,
            String client, String server, double seconds, List<KernelHarness.Moved> moved, String family) {
        String name = proto + " " + client + "->" + server;
        Map<String, String> c = cs.stream().filter(r -> r.get("L4PROTO").equals(proto) && r.get("LPORT").equals(client)
                && r.get("RPORT").equals(server)).findFirst().orElseThrow(() -> new AssertionError("csysdig has no " + name + ": " + cs));
        List<Map<String, String>> ends = wt.stream().filter(r -> r.get("L4PROTO").equals(proto)
                && Set.of(client + ">" + server, server + ">" + client).contains(r.get("LPORT") + ">" + r.get("RPORT"))).toList();
        assertEquals(2, ends.size(), "wiretop's ends of " + name + ": " + wt);
        // the connection carried what its client sent and received (the server read and wrote the same)
        KernelHarness.Moved c4 = moved.stream().filter(m -> m.role().equals("client")
                && m.netOut() == (family.equals("4") ? 100000 : 60000)).findFirst().orElseThrow();
        long payload = c4.netIn() + c4.netOut();
        assertBytes(payload, List.of(c.get("BPS IN")), seconds, "csysdig's BPS IN of " + name);
        assertBytes(payload, List.of(c.get("BPS OUT")), seconds, "csysdig's BPS OUT of " + name);
        assertBytes(payload, ends.stream().map(e -> e.get("BPS IN")).toList(), seconds, "wiretop's BPS IN of " + name + "'s ends");
        assertBytes(payload, ends.stream().map(e -> e.get("BPS OUT")).toList(), seconds, "wiretop's BPS OUT of " + name + "'s ends");
    }

    private static void assertBytes(long expected, String rate, double seconds, String what) {
        assertBytes(expected, List.of(rate), seconds, what);
    }

    /**
     * Displayed rates (1024-based K/M/G), summed and times the file's duration, equal the bytes to the
     * display's precision: half of each rate's last digit, over the whole file.
     */
    private static void assertBytes(long expected, List<String> rates, double seconds, String what) {
        double sum = 0, slack = 1;
        for (String rate : rates) {
            sum += bytes(rate) * seconds;
            double unit = rate.endsWith("G") ? 1 << 30 : rate.endsWith("M") ? 1 << 20 : rate.endsWith("K") ? 1 << 10 : 1;
            slack += 0.005 * unit * seconds;
        }
        assertTrue(Math.abs(sum - expected) <= slack,
                what + ": " + rates + " per s over " + seconds + " s = " + sum + " bytes, expected " + expected);
    }

    private static double bytes(String rate) {
        String s = rate.strip();
        double mult = 1;
        if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
            mult = s.endsWith("G") ? 1 << 30 : s.endsWith("M") ? 1 << 20 : 1 << 10;
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? 0 : Double.parseDouble(s) * mult;
    }

    /** Both ends of the connection name it client -> server, on the connect, accept and writes. */
    private static void assertFd(String plain, String fd) {
        String q = Pattern.quote(fd);
        assertTrue(Pattern.compile("< connect res=0 tuple=" + Pattern.quote(fd.substring(4)) + " ").matcher(plain).find(),
                "connect exit of " + fd);
        assertTrue(Pattern.compile("< accept fd=\\d+\\(" + q + "\\)").matcher(plain).find(), "accept of " + fd);
        assertTrue(Pattern.compile("> write fd=\\d+\\(" + q + "\\) size=").matcher(plain).find(), "a write on " + fd);
    }

    /** What sysdig makes of the file: event types, names per pid, bytes per pid, and the plain text. */
    private record SysdigView(Set<String> types, Map<Long, Set<String>> names, Map<Long, long[]> bytes, String plain) {
        static SysdigView of(Path file) throws Exception {
            String fmt = "*" + String.join(SEP, "%proc.pid", "%proc.name", "%evt.dir", "%evt.type", "%fd.type",
                    "%fd.name", "%evt.rawres");
            String fields = KernelHarness.sh(120, "env", "TZ=UTC", "sysdig", "-r", file.toString(), "-p", fmt);
            String plain = KernelHarness.sh(120, "env", "TZ=UTC", "sysdig", "-r", file.toString());
            Set<String> types = new HashSet<>();
            Map<Long, Set<String>> names = new HashMap<>();
            Map<Long, long[]> bytes = new HashMap<>(); // net in, net out, file in, file out
            Set<String> reads = Set.of("read", "recvfrom", "recvmsg", "readv", "pread", "preadv");
            Set<String> writes = Set.of("write", "sendto", "sendmsg", "writev", "pwrite", "pwritev");
            for (String line : fields.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] e = line.split(SEP, -1);
                long pid = Long.parseLong(e[0]);
                types.add(e[3]);
                names.computeIfAbsent(pid, k -> new HashSet<>()).add(e[1]);
                if (!e[2].equals("<") || !(reads.contains(e[3]) || writes.contains(e[3])) || Long.parseLong(e[6]) <= 0) {
                    continue;
                }
                boolean net = e[4].equals("ipv4") || e[4].equals("ipv6");
                // the workload's own file (an exec'd process's loader also reads libraries, not counted by it)
                boolean f = e[4].equals("file") && e[5].startsWith("/tmp/wiretop-workload-");
                if (net || f) {
                    bytes.computeIfAbsent(pid, k -> new long[4])[(f ? 2 : 0) + (writes.contains(e[3]) ? 1 : 0)] += Long.parseLong(e[6]);
                }
            }
            return new SysdigView(types, names, bytes, plain);
        }
    }

    /** The lines of the one sample a raw table of a file prints, between its two dash lines. */
    private static List<String> sample(String raw) {
        List<String> rows = new ArrayList<>();
        int dashes = 0;
        for (String l : raw.split("\n")) {
            if (l.equals("----------------------")) {
                dashes++;
            } else if (dashes == 1 && !l.isEmpty()) {
                rows.add(l);
            }
        }
        return rows;
    }

    private static String csysdigRaw(Path file, String view) throws Exception {
        return KernelHarness.sh(120, "env", "TZ=UTC", "TERM=xterm", "csysdig", "-r", file.toString(), "--raw", "-v", view);
    }

    /** A csysdig procs row begins with PID and PPID, each right-aligned in 10 characters, and a space. */
    private static final Pattern CSYSDIG_ROW = Pattern.compile("( {0,9}\\d{1,10}) ( {0,9}\\d{1,10}) .{11,}");

    /**
     * csysdig's procs lines: numbers right-aligned in 10 characters, one space apart; USER unpadded.
     * csysdig prints a command line raw, so a process on the machine whose arguments hold a newline
     * continues its row on lines of its own: those are not rows.
     */
    private static List<Map<String, String>> csysdigProcs(Path file) throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : sample(csysdigRaw(file, "procs"))) {
            if (!CSYSDIG_ROW.matcher(l).matches()) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            m.put("PID", l.substring(0, 10).strip());
            int userEnd = l.indexOf(' ', 33);
            int at = userEnd + 1;
            for (String c : List.of("TH", "VIRT", "RES", "FILE", "NET")) {
                m.put(c, l.substring(at, at + 10).strip());
                at += 11;
            }
            out.add(m);
        }
        return out;
    }

    /** csysdig's connections lines: five unpadded cells, then BPS IN, BPS OUT, IOPS in 10 characters each. */
    private static List<Map<String, String>> connections(String raw) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : sample(raw)) {
            String[] c = l.strip().split(" +");
            Map<String, String> m = new LinkedHashMap<>();
            List<String> names = List.of("L4PROTO", "LIP", "LPORT", "RIP", "RPORT", "BPS IN", "BPS OUT", "IOPS");
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), c[i]);
            }
            out.add(m);
        }
        return out;
    }

    /** wiretop's raw table of a file, cut by its header line (columns are right-aligned to their headers). */
    private static List<Map<String, String>> wiretopRaw(Path file, String view) throws Exception {
        List<String> lines = sample(KernelHarness.sh(120, "java", "-jar", KernelHarness.jar().toString(), "-r",
                file.toString(), "--raw", "-v", view));
        String header = lines.get(0);
        List<String> cols = view.equals("procs")
                ? List.of("PID", "PPID", "CPU", "USER", "TH", "VIRT", "RES", "FILE", "NET", "WIRE")
                : List.of("L4PROTO", "LIP", "LPORT", "RIP", "RPORT", "BPS IN", "BPS OUT", "WIRE IN", "WIRE OUT", "IOPS");
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            Map<String, String> m = new LinkedHashMap<>();
            if (view.equals("procs")) {
                int from = 0;
                for (String c : cols) {
                    int end = c.equals("USER") ? header.indexOf("USER") + 5 : header.indexOf(" " + c + " ") + c.length() + 1;
                    if (c.equals("PID")) {
                        end = header.indexOf("PID") + 3;
                    }
                    m.put(c, l.substring(from, Math.min(end, l.length())).strip());
                    from = end;
                }
            } else {
                String[] c = l.strip().split(" +");
                for (int i = 0; i < 7; i++) {
                    m.put(List.of("L4PROTO", "LIP", "LPORT", "RIP", "RPORT", "BPS IN", "BPS OUT").get(i), c[i]);
                }
            }
            out.add(m);
        }
        return out;
    }

    private static Map<Long, Map<String, String>> byPid(List<Map<String, String>> rows) {
        Map<Long, Map<String, String>> m = new TreeMap<>();
        for (Map<String, String> r : rows) {
            m.put(Long.parseLong(r.get("PID")), r);
        }
        return m;
    }

    /** {@code wiretop -r FILE --json [-d MS]}: its intervals; it must exit 0 at the end of the file. */
    private static List<JsonNode> wiretopJson(Path file, String ms) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", KernelHarness.jar().toString(), "-r", file.toString(), "--json"));
        if (ms != null) {
            cmd.addAll(List.of("-d", ms));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "wiretop -r ended by itself");
        assertEquals(0, p.exitValue(), "wiretop -r exit status");
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                lines.add(KernelHarness.JSON.readTree(l));
            }
        }
        return lines;
    }
}
