// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code wiretop serve} and {@code --metrics-listen} on the live kernel, without Prometheus (that is
 * {@link ServePrometheusKernelIT}): a port in use is one line and exit 1 with nothing loaded; the
 * health endpoint; -W's wire families; the endpoint beside --raw; SIGINT ends serve with exit 0 and
 * its BPF programs unloaded.
 */
class ServeKernelIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void root() {
        KernelHarness.requireRoot();
    }

    /** A wiretop child; the port it announced on stderr. */
    private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPortInUseIsOneLineAndExit1WithNothingLoaded() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process p = new ProcessBuilder("java", "-jar", KernelHarness.jar().toString(), "serve", "--listen",
                    "127.0.0.1:" + held.getLocalPort()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals("wiretop: --listen 127.0.0.1:" + held.getLocalPort() + ": Address already in use\n", err);
            assertEquals(1, p.exitValue());
        }
    }

    @Test
    void healthWireFamiliesAndSigint() throws Exception {
        MetricsChild serve = new MetricsChild("serve", "--listen", "127.0.0.1:0", "-d", "500", "-W");
        try {
            int port = serve.awaitPort();
            assertEquals(404, get(port, "/nosuch", null).statusCode());
            long deadline = System.currentTimeMillis() + 30_000;
            HttpResponse<String> h;
            while ((h = get(port, "/-/healthy", null)).statusCode() != 200) {
                assertEquals(503, h.statusCode(), "before the first interval: " + h.body());
                assertTrue(System.currentTimeMillis() < deadline, "not healthy in 30 s: " + h.body());
                Thread.sleep(100);
            }
            assertEquals("ok\n", h.body());
            // loopback traffic so that some process has wire bytes
            try (ServerSocket srv = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Socket c = new Socket(InetAddress.getLoopbackAddress(), srv.getLocalPort());
                 Socket s = srv.accept()) {
                c.getOutputStream().write(new byte[100_000]);
                s.getInputStream().readNBytes(100_000);
            }
            deadline = System.currentTimeMillis() + 30_000;
            String om;
            Pattern wire = Pattern.compile("(?m)^wiretop_process_network_wire_transmit_bytes_total\\{[^}]*\\} [1-9]");
            do {
                Thread.sleep(500);
                HttpResponse<String> r = get(port, "/metrics", "application/openmetrics-text; version=1.0.0");
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                        r.headers().toString());
                om = r.body();
                assertTrue(System.currentTimeMillis() < deadline, "no wire bytes with -W in 30 s:\n" + om);
            } while (!wire.matcher(om).find());
            assertTrue(om.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
            serve.stop("INT");
        } finally {
            serve.kill();
        }
    }

    /** The full-screen table in a real terminal (tmux) with --metrics-listen: scraped while it runs, q ends both. */
    @Test
    void theEndpointBesideTheTable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // the table prints no line to the terminal: a port chosen here
        }
        try (TmuxShell sh = new TmuxShell()) {
            sh.run("./wiretop -d 500 --metrics-listen 127.0.0.1:" + port + " --logfile " + sh.dir.resolve("ui.log"));
            long jvm = TmuxShell.jvmPid("--metrics-listen 127.0.0.1:" + port, 240_000);
            sh.waitFor("the table", () -> sh.shows("PID"), 180_000);
            long deadline = System.currentTimeMillis() + 30_000;
            String text = "";
            while (!text.contains("wiretop_process_network_transmit_bytes_total{")) {
                assertTrue(System.currentTimeMillis() < deadline, "no process series beside the table:\n" + text);
                Thread.sleep(500);
                try {
                    text = get(port, "/metrics", null).body();
                } catch (IOException e) {
                    text = e.toString();
                }
            }
            KernelHarness.Owned owned = KernelHarness.owned(jvm);
            sh.keys("q");
            assertEquals(0, sh.exitCode(30_000), sh.screen());
            KernelHarness.assertReleased(owned, "q");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                fail("the metrics port is still open after q");
            } catch (IOException expected) {
                // closed with the table
            }
        }
    }

    @Test
    void theEndpointBesideRaw() throws Exception {
        MetricsChild raw = new MetricsChild("--raw", "-v", "procs", "-d", "500", "--metrics-listen", "127.0.0.1:0",
                "--metrics-pid-top", "2");
        try {
            int port = raw.awaitPort();
            long deadline = System.currentTimeMillis() + 30_000;
            String text;
            do {
                Thread.sleep(500);
                text = get(port, "/metrics", null).body();
                assertTrue(System.currentTimeMillis() < deadline, "no pid series beside --raw in 30 s:\n" + text);
            } while (!Pattern.compile("pid=\"\\d+\"").matcher(text).find()); // this test's scrapes talk
            assertTrue(text.contains("wiretop_build_info{version="), text);
            raw.stop("TERM");
        } finally {
            raw.kill();
        }
    }
}
