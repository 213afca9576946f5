// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.wiretop.text.SafeText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wiretop serve} scraped by a real Prometheus (Debian's 2.42, started here with its own config,
 * storage in a temporary directory, a 1 s scrape interval, on loopback, stopped by its pid). Two
 * wiretops run: one plain, one with {@code --metrics-pid-top 3}. Loopback workloads
 * (src/test/python/serve_workload.py, each run under its own comm):
 * <ul>
 * <li>two senders of one name move known bytes; one exits half-way: increase() over the whole run
 *     and rate() over a stretch where one sends alone match the bytes sent within 5%, and the name's
 *     series has no counter reset (resets() = 0) although a member exited;</li>
 * <li>200 short-lived processes come and go (8 at a time): with --metrics-pid-top 3 never more than 3
 *     pid series at a scrape, the process family's series count stays bounded, more than 3 pids had a
 *     series over time (the slots were handed on), none is left once they are gone, and their name's
 *     {@code pid="other"} series has no reset;</li>
 * <li>a process named with a newline, a quote, a backslash and ESC: {@code promtool check metrics}
 *     accepts the text format, and Prometheus stores the name as SafeText shows it.</li>
 * </ul>
 * Each wiretop then stops on SIGTERM with exit 0 and none of its BPF programs left loaded.
 */
class ServePrometheusKernelIT {
    private static final Path ROOT = Path.of(System.getProperty("wiretop.sources", ".")).toAbsolutePath();
    private static final Path SCRIPT = ROOT.resolve("src/test/python/serve_workload.py");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TX = "wiretop_process_network_transmit_bytes_total";
    /** A name with a newline, a quote, a backslash and ESC (15 bytes at most: the kernel's comm). */
    private static final byte[] HOSTILE = "wt\n\"q\\e\u001b".getBytes(StandardCharsets.ISO_8859_1);

    private static Path tmp;
    private static MetricsChild plain;
    private static MetricsChild top3;
    private static Process prometheus;
    private static int promPort;
    private static final List<Process> workloads = new ArrayList<>();

    /** A wiretop serve child with its stderr collected; its port once it has said it. */
    private static MetricsChild serve(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0", "-d", "500"));
        args.addAll(List.of(extra));
        return new MetricsChild(args.toArray(String[]::new));
    }

