// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection field in the Processes view selects the processes with such connections: a server
 * on a loopback port and its client stream to each other, and `--raw -v procs 'fd.lport = PORT'`
 * lists the server (with its NET), `fd.rport = PORT` the client, and nothing else.
 */
class ConnectionFilterKernelIT {
    /**
     * Where NET is among the whitespace-separated words of a --raw Processes row when FILE and WIRE
     * are not collected (their cells are blank): PID PPID CPU USER TH VIRT RES NET Command...
     */
    private static final int NET_WORD = 7;

    @Test
    void localAndRemotePortFiltersSelectTheServerAndTheClient() throws Exception {
        KernelHarness.requireRoot();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now; the workload binds it right away
        }
        ProcessBuilder pb = new ProcessBuilder(KernelHarness.workload().toString(), "paced", "1000000", "120", "1000")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("WORKLOAD_PORT", Integer.toString(port));
        Process stream = pb.start();
        CompletableFuture<String> report = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            Thread.sleep(500);
            CompletableFuture<String> local = raw("fd.lport = " + port);
            CompletableFuture<String> remote = raw("fd.rport = " + port);
            String byLocal = local.get(180, TimeUnit.SECONDS), byRemote = remote.get(180, TimeUnit.SECONDS);
            stream.toHandle().destroy(); // SIGTERM: the workload stops and reports its pids
            String out = report.get(30, TimeUnit.SECONDS);
            long server = pid(out, "server"), client = pid(out, "client");

            Map<Long, Integer> l = rows(byLocal), r = rows(byRemote);
            assertEquals(Map.of(server, 3), l, "fd.lport = " + port + " lists the server in each interval:\n" + byLocal);
            assertEquals(Map.of(client, 3), r, "fd.rport = " + port + " lists the client in each interval:\n" + byRemote);
            for (String line : byLocal.split("\n")) {
                if (line.strip().startsWith(Long.toString(server))) {
                    String net = line.strip().split("\\s+")[NET_WORD];
                    assertTrue(net.endsWith("K") && Double.parseDouble(net.substring(0, net.length() - 1)) > 500,
                            "the server receives ~977K/s: NET '" + net + "' in\n" + byLocal);
                }
            }
        } finally {
            stream.destroyForcibly();
        }
    }

    /** `wiretop --raw -v procs -d 500 -n 3 FILTER`, run to its end. */
    private static CompletableFuture<String> raw(String filter) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return KernelHarness.sh(180, "java", "-jar", KernelHarness.jar().toString(), "--raw", "-v", "procs",
                        "-d", "500", "-n", "3", filter);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** How many intervals listed each pid (the first cell of each row under a header). */
    private static Map<Long, Integer> rows(String raw) {
        Map<Long, Integer> seen = new HashMap<>();
        for (String line : raw.split("\n")) {
            String first = line.strip().split("\\s+")[0];
            if (first.matches("\\d+")) {
                seen.merge(Long.parseLong(first), 1, Integer::sum);
            }
        }
        return seen;
    }

    private static long pid(String out, String role) {
        Matcher m = Pattern.compile("pid=(\\d+) role=" + role + " ").matcher(out);
        assertTrue(m.find(), "the workload reported no " + role + ": " + out);
        return Long.parseLong(m.group(1));
    }
}