    @BeforeAll
    static void start() throws Exception {
        KernelHarness.requireRoot();
        assertTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")), "Debian's prometheus is missing: scripts/install-deps.sh test");
        tmp = Files.createTempDirectory("wiretop-serve-it-");
        plain = serve();
        top3 = serve("--metrics-pid-top", "3");
        int a = plain.awaitPort();
        int b = top3.awaitPort();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            promPort = s.getLocalPort();
        }
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                + "scrape_configs:\n"
                + "  - job_name: plain\n    honor_labels: true\n    static_configs: [{targets: ['127.0.0.1:" + a + "']}]\n"
                + "  - job_name: top3\n    honor_labels: true\n    static_configs: [{targets: ['127.0.0.1:" + b + "']}]\n");
        KernelHarness.sh(30, "promtool", "check", "config", config.toString());
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
                "--log.level=warn").redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile())
                .start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!ready()) { // the port opens a moment after start
            assertTrue(prometheus.isAlive(), "prometheus exited: " + Files.readString(tmp.resolve("prometheus.log")));
            assertTrue(System.currentTimeMillis() < deadline, "prometheus not ready in 60 s");
            Thread.sleep(100);
        }
        while (values("up").size() < 2 || values("up").stream().anyMatch(v -> v != 1)) {
            assertTrue(prometheus.isAlive(), "prometheus exited: " + Files.readString(tmp.resolve("prometheus.log")));
            assertTrue(System.currentTimeMillis() < deadline, "prometheus did not scrape both wiretops in 60 s: "
                    + get("/api/v1/targets"));
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : workloads) {
            p.destroyForcibly();
        }
        if (prometheus != null) {
            prometheus.destroy(); // SIGTERM to its pid
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        for (MetricsChild s : new MetricsChild[]{plain, top3}) {
            if (s != null && s.process.isAlive()) {
                s.process.destroyForcibly();
            }
        }
        if (tmp != null) {
            KernelHarness.sh(30, "rm", "-rf", tmp.toString());
        }
    }

    /** The workload script run under the given comm (a symbolic link to python3 of that name). */
    private static Process workload(String comm, String... args) throws IOException {
        Path link = tmp.resolve(comm);
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, Path.of("/usr/bin/python3"));
        }
        List<String> cmd = new ArrayList<>(List.of(link.toString(), SCRIPT.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        workloads.add(p);
        return p;
    }

    @Test
    void prometheusSeesKnownBytesNoResetsBoundedPidSeriesAndValidText() throws Exception {
        Path portFile = tmp.resolve("recv.port");
        workload("wtsrvrecv", "recv", portFile.toString());
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(portFile)) {
            assertTrue(System.currentTimeMillis() < deadline, "the receiver did not start");
            Thread.sleep(50);
        }
        String port = Files.readString(portFile).strip();
        Process hostile = workload("wtsrvhostile", "hostile", port, HexFormat.of().formatHex(HOSTILE));
        // two senders of one name: A sends 200 kB/s for 36 s, B 100 kB/s for 10 s and exits half-way
        Process a = workload("wtsrvsend", "send", port, "200000", "36");
        Process b = workload("wtsrvsend", "send", port, "100000", "10");
        // 200 short-lived processes, 8 at a time
        Thread bursts = new Thread(() -> {
            try {
                List<Process> wave = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    wave.add(workload("wtsrvburst", "burst", port));
                    if (wave.size() == 8) {
                        for (Process p : wave) {
                            p.waitFor(60, TimeUnit.SECONDS);
                        }
                        wave.clear();
                    }
                }
                for (Process p : wave) {
                    p.waitFor(60, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        double burstStart = now();
        bursts.start();
        Steady sa = steady(a);
        Steady sb = steady(b);
        bursts.join(300_000);
        double burstEnd = now();
        Thread.sleep(6000); // the last intervals scraped; exited pid series scraped once, then dropped

        // increase() over the whole run: both senders' bytes (the markers before the window are not in it)
        double t = now();
        double from = Math.min(sa.start, sb.start) - 2;
        String window = "[" + (long) Math.ceil(t - from) + "s]";
        double sent = sa.bytes + sb.bytes;
        double increase = single(query("sum(increase(" + TX + "{job=\"plain\",comm=\"wtsrvsend\"}" + window + "))"));
        System.out.printf("serve IT: sent %.0f B, increase() %.0f B (%+.2f%%)%n", sent, increase, (increase / sent - 1) * 100);
        assertWithin(sent, increase, 0.05, "increase() of the senders' transmit bytes");
        double received = single(query("sum(increase(" + TX.replace("transmit", "receive")
                + "{job=\"plain\",comm=\"wtsrvrecv\"}" + window + "))"));
        assertTrue(received >= sent * 0.95, "the receiver's bytes (" + received + ") hold the senders' (" + sent + ")");
        // rate() over 20 s where A sent alone (B had exited): A's rate
        double at = sa.end - 2;
        assertTrue(at - 20 > sb.end, "the rate window lies after B's exit");
        double rate = single(queryAt("sum(rate(" + TX + "{job=\"plain\",comm=\"wtsrvsend\"}[20s]))", at));
        System.out.printf("serve IT: rate() %.0f B/s for 200000 B/s (%+.2f%%)%n", rate, (rate / 200_000 - 1) * 100);
        assertWithin(200_000, rate, 0.05, "rate() while one sender runs alone");
        // a member of the name exited mid-test: no counter reset
        assertEquals(0.0, single(query("sum(resets(" + TX + "{job=\"plain\",comm=\"wtsrvsend\"}" + window + "))")),
                "resets() of the senders' series (B exited half-way)");

        // --metrics-pid-top 3: at most 3 pid series at any scrape, the family bounded
        String churn = "[" + (long) Math.ceil(t - burstStart + 2) + "s:1s]";
        double pidSeries = single(query("max_over_time(count(" + TX + "{job=\"top3\",pid!=\"other\"})" + churn + ")"));
        assertTrue(pidSeries >= 1 && pidSeries <= 3, "pid series at a scrape: " + pidSeries);
        double family = single(query("max_over_time(count(" + TX + "{job=\"top3\",comm=\"wtsrvburst\"})" + churn + ")"));
        assertTrue(family >= 1 && family <= 4, "series of the 200 short-lived processes at a scrape (3 pids and "
                + "pid=\"other\" at most): " + family);
        Set<String> burstPids = labelValues("count by (pid) (count_over_time(" + TX
                + "{job=\"top3\",comm=\"wtsrvburst\",pid!=\"other\"}" + "[" + (long) Math.ceil(t - burstStart + 2)
                + "s]))", "pid");
        System.out.printf("serve IT: pid series at a scrape <= %.0f, series of the burst name <= %.0f, %d pids had one%n",
                pidSeries, family, burstPids.size());
        assertTrue(burstPids.size() > 3, "the slots went to more than 3 short-lived pids over time: " + burstPids);
        assertEquals(List.of(), values(TX + "{job=\"top3\",comm=\"wtsrvburst\",pid!=\"other\"}"),
                "pid series of exited processes are dropped (" + (now() - burstEnd) + " s after the last exit)");
        assertEquals(0.0, single(query("sum(resets(" + TX + "{job=\"top3\",comm=\"wtsrvburst\"}" + churn.replace(":1s", "")
                + "))")), "resets() of the short-lived processes' series");

        // a hostile name: valid text format, stored as SafeText shows it
        String text = get(plain.awaitPort(), "/metrics");
        String check = promtool(text);
        assertEquals("rc=0", check.substring(0, check.indexOf('\n')), "promtool check metrics: " + check);
        String shown = SafeText.escape(new String(HOSTILE, StandardCharsets.ISO_8859_1));
        Set<String> comms = labelValues(TX + "{job=\"plain\"}", "comm");
        assertTrue(comms.contains(shown), "Prometheus has comm " + shown + " among " + comms);
        hostile.destroy();

        // SIGTERM: exit 0, BPF released
        for (MetricsChild s : new MetricsChild[]{plain, top3}) {
            KernelHarness.Owned owned = KernelHarness.owned(s.process.pid());
            assertFalse(owned.progs().isEmpty(), "wiretop serve held BPF programs");
            new ProcessBuilder("kill", "-TERM", Long.toString(s.process.pid())).start().waitFor();
            assertTrue(s.process.waitFor(30, TimeUnit.SECONDS), "serve stopped on SIGTERM");
            assertEquals(0, s.process.exitValue(), "exit code after SIGTERM; stderr: " + s.stderr);
            KernelHarness.assertReleased(owned, "serve's SIGTERM");
        }
    }

    private record Steady(double start, double end, long bytes) {
    }

    private static Steady steady(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "sender failed: " + out);
        Matcher m = Pattern.compile("steady (\\S+) (\\S+) (\\d+)").matcher(out);
        assertTrue(m.find(), "sender's report: " + out);
        return new Steady(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)));
    }

    private static void assertWithin(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance * expected,
                what + ": " + actual + ", expected " + expected + " within " + (int) (tolerance * 100) + "%");
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String promtool(String text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return "rc=" + p.exitValue() + "\n" + out;
    }

    private static boolean ready() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static String get(String path) throws Exception {
        return get(promPort, path);
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static JsonNode query(String promql) throws Exception {
        return result(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private static JsonNode queryAt(String promql, double time) throws Exception {
        return result(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + String.format("%.3f", time)));
    }

    private static JsonNode result(String body) throws Exception {
        JsonNode n = KernelHarness.JSON.readTree(body);
        assertEquals("success", n.get("status").asText(), body);
        return n.get("data").get("result");
    }

    /** The one sample of a vector result (0 when empty: sum() over nothing). */
    private static double single(JsonNode result) {
        assertTrue(result.size() <= 1, "one sample expected: " + result);
        return result.size() == 0 ? 0 : Double.parseDouble(result.get(0).get("value").get(1).asText());
    }

    private static List<Double> values(String promql) throws Exception {
        List<Double> out = new ArrayList<>();
        for (JsonNode r : query(promql)) {
            out.add(Double.parseDouble(r.get("value").get(1).asText()));
        }
        return out;
    }

    private static Set<String> labelValues(String promql, String label) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode r : query(promql)) {
            JsonNode v = r.get("metric").get(label);
            if (v != null) {
                out.add(v.asText());
            }
        }
        return out;
    }
}
